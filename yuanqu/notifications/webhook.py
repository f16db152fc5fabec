"""The outbound webhook to a government SMS platform or 政务微信 gateway: the body is JSON, signed
with HMAC-SHA256 over `<timestamp>.<body>` with the shared secret, so the gateway can check both who
sent it and that it is fresh. No Django here: the sender (services) passes URL, secret and timeout."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from typing import Any

SIGNATURE_HEADER = "X-Yuanqu-Signature"
TIMESTAMP_HEADER = "X-Yuanqu-Timestamp"
DELIVERY_HEADER = "X-Yuanqu-Delivery"


class WebhookError(Exception):
    """The gateway did not accept the message (network error or a status other than 2xx)."""


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature(*, body: bytes, secret: str, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(*, body: bytes, secret: str, timestamp: int, header: str) -> bool:
    """What a receiving gateway does; the tests use it too."""
    return hmac.compare_digest(signature(body=body, secret=secret, timestamp=timestamp), header)


def post(*, url: str, secret: str, body: bytes, timestamp: int, delivery_id: int, timeout: float) -> int:
    """Send one message; the HTTP status on success, WebhookError otherwise."""
    request = urllib.request.Request(  # noqa: S310 - the URL comes from the operator's settings, http(s) only
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signature(body=body, secret=secret, timestamp=timestamp),
            DELIVERY_HEADER: str(delivery_id),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - see above
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        raise WebhookError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise WebhookError(
            type(exc).__name__ + (f": {exc.reason}" if isinstance(exc, urllib.error.URLError) else "")
        ) from exc
    if not 200 <= status < 300:
        raise WebhookError(f"HTTP {status}")
    return status
