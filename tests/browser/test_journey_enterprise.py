"""An enterprise in a real browser: submits a 啄木鸟 request, supplements after the handler's
one-time notice (一次性告知), and rates the reply. The handler's steps between the enterprise's are
driven through the casework services, as the handler's own pages would."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from pytest_django.live_server_helper import LiveServer

from conftest import World
from tests.browser.conftest import PageFor

if TYPE_CHECKING:
    from yuanqu.casework.models import Category

pytestmark = pytest.mark.browser


@pytest.fixture
def category(live_world: World) -> Category:
    from yuanqu.casework.models import CaseKind, Category

    return Category.objects.create(
        code="t_power",
        name="用电用能",
        kind=CaseKind.REQUEST,
        time_limit_days=10,
        default_unit=live_world.unit,
        sort_order=1,
        materials=["问题情况说明"],
    )


def handler_step(world: World, number: str, verb: str, **kwargs: Any) -> None:
    from yuanqu.casework import services
    from yuanqu.casework.models import Case

    case = Case.objects.get(number=number)
    getattr(services, f"case_{verb}")(actor=world.users["handler"], case=case, version=case.version, **kwargs)


def test_it_lets_an_enterprise_submit_supplement_and_rate_a_request(
    live_world: World, live_server: LiveServer, page_for: PageFor, category: Category
) -> None:
    from yuanqu.casework.models import Case

    page = page_for("t-ent-e1")
    page.goto(f"{live_server.url}/casework/new/")
    page.select_option("select[name=category]", "t_power")
    page.wait_for_selector("[data-testid=category-info]")
    page.fill("input[name=title]", "厂区用电增容")
    page.fill("textarea[name=description]", "新增产线需要增容800千伏安，请协调供电公司。")
    page.click("[data-testid=case-form] button[type=submit]")
    page.wait_for_selector("[data-testid=case-status]")
    assert page.inner_text("[data-testid=case-status]") == "待受理"
    number = Case.objects.get(title="厂区用电增容").number
    assert number in page.inner_text("h1")

    handler_step(live_world, number, "accept")
    handler_step(live_world, number, "notify_missing", items=["营业执照副本", "用电负荷测算表"])
    page.reload()
    assert page.inner_text("[data-testid=case-status]") == "待补正"
    assert "用电负荷测算表" in page.inner_text("main")
    page.fill("[data-testid=form-supplement] textarea[name=text]", "已补充营业执照副本和用电负荷测算表。")
    page.click("[data-testid=form-supplement] button[type=submit]")
    page.wait_for_selector("[data-testid=case-status]")
    assert page.inner_text("[data-testid=case-status]") == "已受理"

    handler_step(live_world, number, "assign", lead_unit=live_world.unit)
    handler_step(live_world, number, "start")
    handler_step(live_world, number, "reply", text="已协调供电公司完成增容，下周送电。")
    page.reload()
    assert "已协调供电公司完成增容" in page.inner_text("[data-testid=reply]")
    page.select_option("[data-testid=form-rate] select[name=level]", "satisfied")
    page.check("[data-testid=form-rate] input[name=resolved][value='1']")  # nothing is pre-chosen
    page.click("[data-testid=form-rate] button[type=submit]")
    page.wait_for_selector("[data-testid=case-status]")
    assert page.inner_text("[data-testid=case-status]") == "已办结"
    case = Case.objects.get(number=number)
    assert case.satisfied is True and case.resolved is True
