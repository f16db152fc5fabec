"""服务标准清单: a park's list of the services it offers, line by line against the pack's service
types, maintained by the park's operator (and the park's district, and the city). A promised time
limit may be shorter than the pack's standard, never longer. Audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.core.audit import audit_record, changed, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied
from yuanqu.registry.models import Park
from yuanqu.service.config import config
from yuanqu.service.models import ParkService
from yuanqu.service.services.common import check_role, clean_text

PARK_OUT_OF_SCOPE = gettext_noop("园区“%(park)s”不在您的管理范围内，不能维护其服务清单")
UNKNOWN_TYPE = gettext_noop("未知的服务类型“%(code)s”，可选：%(allowed)s")
LINE_NOT_LISTED = gettext_noop("园区“%(park)s”的服务清单中没有“%(name)s”，无需撤下")
LONGER_THAN_STANDARD = gettext_noop("“%(name)s”的承诺时限为%(days)s个工作日，不得长于标准时限%(limit)s个工作日")


@transaction.atomic
def park_service_set(
    *,
    actor: User,
    park: Park,
    service_type: str,
    provider: str,
    promise: str,
    time_limit_days: int,
    fee: str,
    contact: str,
) -> ParkService:
    """Publish or change one line of the park's list."""
    check_role(actor)
    if not Park.objects.visible_to(actor).filter(pk=park.pk).exists():
        raise WriteDenied(_(PARK_OUT_OF_SCOPE) % {"park": park.name}, code="out_of_scope")
    cfg = config()
    try:
        kind = cfg.service_type(service_type)
    except KeyError:
        allowed = "、".join(item.code for item in cfg.service_types)
        raise ValidationError(
            {"service_type": _(UNKNOWN_TYPE) % {"code": service_type[:64], "allowed": allowed}}
        ) from None
    if time_limit_days > kind.time_limit_days:
        raise ValidationError(
            {
                "time_limit_days": _(LONGER_THAN_STANDARD)
                % {"name": kind.name, "days": time_limit_days, "limit": kind.time_limit_days}
            }
        )
    row = (
        ParkService.objects.select_for_update()
        .filter(park=park, service_type=service_type, retired_at__isnull=True)
        .first()
    )
    before = snapshot(row) if row is not None else None
    if row is None:
        row = ParkService(park=park, service_type=service_type)
    row.provider = clean_text(provider, field="provider", label=_("服务提供方"), limit=100)
    row.promise = clean_text(promise, field="promise", label=_("服务内容与标准"), limit=300)
    row.fee = clean_text(fee, field="fee", label=_("收费"), limit=100)
    row.contact = clean_text(contact, field="contact", label=_("联系方式"), limit=100)
    row.time_limit_days = time_limit_days
    row.updated_by = actor
    row.updated_at = clock.now()
    row.full_clean()
    row.save()
    after = snapshot(row)
    if before is None:
        audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=row, after=after, detail="服务清单：发布")
    else:
        old, new = changed(before, after)
        audit_record(
            actor=actor, action=AuditLog.Action.UPDATE, obj=row, before=old, after=new, detail="服务清单：修改"
        )
    return row


@transaction.atomic
def park_service_retire(*, actor: User, park: Park, service_type: str, reason: str) -> ParkService:
    """Take a line off the park's list (the park no longer offers it): the line is kept as history,
    with who, when and why; the type may be listed again later as a new line."""
    check_role(actor)
    if not Park.objects.visible_to(actor).filter(pk=park.pk).exists():
        raise WriteDenied(_(PARK_OUT_OF_SCOPE) % {"park": park.name}, code="out_of_scope")
    text = clean_text(reason, field="reason", label=_("撤下原因"), limit=200)
    row = (
        ParkService.objects.select_for_update()
        .filter(park=park, service_type=service_type, retired_at__isnull=True)
        .first()
    )
    if row is None:
        try:
            name = config().service_type(service_type).name
        except KeyError:
            name = service_type[:64]
        raise ValidationError({"service_type": _(LINE_NOT_LISTED) % {"park": park.name, "name": name}})
    before = snapshot(row)
    row.retired_at = clock.now()
    row.retired_by = actor
    row.retire_reason = text
    row.save(update_fields=["retired_at", "retired_by", "retire_reason"])
    old, new = changed(before, snapshot(row))
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, obj=row, before=old, after=new, detail="服务清单：撤下")
    return row
