"""A row checked, saved and audited in one step, for the writes whose audit entry is not simply the
row's every field (`core.writes.create_audited` is that case): `save_audited` runs the model's rules
(`full_clean()`), saves (only `update_fields` when given) and records the entry with the action,
the before and the after the service chose (by default the row's `snapshot`, with what it adds).
`fields_edit` is a service's edit of named fields: the values before, refused with `Conflict` when
nothing would change, set, saved and audited from the old values to the new.

Who calls this: the services of the apps (a meeting's decision, a policy match run, a register
entry corrected, a 载体 or a supply link written, a challenge or a recruitment event edited, an API
token made)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Model

from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog, User


def save_audited(
    *,
    actor: User | None,
    row: Model,
    values: dict[str, Any] | None = None,
    action: str = AuditLog.Action.CREATE,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    fields: Iterable[str] | None = None,
    also: dict[str, Any] | None = None,
    detail: str = "",
    update_fields: list[str] | None = None,
) -> AuditLog:
    """Set `values` (field name → value) on `row`, check it against its model's rules, save it and
    audit the write: `after` as given, or the row's `fields` (all by default) once saved with
    `also`'s entries added (e.g. the codes of its related rows)."""
    for name, value in (values or {}).items():
        setattr(row, name, value)
    row.full_clean()
    row.save(update_fields=update_fields)
    return audit_record(
        actor=actor,
        action=action,
        obj=row,
        before=before,
        after={**snapshot(row, fields), **(also or {})} if after is None else after,
        detail=detail,
    )


def _as_is(values: dict[str, Any]) -> dict[str, Any]:
    return values


def fields_edit(
    *,
    actor: User,
    row: Model,
    values: dict[str, Any],
    unchanged: str,
    audited: Callable[[dict[str, Any]], dict[str, Any]] = _as_is,
) -> None:
    """Set `values` (field name → new value) on `row`, check, save those fields alone and audit the
    change (`audited` turns the old and the new values into what the entry records, e.g. a foreign
    row into its code). An edit that changes nothing raises Conflict(`unchanged`, a message already
    in the reader's language) and writes nothing."""
    before = {name: getattr(row, name) for name in values}
    if before == values:
        raise Conflict(unchanged)
    save_audited(
        actor=actor,
        row=row,
        values=values,
        action=AuditLog.Action.UPDATE,
        before=audited(before),
        after=audited(values),
        update_fields=list(values),
    )
