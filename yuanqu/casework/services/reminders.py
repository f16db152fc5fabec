"""Reminders: the manual 催办 and the sweep's steps (reminders by kind, deadlines recomputed when
the holiday table gains a year)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from yuanqu.casework import clock, notify
from yuanqu.casework.models import (
    Case,
    CaseEvent,
    Reminder,
)
from yuanqu.casework.services.access import _require
from yuanqu.casework.services.common import S, _bounded, _deadline, _deadline_text, _event, _save, _stored, _today
from yuanqu.core.audit import audit_record
from yuanqu.core.models import AuditLog, User
from yuanqu.core.workdays import WorkCalendar


@transaction.atomic
def case_remind(*, actor: User, case: Case, note: str = "") -> Reminder:
    """人工催办 by the supervisor or the 首问负责人."""
    _require(actor, case, "remind")
    reminder = Reminder.objects.create(
        case=case,
        kind=Reminder.Kind.MANUAL,
        due=case.deadline or case.response_due or _today(),
        note=_bounded(note.strip(), field="note", limit=300),
        by=actor,
        created_at=clock.now(),
    )
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=reminder, detail="诉求：催办")
    _event(case, actor, CaseEvent.Action.REMIND, f"催办：{note.strip() or '请抓紧办理'}", visible=False)
    target = case.lead_unit_id if case.status != S.SUBMITTED else case.receiving_unit_id
    notify.notify(
        notify.unit_handlers(target), case=case, kind="remind", text=f"催办：{case.number} {case.title}", exclude=actor
    )
    return reminder


@transaction.atomic
def case_recalculate_deadline(*, case: Case, calendar: WorkCalendar) -> bool:
    """Recompute an open case's deadline from its stored instants (after the holiday table gained a
    year). True when the deadline or the flag changed."""
    if case.status not in Case.CLOCK_STATUSES or case.clock_started_at is None:
        return False
    deadline = _deadline(case, calendar)
    if deadline.day == case.deadline and deadline.uncovered == case.deadline_uncovered:
        return False
    old = case.deadline
    _save(
        case,
        actor=None,
        version=case.version,
        label="重算期限",
        changes={"deadline": deadline.day, "deadline_uncovered": deadline.uncovered},
    )
    _event(
        case,
        None,
        CaseEvent.Action.RECALCULATE,
        f"节假日安排更新，办理期限由{old:%Y年%m月%d日}调整为{_deadline_text(deadline)}"
        if old
        else f"办理期限：{_deadline_text(deadline)}",
        visible=True,
    )
    return True


@transaction.atomic
def case_send_reminder(*, case: Case, kind: str, due: dt.date, text: str) -> Reminder | None:
    """One reminder per (case, kind, due): a second call for the same due date does nothing."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(case=case, kind=kind, due=due, note=text[:300], created_at=clock.now())
    except IntegrityError:
        return None
    if kind == Reminder.Kind.ESCALATION:
        Case.objects.filter(pk=case.pk, escalated_at__isnull=True).update(escalated_at=clock.now())
        recipients: list[User | None] = [*notify.supervisors(case), case.first_responder]
        _event(case, None, CaseEvent.Action.ESCALATE, text, visible=False)
    elif kind == Reminder.Kind.RESPONSE:
        recipients = [*notify.unit_handlers(case.receiving_unit_id), *notify.park_staff(case)]
        _event(case, None, CaseEvent.Action.REMIND, text, visible=False)
    else:
        recipients = [*notify.unit_handlers(case.lead_unit_id), case.first_responder]
        _event(case, None, CaseEvent.Action.REMIND, text, visible=False)
    detail = f"诉求：{_stored(reminder.get_kind_display)}"
    audit_record(actor=None, action=AuditLog.Action.CREATE, obj=reminder, detail=detail)
    notify.notify(recipients, case=case, kind=kind, text=text)
    return reminder
