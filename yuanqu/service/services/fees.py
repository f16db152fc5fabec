"""涉企收费: the register of fees charged to the firms of a park (kept by the park's operator, its
district and the city), and a firm's report of an irregular fee, which becomes a 啄木鸟 case in the
pack's `fee_category` with the fee's charging body as the respondent, linked to the register's line.
The city reviews the fees flagged for having no basis (confirms or dismisses the flag, with a
reason); a fee no longer charged is retired with a reason and kept. Audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.casework.models import Case, Category
from yuanqu.casework.services import case_submit
from yuanqu.core.audit import audit_record, changed, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import CITY_ADMIN_ROLES, WriteDenied, is_city_admin, is_enterprise_user
from yuanqu.core.writes import create_audited
from yuanqu.registry.models import Enterprise, Park
from yuanqu.service.config import config
from yuanqu.service.models import FeePeriod, FeeReport, FeeReview, FeeUnit, ParkFee
from yuanqu.service.services.common import check_role, clean_text
from yuanqu.service.services.standards import PARK_OUT_OF_SCOPE

REPORT_NOT_ALLOWED = gettext_noop("只有该园区的企业用户可以举报园区收费")
NO_FEE_CATEGORY = gettext_noop("政策包未设置涉企收费举报的诉求类别（service.yaml 的 fee_category）")
AMOUNT_NEGATIVE = gettext_noop("收费金额不能为负数")
UNKNOWN_UNIT = gettext_noop("计费单位“%(value)s”不可用，可选：%(allowed)s")
UNKNOWN_PERIOD = gettext_noop("计费周期“%(value)s”不可用，可选：%(allowed)s")
REVIEW_NOT_ALLOWED = gettext_noop("只有市级管理员可以核查涉企收费")
NOT_AWAITING_REVIEW = gettext_noop("收费“%(item)s”不在待核查之列（已有收费依据、已核查或已撤销）")
UNKNOWN_DECISION = gettext_noop("核查结论“%(value)s”不可用，可选：confirmed（属实）、dismissed（不属实）")
FEE_RETIRED = gettext_noop("收费“%(item)s”已撤销，不能再修改或举报")
REVIEW_ROLES = CITY_ADMIN_ROLES


def _choice(value: str, choices: type[FeeUnit] | type[FeePeriod], field: str, message: str) -> str:
    if value not in choices.values:
        allowed = "、".join(f"{code}（{label}）" for code, label in choices.choices)
        raise ValidationError({field: _(message) % {"value": value[:16], "allowed": allowed}})
    return value


def _park_in_scope(actor: User, park: Park) -> None:
    check_role(actor)
    if not Park.objects.visible_to(actor).filter(pk=park.pk).exists():
        raise WriteDenied(_(PARK_OUT_OF_SCOPE) % {"park": park.name}, code="out_of_scope")


@transaction.atomic
def park_fee_add(
    *,
    actor: User,
    park: Park,
    item: str,
    charged_by: str,
    basis: str,
    amount_yuan: Decimal,
    unit: str,
    period: str,
    amount: str = "",
    approval: str,
) -> ParkFee:
    """Put a fee in the park's register: 元 per unit and period (and the standard's wording, if
    given); one without a basis is flagged for review."""
    _park_in_scope(actor, park)
    if amount_yuan < 0:
        raise ValidationError({"amount_yuan": _(AMOUNT_NEGATIVE)})
    fee = ParkFee(
        park=park,
        item=clean_text(item, field="item", label=_("收费项目"), limit=100),
        charged_by=clean_text(charged_by, field="charged_by", label=_("收费主体"), limit=100),
        basis=clean_text(basis, field="basis", label=_("收费依据"), limit=200, required=False),
        amount=clean_text(amount, field="amount", label=_("收费标准"), limit=100, required=False),
        amount_yuan=amount_yuan,
        unit=_choice(unit, FeeUnit, "unit", UNKNOWN_UNIT),
        period=_choice(period, FeePeriod, "period", UNKNOWN_PERIOD),
        approval=clean_text(approval, field="approval", label=_("批准或备案文号"), limit=100, required=False),
        created_by=actor,
        created_at=clock.now(),
    )
    return create_audited(actor=actor, row=fee, detail="涉企收费：登记")


@transaction.atomic
def park_fee_review(*, actor: User, fee: ParkFee, decision: str, reason: str) -> ParkFee:
    """The city's decision on a fee flagged for having no basis: `confirmed` (it has none) or
    `dismissed` (the flag was wrong), with the reason. Once per fee; a version-checked update."""
    if not is_city_admin(actor):
        raise WriteDenied(_(REVIEW_NOT_ALLOWED), code="fee_review_not_allowed")
    if decision not in FeeReview.values:
        raise ValidationError({"decision": _(UNKNOWN_DECISION) % {"value": decision[:16]}})
    text = clean_text(reason, field="reason", label=_("核查说明"), limit=200)
    return _fee_update(
        actor=actor,
        fee=fee,
        still={"review": "", "retired_at__isnull": True, "basis": ""},
        values={"review": decision, "review_reason": text, "reviewed_by": actor, "reviewed_at": clock.now()},
        refused=NOT_AWAITING_REVIEW,
        detail="涉企收费：核查",
    )


def _fee_update(
    *, actor: User, fee: ParkFee, still: dict[str, Any], values: dict[str, Any], refused: str, detail: str
) -> ParkFee:
    """Set `values` on the fee while it is still as `still` says (one version-checked UPDATE: a fee
    another user reviewed or retired first is refused with `refused`, nothing written), then audit
    the fields that changed and answer the fee as stored."""
    before = snapshot(ParkFee.objects.get(pk=fee.pk))  # as stored, not as the caller holds it
    if ParkFee.objects.filter(pk=fee.pk, **still).update(**values) != 1:
        raise ValidationError({"fee": _(refused) % {"item": fee.item}})
    fee.refresh_from_db()
    old, new = changed(before, snapshot(fee))
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, obj=fee, before=old, after=new, detail=detail)
    return fee


@transaction.atomic
def park_fee_retire(*, actor: User, fee: ParkFee, reason: str) -> ParkFee:
    """Take a fee out of the register (no longer charged): kept, with who, when and why."""
    _park_in_scope(actor, fee.park)
    text = clean_text(reason, field="reason", label=_("撤销原因"), limit=200)
    return _fee_update(
        actor=actor,
        fee=fee,
        still={"retired_at__isnull": True},
        values={"retired_at": clock.now(), "retired_by": actor, "retire_reason": text},
        refused=FEE_RETIRED,
        detail="涉企收费：撤销",
    )


@transaction.atomic
def fee_report(*, actor: User, fee: ParkFee, occurred_on: str, description: str) -> FeeReport:
    """A firm of the fee's park reports it as irregular: a case (投诉) naming the charging body."""
    firm = None
    if is_enterprise_user(actor) and actor.enterprise_id is not None:
        firm = Enterprise.objects.filter(pk=actor.enterprise_id).first()
    if firm is None or firm.park_id != fee.park_id:
        raise WriteDenied(_(REPORT_NOT_ALLOWED), code="fee_report_not_allowed")
    if fee.retired_at is not None:
        raise ValidationError({"fee": _(FEE_RETIRED) % {"item": fee.item}})
    code = config().fee_category
    category = Category.objects.filter(code=code).first() if code else None
    if category is None:
        raise ValidationError({"fee": _(NO_FEE_CATEGORY)})
    text = clean_text(description, field="description", label=_("情况说明"), limit=2000)
    case = case_submit(
        actor=actor,
        category=category,
        title=f"涉企收费：{fee.item}"[:100],
        description=text,
        enterprise=firm,
        channel=Case.Channel.ONLINE,
        answers={
            "respondent": fee.charged_by,
            "occurred_on": clean_text(occurred_on, field="occurred_on", label=_("发生时间"), limit=50),
        },
    )
    report = FeeReport(fee=fee, enterprise=firm, case=case)
    return create_audited(actor=actor, row=report, detail="涉企收费：举报")
