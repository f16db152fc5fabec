"""陪跑 and 惠企 API (/api/v1/service/): specialists (assign, bulk, hand over), visit plans, the visit
schedule with due dates, visits with their needs and the cases they became; policies with the firms
that qualify or miss by one condition, a firm's policies, 免申即享 batches and disbursements. Reads go
through `visible_to`; writes through `service.actions` (the services), with the bodies of `service/schemas.py` that the
pages use too. A role with no part in 陪跑 answers 403; an object outside the scope 404."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from yuanqu.casework import clock
from yuanqu.casework.models import Visit
from yuanqu.core.access import get_visible_or_404
from yuanqu.core.apiauth import api_user
from yuanqu.core.contract.collection import Collection
from yuanqu.core.contract.pagination import Mapped, Page
from yuanqu.core.contract.published import (
    From,
    RelatedEnterprise,
    RelatedEnterpriseName,
    RelatedPark,
    RelatedParkName,
    published,
    published_values,
)
from yuanqu.core.contract.schemas import CodePath, IdPath, InputSchema
from yuanqu.core.pageauth import role_reader
from yuanqu.core.permissions import is_city_admin, is_enterprise_user
from yuanqu.core.roles import Role
from yuanqu.registry.models import Enterprise, Park
from yuanqu.service import actions, fee_totals, matching, schemas, selectors, services, survey_results
from yuanqu.service import standards as service_standards
from yuanqu.service.config import config
from yuanqu.service.models import (
    AssignmentRule,
    CompanionProject,
    Disbursement,
    MatchRun,
    ParkFee,
    ParkService,
    PlannedVisit,
    PolicyBatch,
    ServiceRequest,
    SpecialistAssignment,
    SurveyReceipt,
    SurveyWave,
    VisitNeed,
)
from yuanqu.service.pack import Policy
from yuanqu.service.services.fees import REPORT_NOT_ALLOWED, REVIEW_NOT_ALLOWED
from yuanqu.service.services.requests import REQUEST_NOT_ALLOWED
from yuanqu.service.services.surveys import ANSWER_NOT_ALLOWED
from yuanqu.service.views import NO_ACCESS, READER_ROLES

router = Router(tags=["陪跑服务"])


_reader = role_reader(READER_ROLES, NO_ACCESS, api=True)
# An enterprise reads its own policies, payments, survey waves and fees as well.
_firm_reader = role_reader(READER_ROLES | {Role.ENTERPRISE}, NO_ACCESS, api=True)


class SpecialistAssignmentOut(Schema):
    id: int
    enterprise: RelatedEnterprise
    enterprise_name: RelatedEnterpriseName
    specialist: Annotated[str, From("specialist.username")]
    specialist_name: str
    started_on: dt.date
    ended_on: dt.date | None
    reason: str


def _assignment_out(row: SpecialistAssignment) -> dict[str, Any]:
    return published_values(row, SpecialistAssignmentOut, specialist_name=str(row.specialist))


class PlanOut(Schema):
    id: int
    enterprise: RelatedEnterprise
    enterprise_name: RelatedEnterpriseName
    specialist: Annotated[str, From("specialist.username")]
    planned_on: dt.date
    purpose: str
    status: str
    visit: Annotated[int | None, From("visit_id")]


def _plan_out(plan: PlannedVisit) -> dict[str, Any]:
    return published_values(plan, PlanOut)


class DueOut(Schema):
    enterprise: str
    enterprise_name: str
    specialist: str
    tier: str
    tier_name: str
    every_months: int
    last_visit: dt.date | None
    next_due: dt.date
    planned_on: dt.date | None
    state: str


class NeedOut(Schema):
    text: str
    case: str
    case_status: str
    case_status_label: str
    resolved: bool | None
    satisfied: bool | None


class ServiceVisitOut(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    visited_on: dt.date
    visited_by: str
    people: str
    topics: str
    situation: str
    needs: list[NeedOut]


def _visit_out(visit: Visit) -> dict[str, Any]:
    detail = getattr(visit, "detail", None)
    # The reverse accessor that service adds to casework's Visit is unknown to the type stubs.
    needs: list[VisitNeed] = list(visit.needs.all())  # type: ignore[attr-defined]
    return {
        "id": visit.pk,
        "enterprise": visit.enterprise.uscc,
        "enterprise_name": visit.enterprise.name,
        "visited_on": visit.visited_on,
        "visited_by": str(visit.visited_by) if visit.visited_by else "",
        "people": detail.people if detail else "",
        "topics": detail.topics if detail else visit.summary,
        "situation": detail.situation if detail else "",
        "needs": [
            {
                "text": need.text,
                "case": need.case.number,
                "case_status": need.case.status,
                "case_status_label": need.case.get_status_display(),
                "resolved": need.case.resolved,
                "satisfied": need.case.satisfied,
            }
            for need in needs
        ],
    }


@router.get("/assignments", response=list[SpecialistAssignmentOut], summary="企业服务专员（当前指派）")
@paginate(Page, page_size=100)
def list_assignments(request: HttpRequest) -> Any:
    user = _reader(request)
    rows = SpecialistAssignment.objects.visible_to(user).current().select_related("enterprise", "specialist")
    return Mapped(rows.order_by("enterprise__name", "id"), _assignment_out)


@router.get("/enterprises/{uscc}/assignments", response=list[SpecialistAssignmentOut], summary="一家企业的服务专员历史")
@paginate(Page, page_size=100)
def enterprise_assignments(request: HttpRequest, uscc: CodePath) -> Any:
    user = _reader(request)
    firm = get_visible_or_404(Enterprise.objects.all(), user, uscc=uscc)
    rows = (
        SpecialistAssignment.objects.visible_to(user).filter(enterprise=firm).select_related("enterprise", "specialist")
    )
    return Mapped(rows, _assignment_out)


@router.post("/assignments", response={201: SpecialistAssignmentOut}, summary="指派或更换服务专员")
def create_assignment(request: HttpRequest, payload: schemas.SpecialistAssignIn) -> Any:
    return Status(201, _assignment_out(actions.assign(actor=_reader(request), data=payload)))


@router.post(
    "/assignments/bulk", response={201: list[SpecialistAssignmentOut]}, summary="按园区、产业链、走访分档批量指派"
)
def bulk_assignment(request: HttpRequest, payload: schemas.BulkAssignIn) -> Any:
    return Status(201, [_assignment_out(row) for row in actions.assign_bulk(actor=_reader(request), data=payload)])


@router.post("/assignments/handover", response={201: list[SpecialistAssignmentOut]}, summary="服务专员移交（保留历史）")
def handover(request: HttpRequest, payload: schemas.HandoverIn) -> Any:
    return Status(201, [_assignment_out(row) for row in actions.handover(actor=_reader(request), data=payload)])


class RuleOut(Schema):
    id: int
    specialist: Annotated[str, From("specialist.username")]
    park: Annotated[str, From("park_code")]
    chain: Annotated[str, From("chain_code")]
    tier: Annotated[str, From("tier_code")]


def _rule_out(rule: AssignmentRule) -> dict[str, Any]:
    return published_values(rule, RuleOut)


@router.get("/assignment-rules", response=list[RuleOut], summary="指派规则")
@paginate(Page, page_size=100)
def list_rules(request: HttpRequest) -> Any:
    rules = AssignmentRule.objects.visible_to(_reader(request)).select_related("specialist")
    return Mapped(rules, _rule_out)


@router.post("/assignment-rules", response={201: RuleOut}, summary="保存指派规则（园区、产业链、走访分档）")
def create_rule(request: HttpRequest, payload: schemas.BulkAssignIn) -> Any:
    return Status(201, _rule_out(actions.rule_add(actor=_reader(request), data=payload)))


@router.post(
    "/assignment-rules/apply",
    response={201: list[SpecialistAssignmentOut]},
    summary="按指派规则为尚无服务专员的企业指派",
)
def apply_rules(request: HttpRequest) -> Any:
    return Status(201, [_assignment_out(row) for row in actions.rules_apply(actor=_reader(request))])


@router.get("/plans", response=list[PlanOut], summary="走访计划")
@paginate(Page, page_size=100)
def list_plans(request: HttpRequest) -> Any:
    user = _reader(request)
    return Mapped(PlannedVisit.objects.visible_to(user).select_related("enterprise", "specialist"), _plan_out)


@router.post("/plans", response={201: PlanOut}, summary="计划走访")
def create_plan(request: HttpRequest, payload: schemas.PlanIn) -> Any:
    return Status(201, _plan_out(actions.plan(actor=_reader(request), data=payload)))


@router.post("/plans/{plan_id}/cancel", response=PlanOut, summary="取消走访计划")
def cancel_plan(request: HttpRequest, plan_id: IdPath) -> Any:
    user = _reader(request)
    plan = get_visible_or_404(PlannedVisit.objects.select_related("enterprise", "specialist"), user, pk=plan_id)
    return _plan_out(services.visit_plan_cancel(actor=user, plan=plan))


@router.get("/due", response=list[DueOut], summary="走访到期情况（按走访分档频次）")
@paginate(Page, page_size=100)
def list_due(request: HttpRequest) -> Any:
    user = _reader(request)
    return [
        {
            "enterprise": row.enterprise.uscc,
            "enterprise_name": row.enterprise.name,
            "specialist": row.specialist,
            "tier": row.tier.code,
            "tier_name": row.tier.name,
            "every_months": row.tier.every_months,
            "last_visit": row.last_visit,
            "next_due": row.next_due,
            "planned_on": row.planned_on,
            "state": row.state,
        }
        for row in selectors.visit_schedule(user, Enterprise.objects.all(), on=clock.today())
    ]


VISITS = Collection(reader=_reader, rows=selectors.visit_history, out=_visit_out)
VISITS.add_list(
    router, "/visits", ServiceVisitOut, "走访记录（含企业需求及其诉求办理结果）", name="list_visits", page_size=50
)
VISITS.add_create(
    router,
    "/visits",
    ServiceVisitOut,
    "登记走访（企业需求转为“啄木鸟”诉求）",
    name="record_visit",
    payload=schemas.ServiceVisitIn,
    create=lambda user, payload: actions.visit(actor=user, data=payload),
)


# ── 惠企政策直达 ─────────────────────────────────────────────────────────────────────────────


class CheckOut(Schema):
    condition: str
    status: str
    reason: str


# A policy's own fields, with the pack's types (service/pack.Policy).
if TYPE_CHECKING:
    PolicyFields = Schema
else:
    PolicyFields = published(
        Policy,
        ("code", "name", "issuer", "period_start", "period_end", "deadline", "exempt_application", "illustrative"),
        name="PolicyFields",
    )


class PolicyOut(PolicyFields):
    qualifying: int
    near_misses: int
    unknown: int


class FirmMatchOut(Schema):
    enterprise: str
    enterprise_name: str
    result: str  # qualifying | near_miss | unknown
    benefit_wan_yuan: Decimal | None
    missing: list[CheckOut]


class FirmPolicyOut(Schema):
    code: str
    name: str
    status: str
    near_miss: bool
    open: bool
    benefit_wan_yuan: Decimal | None
    checks: list[CheckOut]
    missing: list[str]


class MatchBatchOut(Schema):
    id: int
    number: str
    policy: Annotated[str, From("policy_code")]
    policy_name: str
    confirmed_at: dt.datetime
    firms: int


class DisbursementOut(Schema):
    id: int
    batch: Annotated[str, From("batch.number")]
    policy: Annotated[str, From("policy_code")]
    enterprise: RelatedEnterprise
    enterprise_name: RelatedEnterpriseName
    amount_wan_yuan: Decimal
    paid_on: dt.date | None


def _checks(checks: Any) -> list[dict[str, Any]]:
    return [{"condition": check.description, "status": str(check.status), "reason": check.reason} for check in checks]


def _policy(code: str) -> Any:
    try:
        return config().policy(code)
    except KeyError:
        raise HttpError(404, _("政策不存在")) from None


@router.get("/policies", response=list[PolicyOut], summary="惠企政策及范围内符合条件、差一项、数据不足的企业数")
@paginate(Page, page_size=100)
def list_policies(request: HttpRequest) -> Any:
    user = _reader(request)
    return [
        published_values(m.policy, PolicyFields)
        | {
            "qualifying": len(m.qualifying),
            "near_misses": len(m.near_misses),
            "unknown": len(m.unknown),
        }
        for m in matching.all_matches(user, on=clock.today())
    ]


@router.get(
    "/policies/{code}/eligibility",
    response=list[FirmMatchOut],
    summary="一项政策：符合条件、差一项条件和数据不足的企业",
)
@paginate(Page, page_size=100)
def policy_eligibility(request: HttpRequest, code: CodePath) -> Any:
    user = _reader(request)
    match = matching.policy_match(user, _policy(code), on=clock.today())
    groups = (("qualifying", match.qualifying), ("near_miss", match.near_misses), ("unknown", match.unknown))
    return [
        {
            "enterprise": row.enterprise.uscc,
            "enterprise_name": row.enterprise.name,
            "result": result,
            "benefit_wan_yuan": row.benefit if result == "qualifying" else None,
            "missing": _checks((*row.verdict.failed, *row.verdict.unknown)),
        }
        for result, group in groups
        for row in group
    ]


@router.get(
    "/enterprises/{uscc}/policies", response=list[FirmPolicyOut], summary="一家企业可享受的政策、理由和所差条件"
)
@paginate(Page, page_size=100)
def enterprise_policies(request: HttpRequest, uscc: CodePath) -> Any:
    user = _firm_reader(request)
    firm = get_visible_or_404(Enterprise.objects.select_related("park", "district"), user, uscc=uscc)
    return [
        {
            "code": row.policy.code,
            "name": row.policy.name,
            "status": str(row.verdict.status),
            "near_miss": row.verdict.near_miss,
            "open": row.open,
            "benefit_wan_yuan": row.benefit if row.verdict.passed else None,
            "checks": _checks(row.verdict.checks),
            "missing": [check.description for check in row.verdict.failed],
        }
        for row in matching.firm_policies(firm, on=clock.today())
    ]


def _batch_out(batch: PolicyBatch) -> dict[str, Any]:
    return published_values(batch, MatchBatchOut, firms=batch.disbursements.count())


def _disbursement_out(row: Disbursement) -> dict[str, Any]:
    return published_values(row, DisbursementOut)


@router.get("/batches", response=list[MatchBatchOut], summary="免申即享批次")
@paginate(Page, page_size=100)
def list_batches(request: HttpRequest) -> Any:
    return Mapped(PolicyBatch.objects.visible_to(_reader(request)), _batch_out)


@router.post("/batches", response={201: MatchBatchOut}, summary="确认免申即享名单（通知企业）")
def confirm_batch(request: HttpRequest, payload: schemas.ConfirmIn) -> Any:
    return Status(201, _batch_out(actions.confirm(actor=_reader(request), data=payload)))


@router.get("/disbursements", response=list[DisbursementOut], summary="政策兑现记录")
@paginate(Page, page_size=100)
def list_disbursements(request: HttpRequest) -> Any:
    user = _firm_reader(request)
    return Mapped(Disbursement.objects.visible_to(user).select_related("batch", "enterprise"), _disbursement_out)


@router.post("/disbursements/{disbursement_id}/pay", response=DisbursementOut, summary="登记拨付（限核定金额，一次）")
def pay_disbursement(request: HttpRequest, disbursement_id: IdPath, payload: schemas.PayIn) -> Any:
    user = _reader(request)
    row = get_visible_or_404(Disbursement.objects.select_related("batch", "enterprise"), user, pk=disbursement_id)
    return _disbursement_out(actions.pay(actor=user, disbursement=row, data=payload))


# ── 发展环境动态评估 ─────────────────────────────────────────────────────────────────────────


class WaveOut(Schema):
    code: str
    name: str
    opens_on: dt.date
    closes_on: dt.date
    status: str
    answered: bool  # an enterprise: whether its firm has answered; staff: always false


class ItemStatOut(Schema):
    item: str
    n: int
    mean: float | None
    low: float | None
    high: float | None


class GroupOut(Schema):
    park: str  # "" for the firms outside parks and the total
    label: str
    responses: int
    firms: int
    shown: bool  # false: fewer answers than the minimum group size, no figures (样本不足)
    response_rate: float | None
    dimensions: dict[str, float | None]
    survey_score: float | None
    change: float | None
    casework_score: Decimal | None
    index: Decimal | None
    items: list[ItemStatOut]


class ResultsOut(Schema):
    wave: str
    status: str
    min_group_size: int
    groups: list[GroupOut]
    total: GroupOut


def _group_out(row: Any) -> dict[str, Any]:
    shown = row.shown
    return {
        "park": row.park_code,
        "label": row.label,
        "responses": row.responses,
        "firms": row.firms,
        "shown": shown,
        "response_rate": row.response_rate if shown else None,
        "dimensions": row.dimensions if shown else {},
        "survey_score": row.survey_score if shown else None,
        "change": row.change if shown else None,
        "casework_score": row.casework_score if shown else None,
        "index": row.index if shown else None,
        "items": [{"item": s.code, "n": s.n, "mean": s.mean, "low": s.low, "high": s.high} for s in row.items]
        if shown
        else [],
    }


def _wave_out(wave: SurveyWave, answered: set[int]) -> dict[str, Any]:
    return published_values(wave, WaveOut, answered=wave.pk in answered)


@router.get("/surveys", response=list[WaveOut], summary="发展环境问卷期次（企业：是否已填写）")
@paginate(Page, page_size=100)
def list_waves(request: HttpRequest) -> Any:
    user = _firm_reader(request)
    answered = set(SurveyReceipt.objects.visible_to(user).values_list("wave_id", flat=True))
    return Mapped(SurveyWave.objects.visible_to(user), lambda wave: _wave_out(wave, answered))


@router.post("/surveys", response={201: WaveOut}, summary="发起问卷期次（市级管理员）")
def open_wave(request: HttpRequest, payload: schemas.WaveIn) -> Any:
    return Status(201, _wave_out(actions.wave_open(actor=_reader(request), data=payload), set()))


@router.get("/surveys/{code}/results", response=ResultsOut, summary="问卷结果：各园区汇总（少于最小样本数不显示）")
def wave_results(request: HttpRequest, code: CodePath) -> Any:
    user = _reader(request)
    wave = get_visible_or_404(SurveyWave.objects.all(), user, code=code)
    rows, total = survey_results.wave_results(user, wave)
    return {
        "wave": wave.code,
        "status": wave.status,
        "min_group_size": config().min_group_size,
        "groups": [_group_out(row) for row in rows],
        "total": _group_out(total),
    }


@router.post("/surveys/{code}/close", response=list[GroupOut], summary="结束问卷期次并计算发展环境指数（市级管理员）")
def close_wave(request: HttpRequest, code: CodePath) -> Any:
    user = _reader(request)
    wave = get_visible_or_404(SurveyWave.objects.all(), user, code=code)
    services.survey_wave_close(actor=user, wave=wave)
    rows, _total = survey_results.wave_results(user, wave)
    return [_group_out(row) for row in rows]


@router.post("/surveys/{code}/answers", response={201: WaveOut}, summary="企业填写问卷（每期一次，匿名保存）")
def answer_wave(request: HttpRequest, code: CodePath, payload: schemas.SurveyAnswerIn) -> Any:
    user = api_user(request)
    if not is_enterprise_user(user):
        raise PermissionDenied(_(ANSWER_NOT_ALLOWED))
    wave = get_visible_or_404(SurveyWave.objects.all(), user, code=code)
    actions.answer(actor=user, wave=wave, data=payload)
    return Status(201, _wave_out(wave, {wave.pk}))


# ── 服务标准清单 ─────────────────────────────────────────────────────────────────────────────


class ParkServiceOut(Schema):
    service_type: str
    service_name: str
    provider: str
    promise: str
    time_limit_days: int
    standard_days: int
    fee: str
    contact: str


class CoverageOut(Schema):
    park: str
    park_name: str
    services: list[str]
    gaps: list[str]


def _line_out(row: ParkService) -> dict[str, Any]:
    kind = config().service_type(row.service_type)
    return {
        "service_type": row.service_type,
        "service_name": kind.name,
        "provider": row.provider,
        "promise": row.promise,
        "time_limit_days": row.time_limit_days,
        "standard_days": kind.time_limit_days,
        "fee": row.fee,
        "contact": row.contact,
    }


def _park(code: str) -> Park:
    park = Park.objects.filter(code=code).first()
    if park is None:
        raise HttpError(404, _("园区不存在"))
    return park


@router.get("/standards", response=list[CoverageOut], summary="服务标准清单：各园区已发布的服务与缺项")
@paginate(Page, page_size=100)
def list_coverage(request: HttpRequest) -> Any:
    return [
        {
            "park": row.park.code,
            "park_name": row.park.name,
            "services": sorted(row.lines),
            "gaps": [kind.code for kind in row.gaps],
        }
        for row in service_standards.coverage(_reader(request))
    ]


@router.get("/parks/{code}/services", response=list[ParkServiceOut], summary="一个园区的服务清单")
@paginate(Page, page_size=100)
def park_services(request: HttpRequest, code: CodePath) -> Any:
    user = _firm_reader(request)
    lines = service_standards.park_lines(user, _park(code))
    known = {kind.code for kind in config().service_types}
    return [_line_out(row) for row in lines.values() if row.service_type in known]


@router.post("/parks/{code}/services", response={201: ParkServiceOut}, summary="发布或修改园区服务清单的一项")
def set_park_service(request: HttpRequest, code: CodePath, payload: schemas.ParkServiceIn) -> Any:
    user = _reader(request)
    return Status(201, _line_out(actions.park_service(actor=user, park=_park(code), data=payload)))


@router.post(
    "/parks/{code}/services/{service_type}/retire",
    response={201: ParkServiceOut},
    summary="撤下园区服务清单的一项（记录保留）",
)
def retire_park_service(request: HttpRequest, code: CodePath, service_type: CodePath, payload: schemas.RetireIn) -> Any:
    user = _reader(request)
    row = actions.park_service_retire(actor=user, park=_park(code), service_type=service_type, data=payload)
    return Status(201, _line_out(row))


# ── 涉企收费 ────────────────────────────────────────────────────────────────────────────────


class FeeOut(Schema):
    id: int
    park: RelatedPark
    park_name: RelatedParkName
    item: str
    charged_by: str
    basis: str
    amount_yuan: Decimal | None
    unit: str
    period: str
    yearly_yuan: Decimal | None
    amount: str
    approval: str
    without_basis: bool
    awaiting_review: bool
    review: str
    review_reason: str
    retired: bool
    retire_reason: str
    reports: int


class FeeTotalOut(Schema):
    key: str
    name: str
    fees: int
    awaiting_review: int
    confirmed_without_basis: int
    reports: int
    without_amount: int
    yearly_yuan: dict[str, Decimal]
    per_time_yuan: dict[str, Decimal]


class FeeTotalsQuery(InputSchema):
    by: Literal["park", "district"] = "park"


class FeeReportOut(Schema):
    fee: int
    case: str


def _fee_out(fee: ParkFee) -> dict[str, Any]:
    return published_values(
        fee,
        FeeOut,
        retired=fee.retired_at is not None,
        reports=fee.reports.count(),
    )


@router.get("/fees", response=list[FeeOut], summary="涉企收费登记（无依据的收费标出）")
@paginate(Page, page_size=100)
def list_fees(request: HttpRequest) -> Any:
    user = _firm_reader(request)
    return Mapped(ParkFee.objects.visible_to(user).select_related("park"), _fee_out)


@router.post("/fees", response={201: FeeOut}, summary="登记一项涉企收费")
def add_fee(request: HttpRequest, payload: schemas.FeeIn) -> Any:
    return Status(201, _fee_out(actions.fee_add(actor=_reader(request), data=payload)))


@router.get("/fees/totals", response=list[FeeTotalOut], summary="涉企收费合计（按园区或按区；金额按计费单位分列）")
@paginate(Page, page_size=100)
def fee_totals_list(request: HttpRequest, query: Query[FeeTotalsQuery]) -> Any:
    return fee_totals.fee_totals(_reader(request), by=query.by)


@router.post("/fees/{fee_id}/review", response={201: FeeOut}, summary="市级核查无依据的收费（属实或不属实，附说明）")
def review_fee(request: HttpRequest, fee_id: IdPath, payload: schemas.FeeReviewIn) -> Any:
    user = _reader(request)
    if not is_city_admin(user):
        raise PermissionDenied(_(REVIEW_NOT_ALLOWED))
    fee = get_visible_or_404(ParkFee.objects.select_related("park"), user, pk=fee_id)
    return Status(201, _fee_out(actions.fee_review(actor=user, fee=fee, data=payload)))


@router.post("/fees/{fee_id}/retire", response={201: FeeOut}, summary="撤销一项收费（记录保留）")
def retire_fee(request: HttpRequest, fee_id: IdPath, payload: schemas.RetireIn) -> Any:
    user = _reader(request)
    fee = get_visible_or_404(ParkFee.objects.select_related("park"), user, pk=fee_id)
    return Status(201, _fee_out(actions.fee_retire(actor=user, fee=fee, data=payload)))


@router.post("/fees/{fee_id}/reports", response={201: FeeReportOut}, summary="企业举报不规范收费（转为诉求）")
def report_fee(request: HttpRequest, fee_id: IdPath, payload: schemas.FeeReportIn) -> Any:
    user = api_user(request)
    if not is_enterprise_user(user):
        raise PermissionDenied(_(REPORT_NOT_ALLOWED))
    fee = get_visible_or_404(ParkFee.objects.select_related("park"), user, pk=fee_id)
    report = actions.fee_report(actor=user, fee=fee, data=payload)
    return Status(201, {"fee": fee.pk, "case": report.case.number})


# ── service requests against the list's promise ──────────────────────────────────────────


class ServiceRequestOut(Schema):
    id: int
    enterprise: RelatedEnterprise
    park: RelatedPark
    service_type: Annotated[str, From("line.service_type")]
    description: str
    time_limit_days: int
    submitted_at: dt.datetime
    due_on: dt.date
    status: str
    overdue: bool
    outcome: str
    on_time: bool | None


def _request_out(row: ServiceRequest) -> dict[str, Any]:
    return published_values(row, ServiceRequestOut, overdue=row.overdue_on(clock.today()))


@router.get("/requests", response=list[ServiceRequestOut], summary="服务申请（对照园区清单承诺时限）")
@paginate(Page, page_size=100)
def list_requests(request: HttpRequest) -> Any:
    user = _firm_reader(request)
    rows = ServiceRequest.objects.visible_to(user).select_related("enterprise", "park", "line")
    return Mapped(rows.order_by("due_on", "pk"), _request_out)


@router.post(
    "/parks/{code}/services/{service_type}/requests",
    response={201: ServiceRequestOut},
    summary="企业申请本园区清单中的一项服务",
)
def submit_request(
    request: HttpRequest, code: CodePath, service_type: CodePath, payload: schemas.ServiceRequestIn
) -> Any:
    user = api_user(request)
    if not is_enterprise_user(user):
        raise PermissionDenied(_(REQUEST_NOT_ALLOWED))
    line = service_standards.park_lines(user, _park(code)).get(service_type)
    if line is None:
        raise HttpError(404, _("园区服务清单中没有该项服务"))
    return Status(201, _request_out(actions.service_request(actor=user, line=line, data=payload)))


@router.post("/requests/{request_id}/done", response={201: ServiceRequestOut}, summary="服务申请办结")
def complete_request(request: HttpRequest, request_id: IdPath, payload: schemas.ServiceRequestDoneIn) -> Any:
    user = _reader(request)
    row = get_visible_or_404(ServiceRequest.objects.select_related("enterprise", "park", "line"), user, pk=request_id)
    return Status(201, _request_out(actions.service_request_done(actor=user, request=row, data=payload)))


# ── 免申即享 matching after an import ────────────────────────────────────────────────────────


class MatchRunPolicyOut(Schema):
    policy: str
    name: str
    qualifying: list[str]
    new: list[str]
    gone: list[str]


class MatchRunOut(Schema):
    id: int
    batch: int | None
    on: dt.date
    ran_at: dt.datetime
    results: list[MatchRunPolicyOut]


@router.get("/policies/match-runs", response=list[MatchRunOut], summary="导入后的免申即享比对（市级）")
@paginate(Page, page_size=20)
def list_match_runs(request: HttpRequest) -> Any:
    user = _reader(request)
    return Mapped(
        MatchRun.objects.visible_to(user),
        lambda run: {"id": run.pk, "batch": run.batch_id, "on": run.on, "ran_at": run.ran_at, "results": run.results},
    )


# ── project 陪跑 ────────────────────────────────────────────────────────────────────────────


class CompanionNoteOut(Schema):
    stage: str
    text: str
    written_by: str
    written_at: dt.datetime


class CompanionOut(Schema):
    id: int
    name: str
    park: str
    specialist: str
    stage: str
    stage_label: str
    investment_project: str | None
    notes: list[CompanionNoteOut]


def _companion_out(project: CompanionProject) -> dict[str, Any]:
    return {
        "id": project.pk,
        "name": project.name,
        "park": project.park.code,
        "specialist": project.specialist.username,
        "stage": project.stage,
        "stage_label": project.get_stage_display(),
        "investment_project": project.investment_project.number if project.investment_project else None,
        "notes": [
            {
                "stage": note.stage,
                "text": note.text,
                "written_by": str(note.written_by) if note.written_by else "",
                "written_at": note.written_at,
            }
            for note in project.notes.all()
        ],
    }


@router.get("/companions", response=list[CompanionOut], summary="项目陪跑（阶段与记录）")
@paginate(Page, page_size=100)
def list_companions(request: HttpRequest) -> Any:
    rows = CompanionProject.objects.visible_to(_reader(request)).select_related(
        "park", "specialist", "investment_project"
    )
    return Mapped(rows.prefetch_related("notes__written_by"), _companion_out)


@router.post("/companions", response={201: CompanionOut}, summary="建立陪跑项目（可关联招商项目）")
def open_companion(request: HttpRequest, payload: schemas.CompanionIn) -> Any:
    return Status(201, _companion_out(actions.companion_open(actor=_reader(request), data=payload)))


@router.post("/companions/{companion_id}/notes", response={201: CompanionOut}, summary="陪跑记录（阶段只进不退）")
def note_companion(request: HttpRequest, companion_id: IdPath, payload: schemas.CompanionNoteIn) -> Any:
    user = _reader(request)
    project = get_visible_or_404(
        CompanionProject.objects.select_related("park", "specialist", "investment_project"), user, pk=companion_id
    )
    actions.companion_note(actor=user, project=project, data=payload)
    return Status(201, _companion_out(project))
