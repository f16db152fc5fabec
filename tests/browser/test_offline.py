"""Offline use on a phone: after one visit, with the network gone, a page answers with the offline
page (never a stored copy of a signed-in page) styled by the stored static files."""

from __future__ import annotations

import pytest
from pytest_django.live_server_helper import LiveServer

from conftest import World
from tests.browser.conftest import PageFor

pytestmark = pytest.mark.browser


def test_a_phone_without_network_sees_the_offline_page(
    live_world: World, live_server: LiveServer, page_for: PageFor
) -> None:
    page = page_for("t-ent-e1")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/core/workbench/")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now the worker controls the page
    assert page.evaluate("() => !!navigator.serviceWorker.controller")
    page.context.set_offline(True)
    try:
        page.goto(f"{live_server.url}/casework/mine/")
        page.wait_for_selector("[data-testid=offline-page]")
        assert live_world.enterprises["E1"].name not in page.content()
        # The stylesheet came from the stored copy.
        assert page.evaluate("() => getComputedStyle(document.querySelector('.card')).borderRadius") != "0px"
    finally:
        page.context.set_offline(False)
    page.goto(f"{live_server.url}/casework/mine/")
    assert not page.is_visible("[data-testid=offline-page]")
