"""The award and subsidy ledger (保障措施四): every amount the city or a district pays under the plan.

产业名园 awards are generated from a confirmed selection (the evaluation run's selected parks and
their awards); each award is charged to the park's `AwardAccount`, whose cap is the pack's award cap
of the park type (5000/2000/800万元). A payment that would take a park past its cap is refused here
by name, and by the account's check constraint when two are recorded at once. Other grants (规划编制,
标准制订, 惠企, 人才) are recorded one by one; 惠企 and 人才 payments recorded by their own apps enter
by themselves through the `core.payments.policy_paid` hook (`ledger_payment_enter`). An entry is
paid once and may be clawed back, which frees its amount on the account.

Who writes: the city's administrators; a district records the grants it pays itself and pays or claws
back its own entries. Who calls this: `factors.actions` (pages and API) and the demo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.core.audit import snapshot
from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import User
from yuanqu.core.pack import installed_pack
from yuanqu.core.permissions import WriteDenied, has_role, is_city_admin, write_gate
from yuanqu.core.roles import Role
from yuanqu.core.uscc import USCCError
from yuanqu.core.uscc import validate as validate_uscc
from yuanqu.core.writes import audit_change, create_audited
from yuanqu.evaluation.models import EvaluationRun, ParkResult
from yuanqu.factors import figures
from yuanqu.factors.models import AwardAccount, LedgerEntry, LedgerKind, LedgerStatus
from yuanqu.registry.models import District, Enterprise, Park
from yuanqu.registry.pack import LAYOUT

CITY_ROLES = frozenset({Role.CITY_ADMIN, Role.SYSADMIN})
LEDGER_WRITER_ROLES = CITY_ROLES | {Role.DISTRICT}
# Stored on the entry as the record says it (data, not interface text).
CITY_PAYER = "市财政局"
AWARD_BASIS = "保障措施（四）：产业名园运营主体奖励"

LEDGER_NOT_ALLOWED = gettext_noop("只有市级管理员和区级用户可以登记奖补台账")
AWARD_CITY_ONLY = gettext_noop("产业名园奖励由市级管理员按确认的遴选名单生成")
NOT_OWN_DISTRICT = gettext_noop("区级用户只能登记和处理本区支付、本区收款方的奖补")
RUN_NOT_CONFIRMED = gettext_noop("%(year)s年度的产业名园名单尚未确认，不能生成奖励")
ALREADY_GENERATED = gettext_noop("园区“%(park)s”已按%(year)s年度名单生成奖励，不能重复生成")
OVER_CAP = gettext_noop(
    "园区“%(park)s”（%(type)s）的产业名园奖励累计%(granted)s万元，再核定%(amount)s万元将超过上限%(cap)s万元"
)
NO_AWARDS = gettext_noop("%(year)s年度的名单中没有应发奖励的园区")
PAYEE_MISSING = gettext_noop("请指定收款的园区或企业")
PAYEE_USCC = gettext_noop("收款方统一社会信用代码“%(value)s”无效：%(reason)s")
DECISION_REQUIRED = gettext_noop("请填写决定文号")
AMOUNT_NOT_POSITIVE = gettext_noop("金额应大于0")
NOT_APPROVED = gettext_noop("该笔奖补当前为“%(status)s”，只有“已核定”的可以拨付")
ALREADY_CLAWED = gettext_noop("该笔奖补已于%(day)s追回")
REASON_REQUIRED = gettext_noop("请填写追回原因")
DAY_IN_FUTURE = gettext_noop("日期不能晚于今天")
DAY_BEFORE_APPROVAL = gettext_noop("日期不能早于核定日期%(day)s")
HOOK_KIND = gettext_noop("奖补类别“%(value)s”不是惠企政策兑现或人才政策兑现")


check_ledger_writer = write_gate(
    lambda actor: has_role(actor, LEDGER_WRITER_ROLES), LEDGER_NOT_ALLOWED, "factors_not_allowed"
)


def _check_entry_scope(actor: User, entry: LedgerEntry) -> None:
    if not is_city_admin(actor) and entry.payer_district_id != actor.district_id:
        raise WriteDenied(_(NOT_OWN_DISTRICT), code="out_of_scope")


def award_cap(park: Park) -> Decimal:
    layout = installed_pack().section(LAYOUT)
    return Decimal(layout.park_type(park.park_type).award_cap_wan_yuan)


def _charge_award(park: Park, amount: Decimal) -> None:
    """Add an award to the park's account; refused past the cap (the constraint backs the check)."""
    cap = award_cap(park)
    account, _created = AwardAccount.objects.get_or_create(park=park, defaults={"cap_wan_yuan": cap})
    if account.cap_wan_yuan != cap:
        # The pack's cap changed since the account was opened: the account follows the pack.
        AwardAccount.objects.filter(pk=park.pk).update(cap_wan_yuan=cap)
    changed = AwardAccount.objects.filter(pk=park.pk, granted_wan_yuan__lte=cap - amount).update(
        granted_wan_yuan=F("granted_wan_yuan") + amount
    )
    if changed != 1:
        account.refresh_from_db()
        type_name = installed_pack().section(LAYOUT).park_type(park.park_type).name
        raise ValidationError(
            {
                "amount_wan_yuan": _(OVER_CAP)
                % {
                    "park": park.name,
                    "type": type_name,
                    "granted": account.granted_wan_yuan,
                    "amount": amount,
                    "cap": cap,
                }
            }
        )


def _save(actor: User, entry: LedgerEntry, detail: str) -> LedgerEntry:
    return create_audited(actor=actor, row=entry, detail=detail)


@transaction.atomic
def award_ledger_generate(
    *, actor: User, run: EvaluationRun, decision_number: str, approved_on: dt.date
) -> list[LedgerEntry]:
    """Enter the awards of a confirmed 产业名园 selection: one entry per selected park with an award,
    paid by the city to the park's operator; all or nothing."""
    if not is_city_admin(actor):
        raise WriteDenied(_(AWARD_CITY_ONLY), code="factors_not_allowed")
    decision = decision_number.strip()
    if not decision:
        raise ValidationError({"decision_number": _(DECISION_REQUIRED)})
    if approved_on > clock.today():
        raise ValidationError({"approved_on": _(DAY_IN_FUTURE)})
    if not run.is_confirmed:
        raise Conflict(_(RUN_NOT_CONFIRMED) % {"year": run.year})
    results = list(
        ParkResult.objects.filter(run=run, selected=True, award_wan_yuan__gt=0)
        .select_related("park", "park__district")
        .order_by("park__code")
    )
    if not results:
        raise ValidationError({"run": _(NO_AWARDS) % {"year": run.year}})
    done = set(LedgerEntry.objects.filter(run=run, kind=LedgerKind.FAMOUS_PARK_AWARD).values_list("park_id", flat=True))
    entries = []
    for result in results:
        park = result.park
        if park.pk in done:
            raise Conflict(_(ALREADY_GENERATED) % {"park": park.name, "year": run.year})
        amount = Decimal(result.award_wan_yuan or 0)
        _charge_award(park, amount)
        entry = LedgerEntry(
            kind=LedgerKind.FAMOUS_PARK_AWARD,
            payer=CITY_PAYER,
            district=park.district,
            park=park,
            payee_name=park.operator_name or park.name,
            payee_uscc=park.operator_uscc,
            basis=AWARD_BASIS,
            decision_number=decision,
            amount_wan_yuan=amount,
            year=run.year,
            approved_on=approved_on,
            run=run,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        try:
            with transaction.atomic():
                _save(actor, entry, f"产业名园奖励：{run.year}年度名单")
        except IntegrityError:
            raise Conflict(_(ALREADY_GENERATED) % {"park": park.name, "year": run.year}) from None
        entries.append(entry)
    figures.refresh(figures.SELECTED, figures.AWARD)
    return entries


@transaction.atomic
def ledger_entry_record(
    *,
    actor: User,
    kind: str,
    amount_wan_yuan: Decimal,
    basis: str,
    decision_number: str,
    approved_on: dt.date,
    park: Park | None = None,
    enterprise: Enterprise | None = None,
    payee_uscc: str = "",
    payer_district: District | None = None,
    synthetic: bool = False,
) -> LedgerEntry:
    """Record a grant or a policy payment (not a 产业名园 award, which comes from the selection)."""
    check_ledger_writer(actor)
    if kind == LedgerKind.FAMOUS_PARK_AWARD:
        raise WriteDenied(_(AWARD_CITY_ONLY), code="factors_not_allowed")
    if park is None and enterprise is None:
        raise ValidationError({"payee": _(PAYEE_MISSING)})
    if not is_city_admin(actor):
        payer_district = actor.district
    district = enterprise.district if enterprise is not None else park.district  # type: ignore[union-attr]
    if not is_city_admin(actor) and district.pk != actor.district_id:
        raise WriteDenied(_(NOT_OWN_DISTRICT), code="out_of_scope")
    if amount_wan_yuan <= 0:
        raise ValidationError({"amount_wan_yuan": _(AMOUNT_NOT_POSITIVE)})
    if not decision_number.strip():
        raise ValidationError({"decision_number": _(DECISION_REQUIRED)})
    if approved_on > clock.today():
        raise ValidationError({"approved_on": _(DAY_IN_FUTURE)})
    code = payee_uscc.strip().upper() or (enterprise.uscc if enterprise is not None else park.operator_uscc)  # type: ignore[union-attr]
    if code:
        try:
            validate_uscc(code)
        except USCCError as exc:
            raise ValidationError({"payee_uscc": _(PAYEE_USCC) % {"value": code[:18], "reason": exc}}) from None
    name = enterprise.name if enterprise is not None else (park.operator_name or park.name)  # type: ignore[union-attr]
    entry = LedgerEntry(
        kind=kind,
        payer=payer_district.name if payer_district is not None else CITY_PAYER,
        payer_district=payer_district,
        district=district,
        park=park if park is not None else (enterprise.park if enterprise is not None else None),
        enterprise=enterprise,
        payee_name=name,
        payee_uscc=code,
        basis=basis.strip(),
        decision_number=decision_number.strip(),
        amount_wan_yuan=amount_wan_yuan,
        year=approved_on.year,
        approved_on=approved_on,
        recorded_by=actor,
        recorded_at=clock.now(),
        synthetic=synthetic,
    )
    return _save(actor, entry, f"奖补台账：{entry.get_kind_display()}")


@transaction.atomic
def ledger_entry_pay(*, actor: User, entry: LedgerEntry, paid_on: dt.date) -> LedgerEntry:
    check_ledger_writer(actor)
    _check_entry_scope(actor, entry)
    if paid_on > clock.today():
        raise ValidationError({"paid_on": _(DAY_IN_FUTURE)})
    if paid_on < entry.approved_on:
        raise ValidationError({"paid_on": _(DAY_BEFORE_APPROVAL) % {"day": entry.approved_on.isoformat()}})
    before = snapshot(entry)
    changed = LedgerEntry.objects.filter(pk=entry.pk, status=LedgerStatus.APPROVED).update(
        status=LedgerStatus.PAID, paid_on=paid_on
    )
    entry.refresh_from_db()
    if changed != 1:
        raise Conflict(_(NOT_APPROVED) % {"status": entry.get_status_display()})
    audit_change(actor=actor, row=entry, before=before, detail="奖补拨付")
    return entry


@transaction.atomic
def ledger_entry_claw_back(*, actor: User, entry: LedgerEntry, on: dt.date, reason: str) -> LedgerEntry:
    """Record that an amount was clawed back; an award's amount is freed on the park's account."""
    check_ledger_writer(actor)
    _check_entry_scope(actor, entry)
    if not reason.strip():
        raise ValidationError({"reason": _(REASON_REQUIRED)})
    if on > clock.today():
        raise ValidationError({"on": _(DAY_IN_FUTURE)})
    if on < entry.approved_on:
        raise ValidationError({"on": _(DAY_BEFORE_APPROVAL) % {"day": entry.approved_on.isoformat()}})
    before = snapshot(entry)
    changed = (
        LedgerEntry.objects.filter(pk=entry.pk)
        .exclude(status=LedgerStatus.CLAWED_BACK)
        .update(status=LedgerStatus.CLAWED_BACK, clawed_back_on=on, clawback_reason=reason.strip()[:300])
    )
    entry.refresh_from_db()
    if changed != 1:
        raise Conflict(_(ALREADY_CLAWED) % {"day": entry.clawed_back_on})
    if entry.kind == LedgerKind.FAMOUS_PARK_AWARD and entry.park_id is not None:
        AwardAccount.objects.filter(pk=entry.park_id).update(
            granted_wan_yuan=F("granted_wan_yuan") - entry.amount_wan_yuan
        )
        figures.refresh(figures.AWARD)
    audit_change(actor=actor, row=entry, before=before, detail="奖补追回")
    return entry


@transaction.atomic
def ledger_payment_enter(
    *,
    actor: User,
    kind: str,
    enterprise: Enterprise,
    amount_wan_yuan: Decimal,
    paid_on: dt.date,
    basis: str,
    decision_number: str,
    source: str,
) -> LedgerEntry:
    """Enter a policy payment another app recorded (the `core.payments.policy_paid` hook): paid by the
    city to the enterprise, approved and paid that day. The paying app has checked who may pay; a
    payment is entered once (a second call with the same `source` answers the first entry)."""
    if kind not in (LedgerKind.ENTERPRISE_POLICY, LedgerKind.TALENT_POLICY):
        raise ValidationError({"kind": _(HOOK_KIND) % {"value": kind[:40]}})
    found = LedgerEntry.objects.filter(source=source).first()
    if found is not None:
        return found
    entry = LedgerEntry(
        kind=kind,
        payer=CITY_PAYER,
        district=enterprise.district,
        park=enterprise.park,
        enterprise=enterprise,
        payee_name=enterprise.name,
        payee_uscc=enterprise.uscc,
        basis=basis.strip()[:200],
        decision_number=decision_number.strip()[:100],
        amount_wan_yuan=amount_wan_yuan,
        year=paid_on.year,
        approved_on=paid_on,
        status=LedgerStatus.PAID,
        paid_on=paid_on,
        source=source[:60],
        recorded_by=actor,
        recorded_at=clock.now(),
        synthetic=enterprise.synthetic,
    )
    return _save(actor, entry, f"奖补台账：{entry.get_kind_display()}（{source}）")


def on_policy_paid(sender: object, **payment: Any) -> None:
    """The receiver of `core.payments.policy_paid` (connected in `FactorsConfig.ready`)."""
    payment.pop("signal", None)
    ledger_payment_enter(**payment)
