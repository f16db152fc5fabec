"""啄木鸟's cards on the 工作台 (core.workbench): a handler's cases by deadline with the one-time-notice
clock, an enterprise's requests and what it is asked to supply, the open and overdue cases of a
district's or park's firms, and the city's week."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from yuanqu.casework import clock, selectors, services
from yuanqu.casework.models import Case
from yuanqu.casework.rules import rules
from yuanqu.core.models import User
from yuanqu.core.roles import CITY_WIDE_ROLES, Role
from yuanqu.core.workbench import Card, CardItem, Figure
from yuanqu.core.workdays import WorkCalendar

# How many lines a card lists before its "all" link; a card is a summary, the list is one click away.
ITEMS = 8
# A deadline this many working days away or closer is marked as due.
DUE_SOON_DAYS = 3


def cards(user: User, today: dt.date) -> list[Card]:
    if user.role == Role.HANDLER:
        return [_handler(user, today)]
    if user.role == Role.ENTERPRISE:
        return _enterprise(user)
    if user.role in (Role.DISTRICT, Role.PARK_OPERATOR):
        return [_scope_cases(user, today)]
    if user.role in CITY_WIDE_ROLES or user.is_superuser:
        return [_city_week(user, today)]
    return []


def _link(case: Case) -> str:
    return reverse("casework:case_detail", args=[case.number])


def _label(case: Case) -> str:
    return f"{case.number} {case.title}"


def _clock_note(case: Case, calendar: WorkCalendar, today: dt.date) -> tuple[str, str]:
    """What the case's clock says to whoever must act, and its tone."""
    if case.status == Case.Status.SUBMITTED:
        if case.response_due is None:
            return _("待受理"), ""
        late = case.response_due < today
        return _("应于 %(day)s 前受理") % {"day": case.response_due.isoformat()}, "late" if late else "due"
    if case.status == Case.Status.APPEALED:
        return _("企业申诉，待复核"), "due"
    if case.is_paused:
        since = clock.local_date(case.paused_since).isoformat() if case.paused_since else ""
        return _("已一次性告知，自 %(day)s 暂停计时，待企业补正") % {"day": since}, ""
    left = services.working_days_left(case, calendar, today)
    deadline = case.deadline.isoformat() if case.deadline else "—"
    if left is not None and left < 0:
        return _("办理期限 %(day)s，已超期 %(n)d 个工作日") % {"day": deadline, "n": -left}, "late"
    note = _("办理期限 %(day)s，剩 %(n)s 个工作日") % {"day": deadline, "n": "—" if left is None else left}
    if case.notice_sent_at is None and case.accepted_at is not None:
        accepted = clock.local_date(case.accepted_at)
        notice_by = calendar.add_working_days(accepted, rules().notice_limit_days).day
        if notice_by >= today:
            note += _("；如需补正材料，须在 %(day)s 前一次性告知") % {"day": notice_by.isoformat()}
    return note, "due" if left is not None and left <= DUE_SOON_DAYS else ""


def _handler(user: User, today: dt.date) -> Card:
    queue = selectors.handler_queue(user)
    calendar = selectors.work_calendar()
    overdue = queue.overdue(today).count()
    to_accept = queue.filter(status=Case.Status.SUBMITTED).count()
    items = []
    for case in queue[:ITEMS]:
        note, tone = _clock_note(case, calendar, today)
        items.append(CardItem(label=_label(case), url=_link(case), note=note, tone=tone))
    return Card(
        key="casework-queue",
        app="casework",
        title=_("待我办理的诉求"),
        figures=(
            Figure(_("在办"), queue.count(), reverse("casework:queue")),
            Figure(_("已超期"), overdue, reverse("casework:case_list") + "?overdue=1", "late" if overdue else ""),
            Figure(_("待受理"), to_accept, reverse("casework:queue"), "due" if to_accept else ""),
        ),
        items=items,
        empty=_("今天没有待办的诉求。"),
        more_url=reverse("casework:queue"),
        more_label=_("全部待办"),
        order=10,
    )


def _enterprise(user: User) -> list[Card]:
    cases = selectors.case_list(user)
    supply = cases.filter(status=Case.Status.AWAITING_SUPPLEMENT)
    to_rate = cases.filter(status=Case.Status.REPLIED)
    asked = [
        CardItem(
            label=_label(case),
            url=_link(case),
            note=_("请补充：%(items)s") % {"items": "；".join(str(item) for item in case.notice_items)},
            tone="due",
        )
        for case in supply[:ITEMS]
    ]
    asked += [
        CardItem(label=_label(case), url=_link(case), note=_("已答复，请评价办理结果"), tone="due")
        for case in to_rate[: max(0, ITEMS - len(asked))]
    ]
    recent = [
        CardItem(label=_label(case), url=_link(case), note=case.get_status_display())
        for case in cases.exclude(status__in=Case.TERMINAL_STATUSES)[:ITEMS]
    ]
    return [
        Card(
            key="casework-asked",
            app="casework",
            title=_("需要您处理的事项"),
            items=asked,
            empty=_("目前没有需要您补充材料或评价的诉求。"),
            more_url=reverse("casework:portal"),
            more_label=_("我的诉求"),
            order=10,
        ),
        Card(
            key="casework-mine",
            app="casework",
            title=_("我的诉求"),
            figures=(
                Figure(_("办理中"), cases.open().count()),
                Figure(_("待补充材料"), supply.count(), tone="due" if supply.exists() else ""),
                Figure(_("待评价"), to_rate.count(), tone="due" if to_rate.exists() else ""),
            ),
            items=recent,
            empty=_("您还没有提交过诉求。"),
            more_url=reverse("casework:case_new"),
            more_label=_("提交新诉求"),
            order=20,
        ),
    ]


def _scope_cases(user: User, today: dt.date) -> Card:
    cases = selectors.case_list(user)
    open_cases = cases.open()
    overdue = open_cases.overdue(today)
    calendar = selectors.work_calendar()
    listed = list(overdue.order_by("deadline")[:ITEMS])
    if len(listed) < ITEMS:
        listed += list(
            open_cases.exclude(pk__in=[case.pk for case in listed]).order_by("deadline")[: ITEMS - len(listed)]
        )
    items = []
    for case in listed:
        note, tone = _clock_note(case, calendar, today)
        owner = case.enterprise.name if case.enterprise else (case.park.name if case.park else "")
        items.append(
            CardItem(label=_label(case), url=_link(case), note=f"{owner} · {note}" if owner else note, tone=tone)
        )
    overdue_count = overdue.count()
    title = _("本园企业的在办诉求") if user.role == Role.PARK_OPERATOR else _("本区的在办与超期诉求")
    return Card(
        key="casework-scope",
        app="casework",
        title=title,
        figures=(
            Figure(_("在办"), open_cases.count(), reverse("casework:case_list") + "?status=open"),
            Figure(
                _("已超期"),
                overdue_count,
                reverse("casework:case_list") + "?overdue=1",
                "late" if overdue_count else "",
            ),
        ),
        items=items,
        empty=_("没有在办的诉求。"),
        more_url=reverse("casework:board"),
        more_label=_("诉求督办"),
        order=20,
    )


def _city_week(user: User, today: dt.date) -> Card:
    """The city's week in 啄木鸟: what came in and what was finished in the last seven days, against
    the seven days before, and what is overdue now."""
    cases = Case.objects.visible_to(user)
    week_start = today - dt.timedelta(days=6)
    last_start = week_start - dt.timedelta(days=7)
    new_week = cases.filter(submitted_at__date__gte=week_start, submitted_at__date__lte=today).count()
    new_last = cases.filter(submitted_at__date__gte=last_start, submitted_at__date__lt=week_start).count()
    closed_week = cases.filter(closed_at__date__gte=week_start, closed_at__date__lte=today).count()
    closed_last = cases.filter(closed_at__date__gte=last_start, closed_at__date__lt=week_start).count()
    overdue = cases.overdue(today).count()
    return Card(
        key="casework-week",
        app="casework",
        title=_("啄木鸟：近7天"),
        figures=(
            Figure(_("新提交（前7天 %(n)d）") % {"n": new_last}, new_week),
            Figure(_("办结（前7天 %(n)d）") % {"n": closed_last}, closed_week),
            Figure(_("当前超期"), overdue, reverse("casework:case_list") + "?overdue=1", "late" if overdue else ""),
        ),
        more_url=reverse("casework:stats"),
        more_label=_("诉求统计"),
        order=30,
    )
