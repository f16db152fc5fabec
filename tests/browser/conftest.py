"""Browser journeys in Debian's chromium driven by Playwright (never a downloaded browser). Every
request a page makes is recorded; a request to any other host fails the test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlparse

import pytest
from pytest_django.live_server_helper import LiveServer

from conftest import World

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Request

CHROMIUM = os.environ.get("YUANQU_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures in
# that same thread are safe (nothing else uses the loop).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is needed at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


class RequestLog:
    def __init__(self, allowed_host: str) -> None:
        self.allowed_host = allowed_host
        self.urls: list[str] = []

    def record(self, request: Request) -> None:
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        outside = []
        for url in self.urls:
            parsed = urlparse(url)
            if parsed.scheme in {"data", "blob", "about"}:
                continue
            if parsed.hostname not in {self.allowed_host, "localhost", "127.0.0.1"}:
                outside.append(url)
        return outside


@pytest.fixture
def live_world(transactional_db: None, world: World) -> World:
    return world


class PageFor(Protocol):
    """The page_for fixture: a page logged in as `username` (None: not logged in)."""

    def __call__(self, username: str | None, password: str = ...) -> Page: ...


@pytest.fixture
def page_for(browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[PageFor]:
    """page_for(username) → a logged-in page whose every request is recorded."""
    contexts: list[tuple[BrowserContext, RequestLog]] = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def open_page(username: str | None, password: str = "persona-password-1") -> Page:
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        log = RequestLog(urlparse(live_server.url).hostname or "localhost")
        context.on("request", log.record)
        contexts.append((context, log))
        page = context.new_page()
        page.set_default_timeout(30000)  # generous: CI machines are small and busy
        if username:
            page.goto(f"{live_server.url}/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", password)
            page.click("main button[type=submit]")
            page.wait_for_url(lambda url: "/login/" not in url)
        return page

    yield open_page
    for index, (context, log) in enumerate(contexts):
        for number, page in enumerate(context.pages):
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{index}-{number}.png"), full_page=True)
        context.close()
        assert log.foreign() == [], f"pages reached another host: {log.foreign()}"
