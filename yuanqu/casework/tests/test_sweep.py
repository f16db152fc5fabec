"""`casework-sweep`: reminders before the deadline, escalation after it, response and follow-up
reminders, auto-closing unrated replies — each once, however often the sweep runs."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command

from yuanqu.casework import clock
from yuanqu.casework.models import Case, Notification, Reminder
from yuanqu.casework.sweep import sweep_run

from .conftest import CaseWorld, at


def _run(day: dt.datetime) -> dict[str, int]:
    with clock.frozen(day):
        return sweep_run().as_dict()


def test_it_reminds_the_day_before_and_escalates_after_the_deadline(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.IN_PROGRESS)  # deadline Monday 17 March 2025
    assert _run(at(2025, 3, 13, 8))["deadline_reminders"] == 0
    assert _run(at(2025, 3, 14, 8))["deadline_reminders"] == 1  # Friday: the working day before
    assert _run(at(2025, 3, 14, 18))["deadline_reminders"] == 0  # again the same day: nothing new
    assert _run(at(2025, 3, 17, 8))["deadline_reminders"] == 0
    assert _run(at(2025, 3, 17, 23))["escalations"] == 0
    escalated = _run(at(2025, 3, 18, 8))
    assert escalated["escalations"] == 1
    assert _run(at(2025, 3, 19, 8))["escalations"] == 0
    reminders = Reminder.objects.filter(case=case).order_by("created_at")
    assert [(r.kind, r.due.isoformat()) for r in reminders] == [
        ("deadline", "2025-03-17"),
        ("escalation", "2025-03-17"),
    ]
    case.refresh_from_db()
    assert case.escalated_at is not None
    escalation = case.events.get(action="escalate")
    assert not escalation.visible_to_enterprise
    supervisors = {n.recipient.username for n in Notification.objects.filter(kind="escalation")}
    assert supervisors == {"t-admin", "t-district-jx", "t-handler"}  # city, the case's district, 首问


def test_an_extension_gives_a_new_deadline_a_new_reminder(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.IN_PROGRESS)
    _run(at(2025, 3, 14, 8))
    from yuanqu.casework import services

    with clock.frozen(at(2025, 3, 14, 9)):
        approval = services.case_request_extension(actor=cw.user("handler"), case=case, days=2, reason="鉴定")
        fresh = Case.objects.get(pk=case.pk)
        services.case_decide_approval(
            actor=cw.user("city_admin"), approval=approval, version=fresh.version, approve=True
        )
    assert _run(at(2025, 3, 18, 8)) == {
        "recalculated": 0,
        "response_reminders": 0,
        "deadline_reminders": 1,
        "escalations": 0,
        "follow_up_reminders": 0,
        "auto_closed": 0,
    }


def test_it_reminds_unaccepted_cases_and_unfollowed_bad_ratings(cw: CaseWorld) -> None:
    waiting = cw.submit(when=at(2025, 3, 3, 9))  # to be accepted by 4 March
    assert _run(at(2025, 3, 4, 20))["response_reminders"] == 0
    assert _run(at(2025, 3, 5, 8))["response_reminders"] == 1
    assert _run(at(2025, 3, 6, 8))["response_reminders"] == 0
    assert Reminder.objects.get(case=waiting).kind == "response"
    replied = cw.to_status(Case.Status.REPLIED)
    cw.step(replied, "rate", at(2025, 3, 6), "enterprise", level="very_dissatisfied", resolved=False)
    assert _run(at(2025, 3, 13, 8))["follow_up_reminders"] == 0  # due 13 March
    assert _run(at(2025, 3, 14, 8))["follow_up_reminders"] == 1
    assert _run(at(2025, 3, 17, 8))["follow_up_reminders"] == 0


def test_it_closes_replies_left_unrated(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.REPLIED)  # replied Tuesday 4 March
    assert _run(at(2025, 3, 17, 8))["auto_closed"] == 0  # 9 working days
    assert _run(at(2025, 3, 18, 8))["auto_closed"] == 1
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.satisfied is None
    closing = case.events.get(action="close")
    assert closing.actor is None and closing.visible_to_enterprise and "自动办结" in closing.text
    assert _run(at(2025, 3, 19, 8))["auto_closed"] == 0


def test_the_command_reports_and_is_idempotent(cw: CaseWorld) -> None:
    cw.to_status(Case.Status.IN_PROGRESS)
    out = StringIO()
    with clock.frozen(at(2025, 3, 18, 8)):
        call_command("casework_sweep", stdout=out)
        call_command("casework_sweep", stdout=out)
    first, second = out.getvalue().strip().splitlines()
    assert "超期上报1件" in first and "超期上报0件" in second
    assert Reminder.objects.count() == 1
