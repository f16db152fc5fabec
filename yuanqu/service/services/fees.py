"""涉企收费: the register of fees charged to the firms of a park (kept by the park's operator, its
district and the city), and a firm's report of an irregular fee, which becomes a 啄木鸟 case in the
pack's `fee_category` with the fee's charging body as the respondent, linked to the register's line.
Audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.casework.models import Case, Category
from yuanqu.casework.services import case_submit
from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied
from yuanqu.core.roles import Role
from yuanqu.registry.models import Enterprise, Park
from yuanqu.service.config import config
from yuanqu.service.models import FeeReport, ParkFee
from yuanqu.service.services.common import check_role, clean_text
from yuanqu.service.services.standards import PARK_OUT_OF_SCOPE

REPORT_NOT_ALLOWED = gettext_noop("只有该园区的企业用户可以举报园区收费")
NO_FEE_CATEGORY = gettext_noop("政策包未设置涉企收费举报的诉求类别（service.yaml 的 fee_category）")


@transaction.atomic
def park_fee_add(
    *, actor: User, park: Park, item: str, charged_by: str, basis: str, amount: str, approval: str
) -> ParkFee:
    """Put a fee in the park's register; one without a basis is flagged for review."""
    check_role(actor)
    if not Park.objects.visible_to(actor).filter(pk=park.pk).exists():
        raise WriteDenied(_(PARK_OUT_OF_SCOPE) % {"park": park.name}, code="out_of_scope")
    fee = ParkFee(
        park=park,
        item=clean_text(item, field="item", label=_("收费项目"), limit=100),
        charged_by=clean_text(charged_by, field="charged_by", label=_("收费主体"), limit=100),
        basis=clean_text(basis, field="basis", label=_("收费依据"), limit=200, required=False),
        amount=clean_text(amount, field="amount", label=_("收费标准"), limit=100),
        approval=clean_text(approval, field="approval", label=_("批准或备案文号"), limit=100, required=False),
        created_by=actor,
        created_at=clock.now(),
    )
    fee.full_clean()
    fee.save()
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=fee, after=snapshot(fee), detail="涉企收费：登记")
    return fee


@transaction.atomic
def fee_report(*, actor: User, fee: ParkFee, occurred_on: str, description: str) -> FeeReport:
    """A firm of the fee's park reports it as irregular: a case (投诉) naming the charging body."""
    firm = None
    if actor.role == Role.ENTERPRISE and actor.enterprise_id is not None:
        firm = Enterprise.objects.filter(pk=actor.enterprise_id).first()
    if firm is None or firm.park_id != fee.park_id:
        raise WriteDenied(_(REPORT_NOT_ALLOWED), code="fee_report_not_allowed")
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
    report.full_clean()
    report.save()
    audit_record(
        actor=actor, action=AuditLog.Action.CREATE, obj=report, after=snapshot(report), detail="涉企收费：举报"
    )
    return report
