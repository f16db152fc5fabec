"""Talent policies delivered: confirm → notify → disburse, as for the enterprise policies (惠企). The
city's talent handlers confirm that a person qualifies for a policy of the pack (the rule engine
re-checks the profile at that moment) with the amount and the decision; the employer is a firm that
reported hiring the person on the platform; the person is told at once; the payment is then recorded
once and sent through `core.payments.policy_paid`, so the award and subsidy ledger (要素保障) enters
it. The ledger's payload names the employer as `enterprise` and the policy as `basis`, never the
person: the person's name stays in this app (and staff see it masked).

No personal field enters the audit log: entries name the grant, the profile by number and the firm."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog, User
from yuanqu.core.payments import TALENT_POLICY, policy_paid
from yuanqu.core.rules import describe, evaluate
from yuanqu.core.writes import audit_change
from yuanqu.notifications import services as notices
from yuanqu.talent.config import config
from yuanqu.talent.models import Interest, Profile, TalentGrant
from yuanqu.talent.pack import TalentPolicy
from yuanqu.talent.queries import profile_snapshot
from yuanqu.talent.services.common import check_staff, clean_text, registered_firm

POLICY_UNKNOWN = gettext_noop("未知的人才政策“%(code)s”")
NOT_QUALIFIED = gettext_noop("该人才目前不符合“%(name)s”的条件：%(reason)s")
NOT_EMPLOYER = gettext_noop("企业“%(firm)s”未在平台上报告录用该人才，不能作为用人单位")
AMOUNT_RANGE = gettext_noop("核定金额应大于0且不超过10000万元")
ALREADY_GRANTED = gettext_noop("该人才已享受“%(name)s”，不能重复核定")
ALREADY_PAID = gettext_noop("该笔兑现已于%(day)s拨付，不能重复拨付")
PAID_IN_FUTURE = gettext_noop("拨付日期不能晚于今天")
PAID_BEFORE_CONFIRMED = gettext_noop("拨付日期不能早于核定日期（%(day)s）")
PROFILE_GONE = gettext_noop("该人才已撤回同意并删除档案，不能再拨付")
NOTICE_KIND = "talent_policy"
NOTICE_TITLE = "人才政策：经核定，您符合“{name}”，将按核定金额拨付"
DETAIL_CONFIRMED = "人才政策兑现：核定（{name}）"
DETAIL_PAID = "人才政策兑现：拨付（{name}）"
MAX_AMOUNT = Decimal("10000")
AMOUNT_REQUIRED = gettext_noop("“%(name)s”没有可用的金额规则，请填写核定金额（万元）")
OVERRIDE_REASON_REQUIRED = gettext_noop(
    "核定金额与按规则核算的金额（%(computed)s万元：%(explanation)s）不同，请填写调整金额的理由"
)
COMPUTED_BY_TIER = "按“{condition}”核算：{amount}万元"
COMPUTED_FLAT = "按规则核算：{amount}万元"
NO_TIER = "未满足任何金额档次"
NO_FORMULA = "该政策没有金额规则，由经办人填写"
DETAIL_OVERRIDDEN = "；按规则核算{computed}万元，核定{amount}万元，理由：{reason}"

notices.kinds_register({NOTICE_KIND: gettext_noop("人才直通车：人才政策兑现")})


@dataclass(frozen=True, slots=True)
class GrantData:
    policy: str
    uscc: str
    amount_wan_yuan: Decimal | None  # None: the amount the pack's rule gives
    decision_number: str
    override_reason: str = ""  # why the amount differs from the rule's


@dataclass(frozen=True, slots=True)
class Quote:
    """A policy's amount for a person by the pack's rule (None: no rule, or no tier holds) and how
    it was reached, in words."""

    amount_wan_yuan: Decimal | None
    explanation: str


def grant_quote(policy: TalentPolicy, profile: Profile, *, on: dt.date) -> Quote:
    """The amount the policy's `benefit` gives the person: the first tier whose condition the one
    rule engine finds to hold (a tier without a condition always holds)."""
    if not policy.benefit:
        return Quote(None, NO_FORMULA)
    facts = profile_snapshot(profile)
    for tier in policy.benefit:
        if tier.when is None:
            return Quote(tier.amount_wan_yuan, COMPUTED_FLAT.format(amount=tier.amount_wan_yuan))
        if evaluate(tier.when, facts, on=on).passed:
            condition = "；".join(describe(part) for part in tier.when.conditions)
            return Quote(
                tier.amount_wan_yuan, COMPUTED_BY_TIER.format(condition=condition, amount=tier.amount_wan_yuan)
            )
    return Quote(None, NO_TIER)


def _amount(policy: TalentPolicy, quote: Quote, data: GrantData) -> tuple[Decimal, str]:
    """The amount confirmed and the reason for leaving the rule's amount (blank when it is kept)."""
    given = data.amount_wan_yuan.quantize(Decimal("0.01")) if data.amount_wan_yuan is not None else None
    reason = clean_text(
        data.override_reason, field="override_reason", label="调整金额的理由", limit=200, required=False
    )
    if given is None:
        if quote.amount_wan_yuan is None:
            raise ValidationError({"amount_wan_yuan": _(AMOUNT_REQUIRED) % {"name": policy.name}})
        return quote.amount_wan_yuan, ""
    if not Decimal(0) < given <= MAX_AMOUNT:
        raise ValidationError({"amount_wan_yuan": _(AMOUNT_RANGE)})
    if quote.amount_wan_yuan is not None and given != quote.amount_wan_yuan:
        if not reason:
            raise ValidationError(
                {
                    "override_reason": _(OVERRIDE_REASON_REQUIRED)
                    % {"computed": quote.amount_wan_yuan, "explanation": quote.explanation}
                }
            )
        return given, reason
    return given, ""


@transaction.atomic
def grant_confirm(*, actor: User, profile: Profile, data: GrantData, now: dt.datetime) -> TalentGrant:
    """Confirm a policy for a person (once per policy), and tell the person."""
    check_staff(actor)
    profile = Profile.objects.select_for_update().get(pk=profile.pk)  # the profile as it stands now
    policy = next((item for item in config().policies if item.code == data.policy), None)
    if policy is None:
        raise ValidationError({"policy": _(POLICY_UNKNOWN) % {"code": data.policy[:40]}})
    verdict = evaluate(policy.eligibility, profile_snapshot(profile), on=timezone.localdate(now))
    if not verdict.passed:
        reason = "；".join(check.reason for check in (*verdict.failed, *verdict.unknown))
        raise ValidationError({"policy": _(NOT_QUALIFIED) % {"name": policy.name, "reason": reason}})
    firm = registered_firm(data.uscc)
    hired = Interest.objects.filter(profile=profile, opening__enterprise=firm, outcome=Interest.Outcome.HIRED)
    if not hired.exists():
        raise ValidationError({"uscc": _(NOT_EMPLOYER) % {"firm": firm.name}})
    quote = grant_quote(policy, profile, on=timezone.localdate(now))
    amount, override = _amount(policy, quote, data)
    decision = clean_text(data.decision_number, field="decision_number", label="核定文号", limit=100)
    if TalentGrant.objects.filter(policy_code=policy.code, profile=profile).exists():
        raise Conflict(_(ALREADY_GRANTED) % {"name": policy.name})
    try:
        with transaction.atomic():
            grant = TalentGrant.objects.create(
                policy_code=policy.code,
                policy_name=policy.name,
                profile=profile,
                enterprise=firm,
                amount_wan_yuan=amount,
                computed_wan_yuan=quote.amount_wan_yuan,
                computation=quote.explanation[:300],
                override_reason=override,
                decision_number=decision,
                confirmed_by=actor,
                confirmed_at=now,
                notified_at=now,
            )
    except IntegrityError as exc:  # a second confirmation raced this one
        raise Conflict(_(ALREADY_GRANTED) % {"name": policy.name}) from exc
    audit_record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=grant,
        after=snapshot(grant),
        detail=(
            DETAIL_CONFIRMED.format(name=policy.name)
            + (
                DETAIL_OVERRIDDEN.format(computed=quote.amount_wan_yuan, amount=amount, reason=override)
                if override
                else ""
            )
        )[:300],
    )
    notices.notification_send(
        recipients=[profile.user],
        kind=NOTICE_KIND,
        title=NOTICE_TITLE.format(name=policy.name),
        link=reverse("talent:home"),
        at=now,
    )
    return grant


@transaction.atomic
def grant_pay(*, actor: User, grant: TalentGrant, paid_on: dt.date, now: dt.datetime) -> TalentGrant:
    """Record that the confirmed amount was paid (once), and send it to the ledger in the same
    transaction (a refusal there rolls the payment back)."""
    check_staff(actor)
    locked = TalentGrant.objects.select_for_update().select_related("enterprise").get(pk=grant.pk)
    if locked.paid_on is not None:
        raise Conflict(_(ALREADY_PAID) % {"day": locked.paid_on.isoformat()})
    if locked.profile_id is None:
        raise Conflict(_(PROFILE_GONE))
    if paid_on > timezone.localdate(now):
        raise ValidationError({"paid_on": _(PAID_IN_FUTURE)})
    if paid_on < locked.confirmed_at.date():
        raise ValidationError({"paid_on": _(PAID_BEFORE_CONFIRMED) % {"day": locked.confirmed_at.date()}})
    before = snapshot(locked)
    locked.paid_on = paid_on
    locked.paid_by = actor
    locked.status = TalentGrant.Status.PAID
    locked.save(update_fields=["paid_on", "paid_by", "status"])
    audit_change(actor=actor, row=locked, before=before, detail=DETAIL_PAID.format(name=locked.policy_name))
    policy_paid.send(
        sender=TalentGrant,
        actor=actor,
        kind=TALENT_POLICY,
        enterprise=locked.enterprise,
        amount_wan_yuan=locked.amount_wan_yuan,
        paid_on=paid_on,
        basis=locked.policy_name,
        decision_number=locked.decision_number,
        source=f"talent.TalentGrant:{locked.pk}",
    )
    return locked
