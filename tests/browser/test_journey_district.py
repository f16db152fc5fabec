"""A district user in a real browser: the cockpit and the district page show its own parks only, and
the address of another district's park profile answers 404."""

from __future__ import annotations

import pytest
from pytest_django.live_server_helper import LiveServer

from conftest import World
from tests.browser.conftest import PageFor
from yuanqu.dashboard.tests import builders

pytestmark = pytest.mark.browser


def test_it_shows_a_district_user_only_its_parks_and_404_for_another_districts(
    live_world: World, live_server: LiveServer, page_for: PageFor
) -> None:
    builders.indicator_values(live_world)
    page = page_for("t-district-jx")
    page.goto(f"{live_server.url}/cockpit/?indicator=revenue&period=2025")
    ranking = page.inner_text("[data-testid=ranking]")
    assert "江夏现代产业园" in ranking and "江夏都市工业园" in ranking
    assert "蔡甸特色产业园" not in page.inner_text("main")
    page.wait_for_selector("#cockpit-map[data-ready]", state="attached")
    assert page.get_attribute("#cockpit-map", "data-ready") == "2"
    assert page.inner_text("[data-testid=freshness] tbody").strip().startswith("江夏区")

    page.click("[data-testid=top-parks] >> text=江夏现代产业园")
    page.wait_for_url("**/cockpit/parks/PA/")
    assert "尚无评价结果" in page.inner_text("[data-testid=evaluation]")

    response = page.goto(f"{live_server.url}/cockpit/parks/PC/")
    assert response is not None and response.status == 404
    response = page.goto(f"{live_server.url}/reports/parks/PC/diagnosis.docx")
    assert response is not None and response.status == 404
    response = page.goto(f"{live_server.url}/cockpit/districts/420114/")
    assert response is not None and response.status == 404

    page.goto(f"{live_server.url}/cockpit/districts/420115/")
    parks = page.inner_text("[data-testid=district-parks]")
    assert "江夏现代产业园" in parks and "蔡甸特色产业园" not in parks
