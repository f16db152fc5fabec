"""The audit of a service's write, in the caller's transaction: a new row checked, saved and audited in
one step (`create_audited`: `full_clean()` with the model's rules and messages, `save()`, an entry of
its creation with every field, `core.audit.snapshot`), and a change audited from the row's snapshot
before it to the row now (`audit_change`). Who calls this: the services of the apps, for each row a
write creates whole (a visit, a fee, a ledger entry, a talent opening …) or changes."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model

from yuanqu.core.audit import audit_record, snapshot
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
