"""The factors writes (land supply, the ledger, the funds) as the pages and the API call them: the input
schema's codes looked up inside the actor's read scope (a code outside it reads as unknown, exactly
like one that does not exist), then the service.

Who calls this: `factors.views` and `factors.api`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.lookups import all_found_or_invalid, found_or_invalid
from yuanqu.core.models import User
from yuanqu.core.permissions import WriteDenied, is_city_admin
from yuanqu.evaluation.models import EvaluationRun
from yuanqu.factors import services
from yuanqu.factors.models import (
    Fund,
    FundInvestment,
    LandQuota,
    LandSupply,
    LedgerEntry,
    LedgerKind,
    Meeting,
    MeetingDecision,
)
from yuanqu.factors.schemas import (
    AwardsIn,
    ClawBackIn,
    ExitIn,
    FundIn,
    GrantIn,
    InvestmentIn,
    LandSupplyIn,
    MeetingDecisionIn,
    MeetingIn,
    PayLedgerIn,
    QuotaIn,
    TopUpIn,
)
from yuanqu.investment.models import Project
from yuanqu.registry.models import District, Enterprise, IndustryChain, LandParcel, Park, ResponsibleUnit

UNKNOWN_PARCEL = gettext_noop("未找到地块“%(code)s”")
UNKNOWN_PROJECT = gettext_noop("未找到招商项目“%(code)s”")
UNKNOWN_ENTERPRISE = gettext_noop("未找到统一社会信用代码为“%(code)s”的企业")


def _project(actor: User, number: str | None) -> Project | None:
    """The 招商 project a number names within the actor's scope; None when none is given."""
    if not number:
        return None
    rows = Project.objects.visible_to(actor).select_related("chain_node")
    return found_or_invalid(rows, "project", UNKNOWN_PROJECT, number, number=number)


def _enterprise(actor: User, uscc: str | None) -> Enterprise | None:
    """The firm a credit code names within the actor's scope; None when none is given."""
    if not uscc:
        return None
    return found_or_invalid(Enterprise.objects.visible_to(actor), "enterprise", UNKNOWN_ENTERPRISE, uscc, uscc=uscc)


def land_supply(*, actor: User, data: LandSupplyIn) -> LandSupply:
    services.check_land_writer(actor)
    return services.land_supply_record(
        actor=actor,
        parcel=found_or_invalid(
            LandParcel.objects.visible_to(actor), "parcel", UNKNOWN_PARCEL, data.parcel, code=data.parcel
        ),
        method=data.method,
        term_years=data.term_years,
        area_mu=data.area_mu,
        land_grade=data.land_grade,
        start_price=data.start_price,
        final_price=data.final_price,
        supplied_on=data.supplied_on,
        project=_project(actor, data.project),
        enterprise=_enterprise(actor, data.enterprise),
        with_plan=data.with_plan,
        fee_waiver_wan_yuan=data.fee_waiver_wan_yuan,
        exception_reason=data.exception_reason,
        exception_approval=data.exception_approval,
    )


UNKNOWN_PARK = gettext_noop("未找到园区“%(code)s”")
UNKNOWN_RUN = gettext_noop("未找到评价运行#%(code)s")
UNKNOWN_KIND = gettext_noop("奖补类别“%(value)s”不存在")


def grant(*, actor: User, data: GrantIn) -> LedgerEntry:
    services.check_ledger_writer(actor)
    park = (
        found_or_invalid(Park.objects.visible_to(actor), "park", UNKNOWN_PARK, data.park, code=data.park)
        if data.park
        else None
    )
    enterprise = _enterprise(actor, data.enterprise)
    if data.kind not in LedgerKind.values:
        raise ValidationError({"kind": _(UNKNOWN_KIND) % {"value": data.kind}})
    return services.ledger_entry_record(
        actor=actor,
        kind=data.kind,
        amount_wan_yuan=data.amount_wan_yuan,
        basis=data.basis,
        decision_number=data.decision_number,
        approved_on=data.approved_on,
        park=park,
        enterprise=enterprise,
        payee_uscc=data.payee_uscc,
    )


def awards(*, actor: User, data: AwardsIn) -> list[LedgerEntry]:
    if not is_city_admin(actor):
        raise WriteDenied(_(services.ledger.AWARD_CITY_ONLY), code="factors_not_allowed")
    run = found_or_invalid(EvaluationRun.objects.visible_to(actor), "run", UNKNOWN_RUN, data.run, pk=data.run)
    return services.award_ledger_generate(
        actor=actor, run=run, decision_number=data.decision_number, approved_on=data.approved_on
    )


def pay(*, actor: User, entry: LedgerEntry, data: PayLedgerIn) -> LedgerEntry:
    return services.ledger_entry_pay(actor=actor, entry=entry, paid_on=data.paid_on)


def claw_back(*, actor: User, entry: LedgerEntry, data: ClawBackIn) -> LedgerEntry:
    return services.ledger_entry_claw_back(actor=actor, entry=entry, on=data.on, reason=data.reason)


UNKNOWN_UNITS = gettext_noop("未知的责任单位：%(codes)s")


def _units(codes: list[str], field: str) -> list[ResponsibleUnit]:
    return all_found_or_invalid(ResponsibleUnit.objects.all(), codes, field=field, message=UNKNOWN_UNITS)


def meeting(*, actor: User, data: MeetingIn) -> Meeting:
    services.conference.check_city(actor)
    return services.conference.meeting_record(
        actor=actor,
        held_on=data.held_on,
        title=data.title,
        convener=data.convener,
        units=_units(data.units, "units"),
        agenda=data.agenda,
    )


def decision(*, actor: User, meeting: Meeting, data: MeetingDecisionIn) -> MeetingDecision:
    services.conference.check_city(actor)
    return services.conference.decision_add(
        actor=actor,
        meeting=meeting,
        text=data.text,
        lead=_units([data.lead], "lead")[0],
        co_units=_units(data.co_units, "co_units"),
        due_on=data.due_on,
    )


UNKNOWN_CHAINS = gettext_noop("未知的产业链：%(codes)s")
UNKNOWN_DISTRICT = gettext_noop("未找到区“%(code)s”")


def _chains(codes: list[str], field: str) -> list[IndustryChain]:
    return all_found_or_invalid(IndustryChain.objects.all(), codes, field=field, message=UNKNOWN_CHAINS)


def fund(*, actor: User, data: FundIn) -> Fund:
    services.funds.check_fund_writer(actor)
    district = _district(data.district) if data.district else None
    return services.funds.fund_record(
        actor=actor,
        code=data.code,
        name=data.name,
        kind=data.kind,
        manager=data.manager,
        manager_uscc=data.manager_uscc,
        established_on=data.established_on,
        size_wan_yuan=data.size_wan_yuan,
        city_paid_wan_yuan=data.city_paid_wan_yuan,
        district_paid_wan_yuan=data.district_paid_wan_yuan,
        social_paid_wan_yuan=data.social_paid_wan_yuan,
        city_committed_wan_yuan=data.city_committed_wan_yuan,
        district_committed_wan_yuan=data.district_committed_wan_yuan,
        social_committed_wan_yuan=data.social_committed_wan_yuan,
        chains=_chains(data.chains, "chains"),
        concessions=data.concessions,
        district=district,
    )


def investment(*, actor: User, fund: Fund, data: InvestmentIn) -> FundInvestment:
    services.funds.check_fund_scope(actor, fund)
    enterprise = _enterprise(actor, data.enterprise)
    project = _project(actor, data.project)
    chain = _chains([data.chain], "chain")[0] if data.chain else None
    return services.funds.fund_investment_record(
        actor=actor,
        fund=fund,
        amount_wan_yuan=data.amount_wan_yuan,
        invested_on=data.invested_on,
        stage=data.stage,
        instrument=data.instrument,
        enterprise=enterprise,
        project=project,
        chain=chain,
    )


def investment_exit(*, actor: User, row: FundInvestment, data: ExitIn) -> FundInvestment:
    return services.funds.fund_investment_exit(
        actor=actor, investment=row, on=data.on, recovered_wan_yuan=data.recovered_wan_yuan, note=data.note
    )


def _district(code: str) -> District:
    found: District = found_or_invalid(District.objects.all(), "district", UNKNOWN_DISTRICT, code, code=code)
    return found


def quota(*, actor: User, data: QuotaIn) -> LandQuota:
    services.plan.check_plan_writer(actor)
    return services.plan.land_quota_set(
        actor=actor, district=_district(data.district), year=data.year, quota_mu=data.quota_mu, basis=data.basis
    )


def topup(*, actor: User, data: TopUpIn) -> LandQuota:
    services.plan.check_plan_writer(actor)
    return services.plan.land_topup_add(
        actor=actor, district=_district(data.district), year=data.year, topup_mu=data.topup_mu, basis=data.basis
    )
