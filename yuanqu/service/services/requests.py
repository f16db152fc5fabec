"""A firm's request for a service on its park's 服务标准清单, checked against the promise: the request
carries the line's promised time limit and its due day (that many working days after the day it is
made, on the platform's holiday calendar); the park's operator, its district or the city records the
outcome, and whether it was on time. Audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.casework.selectors import work_calendar
from yuanqu.core.audit import audit_record, changed, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied, is_enterprise_user
from yuanqu.core.writes import create_audited
from yuanqu.registry.models import Enterprise, Park
from yuanqu.service.models import ParkService, ServiceRequest
from yuanqu.service.services.common import check_role, clean_text
from yuanqu.service.services.standards import PARK_OUT_OF_SCOPE

REQUEST_NOT_ALLOWED = gettext_noop("只有该园区的企业用户可以申请园区清单中的服务")
LINE_RETIRED = gettext_noop("该服务已从园区清单撤下，不能申请")
REQUEST_DONE = gettext_noop("该服务申请已办结")


@transaction.atomic
def service_request_submit(*, actor: User, line: ParkService, description: str) -> ServiceRequest:
    """A firm of the line's park asks for the service; due the promised working days later."""
    firm = None
    if is_enterprise_user(actor) and actor.enterprise_id is not None:
        firm = Enterprise.objects.filter(pk=actor.enterprise_id).first()
    if firm is None or firm.park_id != line.park_id:
        raise WriteDenied(_(REQUEST_NOT_ALLOWED), code="service_request_not_allowed")
    line = ParkService.objects.get(pk=line.pk)  # as stored: the list may have changed since it was read
    if line.retired_at is not None:
        raise ValidationError({"service_type": _(LINE_RETIRED)})
    now = clock.now()
    request = ServiceRequest(
        park_id=line.park_id,
        line=line,
        enterprise=firm,
        description=clean_text(description, field="description", label=_("申请事项"), limit=500),
        time_limit_days=line.time_limit_days,
        submitted_by=actor,
        submitted_at=now,
        due_on=work_calendar().add_working_days(clock.today(), line.time_limit_days).day,
    )
    return create_audited(actor=actor, row=request, detail="服务申请：提交")


@transaction.atomic
def service_request_complete(*, actor: User, request: ServiceRequest, outcome: str) -> ServiceRequest:
    """The park's side records the outcome (once: a version-checked update); on time when done on
    or before the due day."""
    check_role(actor)
    park = Park.objects.get(pk=request.park_id)
    if not Park.objects.visible_to(actor).filter(pk=park.pk).exists():
        raise WriteDenied(_(PARK_OUT_OF_SCOPE) % {"park": park.name}, code="out_of_scope")
    text = clean_text(outcome, field="outcome", label=_("办理结果"), limit=500)
    before = snapshot(ServiceRequest.objects.get(pk=request.pk))
    updated = ServiceRequest.objects.filter(pk=request.pk, status=ServiceRequest.Status.OPEN).update(
        status=ServiceRequest.Status.DONE,
        done_at=clock.now(),
        done_by=actor,
        outcome=text,
        on_time=clock.today() <= request.due_on,
    )
    if updated != 1:
        raise ValidationError({"request": _(REQUEST_DONE)})
    request.refresh_from_db()
    old, new = changed(before, snapshot(request))
    audit_record(
        actor=actor, action=AuditLog.Action.UPDATE, obj=request, before=old, after=new, detail="服务申请：办结"
    )
    return request
