"""A district user in a real browser opens a park's carbon account from the cockpit's 能碳 panel, as
issue 15's "Done when" asks: the panel lists the parks with an account, the link opens the park's
account with its figures and method."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from conftest import World
from tests.browser.conftest import PageFor
from yuanqu.energy.tests.conftest import ANNUAL_HEADER, texts, xlsx
from yuanqu.intake.tests.conftest import import_file

pytestmark = pytest.mark.browser


def test_a_district_user_opens_a_parks_carbon_account_from_the_cockpit(
    live_world: World, live_server: LiveServer, page_for: PageFor, tmp_path: Path, settings: Settings
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    e1, e2 = live_world.enterprises["E1"], live_world.enterprises["E2"]
    stats = xlsx([["统一社会信用代码", "年度", "工业增加值（万元）"], [e1.uscc, 2025, 1000], [e2.uscc, 2025, 500]])
    assert import_file(live_world, "city_admin", "annual", stats).status == "applied"
    energy = xlsx(
        [
            ANNUAL_HEADER,
            [e1.uscc, 2025, 100, 20, 50000, 1, 100, 2, 500, 3000],
            [e2.uscc, 2025, 50, None, None, None, None, None, None, None],
        ]
    )
    outcome = import_file(live_world, "city_admin", "energy_annual", energy)
    assert outcome.status == "applied", texts(outcome)

    page = page_for("t-district-jx")
    page.goto(f"{live_server.url}/cockpit/")
    panel = page.locator("[data-testid=carbon-panel]")
    panel.scroll_into_view_if_needed()
    assert "2025年 · 2 个园区有碳账户" in panel.inner_text()
    # The largest emitter first: 江夏现代产业园 (702.2222 t) before 江夏都市工业园 (268.3 t).
    links = panel.locator("[data-testid=carbon-account-link]")
    assert links.nth(0).get_attribute("data-park") == "PA"
    links.nth(0).click()
    page.wait_for_url("**/energy/parks/PA/?year=2025")
    assert page.inner_text("h1").startswith("江夏现代产业园 · 碳账户 · 2025")
    assert page.inner_text("[data-testid=co2]") == "702.2222"
    assert "GB/T 2589-2020" in page.content()
