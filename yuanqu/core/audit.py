"""The audit log's one writer. Services call `audit_record` inside their transaction, so a write
and its audit entry commit or roll back together."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

from django.db import models

from yuanqu.core.models import AuditLog, User

# The client address of the request being served, set by middleware; None outside requests.
current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def _json_safe(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a row, JSON-safe, foreign keys as ids."""
    result: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        result[field.attname] = _json_safe(getattr(obj, field.attname))
    return result


# Bookkeeping columns that change on every save and say nothing about the change itself.
UNTRACKED_FIELDS = frozenset({"updated_at"})


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value differs, from both sides, so the log shows the change itself."""
    keys = [key for key in after if key not in UNTRACKED_FIELDS and before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str = "",
) -> AuditLog:
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.username if actor is not None else "system",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        before=_json_safe(before) if before is not None else None,
        after=_json_safe(after) if after is not None else None,
        detail=detail[:300],
        ip_address=current_ip.get(),
    )
