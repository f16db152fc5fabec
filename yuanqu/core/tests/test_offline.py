"""Offline use: the service worker keeps the platform's own static files and the offline page, never
a signed-in page; both are public, and the offline page carries nobody's data."""

from __future__ import annotations

import json
import re

from django.test import Client

from conftest import World
from yuanqu.core.views import OFFLINE_STATIC


def test_the_service_worker_names_only_static_files_and_the_offline_page(world: World) -> None:
    response = Client().get("/core/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    precache = json.loads(re.search(r"var PRECACHE = (\[.*?\]);", body).group(1))  # type: ignore[union-attr]
    assert precache == [f"/static/{name}" for name in OFFLINE_STATIC]
    assert json.loads(re.search(r"var OFFLINE = (.*?);", body).group(1)) == "/core/offline/"  # type: ignore[union-attr]
    # Pages are never stored: a navigation goes to the network, the offline page only when it fails,
    # and only paths under STATIC_URL are put in the cache.
    assert 'request.mode === "navigate"' in body and "fetch(request).catch" in body
    assert body.count("cache.put(") == 2  # the install list and the static files fetched


def test_the_offline_page_is_public_and_shows_no_user(world: World) -> None:
    client = Client()
    client.force_login(world.users["enterprise"])
    page = client.get("/core/offline/").content.decode()
    assert 'data-testid="offline-page"' in page
    assert world.users["enterprise"].username not in page
    assert world.enterprises["E1"].name not in page and 'id="mainnav"' not in page
    assert Client().get("/core/offline/").status_code == 200


def test_every_page_registers_the_service_worker(world: World) -> None:
    client = Client()
    client.force_login(world.users["enterprise"])
    page = client.get("/core/workbench/").content.decode()
    assert '<script src="/static/js/offline.js" data-sw="/core/sw.js"></script>' in page
