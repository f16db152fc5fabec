"""Casework reads, always through `Case.objects.visible_to(user)`: queues, the supervision board,
the timeline an enterprise may see, notifications, and the working-day calendar from the holiday table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from yuanqu.casework import clock
from yuanqu.casework.models import (
    ApprovalRequest,
    Attachment,
    Case,
    CaseEvent,
    CaseKind,
    CaseQuerySet,
    Category,
    Rating,
)
from yuanqu.casework.notify import notifications_for as notifications_for
from yuanqu.casework.notify import unread_count as unread_count
from yuanqu.core.access import filtered
from yuanqu.core.listing import Choices, QueryFilters, filters_from_query, named_in
from yuanqu.core.models import CalendarDay, CalendarYear, User
from yuanqu.core.roles import Role
from yuanqu.core.workdays import WorkCalendar
from yuanqu.registry.models import IndustryChain, Park, ResponsibleUnit
from yuanqu.registry.selectors import districts_in_scope, park_type_filter_code, parks_in_scope

_held_calendar: ContextVar[WorkCalendar | None] = ContextVar("casework_calendar", default=None)


@contextmanager
def calendar_held() -> Iterator[WorkCalendar]:
    """Read the holiday table once for a batch of work (the demo, the sweep) instead of per step."""
    calendar = work_calendar()
    token = _held_calendar.set(calendar)
    try:
        yield calendar
    finally:
        _held_calendar.reset(token)


def work_calendar() -> WorkCalendar:
    """The holiday table as a WorkCalendar: two small queries (a few hundred rows per decade)."""
    held = _held_calendar.get()
    if held is not None:
        return held
    holidays: list[dt.date] = []
    workdays: list[dt.date] = []
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (workdays if kind == CalendarDay.Kind.WORKDAY else holidays).append(day)
    years = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    return WorkCalendar.build(holidays=holidays, workdays=workdays, covered_years=years)


def uncovered_years_ahead(today: dt.date | None = None) -> list[int]:
    """This year and the next when the holiday table lacks them: the admin banner's warning. The next
    year only counts from November, when the State Council publishes it."""
    return CalendarYear.missing_ahead(today or clock.today())


def is_enterprise_user(user: User) -> bool:
    return user.role == Role.ENTERPRISE


# The case list's status filter: a status, or every open one.
OPEN = "open"


@dataclass(frozen=True)
class CaseFilters(QueryFilters):
    status: str = ""
    category: str = ""
    kind: str = ""
    unit: str = ""
    park: str = ""
    district: str = ""
    park_type: str = ""  # cases of parks of this type (the cockpit's filter); cases outside parks drop out
    chain: str = ""  # cases of parks with this lead chain
    overdue: bool = False
    repeat: bool = False
    uncovered: bool = False
    q: str = ""
    year: str = ""

    @classmethod
    def from_query(cls, data: Any, reader: User) -> CaseFilters:
        choices: dict[str, Choices] = {
            "status": {OPEN, *Case.Status.values},
            "kind": CaseKind.values,
            "park_type": park_type_filter_code,
            "year": str.isdigit,
            "category": named_in(Category.objects.visible_to(reader)),
            "unit": named_in(ResponsibleUnit.objects.visible_to(reader)),
            "park": named_in(parks_in_scope(reader)),
            "district": named_in(districts_in_scope(reader)),
            "chain": named_in(IndustryChain.objects.visible_to(reader)),
        }
        return filters_from_query(cls, data, choices=choices)


def case_list(user: User, filters: CaseFilters | None = None) -> CaseQuerySet:
    filters = filters or CaseFilters()
    cases: CaseQuerySet = Case.objects.visible_to(user).select_related(  # type: ignore[assignment]
        "category", "enterprise", "park", "district", "lead_unit", "first_responder"
    )
    if filters.status == OPEN:
        cases = cases.open()
    elif filters.status:
        cases = cases.filter(status=filters.status)
    cases = filtered(
        cases,
        {
            "category__code": filters.category,
            "kind": filters.kind,
            "lead_unit__code": filters.unit,
            "park__code": filters.park,
            "district__code": filters.district,
            "park__park_type": filters.park_type,
            "deadline_uncovered": filters.uncovered,
        },
    )
    if filters.chain:
        cases = cases.filter(park__in=Park.objects.filter(lead_chains__code=filters.chain).values("pk"))
    if filters.overdue:
        cases = cases.overdue(clock.today())
    if filters.repeat:
        cases = cases.filter(repeat_of__isnull=False)
    if filters.year.isdigit():
        cases = cases.filter(number__startswith=f"ZMN-{filters.year}-")
    if filters.q:
        cases = cases.filter(
            Q(number__icontains=filters.q) | Q(title__icontains=filters.q) | Q(enterprise__name__icontains=filters.q)
        )
    return cases


def handler_queue(user: User) -> CaseQuerySet:
    """A handler's unit's work, earliest deadline first: open cases it leads or co-handles, and new
    cases for it to accept."""
    cases = case_list(user).filter(status__in=(*Case.OPEN_STATUSES, Case.Status.SUBMITTED, Case.Status.APPEALED))
    return cases.order_by("deadline", "response_due", "submitted_at")  # type: ignore[return-value]


def timeline(user: User, case: Case) -> QuerySet[CaseEvent]:
    """The case's events the user may read: an enterprise only those marked for it."""
    events = (
        CaseEvent.objects.filter(case=case)
        .select_related("actor")
        .prefetch_related(Prefetch("attachments", queryset=_attachments_for(user, case)))
    )
    if is_enterprise_user(user):
        events = events.filter(visible_to_enterprise=True)
    return events


def _attachments_for(user: User, case: Case) -> QuerySet[Attachment]:
    attachments = Attachment.objects.filter(case=case)
    if is_enterprise_user(user):
        attachments = attachments.filter(visible_to_enterprise=True)
    return attachments


def attachment_for_download(user: User, attachment_id: int) -> Attachment | None:
    attachment = Attachment.objects.select_related("case").filter(pk=attachment_id).first()
    if attachment is None:
        return None
    if not Case.objects.visible_to(user).filter(pk=attachment.case_id).exists():
        return None
    if is_enterprise_user(user) and not attachment.visible_to_enterprise:
        return None
    return attachment


def ratings_for(case: Case) -> QuerySet[Rating]:
    return Rating.objects.filter(case=case).select_related("rated_by")


def pending_approvals(user: User) -> QuerySet[ApprovalRequest]:
    """Requests waiting for this supervisor (city admins: all; a district: its own cases)."""
    if user.role not in {Role.CITY_ADMIN, Role.SYSADMIN, Role.DISTRICT} and not user.is_superuser:
        return ApprovalRequest.objects.none()
    visible = Case.objects.visible_to(user).values("pk")
    return ApprovalRequest.objects.filter(status=ApprovalRequest.Status.PENDING, case__in=visible).select_related(
        "case", "requested_by"
    )


def overdue_follow_ups(user: User, today: dt.date) -> QuerySet[Rating]:
    visible = Case.objects.visible_to(user).values("pk")
    return Rating.objects.filter(case__in=visible, follow_up_due__lt=today, followed_up_at__isnull=True).select_related(
        "case"
    )
