"""Each role's 工作台, the 大屏 at three wall sizes, and the enterprise's pages on a 390 px phone, in a
real browser. With YUANQU_DOC_SCREENSHOTS=1 the pictures are written to docs/screenshots/, so a
reviewer can look without running anything (docs/ui.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pytest_django.live_server_helper import LiveServer

from conftest import World
from tests.browser.conftest import PageFor
from yuanqu.dashboard.tests import builders

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE_WIDTH = 390


def _picture(page: Page, name: str) -> None:
    if os.environ.get("YUANQU_DOC_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS / f"{name}.jpg"), type="jpeg", quality=70)


def _overflow(page: Page) -> dict[str, int]:
    """How far the document reaches past the viewport, across and down."""
    reach = page.evaluate(
        "() => ({x: document.documentElement.scrollWidth - window.innerWidth,"
        " y: document.documentElement.scrollHeight - window.innerHeight})"
    )
    return {"x": int(reach["x"]), "y": int(reach["y"])}


def _case(world: World, title: str) -> str:
    from yuanqu.casework import services
    from yuanqu.casework.models import CaseKind, Category

    category = Category.objects.create(
        code="t_power",
        name="用电用能",
        kind=CaseKind.REQUEST,
        time_limit_days=10,
        default_unit=world.unit,
        sort_order=1,
    )
    case = services.case_submit(
        actor=world.users["enterprise"], category=category, title=title, description="新增产线需要增容800千伏安。"
    )
    case = services.case_accept(actor=world.users["handler"], case=case, version=case.version)
    services.case_notify_missing(
        actor=world.users["handler"], case=case, version=case.version, items=["营业执照副本", "用电负荷测算表"]
    )
    return case.number


@pytest.mark.parametrize(
    ("username", "card"),
    [
        ("t-handler", "casework-queue"),
        ("t-park-pa", "data-due"),
        ("t-district-jx", "late-parks"),
        ("t-ent-e1", "casework-asked"),
        ("t-admin", "plan"),
    ],
)
def test_it_opens_each_role_on_its_workbench(
    live_world: World, live_server: LiveServer, page_for: PageFor, username: str, card: str
) -> None:
    number = _case(live_world, "厂区用电增容")
    page = page_for(username)
    assert page.url == f"{live_server.url}/core/workbench/"
    page.wait_for_selector(f"[data-card={card}]")
    if username in {"t-handler", "t-ent-e1"}:
        page.click(f"[data-card={card}] >> text={number} 厂区用电增容")
        page.wait_for_url(f"**/casework/{number}/")
        page.go_back()
    _picture(page, f"workbench-{username}")


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080), (3840, 2160)])
def test_the_big_screen_fits_the_wall_without_scrollbars(
    live_world: World, live_server: LiveServer, page_for: PageFor, width: int, height: int
) -> None:
    builders.indicator_values(live_world)
    page = page_for("t-admin")
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/cockpit/?indicator=revenue&period=2025&screen=1")
    page.wait_for_selector("#cockpit-map[data-ready]", state="attached")
    # 诉求统计 by district and the 亩均 grades are charts on the 大屏, inside the scaled layout.
    page.wait_for_selector("#screen-cases[data-ready]", state="attached")
    page.wait_for_selector("#screen-mujun[data-ready]", state="attached")
    assert page.is_visible("[data-testid=screen-mujun]")
    assert _overflow(page) == {"x": 0, "y": 0}
    for section in page.query_selector_all(".cockpit.screen .cockpit-grid > section"):
        box = section.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["y"] >= 0, section.get_attribute("class")
        assert box["x"] + box["width"] <= width + 1 and box["y"] + box["height"] <= height + 1, section.get_attribute(
            "class"
        )
    assert not page.is_visible("[data-testid=cockpit-filters]")
    assert not page.is_visible("[data-print]")
    assert page.is_visible("[data-testid=screen-clock]")
    assert "数据截至 2025年" in page.inner_text("[data-testid=screen-clock]")
    # Neighbouring charts use one money unit: the city's revenue needs 亿元, so the monthly chart's
    # 万元 figures are shown in 亿元 too.
    monthly_axis, annual_titles = page.evaluate(
        "() => [echarts.getInstanceByDom(document.getElementById('trend-monthly')).getOption().yAxis[0].name,"
        " echarts.getInstanceByDom(document.getElementById('trend-annual')).getOption().title.map(t => t.text)]"
    )
    assert monthly_axis.endswith("（亿元）") and annual_titles == ["营业收入（亿元）"]
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.cockpit.screen')).fontSize)")
    assert size >= 12
    _picture(page, f"screen-{width}x{height}")


def test_the_enterprise_pages_fit_a_phone(live_world: World, live_server: LiveServer, page_for: PageFor) -> None:
    number = _case(live_world, "厂区用电增容，新增产线需要增容800千伏安并协调供电公司")
    page = page_for("t-ent-e1")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    for path in (
        "/core/workbench/",
        "/casework/mine/",
        "/casework/new/",
        f"/casework/{number}/",
        "/service/my-policies/",
        "/notifications/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert _overflow(page)["x"] == 0, path
    page.goto(f"{live_server.url}/core/workbench/")
    assert not page.is_visible("#mainnav")
    page.click("[data-testid=menu-toggle]")
    assert page.is_visible("#mainnav")
    assert page.get_attribute("[data-testid=menu-toggle]", "aria-expanded") == "true"
    _picture(page, "phone-enterprise-workbench")


def test_an_enterprise_files_a_request_on_a_phone(
    live_world: World, live_server: LiveServer, page_for: PageFor
) -> None:
    from yuanqu.casework.models import Case, CaseKind, Category

    Category.objects.create(
        code="t_power", name="用电用能", kind=CaseKind.REQUEST, time_limit_days=10, default_unit=live_world.unit
    )
    page = page_for("t-ent-e1")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.goto(f"{live_server.url}/core/workbench/")
    page.click("[data-card=casework-mine] >> text=提交新诉求")
    page.wait_for_url("**/casework/new/")
    assert _overflow(page)["x"] == 0
    page.select_option("select[name=category]", "t_power")
    page.wait_for_selector("[data-testid=category-info]")
    page.fill("input[name=title]", "厂区用电增容")
    page.fill("textarea[name=description]", "新增产线需要增容800千伏安，请协调供电公司。")
    page.click("[data-testid=case-form] button[type=submit]")
    page.wait_for_selector("[data-testid=case-status]")
    assert page.inner_text("[data-testid=case-status]") == "待受理"
    assert _overflow(page)["x"] == 0
    number = Case.objects.get(title="厂区用电增容").number

    handler = page_for("t-handler")
    handler.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    for path in ("/core/workbench/", "/casework/queue/", f"/casework/{number}/"):
        handler.goto(f"{live_server.url}{path}")
        assert _overflow(handler)["x"] == 0, path
    # The queue shows each case as a card on a phone: no header row, the title a link of its own.
    handler.goto(f"{live_server.url}/casework/queue/")
    assert not handler.is_visible("[data-testid=case-table] thead")
    card = handler.locator(f"[data-testid=case-table] tr[data-number='{number}']")
    assert card.evaluate("row => getComputedStyle(row).display") == "grid"
    assert card.locator("td.c-title a").inner_text() == "厂区用电增容"
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
    _picture(handler, "phone-handler-queue")
    _picture(handler, "phone-handler-case")


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        # The admin reviews the cockpit, the evaluation and the targets (reports are .docx downloads).
        ("t-admin", ("/core/workbench/", "/cockpit/", "/evaluation/", "/targets/")),
        # The park uploads data.
        ("t-park-pa", ("/core/workbench/", "/intake/", "/intake/upload/", "/cockpit/parks/PA/")),
        # The district reviews its parks.
        ("t-district-jx", ("/core/workbench/", "/cockpit/districts/420115/", "/registry/", "/cockpit/parks/PA/")),
    ],
)
def test_the_other_journeys_fit_a_phone(
    live_world: World, live_server: LiveServer, page_for: PageFor, username: str, paths: tuple[str, ...]
) -> None:
    builders.indicator_values(live_world)
    page = page_for(username)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    wide = {}
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        reach = _overflow(page)["x"]
        if reach:
            wide[path] = reach
    assert wide == {}
