"""Two roles in a real browser: what each sees of parks, enterprises and the map."""

from __future__ import annotations

import pytest
from pytest_django.live_server_helper import LiveServer

from conftest import World
from tests.browser.conftest import PageFor

pytestmark = pytest.mark.browser


def test_it_shows_a_district_user_only_its_parks(live_world: World, live_server: LiveServer, page_for: PageFor) -> None:
    page = page_for("t-district-jx")
    assert "区级用户" in page.inner_text("[data-testid=who]")
    assert "江夏区" in page.inner_text("[data-testid=scope]")
    page.goto(f"{live_server.url}/registry/parks/")
    table = page.inner_text("[data-testid=park-table]")
    assert "江夏现代产业园" in table and "江夏都市工业园" in table
    assert "蔡甸特色产业园" not in table
    response = page.goto(f"{live_server.url}/registry/parks/PC/")
    assert response is not None and response.status == 404
    page.goto(f"{live_server.url}/registry/map/")
    page.wait_for_selector("#park-map[data-ready]", state="attached")
    assert page.get_attribute("#park-map", "data-ready") == "2"


def test_it_shows_the_city_admin_every_park_and_the_map(
    live_world: World, live_server: LiveServer, page_for: PageFor
) -> None:
    page = page_for("t-admin")
    page.goto(f"{live_server.url}/registry/parks/")
    table = page.inner_text("[data-testid=park-table]")
    for name in ("江夏现代产业园", "江夏都市工业园", "蔡甸特色产业园"):
        assert name in table
    page.click("text=蔡甸特色产业园")
    page.wait_for_selector("[data-testid=park-map] canvas")
    page.goto(f"{live_server.url}/registry/map/")
    page.wait_for_selector("#park-map[data-ready]", state="attached")
    assert page.get_attribute("#park-map", "data-ready") == "3"
    assert page.locator("#park-map canvas").count() >= 1


def test_it_refuses_anonymous_visitors(live_world: World, live_server: LiveServer, page_for: PageFor) -> None:
    page = page_for(None)
    page.goto(f"{live_server.url}/registry/parks/")
    assert "/login/" in page.url
    assert page.locator("input[name=password]").count() == 1
