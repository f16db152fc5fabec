"""The audit of a service's write, in the caller's transaction: a new row checked, saved and audited in
one step (`create_audited`: `full_clean()` with the model's rules and messages, `save()`, an entry of
its creation with every field, `core.audit.snapshot`), and a change audited from the row's snapshot
before it to the row now (`audit_change`). Who calls this: the services of the apps, for each row a
write creates whole (a visit, a fee, a ledger entry, a talent opening …) or changes.

`save_audited` checks (`full_clean()`), saves and audits a row whose audit entry is not simply its
every field (the action, before and after the service chose); `fields_edit` is a service's edit of
named fields, refused with `Conflict` when nothing would change."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import Model

from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog, User

M = TypeVar("M", bound=Model)


def create_audited(*, actor: User | None, row: M, detail: str = "") -> M:
    """Check `row` against its model's rules, save it and audit its creation; answers the row."""
    row.full_clean()
    row.save()
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=row, after=snapshot(row), detail=detail)
    return row


def audit_change(*, actor: User | None, row: Model, before: dict[str, Any], detail: str = "") -> AuditLog:
    """Audit a change of `row`: from `before` (its `snapshot` taken before the change) to every field
    it holds now."""
    return audit_record(
        actor=actor, action=AuditLog.Action.UPDATE, obj=row, before=before, after=snapshot(row), detail=detail
    )


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
