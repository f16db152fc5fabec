"""要素保障 API (/api/v1/factors/): land supply records (list, record) and the share of 弹性供地 per district
and year; the 用地计划 (each district's plan of the year and the city's top-up against the land supplied
and the unmet land needs of 招商 projects signed or later); the award and subsidy ledger (list, record
a grant, generate the 产业名园 awards of a confirmed selection, pay, claw back, totals); the 联席会议
(meetings, their decisions as 督办 tasks, the escalated park problems on their agenda); the 产业基金
(funds, their investments and exits, the capital invested by chain, park, district, stage, fund kind
and year). Reads go through `visible_to` (a district sees its own land, a park operator its park's);
writes through `factors.actions` with the bodies of `factors/schemas.py`. A role with no part here
answers 403."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from yuanqu.casework import clock
from yuanqu.core.access import get_visible_or_404
from yuanqu.core.contract.collection import Collection
from yuanqu.core.contract.pagination import Mapped, Page
from yuanqu.core.contract.published import (
    From,
    RelatedDistrict,
    RelatedEnterpriseOrNone,
    RelatedParkOrNone,
    published,
    published_values,
)
from yuanqu.core.contract.schemas import IdPath, OptionalYearParam
from yuanqu.core.models import User
from yuanqu.core.pageauth import role_reader
from yuanqu.core.roles import Role
from yuanqu.factors import actions, schemas, selectors
from yuanqu.factors.access import NO_ACCESS, READER_ROLES
from yuanqu.factors.models import Fund, FundInvestment, LandQuota, LandSupply, LedgerEntry, Meeting, MeetingDecision
from yuanqu.factors.services import check_ledger_writer

router = Router(tags=["要素保障"])


_reader = role_reader(READER_ROLES, NO_ACCESS, api=True)
# A reader of the ledger and the funds: the 市财政局 too.
_ledger_reader = role_reader(READER_ROLES | {Role.FINANCE}, NO_ACCESS, api=True)


class LandSupplyOut(Schema):
    id: int
    parcel: Annotated[str, From("parcel.code")]
    district: RelatedDistrict
    park: RelatedParkOrNone
    method: str
    method_name: str
    term_years: int
    area_mu: Decimal
    land_grade: int
    start_price: Decimal
    final_price: Decimal
    base_price: Decimal
    base_price_year: int
    base_price_source: str
    start_ratio: Decimal
    below_floor: bool
    exception_reason: str
    exception_approval: str
    supplied_on: dt.date
    project: Annotated[str | None, From("project.number")]
    enterprise: RelatedEnterpriseOrNone
    with_plan: bool
    fee_waiver_wan_yuan: Decimal


def _land_out(row: LandSupply) -> dict[str, Any]:
    return published_values(row, LandSupplyOut, method_name=row.get_method_display())


LAND = Collection(reader=_reader, rows=selectors.land_supplies, out=_land_out)
LAND.add_list(router, "/land", LandSupplyOut, "供地记录", name="list_land")
LAND.add_create(
    router,
    "/land",
    LandSupplyOut,
    "登记供地（起始价低于基准地价70%须填原因和批准文号）",
    name="record_land",
    payload=schemas.LandSupplyIn,
    create=lambda user, payload: actions.land_supply(actor=user, data=payload),
)


class ShareOut(Schema):
    district: str
    district_name: str
    year: int
    flexible_mu: Decimal
    total_mu: Decimal
    percent: Decimal | None


@router.get("/land/flexible-share", response=list[ShareOut], summary="弹性供地比例（按区、年，面积口径）")
@paginate(Page, page_size=100)
def flexible_share(request: HttpRequest) -> Any:
    return [
        published_values(row, ShareOut, district=row.district_code, district_name=row.district_name)
        for row in selectors.flexible_shares(_reader(request))
    ]


# ── 用地计划 ─────────────────────────────────────────────────────────────────────────────────


class WaitingProjectOut(Schema):
    number: str
    name: str
    stage: str
    signed_on: dt.date | None
    need_mu: Decimal
    cumulative_mu: Decimal
    beyond_plan: bool


class PlanLineOut(Schema):
    district: str
    district_name: str
    year: int
    quota_mu: Decimal | None
    topup_mu: Decimal
    available_mu: Decimal
    supplied_mu: Decimal
    left_mu: Decimal
    waiting_mu: Decimal
    shortfall_mu: Decimal
    projects: list[WaitingProjectOut]


class QuotaOut(Schema):
    district: RelatedDistrict
    year: int
    quota_mu: Decimal
    quota_basis: str
    topup_mu: Decimal
    topup_basis: str


def _quota_out(row: LandQuota) -> dict[str, Any]:
    return published_values(row, QuotaOut)


@router.get("/land-plan", response=list[PlanLineOut], summary="用地计划：各区年度计划、市级统筹与项目用地需求")
@paginate(Page, page_size=100)
def land_plan(request: HttpRequest, year: OptionalYearParam = None) -> Any:
    chosen = year or clock.today().year
    return [
        published_values(
            line,
            PlanLineOut,
            district=line.district_code,
            year=chosen,
            projects=[published_values(p, WaitingProjectOut) for p in line.projects],
        )
        for line in selectors.land_plan(_reader(request), chosen)
    ]


@router.post("/land-plan/quotas", response={201: QuotaOut}, summary="登记区年度用地计划（市级管理员）")
def set_quota(request: HttpRequest, payload: schemas.QuotaIn) -> Any:
    return Status(201, _quota_out(actions.quota(actor=_reader(request), data=payload)))


@router.post("/land-plan/topups", response=QuotaOut, summary="登记市级统筹保障用地（市级管理员）")
def add_topup(request: HttpRequest, payload: schemas.TopUpIn) -> Any:
    return _quota_out(actions.topup(actor=_reader(request), data=payload))


# ── 奖补台账 ────────────────────────────────────────────────────────────────────────────────


class LedgerOut(Schema):
    id: int
    kind: str
    kind_name: str
    payer: str
    district: RelatedDistrict
    park: RelatedParkOrNone
    enterprise: RelatedEnterpriseOrNone
    payee_name: str
    payee_uscc: str
    basis: str
    decision_number: str
    amount_wan_yuan: Decimal
    year: int
    approved_on: dt.date
    status: str
    paid_on: dt.date | None
    clawed_back_on: dt.date | None
    clawback_reason: str
    run: Annotated[int | None, From("run_id")]


def _ledger_out(row: LedgerEntry) -> dict[str, Any]:
    return published_values(row, LedgerOut, kind_name=row.get_kind_display())


LEDGER = Collection(reader=_ledger_reader, rows=selectors.ledger_entries, out=_ledger_out)
LEDGER.add_list(router, "/ledger", LedgerOut, "奖补台账", name="list_ledger")
LEDGER.add_create(
    router,
    "/ledger",
    LedgerOut,
    "登记奖补（规划编制、标准制订、惠企、人才）",
    name="record_grant",
    payload=schemas.GrantIn,
    create=lambda user, payload: actions.grant(actor=user, data=payload),
)


@router.post(
    "/ledger/awards", response={201: list[LedgerOut]}, summary="按确认的产业名园名单生成奖励（受类型上限约束）"
)
def generate_awards(request: HttpRequest, payload: schemas.AwardsIn) -> Any:
    user = _ledger_reader(request)
    rows = actions.awards(actor=user, data=payload)
    return Status(201, [_ledger_out(row) for row in rows])


def _entry_for_write(user: User, entry_id: int) -> LedgerEntry:
    row = get_visible_or_404(LedgerEntry.objects.select_related("district", "park"), user, pk=entry_id)
    check_ledger_writer(user)
    return row


@router.post("/ledger/{entry_id}/pay", response=LedgerOut, summary="登记拨付")
def pay_entry(request: HttpRequest, entry_id: IdPath, payload: schemas.PayLedgerIn) -> Any:
    user = _ledger_reader(request)
    row = actions.pay(actor=user, entry=_entry_for_write(user, entry_id), data=payload)
    return _ledger_out(selectors.ledger_entries(user).get(pk=row.pk))


@router.post("/ledger/{entry_id}/claw-back", response=LedgerOut, summary="登记追回")
def claw_back_entry(request: HttpRequest, entry_id: IdPath, payload: schemas.ClawBackIn) -> Any:
    user = _ledger_reader(request)
    row = actions.claw_back(actor=user, entry=_entry_for_write(user, entry_id), data=payload)
    return _ledger_out(selectors.ledger_entries(user).get(pk=row.pk))


class TotalOut(Schema):
    key: str
    label: str
    approved_wan_yuan: Decimal
    paid_wan_yuan: Decimal
    entries: int


@router.get("/ledger/totals", response=list[TotalOut], summary="奖补合计（按年度、区、园区或类别）")
@paginate(Page, page_size=100)
def ledger_totals(request: HttpRequest, by: Literal["year", "district", "park", "kind"] = "year") -> Any:
    return [published_values(row, TotalOut) for row in selectors.ledger_totals(_ledger_reader(request), by)]


# ── 联席会议 ─────────────────────────────────────────────────────────────────────────────────


class DecisionOut(Schema):
    number: int
    text: str
    due_on: dt.date
    task: Annotated[str, From("task.code")]  # the supervised task's code on the 督办
    status: Annotated[str, From("task.status")]
    overdue: bool


class ProblemOut(Schema):
    number: str
    title: str
    park: RelatedParkOrNone
    status: str


class MeetingOut(Schema):
    id: int
    held_on: dt.date
    title: str
    convener: str
    units: list[str]
    agenda: str


class MeetingDetailOut(MeetingOut):
    decisions: list[DecisionOut]
    escalated_problems: list[ProblemOut]


def _meeting_out(row: Meeting) -> dict[str, Any]:
    return published_values(row, MeetingOut, units=sorted(unit.code for unit in row.units.all()))


def _decision_out(decision: MeetingDecision, *, overdue: bool) -> dict[str, Any]:
    return published_values(decision, DecisionOut, overdue=overdue)


def _meeting_detail(user: User, row: Meeting) -> dict[str, Any]:
    return {
        **_meeting_out(row),
        "decisions": [
            _decision_out(line.decision, overdue=line.overdue) for line in selectors.decisions(user, row, clock.today())
        ],
        "escalated_problems": [published_values(case, ProblemOut) for case in selectors.escalated_problems(user, row)],
    }


MEETINGS = Collection(reader=_reader, rows=selectors.meetings, out=_meeting_out)
MEETINGS.add_list(router, "/meetings", MeetingOut, "联席会议", name="list_meetings")


@router.post("/meetings", response={201: MeetingOut}, summary="登记联席会议（市级管理员）")
def record_meeting(request: HttpRequest, payload: schemas.MeetingIn) -> Any:
    user = _reader(request)
    row = actions.meeting(actor=user, data=payload)
    return Status(201, _meeting_out(row))


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut, summary="联席会议：议定事项与提交会议的园区问题")
def meeting_detail(request: HttpRequest, meeting_id: IdPath) -> Any:
    user = _reader(request)
    return _meeting_detail(user, get_visible_or_404(Meeting.objects.prefetch_related("units"), user, pk=meeting_id))


@router.post("/meetings/{meeting_id}/decisions", response={201: DecisionOut}, summary="登记议定事项（转为督办任务）")
def add_decision(request: HttpRequest, meeting_id: IdPath, payload: schemas.MeetingDecisionIn) -> Any:
    user = _reader(request)
    meeting = get_visible_or_404(Meeting.objects.all(), user, pk=meeting_id)
    row = actions.decision(actor=user, meeting=meeting, data=payload)
    return Status(201, _decision_out(row, overdue=False))


# ── 产业基金 ─────────────────────────────────────────────────────────────────────────────────


class FundOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_name: str
    manager: str
    manager_uscc: str
    established_on: dt.date
    district: Annotated[str | None, From("district.code")]
    size_wan_yuan: Decimal
    city_committed_wan_yuan: Decimal  # the size by source (all 0: not broken down)
    district_committed_wan_yuan: Decimal
    social_committed_wan_yuan: Decimal
    city_paid_wan_yuan: Decimal
    district_paid_wan_yuan: Decimal
    social_paid_wan_yuan: Decimal
    paid_in_wan_yuan: Decimal
    chains: list[str]
    concessions: str
    invested_wan_yuan: Decimal  # by the investments the reader may see
    firms: int


def _fund_out(row: Fund) -> dict[str, Any]:
    return published_values(
        row,
        FundOut,
        kind_name=row.get_kind_display(),
        chains=sorted(chain.code for chain in row.chains.all()),
        invested_wan_yuan=getattr(row, "invested", None) or Decimal(0),
        firms=getattr(row, "firms", 0) or 0,
    )


class InvestmentOut(Schema):
    id: int
    fund: Annotated[str, From("fund.code")]
    investee_name: str
    investee_uscc: str
    enterprise: RelatedEnterpriseOrNone
    project: Annotated[str | None, From("project.number")]
    district: RelatedDistrict
    park: RelatedParkOrNone
    chain: Annotated[str | None, From("chain.code")]
    stage: str
    instrument: str
    invested_on: dt.date
    amount_wan_yuan: Decimal
    exited_on: dt.date | None
    exit_wan_yuan: Decimal | None
    exit_note: str


def _investment_out(row: FundInvestment) -> dict[str, Any]:
    return published_values(row, InvestmentOut)


FUNDS = Collection(reader=_ledger_reader, rows=selectors.funds, out=_fund_out)
FUNDS.add_list(router, "/funds", FundOut, "产业基金", name="list_funds")
FUNDS.add_create(
    router,
    "/funds",
    FundOut,
    "登记产业基金（市级管理员；区级用户登记本区基金）",
    name="record_fund",
    payload=schemas.FundIn,
    create=lambda user, payload: actions.fund(actor=user, data=payload),
)


# A group's totals, with the selector's types (factors/selectors.FundTotal).
if TYPE_CHECKING:
    FundTotalOut = Schema
else:
    FundTotalOut = published(
        selectors.FundTotal,
        ("key", "label", "invested_wan_yuan", "investments", "firms", "exited_wan_yuan"),
        name="FundTotalOut",
    )


@router.get(
    "/funds/totals", response=list[FundTotalOut], summary="基金投资合计（按产业链、园区、区、阶段、基金类别或年度）"
)
@paginate(Page, page_size=100)
def fund_totals(
    request: HttpRequest, by: Literal["chain", "park", "district", "stage", "fund_kind", "year"] = "chain"
) -> Any:
    return [published_values(row, FundTotalOut) for row in selectors.fund_totals(_ledger_reader(request), by)]


@router.get("/funds/{fund_id}", response=FundOut, summary="产业基金")
def fund_detail(request: HttpRequest, fund_id: IdPath) -> Any:
    user = _ledger_reader(request)
    return _fund_out(selectors.funds(user).get(pk=get_visible_or_404(Fund.objects.all(), user, pk=fund_id).pk))


@router.get("/funds/{fund_id}/investments", response=list[InvestmentOut], summary="基金投资组合")
@paginate(Page, page_size=100)
def list_investments(request: HttpRequest, fund_id: IdPath) -> Any:
    user = _ledger_reader(request)
    row = get_visible_or_404(Fund.objects.all(), user, pk=fund_id)
    return Mapped(selectors.fund_investments(user, row), _investment_out)


@router.post("/funds/{fund_id}/investments", response={201: InvestmentOut}, summary="登记基金投资（不超过认缴规模）")
def record_investment(request: HttpRequest, fund_id: IdPath, payload: schemas.InvestmentIn) -> Any:
    user = _ledger_reader(request)
    row = actions.investment(actor=user, fund=get_visible_or_404(Fund.objects.all(), user, pk=fund_id), data=payload)
    return Status(201, _investment_out(selectors.fund_investments(user).get(pk=row.pk)))


@router.post("/investments/{investment_id}/exit", response=InvestmentOut, summary="登记投资退出")
def exit_investment(request: HttpRequest, investment_id: IdPath, payload: schemas.ExitIn) -> Any:
    user = _ledger_reader(request)
    row = get_visible_or_404(FundInvestment.objects.select_related("fund"), user, pk=investment_id)
    done = actions.investment_exit(actor=user, row=row, data=payload)
    return _investment_out(selectors.fund_investments(user).get(pk=done.pk))


class MethodOut(Schema):
    method: str
    label: str
    count: int
    area_mu: Decimal


class OverviewOut(Schema):
    land_by_method: list[MethodOut]
    land_sales: int
    below_floor: int
    lowest_start_ratio: Decimal | None
    flexible_percent: Decimal | None
    awards_by_year: list[TotalOut]
    decisions_open: int
    decisions_overdue: int


@router.get("/overview", response=OverviewOut, summary="要素保障概览（供地、起始价核验、弹性供地、奖补、议定事项）")
def factors_overview(request: HttpRequest) -> Any:
    data = selectors.overview(_ledger_reader(request), clock.today())
    return {
        "land_by_method": [published_values(m, MethodOut) for m in data.methods],
        "land_sales": data.compliance.total,
        "below_floor": data.compliance.below_floor,
        "lowest_start_ratio": data.compliance.lowest_ratio,
        "flexible_percent": data.flexible_percent,
        "awards_by_year": [published_values(t, TotalOut) for t in data.awards],
        "decisions_open": data.decisions_open,
        "decisions_overdue": data.decisions_overdue,
    }
