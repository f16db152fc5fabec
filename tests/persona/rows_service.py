"""The persona rows of 陪跑/惠企 routes added after the matrix's own table: assignment rules, project
陪跑 (stages and notes), cancelling a visit plan, the parks' service lists (published to every reader,
kept by the park's operator, district and the city), the 涉企收费 register (a firm of the park reports
a fee), and the 发展环境 questionnaire (waves, answers, results, close). Readers of the results are
the city, the districts and the park operators; only the city admins open and close a wave; only an
enterprise answers, in the portal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.persona.matrix import (
    CITY,
    CITY_ADMINS,
    DENIED,
    DONE,
    DONE_201,
    DONE_302,
    FIRMS,
    HIDDEN,
    IN_PA,
    INVALID,
    INVEST,
    OK,
    REDIRECT,
    Answer,
    R,
    _count,
    _value,
    access,
)
from tests.persona.world import PersonaWorld


def _sheet() -> dict[str, Any]:
    from yuanqu.service.config import config

    return {item.code: (4 if item.kind == "likert" else item.choices[0]) for item in config().survey.items}


def _page_sheet(refs: Mapping[str, str]) -> dict[str, Any]:
    return {f"q_{code}": value for code, value in _sheet().items()}


SERVICE_LINE = {
    "service_type": "agency",
    "provider": "园区服务中心",
    "promise": "全程代办",
    "time_limit_days": 3,
    "fee": "免费",
    "contact": "027-88880000",
}

FEE = {
    "park": "{park}",
    "item": "矩阵收费",
    "charged_by": "运营公司",
    "amount_yuan": "1.00",
    "unit": "m2",
    "period": "month",
    "amount": "1元/平方米·月",
}
SERVICE_REQUEST = {"description": "矩阵服务申请"}
REQUEST_DONE = {"outcome": "已办结"}
REVIEW = {"decision": "confirmed", "reason": "未能提供收费依据"}
RETIRE = {"reason": "不再收取"}
IN_PA_WRITERS_ONLY = {"city_viewer": DENIED, "district_caidian": HIDDEN, "park_operator_pc": HIDDEN}
FEE_REPORT = {"occurred_on": "2026年11月", "description": "无收费依据"}

RULE = {"specialist": "{specialist_pa}", "park": "{park}"}
CREATED = Answer(201)

COMPANION = {"name": "矩阵陪跑", "park": "{park}", "specialist": "{specialist_pa}"}
NOTE = {"stage": "landing", "text": "矩阵陪跑记录"}
IN_PA_HIDDEN = {"district_caidian": HIDDEN, "park_operator_pc": HIDDEN}

ROWS = [
    R("service:companions", "list", "GET", "/service/companions/", access(DENIED, (INVEST, OK))),
    R(
        "service:companions",
        "open a project in PA",
        "POST",
        "/service/companions/",
        access(DENIED, (IN_PA, DONE_302), city_viewer=DENIED, district_caidian=OK, park_operator_pc=OK),
        body=COMPANION,
        write=_count("service.CompanionProject"),
    ),
    R(
        "service:companion",
        "PA's project",
        "GET",
        "/service/companions/{companion}/",
        access(DENIED, (IN_PA, OK), **IN_PA_HIDDEN),
    ),
    R(
        "service:companion",
        "a note on PA's project",
        "POST",
        "/service/companions/{companion}/",
        access(DENIED, (IN_PA, DONE_302), city_viewer=DENIED, **IN_PA_HIDDEN),
        body=NOTE,
        write=_count("service.CompanionNote"),
    ),
    R("GET /api/v1/service/companions", "list", "GET", "/api/v1/service/companions", access(DENIED, (INVEST, OK))),
    R(
        "POST /api/v1/service/companions",
        "open a project in PA",
        "POST",
        "/api/v1/service/companions",
        access(DENIED, (IN_PA, DONE_201), city_viewer=DENIED, district_caidian=INVALID, park_operator_pc=INVALID),
        body=COMPANION,
        write=_count("service.CompanionProject"),
    ),
    R(
        "POST /api/v1/service/companions/{companion_id}/notes",
        "a note on PA's project",
        "POST",
        "/api/v1/service/companions/{companion}/notes",
        access(DENIED, (IN_PA, DONE_201), city_viewer=DENIED, **IN_PA_HIDDEN),
        body=NOTE,
        write=_count("service.CompanionNote"),
    ),
    R(
        "service:assignments",
        "store a rule: PA's firms to PA's second operator",
        "POST",
        "/service/specialists/",
        access(DENIED, (IN_PA, DONE_302), city_viewer=DENIED, district_caidian=OK, park_operator_pc=OK),
        body={"form": "rule", **RULE},
        write=_count("service.AssignmentRule"),
    ),
    R(
        "service:assignments",
        "apply the rules (the city's rule gives E2 to 江夏)",
        "POST",
        "/service/specialists/",
        access(
            DENIED,
            ((*CITY, "district_jiangxia"), DONE_302),
            (("park_operator", "district_caidian", "park_operator_pc"), REDIRECT),
            city_viewer=DENIED,
        ),
        body={"form": "apply"},
        write=_count("service.SpecialistAssignment"),
    ),
    R(
        "GET /api/v1/service/assignment-rules",
        "list",
        "GET",
        "/api/v1/service/assignment-rules",
        access(DENIED, (INVEST, OK)),
    ),
    R(
        "POST /api/v1/service/assignment-rules",
        "store a rule",
        "POST",
        "/api/v1/service/assignment-rules",
        access(DENIED, (IN_PA, DONE_201), city_viewer=DENIED, district_caidian=INVALID, park_operator_pc=INVALID),
        body=RULE,
        write=_count("service.AssignmentRule"),
    ),
    R(
        "POST /api/v1/service/assignment-rules/apply",
        "apply the rules",
        "POST",
        "/api/v1/service/assignment-rules/apply",
        access(
            DENIED,
            ((*CITY, "district_jiangxia"), DONE_201),
            (("park_operator", "district_caidian", "park_operator_pc"), CREATED),
            city_viewer=DENIED,
        ),
        body={},
        write=_count("service.SpecialistAssignment"),
    ),
    R("service:fees", "register", "GET", "/service/fees/", access(DENIED, (INVEST, OK), (FIRMS, OK))),
    R(
        "service:fees",
        "register a fee of PA",
        "POST",
        "/service/fees/",
        access(DENIED, (IN_PA, DONE_302), city_viewer=DENIED, district_caidian=OK, park_operator_pc=OK),
        body=FEE,
        write=_count("service.ParkFee"),
    ),
    R(
        "service:fee_report",
        "report PA's fee",
        "POST",
        "/service/fees/{service_fee}/report/",
        access(DENIED, enterprise=DONE_302, enterprise_e3=HIDDEN),
        body=FEE_REPORT,
        write=_count("service.FeeReport"),
    ),
    R("GET /api/v1/service/fees", "register", "GET", "/api/v1/service/fees", access(DENIED, (INVEST, OK), (FIRMS, OK))),
    R(
        "POST /api/v1/service/fees",
        "register a fee of PA",
        "POST",
        "/api/v1/service/fees",
        access(DENIED, (IN_PA, DONE_201), city_viewer=DENIED, district_caidian=INVALID, park_operator_pc=INVALID),
        body=FEE,
        write=_count("service.ParkFee"),
    ),
    R(
        "POST /api/v1/service/fees/{fee_id}/reports",
        "report PA's fee",
        "POST",
        "/api/v1/service/fees/{service_fee}/reports",
        access(DENIED, enterprise=DONE_201, enterprise_e3=HIDDEN),
        body=FEE_REPORT,
        write=_count("service.FeeReport"),
    ),
    R(
        "service:fee_review",
        "the city's review of PA's flagged fee",
        "POST",
        "/service/fees/{service_fee}/review/",
        access(DENIED, (CITY_ADMINS, DONE_302)),
        body=REVIEW,
        write=_value("service.ParkFee", "review", pk="{service_fee}"),
    ),
    R(
        "service:fee_retire",
        "retire PA's fee",
        "POST",
        "/service/fees/{service_fee}/retire/",
        access(DENIED, (IN_PA, DONE_302), **IN_PA_WRITERS_ONLY),
        body=RETIRE,
        write=_value("service.ParkFee", "retired_at", pk="{service_fee}"),
    ),
    R("GET /api/v1/service/fees/totals", "totals", "GET", "/api/v1/service/fees/totals", access(DENIED, (INVEST, OK))),
    R(
        "POST /api/v1/service/fees/{fee_id}/review",
        "the city's review of PA's flagged fee",
        "POST",
        "/api/v1/service/fees/{service_fee}/review",
        access(DENIED, (CITY_ADMINS, DONE_201)),
        body=REVIEW,
        write=_value("service.ParkFee", "review", pk="{service_fee}"),
    ),
    R(
        "POST /api/v1/service/fees/{fee_id}/retire",
        "retire PA's fee",
        "POST",
        "/api/v1/service/fees/{service_fee}/retire",
        access(DENIED, (IN_PA, DONE_201), **IN_PA_WRITERS_ONLY),
        body=RETIRE,
        write=_value("service.ParkFee", "retired_at", pk="{service_fee}"),
    ),
    R(
        "service:park_service_retire",
        "take PA's 人才服务 line off its list",
        "POST",
        "/service/standards/{park}/talent/retire/",
        access(DENIED, (IN_PA, DONE_302), **IN_PA_WRITERS_ONLY),
        body=RETIRE,
        write=_value("service.ParkService", "retired_at", park__code="{park}", service_type="talent"),
    ),
    R(
        "POST /api/v1/service/parks/{code}/services/{service_type}/retire",
        "take PA's 人才服务 line off its list",
        "POST",
        "/api/v1/service/parks/{park}/services/talent/retire",
        access(DENIED, (IN_PA, DONE_201), city_viewer=DENIED),
        body=RETIRE,
        write=_value("service.ParkService", "retired_at", park__code="{park}", service_type="talent"),
    ),
    R(
        "service:service_request_new",
        "E1 asks for PA's 人才服务",
        "POST",
        "/service/standards/{park}/talent/request/",
        access(DENIED, enterprise=DONE_302),
        body=SERVICE_REQUEST,
        write=_count("service.ServiceRequest"),
    ),
    R("service:requests", "list", "GET", "/service/requests/", access(DENIED, (INVEST, OK), (FIRMS, OK))),
    R(
        "service:service_request_done",
        "close E1's request",
        "POST",
        "/service/requests/{service_request}/done/",
        access(DENIED, (IN_PA, DONE_302), **IN_PA_WRITERS_ONLY),
        body=REQUEST_DONE,
        write=_value("service.ServiceRequest", "status", pk="{service_request}"),
    ),
    R(
        "GET /api/v1/service/requests",
        "list",
        "GET",
        "/api/v1/service/requests",
        access(DENIED, (INVEST, OK), (FIRMS, OK)),
    ),
    R(
        "POST /api/v1/service/parks/{code}/services/{service_type}/requests",
        "E1 asks for PA's 人才服务",
        "POST",
        "/api/v1/service/parks/{park}/services/talent/requests",
        access(DENIED, enterprise=DONE_201),
        body=SERVICE_REQUEST,
        write=_count("service.ServiceRequest"),
    ),
    R(
        "POST /api/v1/service/requests/{request_id}/done",
        "close E1's request",
        "POST",
        "/api/v1/service/requests/{service_request}/done",
        access(DENIED, (IN_PA, DONE_201), **IN_PA_WRITERS_ONLY),
        body=REQUEST_DONE,
        write=_value("service.ServiceRequest", "status", pk="{service_request}"),
    ),
    R(
        "GET /api/v1/service/policies/match-runs",
        "the runs after imports",
        "GET",
        "/api/v1/service/policies/match-runs",
        access(DENIED, (INVEST, OK)),
    ),
    R("service:standards", "coverage", "GET", "/service/standards/", access(DENIED, (INVEST, OK), (FIRMS, REDIRECT))),
    R(
        "service:park_services",
        "PA's list",
        "GET",
        "/service/standards/{park}/",
        access(DENIED, (INVEST, OK), (FIRMS, OK)),
    ),
    R(
        "service:park_services",
        "publish a line of PA's list",
        "POST",
        "/service/standards/{park}/",
        access(DENIED, (IN_PA, DONE_302), city_viewer=DENIED),
        body=SERVICE_LINE,
        write=_count("service.ParkService"),
    ),
    R("GET /api/v1/service/standards", "coverage", "GET", "/api/v1/service/standards", access(DENIED, (INVEST, OK))),
    R(
        "GET /api/v1/service/parks/{code}/services",
        "PA's list",
        "GET",
        "/api/v1/service/parks/{park}/services",
        access(DENIED, (INVEST, OK), (FIRMS, OK)),
    ),
    R(
        "POST /api/v1/service/parks/{code}/services",
        "publish a line of PA's list",
        "POST",
        "/api/v1/service/parks/{park}/services",
        access(DENIED, (IN_PA, DONE_201), city_viewer=DENIED),
        body=SERVICE_LINE,
        write=_count("service.ParkService"),
    ),
    R(
        "service:plan_cancel",
        "cancel the plan for E1",
        "POST",
        "/service/visits/plans/{service_plan}/cancel/",
        access(DENIED, (IN_PA, DONE_302), district_caidian=HIDDEN, park_operator_pc=HIDDEN, city_viewer=DENIED),
        body={},
        write=_value("service.PlannedVisit", "status", pk="{service_plan}"),
    ),
    R(
        "POST /api/v1/service/plans/{plan_id}/cancel",
        "cancel the plan for E1",
        "POST",
        "/api/v1/service/plans/{service_plan}/cancel",
        access(DENIED, (IN_PA, DONE), district_caidian=HIDDEN, park_operator_pc=HIDDEN, city_viewer=DENIED),
        body={},
        write=_value("service.PlannedVisit", "status", pk="{service_plan}"),
    ),
    R("service:surveys", "waves", "GET", "/service/surveys/", access(DENIED, (INVEST, OK), (FIRMS, OK))),
    R(
        "service:surveys",
        "open a wave",
        "POST",
        "/service/surveys/",
        access(DENIED, (CITY_ADMINS, DONE_302)),
        body={"code": "PW-NEW", "name": "矩阵新期次", "opens_on": "2030-01-01", "closes_on": "2030-01-31"},
        write=_count("service.SurveyWave"),
    ),
    R("service:survey", "results", "GET", "/service/surveys/{wave}/", access(DENIED, (INVEST, OK))),
    R(
        "service:survey_export",
        "results as xlsx",
        "GET",
        "/service/surveys/{wave}/export.xlsx",
        access(DENIED, (INVEST, OK)),
    ),
    R(
        "service:survey_close",
        "close the wave",
        "POST",
        "/service/surveys/{wave}/close/",
        access(DENIED, (CITY_ADMINS, DONE_302)),
        body={},
        write=_value("service.SurveyWave", "status", code="{wave}"),
    ),
    R("service:survey_answer", "form", "GET", "/service/surveys/{wave}/answer/", access(DENIED, (FIRMS, OK))),
    R(
        "service:survey_answer",
        "answer",
        "POST",
        "/service/surveys/{wave}/answer/",
        access(DENIED, (FIRMS, DONE_302)),
        body=_page_sheet,
        write=_count("service.SurveyReceipt"),
    ),
    R(
        "GET /api/v1/service/surveys",
        "waves",
        "GET",
        "/api/v1/service/surveys",
        access(DENIED, (INVEST, OK), (FIRMS, OK)),
    ),
    R(
        "POST /api/v1/service/surveys",
        "open a wave",
        "POST",
        "/api/v1/service/surveys",
        access(DENIED, (CITY_ADMINS, DONE_201)),
        body={"code": "PW-API", "name": "矩阵新期次", "opens_on": "2030-01-01", "closes_on": "2030-01-31"},
        write=_count("service.SurveyWave"),
    ),
    R(
        "GET /api/v1/service/surveys/{code}/results",
        "results",
        "GET",
        "/api/v1/service/surveys/{wave}/results",
        access(DENIED, (INVEST, OK)),
    ),
    R(
        "POST /api/v1/service/surveys/{code}/close",
        "close the wave",
        "POST",
        "/api/v1/service/surveys/{wave}/close",
        access(DENIED, (CITY_ADMINS, DONE)),
        body={},
        write=_value("service.SurveyWave", "status", code="{wave}"),
    ),
    R(
        "POST /api/v1/service/surveys/{code}/answers",
        "answer",
        "POST",
        "/api/v1/service/surveys/{wave}/answers",
        access(DENIED, (FIRMS, DONE_201)),
        body=lambda refs: {"answers": _sheet()},
        write=_count("service.SurveyReceipt"),
    ),
]


def refs(world: PersonaWorld) -> dict[str, str]:
    """A planned visit to E1 by PA's operator, a 陪跑 project in PA, the city's assignment rule giving
    PB's firms to 江夏, a fee of PA without a basis, PA's 人才服务 line with E1's request for it, and
    an open wave of the questionnaire, answerable today."""
    import datetime as dt
    from decimal import Decimal

    from yuanqu.casework import clock
    from yuanqu.service.services import (
        assignment_rule_add,
        companion_open,
        park_fee_add,
        park_service_set,
        service_request_submit,
        survey_wave_open,
        visit_plan,
    )

    today = clock.today()
    plan = visit_plan(
        actor=world.users["park_operator"],
        enterprise=world.base.enterprises["E1"],
        planned_on=today + dt.timedelta(days=7),
        purpose="矩阵走访",
    )
    wave = survey_wave_open(
        actor=world.users["city_admin"],
        code="PW1",
        name="矩阵问卷",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=60),
    )
    assignment_rule_add(
        actor=world.users["city_admin"],
        specialist=world.users["district_jiangxia"],
        park_code="PB",
        chain_code="",
        tier_code="",
    )
    fee = park_fee_add(
        actor=world.users["park_operator"],
        park=world.base.parks["PA"],
        item="园区管理费",
        charged_by="运营公司",
        basis="",
        amount_yuan=Decimal("2"),
        unit="m2",
        period="month",
        amount="2元/平方米·月",
        approval="",
    )
    talent = park_service_set(
        actor=world.users["park_operator"],
        park=world.base.parks["PA"],
        service_type="talent",
        provider="园区人才服务站",
        promise="人才政策咨询与申报代办",
        time_limit_days=5,
        fee="免费",
        contact="027-88880001",
    )
    request = service_request_submit(actor=world.users["enterprise"], line=talent, description="人才政策咨询")
    companion = companion_open(
        actor=world.users["park_operator"],
        name="矩阵光电扩产",
        park=world.base.parks["PA"],
        specialist=world.users["park_operator"],
    )
    return {
        "wave": wave.code,
        "service_plan": str(plan.pk),
        "service_fee": str(fee.pk),
        "companion": str(companion.pk),
        "service_request": str(request.pk),
    }
