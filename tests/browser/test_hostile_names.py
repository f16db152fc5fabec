"""Names are data, never markup: a park named like an HTML element shows as text in the chart
tooltips of the cockpit map and the registry map, and no element is created from it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from pytest_django.live_server_helper import LiveServer

from conftest import World
from tests.browser.conftest import PageFor
from yuanqu.dashboard.tests import builders

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x data-hostile=1 onerror="window.__hostile=1">'


@pytest.fixture
def hostile_world(live_world: World) -> World:
    builders.indicator_values(live_world)
    park = live_world.parks["PA"]
    park.name = HOSTILE
    park.save(update_fields=["name"])
    return live_world


def _tooltip_over_park(page: Page, element_id: str) -> str:
    """Show the map's tooltip over park PA (lower-left corner 114.30, 30.35 of its square) and
    return the tooltip's text once it is shown."""
    page.wait_for_selector(f"#{element_id}[data-ready]", state="attached")
    x, y = page.evaluate(
        """(id) => {
            const chart = echarts.getInstanceByDom(document.getElementById(id));
            return chart.convertToPixel({geoIndex: 0}, [114.31, 30.36]);
        }""",
        element_id,
    )
    page.locator(f"#{element_id}").scroll_into_view_if_needed()
    box = page.locator(f"#{element_id}").bounding_box()
    assert box is not None  # the map is on the page, scrolled into view
    page.mouse.move(box["x"] + x, box["y"] + y)
    tip = page.locator(f"#{element_id} div", has_text="江夏区").first
    tip.wait_for(state="visible")
    return str(tip.inner_text())


def test_a_park_named_like_markup_shows_as_text_in_the_cockpit_map(
    hostile_world: World, live_server: LiveServer, page_for: PageFor
) -> None:
    page = page_for("t-admin")
    page.goto(f"{live_server.url}/cockpit/")
    text = _tooltip_over_park(page, "cockpit-map")
    assert HOSTILE in text
    assert page.locator("[data-hostile]").count() == 0
    assert page.evaluate("window.__hostile") is None


def test_a_park_named_like_markup_shows_as_text_in_the_registry_map(
    hostile_world: World, live_server: LiveServer, page_for: PageFor
) -> None:
    page = page_for("t-admin")
    page.goto(f"{live_server.url}/registry/map/")
    text = _tooltip_over_park(page, "park-map")
    assert HOSTILE in text
    assert page.locator("[data-hostile]").count() == 0
    assert page.evaluate("window.__hostile") is None
