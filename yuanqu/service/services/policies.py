"""免申即享: the city's handler confirms the list of firms that qualify for a policy (re-checked with
the rule engine at that moment); each firm's amount is the policy's formula, capped; the firms'
users are notified; a payment is recorded once. A firm is granted a policy at most once: the service
refuses it by name, and the database's unique constraint refuses it when two confirmations race."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.payments import ENTERPRISE_POLICY, policy_paid
from yuanqu.core.permissions import CITY_ADMIN_ROLES, is_city_admin, write_gate
from yuanqu.core.roles import Role
from yuanqu.core.rules import evaluate
from yuanqu.core.writes import audit_change, create_audited
from yuanqu.notifications.services import kinds_register, notification_send
from yuanqu.registry.models import Enterprise
from yuanqu.service.config import config
from yuanqu.service.matching import benefit_of, is_open
from yuanqu.service.models import Disbursement, PolicyBatch
from yuanqu.service.snapshots import snapshots

CONFIRM_ROLES = CITY_ADMIN_ROLES
NOTICE_KIND = "service_policy"
kinds_register({NOTICE_KIND: gettext_noop("惠企政策：免申即享兑现")})

CONFIRM_NOT_ALLOWED = gettext_noop("只有市级管理员可以确认免申即享名单和登记兑现")
UNKNOWN_POLICY = gettext_noop("未知的政策“%(code)s”")
NOT_EXEMPT = gettext_noop("政策“%(name)s”须企业申报，不适用免申即享")
POLICY_CLOSED = gettext_noop("政策“%(name)s”不在有效期或已过申报截止日")
EMPTY_LIST = gettext_noop("请选择至少一家企业")
NOT_QUALIFIED = gettext_noop("企业“%(firm)s”目前不符合政策条件：%(reason)s")
BENEFIT_UNKNOWN = gettext_noop("企业“%(firm)s”缺少计算奖补金额所需的数据")
ALREADY_GRANTED = gettext_noop("企业“%(firm)s”已在批次%(batch)s中享受该政策，不能重复兑现")
ALREADY_PAID = gettext_noop("该笔兑现已于%(day)s拨付，不能重复拨付")
AMOUNT_OVER_CAP = gettext_noop("拨付金额%(amount)s万元超过核定金额%(cap)s万元")
AMOUNT_NOT_POSITIVE = gettext_noop("拨付金额应大于0")
PAID_IN_FUTURE = gettext_noop("拨付日期不能晚于今天")


# Only the city confirms a 免申即享 list or records a payment.
check_confirm_role = write_gate(is_city_admin, CONFIRM_NOT_ALLOWED, "service_not_allowed")


def _number(on: dt.date) -> str:
    prefix = f"MS{on:%Y%m%d}-"
    count = PolicyBatch.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:03d}"


@transaction.atomic
def policy_batch_confirm(
    *, actor: User, policy_code: str, enterprises: Sequence[Enterprise], note: str = ""
) -> PolicyBatch:
    """Confirm a 免申即享 list: every firm must qualify today and not have been granted the policy
    before; all or nothing."""
    check_confirm_role(actor)
    try:
        policy = config().policy(policy_code)
    except KeyError:
        raise ValidationError({"policy": _(UNKNOWN_POLICY) % {"code": policy_code[:64]}}) from None
    if not policy.exempt_application:
        raise ValidationError({"policy": _(NOT_EXEMPT) % {"name": policy.name}})
    today = clock.today()
    if not is_open(policy, today):
        raise ValidationError({"policy": _(POLICY_CLOSED) % {"name": policy.name}})
    if not enterprises:
        raise ValidationError({"enterprises": _(EMPTY_LIST)})
    values = snapshots(enterprises, on=today)
    granted = dict(
        Disbursement.objects.filter(policy_code=policy.code, enterprise__in=enterprises).values_list(
            "enterprise_id", "batch__number"
        )
    )
    amounts: dict[int, Decimal] = {}
    for firm in enterprises:
        if firm.pk in granted:
            raise ValidationError({"enterprises": _(ALREADY_GRANTED) % {"firm": firm.name, "batch": granted[firm.pk]}})
        verdict = evaluate(policy.eligibility, values[firm.pk], on=today)
        if not verdict.passed:
            reason = "；".join(check.reason for check in (*verdict.failed, *verdict.unknown))
            raise ValidationError({"enterprises": _(NOT_QUALIFIED) % {"firm": firm.name, "reason": reason}})
        amount = benefit_of(policy, values[firm.pk])
        if amount is None or amount <= 0:
            raise ValidationError({"enterprises": _(BENEFIT_UNKNOWN) % {"firm": firm.name}})
        amounts[firm.pk] = amount
    batch = PolicyBatch(
        policy_code=policy.code,
        policy_name=policy.name,
        number=_number(today),
        confirmed_by=actor,
        confirmed_at=clock.now(),
        note=note.strip()[:200],
    )
    create_audited(actor=actor, row=batch, detail="免申即享：确认名单")
    for firm in enterprises:
        row = Disbursement(batch=batch, policy_code=policy.code, enterprise=firm, amount_wan_yuan=amounts[firm.pk])
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            # Another confirmation granted this firm the policy after the check above.
            raise ValidationError({"enterprises": _(ALREADY_GRANTED) % {"firm": firm.name, "batch": "—"}}) from None
        audit_record(
            actor=actor, action=AuditLog.Action.CREATE, obj=row, after=snapshot(row), detail="免申即享：核定金额"
        )
    notification_send(
        recipients=User.objects.filter(role=Role.ENTERPRISE, enterprise__in=enterprises, is_active=True),
        kind=NOTICE_KIND,
        title=f"免申即享：您的企业符合“{policy.name}”",
        body=f"经核定，您的企业符合“{policy.name}”（{policy.issuer}），无需申报，奖补将直接拨付。批次：{batch.number}。",
        link=reverse("service:my_policies"),
        exclude=actor,
    )
    return batch


@transaction.atomic
def disbursement_pay(
    *, actor: User, disbursement: Disbursement, paid_on: dt.date, amount_wan_yuan: Decimal | None = None
) -> Disbursement:
    """Record that a granted amount was paid (at most the granted amount, once)."""
    check_confirm_role(actor)
    if disbursement.paid_on is not None:
        raise ValidationError({"paid_on": _(ALREADY_PAID) % {"day": disbursement.paid_on.isoformat()}})
    if paid_on > clock.today():
        raise ValidationError({"paid_on": _(PAID_IN_FUTURE)})
    cap = disbursement.amount_wan_yuan
    amount = cap if amount_wan_yuan is None else amount_wan_yuan
    if amount <= 0:
        raise ValidationError({"amount_wan_yuan": _(AMOUNT_NOT_POSITIVE)})
    if amount > cap:
        raise ValidationError({"amount_wan_yuan": _(AMOUNT_OVER_CAP) % {"amount": amount, "cap": cap}})
    before = snapshot(disbursement)
    updated = Disbursement.objects.filter(pk=disbursement.pk, paid_on__isnull=True).update(
        paid_on=paid_on, amount_wan_yuan=amount, recorded_by=actor, recorded_at=clock.now()
    )
    disbursement.refresh_from_db()
    if updated != 1:
        raise ValidationError({"paid_on": _(ALREADY_PAID) % {"day": disbursement.paid_on or ""}})
    audit_change(actor=actor, row=disbursement, before=before, detail="免申即享：拨付")
    # The award and subsidy ledger (要素保障) enters the payment in this transaction.
    batch = disbursement.batch
    policy_paid.send(
        sender=Disbursement,
        actor=actor,
        kind=ENTERPRISE_POLICY,
        enterprise=disbursement.enterprise,
        amount_wan_yuan=disbursement.amount_wan_yuan,
        paid_on=paid_on,
        basis=batch.policy_name,
        decision_number=batch.number,
        source=f"service.Disbursement:{disbursement.pk}",
    )
    return disbursement
