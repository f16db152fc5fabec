"""Park change requests: how a park asks for a change to fields the city owns.

A park operator (or the park's district) may not set its park's type, status, recognition or
evaluation inputs itself (core.permissions.FIELD_OWNERS); it files a request with the values it
asks for, and a city administrator approves or rejects it. Approval applies the values through
`park_update` (validated and audited like any registry write) only if every value the request saw
when it was filed still holds; otherwise it answers a conflict and changes nothing. Every step is
audited. Called by the registry API and pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import (
    CHANGE_REQUEST_ROLES,
    PARK_CITY_FIELDS,
    WriteDenied,
    has_role,
    is_city_admin,
    writable_fields,
)
from yuanqu.core.writes import create_audited
from yuanqu.registry.models import Park, ParkChangeRequest
from yuanqu.registry.services import park_update

# The city's fields a park may ask to change: the concrete ones (not the code, the district or the
# demo flag, which are the city's bookkeeping, nor the lead chains, a list kept by the city).
REQUESTABLE_FIELDS = tuple(
    name for name in PARK_CITY_FIELDS if name not in {"code", "district", "synthetic", "lead_chains"}
)

ERR_FILE_ROLE = "只有园区运营和所在区用户可以为本园区提交变更申请"
ERR_DECIDE_ROLE = "只有市级管理员可以审核园区信息变更申请"
ERR_WITHDRAW_ROLE = "只有申请人可以撤回变更申请"
ERR_NO_CHANGES = "请至少填写一项要变更的内容"
ERR_NOT_REQUESTABLE = "“{field}”不能通过变更申请修改"
ERR_OWN_FIELD = "“{field}”由您直接修改，无需申请"
ERR_SAME_VALUE = "申请值与当前值相同"
ERR_REASON = "请填写申请理由"
ERR_TOO_LONG = "不能超过{limit}个字符"
ERR_NOTE = "驳回时请填写审核意见"
ERR_TRANSITION = "变更申请当前状态为“{status}”，不能{action}"
ERR_CONFLICT = "园区信息在申请提交后已被修改（{fields}），申请中的原值已不成立；请驳回后由园区按当前信息重新申请"

TEXT_LIMIT = 1000


class ChangeRequestConflict(Conflict):
    """The park changed since the request was filed: approving it would overwrite that change."""


def park_field(name: str) -> models.Field[Any, Any]:
    """A concrete field of the park (every requestable field is one)."""
    field = Park._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _verbose(name: str) -> str:
    return str(park_field(name).verbose_name)


def _python(name: str, value: Any) -> Any:
    """A stored (JSON) value as the model field's Python value."""
    if value is None:
        return None
    return park_field(name).to_python(value)


def _current(park: Park, names: list[str]) -> dict[str, Any]:
    """The fields' values as stored in a request (JSON-safe, like the audit log's)."""
    return snapshot(park, fields=names)


def _text(value: str, *, field: str, empty: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: empty})
    if len(text) > TEXT_LIMIT:
        raise ValidationError({field: ERR_TOO_LONG.format(limit=TEXT_LIMIT)})
    return text


@transaction.atomic
def park_change_request_file(*, actor: User, park: Park, changes: dict[str, Any], reason: str) -> ParkChangeRequest:
    """File a request to change city-owned fields of the actor's park. The values are checked as
    the park would check them, so an approvable request is a valid one."""
    if not has_role(actor, CHANGE_REQUEST_ROLES["registry.Park"]):
        raise WriteDenied(ERR_FILE_ROLE, code="no_change_request")
    park = get_visible_or_404(Park.objects.select_for_update(), actor, pk=park.pk)
    if not changes:
        raise ValidationError({"changes": ERR_NO_CHANGES})
    own = writable_fields(actor, Park)
    errors: dict[str, str] = {}
    for name in changes:
        if name in own:
            errors[name] = ERR_OWN_FIELD.format(field=_verbose(name))
        elif name not in REQUESTABLE_FIELDS:
            errors[name] = ERR_NOT_REQUESTABLE.format(field=name)
    if errors:
        raise ValidationError(errors)
    names = sorted(changes)
    try:
        asked = {name: _python(name, changes[name]) for name in names}
    except ValidationError as exc:
        raise ValidationError({"changes": exc.messages}) from exc
    same = [name for name in names if getattr(park, name) == asked[name]]
    if same:
        raise ValidationError(dict.fromkeys(same, ERR_SAME_VALUE))
    reason = _text(reason, field="reason", empty=ERR_REASON)
    before = _current(park, names)
    # Validate the park as it would be, without saving it.
    for name, value in asked.items():
        setattr(park, name, value)
    park.full_clean()
    after = _current(park, names)
    request = ParkChangeRequest(
        park=park,
        changes={name: {"before": before[name], "after": after[name]} for name in names},
        reason=reason,
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    return create_audited(actor=actor, row=request, detail="园区信息变更申请：提交")


def _close(*, actor: User, request: ParkChangeRequest, status: str, action: str, note: str = "") -> ParkChangeRequest:
    """Move a proposed request to its final status, once: a second decision finds it closed."""
    locked = ParkChangeRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != ParkChangeRequest.Status.PROPOSED:
        raise ValidationError(
            ERR_TRANSITION.format(status=locked.get_status_display(), action=action), code="transition"
        )
    before = snapshot(locked)
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    after = snapshot(locked)
    keys = ("status", "decided_by_id", "decided_at", "decision_note")
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=locked,
        before={key: before[key] for key in keys},
        after={key: after[key] for key in keys},
        detail=f"园区信息变更申请：{action}",
    )
    return locked


@transaction.atomic
def park_change_request_approve(*, actor: User, request: ParkChangeRequest, note: str = "") -> ParkChangeRequest:
    """Apply the requested values, if every value the request saw still holds (409 otherwise)."""
    if not is_city_admin(actor):
        raise WriteDenied(ERR_DECIDE_ROLE, code="city_only")
    note = (note or "").strip()
    if len(note) > TEXT_LIMIT:
        raise ValidationError({"note": ERR_TOO_LONG.format(limit=TEXT_LIMIT)})
    locked = ParkChangeRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != ParkChangeRequest.Status.PROPOSED:
        raise ValidationError(
            ERR_TRANSITION.format(status=locked.get_status_display(), action="批准"), code="transition"
        )
    park = Park.objects.select_for_update().get(pk=locked.park_id)
    names = sorted(locked.changes)
    now = _current(park, names)
    moved = [name for name in names if now[name] != locked.changes[name]["before"]]
    if moved:
        raise ChangeRequestConflict(
            ERR_CONFLICT.format(fields="、".join(_verbose(name) for name in moved)), code="conflict"
        )
    park_update(actor=actor, park=park, **{name: _python(name, locked.changes[name]["after"]) for name in names})
    return _close(actor=actor, request=locked, status=ParkChangeRequest.Status.APPROVED, action="批准", note=note)


@transaction.atomic
def park_change_request_reject(*, actor: User, request: ParkChangeRequest, note: str) -> ParkChangeRequest:
    if not is_city_admin(actor):
        raise WriteDenied(ERR_DECIDE_ROLE, code="city_only")
    note = _text(note, field="note", empty=ERR_NOTE)
    return _close(actor=actor, request=request, status=ParkChangeRequest.Status.REJECTED, action="驳回", note=note)


@transaction.atomic
def park_change_request_withdraw(*, actor: User, request: ParkChangeRequest) -> ParkChangeRequest:
    if request.proposed_by_id != actor.pk or not actor.is_active:
        raise WriteDenied(ERR_WITHDRAW_ROLE, code="not_proposer")
    return _close(actor=actor, request=request, status=ParkChangeRequest.Status.WITHDRAWN, action="撤回")
