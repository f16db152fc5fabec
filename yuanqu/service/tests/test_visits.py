"""Recording a visit: casework's visit record with the visit's details, each need a 啄木鸟 case in the
pack's need category (channel 走访) linked both ways, a plan it fulfils marked done, the case's
outcome on the visit history, every write audited; and the refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from yuanqu.casework.models import Case
from yuanqu.core.models import AuditLog
from yuanqu.core.permissions import WriteDenied
from yuanqu.service import services
from yuanqu.service.models import PlannedVisit, VisitNeed
from yuanqu.service.services import common
from yuanqu.service.tests.conftest import ServiceWorld


def _record(sv: ServiceWorld, persona: str = "park_operator", **extra: Any) -> Any:
    values: dict[str, Any] = {
        "enterprise": sv.world.enterprises["E1"],
        "visited_on": dt.date(2026, 3, 2),
        "people": "张总、李经理",
        "topics": "生产经营与用工",
        "situation": "订单饱满，产能不足。",
        "needs": ["希望协调扩建用地指标", "  ", "申请人才公寓10套"],
    }
    values.update(extra)
    return services.visit_record(actor=sv.user(persona), **values)


def test_it_turns_each_need_into_a_case_linked_both_ways(sv: ServiceWorld, on_day: Any) -> None:
    with on_day(dt.date(2026, 3, 2)):
        visit = _record(sv)
    assert visit.detail.people == "张总、李经理"
    needs = list(VisitNeed.objects.filter(visit=visit).select_related("case").order_by("id"))
    assert [need.text for need in needs] == ["希望协调扩建用地指标", "申请人才公寓10套"]
    for need in needs:
        case = need.case
        assert (case.visit_id, case.enterprise_id, case.channel, case.category.code) == (
            visit.pk,
            sv.world.enterprises["E1"].pk,
            Case.Channel.VISIT,
            sv.category.code,
        )
        assert VisitNeed.objects.get(case=case) == need
        assert case.description == need.text
    assert sorted(visit.cases.values_list("number", flat=True)) == sorted(need.case.number for need in needs)
    details = list(AuditLog.objects.filter(object_type__startswith="service.").values_list("detail", flat=True))
    assert details.count("走访需求转诉求") == 2 and "走访详情" in details


def test_it_shows_the_case_outcome_on_the_visit_history(sv: ServiceWorld, on_day: Any) -> None:
    with on_day(dt.date(2026, 3, 2)):
        visit = _record(sv, needs=["希望协调扩建用地指标"])
    case = visit.cases.get()
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, resolved=True, satisfied=True)
    client = sv.world.client("park_operator")
    page = client.get("/service/visits/").content.decode()
    assert case.number in page and "已办结" in page and "已解决" in page and "满意" in page
    body = client.get("/api/v1/service/visits").json()
    assert body["items"][0]["needs"] == [
        {
            "text": "希望协调扩建用地指标",
            "case": case.number,
            "case_status": "closed",
            "case_status_label": "已办结",
            "resolved": True,
            "satisfied": True,
        }
    ]


def test_it_closes_the_plan_it_fulfils_once(sv: ServiceWorld, on_day: Any) -> None:
    with on_day(dt.date(2026, 3, 1)):
        plan = services.visit_plan(
            actor=sv.user("park_operator"), enterprise=sv.world.enterprises["E1"], planned_on=dt.date(2026, 3, 2)
        )
    with on_day(dt.date(2026, 3, 2)):
        visit = _record(sv, plan=plan, needs=[])
        plan.refresh_from_db()
        assert (plan.status, plan.visit_id) == (PlannedVisit.Status.DONE, visit.pk)
        with pytest.raises(ValidationError) as caught:
            _record(sv, plan=plan, needs=[])
    assert caught.value.message_dict == {"plan": [common.PLAN_NOT_OPEN]}


def test_it_refuses_a_visit_out_of_scope_or_by_a_role_without_a_part(sv: ServiceWorld, on_day: Any) -> None:
    with on_day(dt.date(2026, 3, 2)):
        with pytest.raises(WriteDenied) as caught:
            _record(sv, enterprise=sv.world.enterprises["E2"])  # park PB, not the operator's park
        assert str(caught.value) == common.OUT_OF_SCOPE
        for persona in ("enterprise", "handler", "city_viewer", "auditor"):
            with pytest.raises(WriteDenied) as caught:
                _record(sv, persona)
            assert str(caught.value) == common.NOT_ALLOWED
        with pytest.raises(ValidationError) as invalid:
            _record(sv, people="  ")
        assert invalid.value.message_dict == {"people": ["请填写参加人员"]}
        with pytest.raises(ValidationError) as invalid:
            _record(sv, needs=[f"需求{i}" for i in range(11)])
        assert invalid.value.message_dict == {"needs": [common.TOO_MANY_NEEDS % {"limit": 10}]}
    assert not Case.objects.exists()
    assert not VisitNeed.objects.exists()


def test_the_page_and_the_api_record_a_visit_with_its_needs(sv: ServiceWorld, on_day: Any) -> None:
    client = sv.world.client("park_operator")
    uscc = sv.world.enterprises["E1"].uscc
    with on_day(dt.date(2026, 3, 2)):
        response = client.post(
            "/service/visits/new/",
            {
                "enterprise": uscc,
                "visited_on": "2026-03-02",
                "people": "张总",
                "topics": "用地",
                "needs": "希望协调扩建用地指标\n申请人才公寓",
            },
        )
        assert response.status_code == 302 and response["Location"] == f"/service/enterprises/{uscc}/"
        api = client.post(
            "/api/v1/service/visits",
            {"enterprise": uscc, "visited_on": "2026-03-02", "people": "王总", "topics": "融资", "needs": ["融资对接"]},
            content_type="application/json",
        )
    assert api.status_code == 201, api.content
    assert [need["text"] for need in api.json()["needs"]] == ["融资对接"]
    assert Case.objects.filter(channel=Case.Channel.VISIT).count() == 3
    refused = sv.world.client("enterprise").post(
        "/api/v1/service/visits",
        {"enterprise": uscc, "visited_on": "2026-03-02", "people": "王总", "topics": "融资"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_it_cancels_a_plan_once_and_audits_it(sv: ServiceWorld, on_day: Any) -> None:
    with on_day(dt.date(2026, 3, 2)):
        plan = services.visit_plan(
            actor=sv.user("park_operator"), enterprise=sv.world.enterprises["E1"], planned_on=dt.date(2026, 3, 9)
        )
        services.visit_plan_cancel(actor=sv.user("district_jiangxia"), plan=plan)
        with pytest.raises(ValidationError) as again:
            services.visit_plan_cancel(actor=sv.user("park_operator"), plan=plan)
        with pytest.raises(WriteDenied):
            services.visit_plan_cancel(actor=sv.user("district_caidian"), plan=plan)
    assert PlannedVisit.objects.get(pk=plan.pk).status == PlannedVisit.Status.CANCELLED
    assert again.value.messages == [common.PLAN_NOT_OPEN]
    assert AuditLog.objects.filter(detail="走访计划：已取消").count() == 1


def test_the_specialists_page_refuses_an_unknown_action_by_name(sv: ServiceWorld) -> None:
    from django.test import Client

    client = Client()
    client.force_login(sv.user("city_admin"))
    page = client.post(
        "/service/specialists/", {"form": "delete", "enterprise": sv.world.enterprises["E1"].uscc}, follow=True
    )
    assert page.status_code == 200
    assert "操作不是可选的值" in page.content.decode()
