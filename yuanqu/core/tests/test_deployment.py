"""What a deployment relies on: forwarded address and scheme believed from trusted proxies only
(under the test client, waitress and gunicorn alike), no caching of what a signed-in user sees, a
health check that tells nothing but ok or not, and no production start with a weak secret key."""

from __future__ import annotations

import http.client
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu import settings as settings_module
from yuanqu.core.management.commands.serve import waitress_options
from yuanqu.core.models import AuditLog

PROXY = "10.20.0.5"
CLIENT_ADDRESS = "203.0.113.7"


def _login_failure_address(client: Client, **headers: Any) -> str | None:
    client.post("/login/", {"username": "t-admin", "password": "wrong-guess-000"}, **headers)
    return AuditLog.objects.filter(detail="登录失败").latest("id").ip_address


def test_forwarded_headers_from_an_untrusted_peer_are_ignored(world: World, settings: Settings) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    client = Client(REMOTE_ADDR="198.51.100.9")
    address = _login_failure_address(client, HTTP_X_FORWARDED_FOR="1.2.3.4", HTTP_X_FORWARDED_PROTO="https")
    assert address == "198.51.100.9"


def test_forwarded_address_from_a_trusted_proxy_is_used(world: World, settings: Settings) -> None:
    settings.TRUSTED_PROXIES = ["10.20.0.0/16"]
    client = Client(REMOTE_ADDR=PROXY)
    # The client wrote the leftmost entry itself; the proxy appended the address it saw.
    address = _login_failure_address(client, HTTP_X_FORWARDED_FOR=f"6.6.6.6, {CLIENT_ADDRESS}, 10.20.0.9")
    assert address == CLIENT_ADDRESS


def test_the_sign_in_limit_counts_the_forwarded_address(world: World, settings: Settings) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    client = Client(REMOTE_ADDR=PROXY)
    _login_failure_address(client, HTTP_X_FORWARDED_FOR=CLIENT_ADDRESS)
    from yuanqu.core.models import LoginThrottle

    assert LoginThrottle.objects.filter(key=f"addr:{CLIENT_ADDRESS}").exists()
    assert not LoginThrottle.objects.filter(key=f"addr:{PROXY}").exists()


def test_https_from_a_trusted_proxy_is_not_redirected(db: None, settings: Settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = [PROXY]
    behind_proxy = Client(REMOTE_ADDR=PROXY).get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert behind_proxy.status_code == 200
    assert behind_proxy.wsgi_request.is_secure()
    spoofed = Client(REMOTE_ADDR="198.51.100.9").get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert spoofed.status_code == 301 and spoofed["Location"].startswith("https://")


def test_a_bad_trusted_proxy_setting_stops_startup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUANQU_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/24, ::1")
    assert settings_module._trusted_proxies() == ["10.0.0.1", "192.168.0.0/24", "::1"]
    monkeypatch.setenv("YUANQU_TRUSTED_PROXIES", "10.0.0.1, nginx.local")
    with pytest.raises(ImproperlyConfigured, match=r"nginx\.local"):
        settings_module._trusted_proxies()


def test_waitress_passes_forwarded_headers_on_only_when_proxies_are_trusted(settings: Settings) -> None:
    settings.TRUSTED_PROXIES = []
    assert "clear_untrusted_proxy_headers" not in waitress_options(host="127.0.0.1", port=8000, threads=4)
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert waitress_options(host="127.0.0.1", port=8000, threads=4)["clear_untrusted_proxy_headers"] is False


@pytest.fixture
def waitress_server(settings: Settings) -> Iterator[int]:
    from django.core.handlers.wsgi import WSGIHandler
    from waitress.server import create_server

    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    options = waitress_options(host="127.0.0.1", port=0, threads=2)
    # A fresh handler, so that its middleware reads the settings above (yuanqu.wsgi builds one at import).
    server = create_server(WSGIHandler(), **options)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server.effective_port
    finally:
        server.close()
        thread.join(timeout=5)


@pytest.mark.django_db(transaction=True)
def test_yuanqu_serve_behind_a_trusted_proxy_does_not_redirect_https(waitress_server: int) -> None:
    def get(headers: dict[str, str]) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", waitress_server, timeout=10)
        connection.request("GET", "/healthz", headers=headers)
        status = connection.getresponse().status
        connection.close()
        return status

    assert get({"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT_ADDRESS}) == 200
    assert get({}) == 301


def test_signed_in_pages_and_api_answers_are_not_stored(world: World) -> None:
    client = world.client("city_viewer")
    for url in ("/registry/parks/", "/api/v1/registry/parks", "/core/me/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url
    anonymous_api = Client().get("/api/v1/registry/parks")
    assert "no-store" in anonymous_api["Cache-Control"]


def test_the_health_check_says_ok(db: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_the_health_check_never_shows_the_database_error(
    db: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from django.db import connection

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError('could not connect to server: password authentication failed for user "yq" at 10.0.0.5')

    with monkeypatch.context() as patch, caplog.at_level(logging.ERROR):
        patch.setattr(connection, "cursor", broken)
        response = Client().get("/healthz")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "error"
    assert "password" not in response.content.decode() and "10.0.0.5" not in response.content.decode()
    assert body["incident"] in caplog.text and "password authentication failed" in caplog.text


@pytest.mark.parametrize(
    "key",
    ["short-key", "a" * 60, "ababababab" * 6, "django-insecure-" + "x1y2z3w4v5" * 5],
)
def test_production_refuses_a_weak_secret_key(monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    monkeypatch.setenv("YUANQU_SECRET_KEY", key)
    with pytest.raises(ImproperlyConfigured, match="weak"):
        settings_module._secret_key(production=True)
    assert settings_module._secret_key(production=False) == key  # debug and demo may use any key


def test_production_accepts_a_strong_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    key = "Zq8v0-Xr3mK9pL2sT7wY4bN6cD1fG5hJ8kA0eR3uI6oP9lM2nB"
    monkeypatch.setenv("YUANQU_SECRET_KEY", key)
    assert settings_module._secret_key(production=True) == key
