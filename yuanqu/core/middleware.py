"""The client's address and scheme as a trusted proxy saw them, headers that keep every page on this
host and out of caches, the request's address and user for the audit log, bulk API reads in the audit
log, and the language of the page."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from yuanqu.core.audit import audit_bulk_read, current_ip, current_request

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


class TrustedProxyMiddleware:
    """Believes X-Forwarded-For and X-Forwarded-Proto only from a peer in YUANQU_TRUSTED_PROXIES.

    The client is the rightmost address in X-Forwarded-For that is not itself a trusted proxy (each
    proxy appends the address it saw, so everything left of that hop was written by the client and
    proves nothing). From any other peer the headers are removed, so no later code can read them.
    This is the one place that decides, for waitress and gunicorn alike."""

    FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.networks: list[IPNetwork] = [ipaddress.ip_network(item, strict=False) for item in settings.TRUSTED_PROXIES]

    def _trusted(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
        return address is not None and any(address in network for network in self.networks)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        peer = _address(str(meta.get("REMOTE_ADDR", "")))
        if not self._trusted(peer):
            for header in self.FORWARDED_HEADERS:
                meta.pop(header, None)
            return self.get_response(request)
        client = peer
        for hop in reversed(str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")):
            address = _address(hop)
            if address is None:
                break
            client = address
            if not self._trusted(address):
                break
        meta["REMOTE_ADDR"] = str(client)
        proto = str(meta.get("HTTP_X_FORWARDED_PROTO", "")).split(",")[-1].strip().lower()
        if proto in {"http", "https"}:
            # WSGIRequest.scheme reads wsgi.url_scheme from this same dictionary.
            meta["wsgi.url_scheme"] = proto
        return self.get_response(request)


# Nothing may come from another host (政务内网 have no internet); the policy says so to the browser.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ip_token = current_ip.set(request.META.get("REMOTE_ADDR"))
        request_token = current_request.set(request)
        try:
            response = self.get_response(request)
            # What a signed-in user or an API client receives is theirs alone: no browser or proxy
            # may keep a copy (pages, API answers and exports alike).
            user = getattr(request, "user", None)
            if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
                patch_cache_control(response, no_store=True, private=True)
            if request.path.startswith("/api/") and request.method == "GET":
                _audit_bulk_api_read(request, response)
        finally:
            current_request.reset(request_token)
            current_ip.reset(ip_token)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        return response


def _audit_bulk_api_read(request: HttpRequest, response: HttpResponse) -> None:
    """One audit entry for an API answer that carries many rows (a page of `items` or a bare list).
    Keyed on the response, so every list endpoint is covered whatever its pagination."""
    if response.status_code != 200 or response.streaming:
        return
    if not response.get("Content-Type", "").startswith("application/json"):
        return
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or response.has_header("Content-Encoding"):
        return
    content = response.content
    # A cheap bound first: fewer bytes than rows cannot hold that many rows.
    if len(content) < settings.AUDIT_BULK_READ_ROWS:
        return
    try:
        data = json.loads(content)
    except ValueError:
        return
    rows = data.get("items") if isinstance(data, dict) else data
    if isinstance(rows, list) and len(rows) >= settings.AUDIT_BULK_READ_ROWS:
        audit_bulk_read(
            actor=user,
            resource=request.path,
            rows=len(rows),
            query=request.META.get("QUERY_STRING", ""),
        )


class PlatformLocaleMiddleware:
    """Chinese unless the user chose otherwise. Django's LocaleMiddleware would follow the browser's
    Accept-Language, which on an English-language browser would switch the platform to English without
    anyone asking; here only the language cookie set by the switch in the header counts."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
