"""`yuanqu casework-sweep`: the periodic pass that sends due reminders (催办) and escalations, follows
up bad ratings, closes replies left unrated, and recomputes deadlines once the holiday table covers a
year it lacked. Every step is idempotent (reminders are unique per case, kind and due date), so cron
or a systemd timer may run it as often as it likes. Each step is a plain function that tests call."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from yuanqu.casework import clock, services
from yuanqu.casework.models import Case, Rating, Reminder
from yuanqu.casework.rules import rules
from yuanqu.casework.selectors import work_calendar
from yuanqu.core.workdays import WorkCalendar


@dataclass
class SweepResult:
    recalculated: int = 0
    response_reminders: int = 0
    deadline_reminders: int = 0
    escalations: int = 0
    follow_up_reminders: int = 0
    auto_closed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _remind(case: Case, kind: str, due: dt.date, text: str) -> int:
    """Send the reminder unless it was sent before (one per case, kind and due day): 1 when sent."""
    return int(services.case_send_reminder(case=case, kind=kind, due=due, text=text) is not None)


def sweep_recalculate(calendar: WorkCalendar, *, all_open: bool = False) -> int:
    cases = Case.objects.filter(status__in=Case.CLOCK_STATUSES, clock_started_at__isnull=False)
    if not all_open:
        cases = cases.filter(deadline_uncovered=True)
    return sum(services.case_recalculate_deadline(case=case, calendar=calendar) for case in cases)


def sweep_response_reminders(today: dt.date) -> int:
    count = 0
    for case in Case.objects.unanswered(today).select_related("category"):
        assert case.response_due is not None
        text = f"诉求 {case.number} 超过受理时限（应于{case.response_due:%Y-%m-%d}前受理），请尽快受理"
        count += _remind(case, Reminder.Kind.RESPONSE, case.response_due, text)
    return count


def sweep_deadline_reminders(calendar: WorkCalendar, today: dt.date) -> int:
    count = 0
    ahead = rules().deadline_reminder_days  # casework.yaml: deadline_reminder_days
    # Deadlines that far in working days lie at most about twice as far in calendar days, plus a holiday.
    horizon = today + dt.timedelta(days=15 + 2 * ahead)
    cases = Case.objects.filter(
        status__in=Case.CLOCK_STATUSES, paused_since__isnull=True, deadline__gte=today, deadline__lte=horizon
    )
    for case in cases:
        assert case.deadline is not None
        start = case.deadline
        for _ in range(ahead):
            start = calendar.previous_workday(start)
        if today < start:
            continue
        text = f"诉求 {case.number} 将于{case.deadline:%Y-%m-%d}到期，请抓紧办理"
        count += _remind(case, Reminder.Kind.DEADLINE, case.deadline, text)
    return count


def sweep_escalations(today: dt.date) -> int:
    count = 0
    for case in Case.objects.overdue(today).select_related("lead_unit"):
        assert case.deadline is not None
        unit = case.lead_unit.name if case.lead_unit else "受理单位"
        text = f"超期上报：诉求 {case.number}（{unit}）已超过办理期限{case.deadline:%Y-%m-%d}，请督办"
        count += _remind(case, Reminder.Kind.ESCALATION, case.deadline, text)
    return count


def sweep_follow_up_reminders(today: dt.date) -> int:
    count = 0
    ratings = Rating.objects.filter(follow_up_due__lt=today, followed_up_at__isnull=True).select_related("case")
    for rating in ratings:
        assert rating.follow_up_due is not None
        text = f"诉求 {rating.case.number} 的差评应于{rating.follow_up_due:%Y-%m-%d}前回访，尚未回访"
        count += _remind(rating.case, Reminder.Kind.FOLLOW_UP, rating.follow_up_due, text)
    return count


def sweep_auto_close(calendar: WorkCalendar, today: dt.date) -> int:
    count = 0
    limit = rules().auto_close_days  # casework.yaml: auto_close_days
    for case in Case.objects.filter(status=Case.Status.REPLIED, replied_at__isnull=False):
        assert case.replied_at is not None
        if calendar.working_days_between(clock.local_date(case.replied_at), today) < limit:
            continue
        try:
            services.case_close(
                actor=None, case=case, version=case.version, note=f"企业未在答复后{limit}个工作日内评价，系统自动办结"
            )
        except services.CaseConflictError:
            continue  # someone acted on it meanwhile; the next sweep looks again
        count += 1
    return count


def sweep_run(*, today: dt.date | None = None, recalculate_all: bool = False) -> SweepResult:
    calendar = work_calendar()
    today = today or clock.today()
    result = SweepResult()
    result.recalculated = sweep_recalculate(calendar, all_open=recalculate_all)
    result.response_reminders = sweep_response_reminders(today)
    result.deadline_reminders = sweep_deadline_reminders(calendar, today)
    result.escalations = sweep_escalations(today)
    result.follow_up_reminders = sweep_follow_up_reminders(today)
    result.auto_closed = sweep_auto_close(calendar, today)
    return result
