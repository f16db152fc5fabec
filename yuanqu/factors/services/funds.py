"""The 产业基金 register (重点任务18): funds and their investments in firms.

A fund is recorded with its kind, manager, size (认缴) and the capital paid in by source; the paid-in
total never exceeds the size (the database backs this). An investment names the firm (by the
registry's enterprise, or the 招商 project it served, whose firm or investor it takes), the day, the
amount, the stage and the instrument; the fund's investments together never exceed its size (the
fund's row is locked while the sum is checked, so two recorded at once cannot pass it together). An
exit is recorded once, not before the investment.

Who writes: the city's administrators for every fund; a district for its own district's funds and
firms of its district. Who calls this: `factors.actions` (pages and API) and the demo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied, has_role, is_city_admin, write_gate
from yuanqu.core.roles import Role
from yuanqu.core.uscc import USCCError
from yuanqu.core.uscc import validate as validate_uscc
from yuanqu.core.writes import audit_change, create_audited
from yuanqu.factors.models import Fund, FundInvestment, FundKind, Instrument, InvestmentStage
from yuanqu.investment.models import Project
from yuanqu.registry.models import District, Enterprise, IndustryChain

CITY_ROLES = frozenset({Role.CITY_ADMIN, Role.SYSADMIN})
FUND_WRITER_ROLES = CITY_ROLES | {Role.DISTRICT}

FUND_NOT_ALLOWED = gettext_noop("只有市级管理员和区级用户可以登记产业基金")
FUND_OTHER_DISTRICT = gettext_noop("区级用户只能登记和处理本区的基金及其投资")
FUND_CODE_TAKEN = gettext_noop("基金编号“%(code)s”已存在")
FUND_KIND_UNKNOWN = gettext_noop("基金类别“%(value)s”不是政府引导基金、园区基金、天使基金、成果转化基金或人才基金")
PAID_OVER_SIZE = gettext_noop("实缴合计%(paid)s万元超过认缴规模%(size)s万元")
COMMITTED_NOT_SIZE = gettext_noop("分来源认缴合计%(committed)s万元与认缴规模%(size)s万元不一致")
PAID_OVER_COMMITTED = gettext_noop("%(source)s实缴%(paid)s万元超过其认缴%(committed)s万元")
COMMITTED_NEGATIVE = gettext_noop("认缴金额不能小于0")
SOURCES = (
    ("city", gettext_noop("市级财政")),
    ("district", gettext_noop("区级财政")),
    ("social", gettext_noop("社会资本")),
)
SIZE_NOT_POSITIVE = gettext_noop("认缴规模应大于0")
MANAGER_USCC = gettext_noop("管理人统一社会信用代码“%(value)s”无效：%(reason)s")
DAY_IN_FUTURE = gettext_noop("日期不能晚于今天")
INVESTEE_MISSING = gettext_noop("请指定被投企业（统一社会信用代码）或招商项目")
INVESTEE_OUT_OF_SCOPE = gettext_noop("被投企业“%(name)s”不在您的管理范围内")
PROJECT_NO_DISTRICT = gettext_noop("招商项目“%(number)s”尚未确定落地区，不能登记投资")
PROJECT_OTHER_FIRM = gettext_noop("招商项目“%(number)s”的落地企业不是“%(name)s”")
STAGE_UNKNOWN = gettext_noop("投资阶段“%(value)s”不是种子期、初创期、成长期或成熟期")
INSTRUMENT_UNKNOWN = gettext_noop("投资方式“%(value)s”不是股权投资、可转债或股东借款")
BEFORE_FUND = gettext_noop("投资日期不能早于基金设立日期%(day)s")
OVER_SIZE = gettext_noop("基金“%(fund)s”累计投资%(invested)s万元，再投资%(amount)s万元将超过认缴规模%(size)s万元")
AMOUNT_NOT_POSITIVE = gettext_noop("金额应大于0")
ALREADY_EXITED = gettext_noop("该笔投资已于%(day)s退出")
EXIT_BEFORE = gettext_noop("退出日期不能早于投资日期%(day)s")
RECOVERED_NEGATIVE = gettext_noop("退出回收金额不能小于0")


check_fund_writer = write_gate(
    lambda actor: has_role(actor, FUND_WRITER_ROLES), FUND_NOT_ALLOWED, "factors_not_allowed"
)


def check_fund_scope(actor: User, fund: Fund) -> None:
    """A district writes only for its own district's funds."""
    check_fund_writer(actor)
    if not is_city_admin(actor) and (fund.district_id is None or fund.district_id != actor.district_id):
        raise WriteDenied(_(FUND_OTHER_DISTRICT), code="out_of_scope")


def _check_committed(committed: dict[str, tuple[Decimal, Decimal]], size: Decimal) -> None:
    """The size by source (认缴), when given: none below 0, together the size, and each source's
    paid-in capital within what it committed. All 0: the size is not broken down."""
    if any(amount < 0 for amount, _paid in committed.values()):
        field = next(f"{key}_committed_wan_yuan" for key, (amount, _paid) in committed.items() if amount < 0)
        raise ValidationError({field: _(COMMITTED_NEGATIVE)})
    total = sum((amount for amount, _paid in committed.values()), Decimal(0))
    if not total:
        return
    if total != size:
        raise ValidationError({"size_wan_yuan": _(COMMITTED_NOT_SIZE) % {"committed": total, "size": size}})
    for key, label in SOURCES:
        amount, paid = committed[key]
        if paid > amount:
            raise ValidationError(
                {
                    f"{key}_paid_wan_yuan": _(PAID_OVER_COMMITTED)
                    % {"source": _(label), "paid": paid, "committed": amount}
                }
            )


def _check_uscc(code: str, field: str, template: str) -> str:
    value = code.strip().upper()
    if value:
        try:
            validate_uscc(value)
        except USCCError as exc:
            raise ValidationError({field: _(template) % {"value": value[:18], "reason": exc}}) from None
    return value


@transaction.atomic
def fund_record(
    *,
    actor: User,
    code: str,
    name: str,
    kind: str,
    manager: str,
    established_on: dt.date,
    size_wan_yuan: Decimal,
    city_paid_wan_yuan: Decimal = Decimal(0),
    district_paid_wan_yuan: Decimal = Decimal(0),
    social_paid_wan_yuan: Decimal = Decimal(0),
    city_committed_wan_yuan: Decimal = Decimal(0),
    district_committed_wan_yuan: Decimal = Decimal(0),
    social_committed_wan_yuan: Decimal = Decimal(0),
    manager_uscc: str = "",
    chains: list[IndustryChain] | None = None,
    concessions: str = "",
    district: District | None = None,
    synthetic: bool = False,
) -> Fund:
    """Record a fund; a district's own funds name the district (set for a district user)."""
    check_fund_writer(actor)
    if not is_city_admin(actor):
        district = actor.district
    if kind not in FundKind.values:
        raise ValidationError({"kind": _(FUND_KIND_UNKNOWN) % {"value": kind[:40]}})
    if size_wan_yuan <= 0:
        raise ValidationError({"size_wan_yuan": _(SIZE_NOT_POSITIVE)})
    paid = city_paid_wan_yuan + district_paid_wan_yuan + social_paid_wan_yuan
    if paid > size_wan_yuan:
        raise ValidationError({"size_wan_yuan": _(PAID_OVER_SIZE) % {"paid": paid, "size": size_wan_yuan}})
    committed = {
        "city": (city_committed_wan_yuan, city_paid_wan_yuan),
        "district": (district_committed_wan_yuan, district_paid_wan_yuan),
        "social": (social_committed_wan_yuan, social_paid_wan_yuan),
    }
    _check_committed(committed, size_wan_yuan)
    if established_on > clock.today():
        raise ValidationError({"established_on": _(DAY_IN_FUTURE)})
    uscc = _check_uscc(manager_uscc, "manager_uscc", MANAGER_USCC)
    if Fund.objects.filter(code=code.strip()).exists():
        raise Conflict(_(FUND_CODE_TAKEN) % {"code": code.strip()})
    fund = Fund(
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        manager=manager.strip(),
        manager_uscc=uscc,
        established_on=established_on,
        district=district,
        size_wan_yuan=size_wan_yuan,
        city_paid_wan_yuan=city_paid_wan_yuan,
        district_paid_wan_yuan=district_paid_wan_yuan,
        social_paid_wan_yuan=social_paid_wan_yuan,
        city_committed_wan_yuan=city_committed_wan_yuan,
        district_committed_wan_yuan=district_committed_wan_yuan,
        social_committed_wan_yuan=social_committed_wan_yuan,
        concessions=concessions.strip(),
        recorded_by=actor,
        recorded_at=clock.now(),
        synthetic=synthetic,
    )
    fund.full_clean(validate_unique=False)
    fund.save()
    if chains:
        fund.chains.set(chains)
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=fund, after=snapshot(fund), detail="产业基金登记")
    return fund


def _investee(
    actor: User, enterprise: Enterprise | None, project: Project | None
) -> tuple[str, str, int, int | None, Enterprise | None]:
    """The firm invested in: its name, credit code, district and park, from the enterprise or the
    project (its firm once it has one, else its investor)."""
    if project is not None:
        if project.enterprise_id is not None:
            if enterprise is not None and enterprise.pk != project.enterprise_id:
                raise ValidationError(
                    {"enterprise": _(PROJECT_OTHER_FIRM) % {"number": project.number, "name": enterprise.name}}
                )
            enterprise = project.enterprise
        elif enterprise is None:
            if project.district_id is None:
                raise ValidationError({"project": _(PROJECT_NO_DISTRICT) % {"number": project.number}})
            return project.investor_name, project.investor_uscc, project.district_id, project.park_id, None
    if enterprise is None:
        raise ValidationError({"enterprise": _(INVESTEE_MISSING)})
    return enterprise.name, enterprise.uscc, enterprise.district_id, enterprise.park_id, enterprise


@transaction.atomic
def fund_investment_record(
    *,
    actor: User,
    fund: Fund,
    amount_wan_yuan: Decimal,
    invested_on: dt.date,
    stage: str,
    instrument: str = Instrument.EQUITY,
    enterprise: Enterprise | None = None,
    project: Project | None = None,
    chain: IndustryChain | None = None,
    synthetic: bool = False,
) -> FundInvestment:
    """Record an investment of a fund; refused past the fund's size."""
    check_fund_scope(actor, fund)
    name, uscc, district_id, park_id, firm = _investee(actor, enterprise, project)
    if not is_city_admin(actor) and district_id != actor.district_id:
        raise WriteDenied(_(INVESTEE_OUT_OF_SCOPE) % {"name": name}, code="out_of_scope")
    if stage not in InvestmentStage.values:
        raise ValidationError({"stage": _(STAGE_UNKNOWN) % {"value": stage[:40]}})
    if instrument not in Instrument.values:
        raise ValidationError({"instrument": _(INSTRUMENT_UNKNOWN) % {"value": instrument[:40]}})
    if amount_wan_yuan <= 0:
        raise ValidationError({"amount_wan_yuan": _(AMOUNT_NOT_POSITIVE)})
    if invested_on > clock.today():
        raise ValidationError({"invested_on": _(DAY_IN_FUTURE)})
    if invested_on < fund.established_on:
        raise ValidationError({"invested_on": _(BEFORE_FUND) % {"day": fund.established_on.isoformat()}})
    # Locked, so two investments recorded at once see each other's amount.
    locked = Fund.objects.select_for_update().get(pk=fund.pk)
    total = FundInvestment.objects.filter(fund=locked).aggregate(total=Sum("amount_wan_yuan"))["total"]
    # Two places whatever the database answers (SQLite drops trailing zeros), so the message is stable.
    invested = Decimal(total or 0).quantize(Decimal("0.01"))
    if invested + amount_wan_yuan > locked.size_wan_yuan:
        raise ValidationError(
            {
                "amount_wan_yuan": _(OVER_SIZE)
                % {"fund": locked.name, "invested": invested, "amount": amount_wan_yuan, "size": locked.size_wan_yuan}
            }
        )
    if chain is None and project is not None and project.chain_node_id is not None:
        chain = project.chain_node.chain  # type: ignore[union-attr]
    row = FundInvestment(
        fund=locked,
        enterprise=firm,
        project=project,
        investee_name=name,
        investee_uscc=uscc,
        district_id=district_id,
        park_id=park_id,
        chain=chain,
        stage=stage,
        instrument=instrument,
        invested_on=invested_on,
        amount_wan_yuan=amount_wan_yuan,
        recorded_by=actor,
        recorded_at=clock.now(),
        synthetic=synthetic,
    )
    return create_audited(actor=actor, row=row, detail=f"基金投资：{locked.name}")


@transaction.atomic
def fund_investment_exit(
    *, actor: User, investment: FundInvestment, on: dt.date, recovered_wan_yuan: Decimal, note: str = ""
) -> FundInvestment:
    """Record the exit of an investment, once."""
    check_fund_scope(actor, investment.fund)
    if on > clock.today():
        raise ValidationError({"on": _(DAY_IN_FUTURE)})
    if on < investment.invested_on:
        raise ValidationError({"on": _(EXIT_BEFORE) % {"day": investment.invested_on.isoformat()}})
    if recovered_wan_yuan < 0:
        raise ValidationError({"recovered_wan_yuan": _(RECOVERED_NEGATIVE)})
    before = snapshot(investment)
    changed = FundInvestment.objects.filter(pk=investment.pk, exited_on__isnull=True).update(
        exited_on=on, exit_wan_yuan=recovered_wan_yuan, exit_note=note.strip()[:100]
    )
    investment.refresh_from_db()
    if changed != 1:
        raise Conflict(_(ALREADY_EXITED) % {"day": investment.exited_on})
    audit_change(actor=actor, row=investment, before=before, detail="基金投资退出")
    return investment
