"""A small local HTTP server standing in for the SMS / 政务微信 gateway: it records each request and
answers with the statuses a test queues (200 when none is left)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pytest_django.fixtures import Settings

SECRET = "gateway-shared-secret-0123456789"


@dataclass
class Gateway:
    url: str
    statuses: list[int] = field(default_factory=list)
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def gateway(settings: Settings) -> Iterator[Gateway]:
    state = Gateway(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.requests.append((dict(self.headers.items()), body))
            status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/notify"
    settings.NOTIFY_WEBHOOK_URL = state.url
    settings.NOTIFY_WEBHOOK_SECRET = SECRET
    settings.NOTIFY_WEBHOOK_TIMEOUT_SECONDS = 5
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.NOTIFY_BACKOFF_SECONDS = 60
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
