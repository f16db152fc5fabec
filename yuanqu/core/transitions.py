"""A row's workflow status moved in one step, race-free and audited: one UPDATE that finds the row only
while its status is still the one the step starts from (a concurrent step that moved it first
leaves this one nothing to update: `Conflict` with the step's refusal, 409 on the API), the step's
other columns set in the same UPDATE, and the audit entry of the move (the status before and after,
and whatever else the step records). Who calls it: the services of the apps, for a status move
(`talent/services/`: a challenge closed or decided, a team's application, an interest answered,
an opening closed)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from yuanqu.core.audit import audit_record
from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog, User


def status_move(
    *,
    actor: User,
    row: Model,
    before: str,
    after: str,
    refused: str | None,
    columns: dict[str, Any] | None = None,
    audited: dict[str, Any] | None = None,
) -> None:
    """Move `row` from status `before` to `after`, setting `columns` too. With `refused` (a message,
    already in the reader's language), the UPDATE is version-checked on `before` and a row no longer
    there raises Conflict(refused); without it, the caller has checked the status itself under its
    own rule. The row in memory is not refreshed (the caller reads it again where it answers it)."""
    rows = type(row)._default_manager.filter(pk=row.pk)
    if refused is not None:
        rows = rows.filter(status=before)
    if not rows.update(status=after, **(columns or {})) and refused is not None:
        raise Conflict(refused)
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=row,
        before={"status": before},
        after={"status": after, **(audited or {})},
    )
