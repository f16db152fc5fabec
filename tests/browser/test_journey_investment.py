"""A district 招商 user in a real browser: finds a gap node of a lead chain of its park, picks a target
firm for it on the park's 招商路径图, opens a project filled from that firm, takes it through 接洽 and
在谈 to 签约 with the investment agreement, and finds and reserves a site for it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from conftest import World
from tests.browser.conftest import PageFor
from yuanqu.core.uscc import make as make_uscc
from yuanqu.investment import services
from yuanqu.investment.models import Project, Site, SiteReservation, Stage
from yuanqu.registry.models import ChainNode

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _advance(page: Page, to_stage: str, files: list[str] | None = None) -> None:
    page.select_option("[data-testid=advance-form] select[name=to_stage]", to_stage)
    if files:
        page.set_input_files("[data-testid=advance-form] input[name=files]", files)
    page.click("[data-testid=advance-form] button[type=submit]")
    page.wait_for_load_state()


def test_a_district_user_goes_from_a_gap_node_to_a_signed_project_with_a_reserved_site(
    live_world: World, live_server: LiveServer, page_for: PageFor, tmp_path: Path, settings: Settings
) -> None:
    from yuanqu.registry.services import policy_pack_apply

    settings.MEDIA_ROOT = str(tmp_path / "media")
    if not ChainNode.objects.exists():
        policy_pack_apply()
    park = live_world.parks["PA"]
    gap = ChainNode.objects.select_related("chain").order_by("chain__sort_order", "position").first()
    assert gap is not None
    park.lead_chains.add(gap.chain)
    services.candidate_create(
        actor=live_world.users["city_admin"],
        name="星河光电股份有限公司",
        uscc=make_uscc("91440300MA5F00004"),
        nodes=[gap],
        hq_region="广东省深圳市",
        size_band="large",
        listing="a",
    )
    Site.objects.create(
        code="PA-F1",
        name="江夏现代产业园标准厂房1号楼",
        kind=Site.Kind.FLOOR,
        district=park.district,
        park=park,
        floor_area_m2=12000,
        floor_load_kn=Decimal("8"),
        power_kva=1600,
        available_on=dt.date(2026, 1, 1),
        confirmed_on=timezone.localdate(),
    )

    page = page_for("t-district-jx")
    # The chain map of the park's lead chain shows the node as a gap.
    page.goto(f"{live_server.url}/investment/chains/{gap.chain.code}/?park=PA")
    nodes = page.inner_text("[data-testid=node-table]")
    assert gap.name in nodes and "缺失" in nodes
    page.click("text=本园区招商路径图")
    page.wait_for_url("**/investment/parks/PA/path/")
    row = page.locator(f"[data-testid=gap-{gap.pk}] tr", has_text="星河光电股份有限公司")
    assert "星河光电股份有限公司" in row.inner_text()
    row.locator("[data-testid=open-project]").click()
    page.wait_for_url("**/investment/projects/new/**")
    assert page.input_value("input[name=investor_name]") == "星河光电股份有限公司"
    assert page.input_value("select[name=park]") == "PA"
    assert page.input_value("select[name=chain_node]") == str(gap.pk)
    page.fill("input[name=name]", "星河光电武汉光模块基地")
    page.fill("input[name=planned_investment]", "20")
    page.fill("input[name=floor_need_m2]", "10000")
    page.click("[data-testid=project-form] button[type=submit]")
    page.wait_for_url("**/investment/projects/*/")
    project = Project.objects.get(name="星河光电武汉光模块基地")
    assert project.candidate is not None and project.candidate.name == "星河光电股份有限公司"

    _advance(page, "contact")
    _advance(page, "negotiating")
    assert "在谈" in page.inner_text("h1")
    agreement = tmp_path / "投资协议.pdf"
    agreement.write_bytes(PDF)
    _advance(page, "signed", [str(agreement)])
    assert "签约" in page.inner_text("h1")
    history = page.inner_text("[data-testid=stage-history]")
    assert "投资协议.pdf" in history

    page.click("text=智慧选址：为本项目匹配载体")
    page.wait_for_url(f"**/investment/projects/{project.number}/sites/")
    assert "1 处可行载体" in page.inner_text("[data-testid=feasible-count]")
    page.click("[data-testid=reserve]")
    page.wait_for_load_state()
    reservation = SiteReservation.objects.get()
    assert reservation.project_id == project.pk and reservation.site.code == "PA-F1"
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (3840, 2160)])
def test_the_big_screen_keeps_its_investment_strip_inside_the_wall(
    live_world: World, live_server: LiveServer, page_for: PageFor, width: int, height: int
) -> None:
    page = page_for("t-admin")
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/cockpit/?screen=1")
    page.wait_for_selector("#cockpit-map[data-ready]", state="attached")
    strip = page.locator("[data-testid=investment-strip]").bounding_box()
    assert strip is not None
    assert strip["x"] >= 0 and strip["x"] + strip["width"] <= width + 1
    assert strip["y"] + strip["height"] <= height + 1 and strip["height"] < height / 6
    # The grid gives up the strip's height: no card of the grid reaches into it.
    bottom = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('.cockpit-grid > .card'))"
        ".map(c => c.getBoundingClientRect().bottom))"
    )
    assert bottom <= strip["y"] + 1
    assert page.locator("[data-testid=inv-funnel] li").count() == 8
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.inv-stage')).fontSize)")
    assert size >= 9.5  # 0.8 em of the screen's type, which never goes below 12 px
