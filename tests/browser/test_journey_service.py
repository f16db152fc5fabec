"""陪跑 and 惠企 in a real browser, as the issue's "Done when" asks. A park's service specialist plans a
visit to a firm, records it from the plan with a need, and follows the need to the 啄木鸟 case it
became; the firm answers the 发展环境 questionnaire in its portal and sees the policies it qualifies
for, with the reasons."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_django.live_server_helper import LiveServer

from conftest import World
from tests.browser.conftest import PageFor
from yuanqu.casework import clock
from yuanqu.casework.models import Case, CaseKind, Category
from yuanqu.service import services
from yuanqu.service.config import config
from yuanqu.service.models import PlannedVisit, SurveyReceipt, VisitNeed

pytestmark = pytest.mark.browser

NEED = "希望协调解决新厂房的供电增容问题"


def _need_category(world: World) -> None:
    # A transactional test starts from an empty table; the pack's need category is what a need becomes.
    Category.objects.get_or_create(
        code=config().need_category,
        defaults={
            "name": "求助",
            "kind": CaseKind.REQUEST,
            "time_limit_days": 10,
            "default_unit": world.unit,
            "sort_order": 100,
        },
    )


def test_a_specialist_plans_and_records_a_visit_and_turns_a_need_into_a_case(
    live_world: World, live_server: LiveServer, page_for: PageFor
) -> None:
    _need_category(live_world)
    firm = live_world.enterprises["E1"]
    planned_on = clock.today() + dt.timedelta(days=3)

    page = page_for("t-park-pa")
    page.goto(f"{live_server.url}/service/visits/")
    page.fill("[data-testid=plan-form] input[name=enterprise]", firm.uscc)
    page.fill("[data-testid=plan-form] input[name=planned_on]", planned_on.isoformat())
    page.fill("[data-testid=plan-form] input[name=purpose]", "了解扩产用电需求")
    page.click("[data-testid=plan-form] button[type=submit]")
    page.wait_for_url("**/service/visits/")
    plans = page.inner_text("[data-testid=plans]")
    assert firm.name in plans and "了解扩产用电需求" in plans

    # Record the visit from the plan: the form carries the firm and the plan.
    page.click("[data-testid=plans] >> text=登记走访")
    page.wait_for_url("**/service/visits/new/**")
    assert page.input_value("[data-testid=visit-form] input[name=enterprise]") == firm.uscc
    page.fill("[data-testid=visit-form] input[name=people]", "张总经理、李主任")
    page.fill("[data-testid=visit-form] input[name=topics]", "扩产与用电")
    page.fill("[data-testid=visit-form] textarea[name=situation]", "订单饱满，计划下半年扩产。")
    page.fill("[data-testid=visit-form] textarea[name=needs]", NEED)
    page.click("[data-testid=visit-form] button[type=submit]")
    page.wait_for_url(f"**/service/enterprises/{firm.uscc}/")

    # The firm's 陪跑 record shows the need with the case it became; the case points back at the visit.
    need = VisitNeed.objects.select_related("case", "visit").get()
    assert need.case is not None and need.case.visit_id == need.visit_id
    assert PlannedVisit.objects.get().status == PlannedVisit.Status.DONE
    row = page.locator("[data-testid=need]").first
    assert NEED[:20] in row.inner_text() and need.case.number in row.inner_text()
    row.locator(f"text={need.case.number}").click()
    page.wait_for_url(f"**/casework/**{need.case.number}**")
    assert NEED[:20] in page.inner_text("main")
    assert Case.objects.get(pk=need.case.pk).category.code == config().need_category


def test_an_enterprise_answers_the_survey_and_sees_the_policies_it_qualifies_for(
    live_world: World, live_server: LiveServer, page_for: PageFor
) -> None:
    today = clock.today()
    wave = services.survey_wave_open(
        actor=live_world.users["city_admin"],
        code="J1",
        name="发展环境问卷（测试期）",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
    )
    survey = config().survey

    page = page_for("t-ent-e1")
    page.goto(f"{live_server.url}/service/surveys/")
    page.click(f"[data-wave={wave.code}] >> text=填写问卷")
    page.wait_for_url(f"**/service/surveys/{wave.code}/answer/")
    for item in survey.items:
        value = "4" if item.kind == "likert" else item.choices[0]
        page.check(f"[data-testid=survey-form] input[name=q_{item.code}][value='{value}']")
    page.click("[data-testid=survey-form] button[type=submit]")
    page.wait_for_load_state()
    assert SurveyReceipt.objects.filter(wave=wave, enterprise=live_world.enterprises["E1"]).exists()
    page.goto(f"{live_server.url}/service/surveys/{wave.code}/answer/")
    assert page.locator("[data-testid=survey-answered]").is_visible()

    # 高新 (the shared world gives E1 the label) and in a park: 首次认定高新技术企业奖励 holds, with its reasons.
    page.goto(f"{live_server.url}/service/my-policies/")
    card = page.locator("[data-testid=policy-high_tech_first]")
    assert card.get_attribute("data-status") == "pass"
    text = card.inner_text()
    assert "符合条件" in text and "30" in text
    assert page.locator("[data-testid^=policy-][data-status=pass]").count() >= 1
