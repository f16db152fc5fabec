"""Reads of 陪跑: each firm's visit tier and due date, a specialist's 工作台 (my firms, visits due this
week, my open cases, firms whose revenue fell sharply), the visit history with the cases its needs
became. Everything is read through `visible_to(user)`.

The due date of a firm is its last visit (or, never visited, the day its specialist took it over)
plus its tier's interval in months; overdue when that day has passed. A planned visit does not move
the due date: only a recorded one does."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Prefetch, QuerySet

from yuanqu.casework.models import Case, Visit
from yuanqu.core.models import User
from yuanqu.core.rules import Status, evaluate
from yuanqu.registry.models import Enterprise
from yuanqu.service import attributes as attr
from yuanqu.service.config import config
from yuanqu.service.models import PlannedVisit, ServiceRequest, SpecialistAssignment, VisitNeed
from yuanqu.service.pack import ServiceConfig, VisitTier
from yuanqu.service.snapshots import Snapshot, snapshots

DUE_SOON_DAYS = 7


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def tier_for(cfg: ServiceConfig, snapshot: Snapshot, on: dt.date) -> VisitTier:
    """The first tier whose condition holds (a condition not known does not hold); the last one
    otherwise."""
    for tier in cfg.tiers:
        if tier.when is None or evaluate(tier.when, snapshot, on=on).status is Status.PASS:
            return tier
    return cfg.tiers[-1]


@dataclass(frozen=True)
class DueRow:
    enterprise: Enterprise
    specialist: str
    tier: VisitTier
    last_visit: dt.date | None
    next_due: dt.date
    planned_on: dt.date | None
    state: str  # overdue | due_soon | ok

    @property
    def state_label(self) -> str:
        from django.utils.translation import gettext as _

        return {"overdue": _("已逾期"), "due_soon": _("本周到期"), "ok": _("未到期")}[self.state]


def visit_schedule(user: User, enterprises: QuerySet[Enterprise], *, on: dt.date) -> list[DueRow]:
    """The due row of each firm the user may see among `enterprises` that has a specialist, most
    urgent first."""
    cfg = config()
    firms = list(
        Enterprise.objects.visible_to(user).filter(pk__in=enterprises.values("pk")).select_related("park", "district")
    )
    current = {
        row.enterprise_id: row
        for row in SpecialistAssignment.objects.current().filter(enterprise__in=firms).select_related("specialist")
    }
    firms = [firm for firm in firms if firm.pk in current]
    last = dict(
        Visit.objects.filter(enterprise__in=firms)
        .values("enterprise_id")
        .annotate(last=Max("visited_on"))
        .values_list("enterprise_id", "last")
    )
    # Latest first, so the earliest planned day is the one kept.
    planned: dict[int, dt.date] = dict(
        PlannedVisit.objects.filter(enterprise__in=firms, status=PlannedVisit.Status.PLANNED, planned_on__gte=on)
        .order_by("-planned_on")
        .values_list("enterprise_id", "planned_on")
    )
    values = snapshots(firms, on=on)
    rows = []
    for firm in firms:
        assignment = current[firm.pk]
        tier = tier_for(cfg, values[firm.pk], on)
        base = last.get(firm.pk) or assignment.started_on
        due = add_months(base, tier.every_months)
        state = "overdue" if due < on else "due_soon" if due <= on + dt.timedelta(days=DUE_SOON_DAYS) else "ok"
        rows.append(DueRow(firm, str(assignment.specialist), tier, last.get(firm.pk), due, planned.get(firm.pk), state))
    rows.sort(key=lambda row: (row.next_due, row.enterprise.name))
    return rows


def my_firms(user: User) -> QuerySet[Enterprise]:
    """The firms the user is currently the specialist of."""
    return Enterprise.objects.visible_to(user).filter(
        specialist_assignments__specialist=user, specialist_assignments__ended_on__isnull=True
    )


@dataclass(frozen=True)
class FallingFirm:
    enterprise: Enterprise
    growth: float


def falling_firms(user: User, enterprises: QuerySet[Enterprise], *, on: dt.date) -> list[FallingFirm]:
    """Firms whose last-year revenue fell by more than the pack's alert share, steepest first."""
    drop = config().revenue_drop_alert
    firms = list(
        Enterprise.objects.visible_to(user).filter(pk__in=enterprises.values("pk")).select_related("park", "district")
    )
    result = []
    values = snapshots(firms, on=on)
    for firm in firms:
        growth = values[firm.pk][attr.REVENUE_GROWTH]
        if isinstance(growth, float) and growth < -drop:
            result.append(FallingFirm(firm, growth))
    result.sort(key=lambda row: row.growth)
    return result


@dataclass(frozen=True)
class Workbench:
    firms: list[DueRow]
    due_this_week: list[DueRow]
    open_cases: list[Case]
    falling: list[FallingFirm]
    plans: list[PlannedVisit]
    overdue_requests: list[ServiceRequest]


def workbench(user: User, *, on: dt.date) -> Workbench:
    """A specialist's 工作台."""
    firms = my_firms(user)
    rows = visit_schedule(user, firms, on=on)
    return Workbench(
        firms=rows,
        due_this_week=[row for row in rows if row.state != "ok"],
        open_cases=list(
            Case.objects.visible_to(user)
            .open()
            .filter(enterprise__in=firms.values("pk"))
            .select_related("enterprise", "category")[:50]
        ),
        falling=falling_firms(user, firms, on=on),
        plans=list(
            PlannedVisit.objects.visible_to(user)
            .filter(specialist=user, status=PlannedVisit.Status.PLANNED)
            .select_related("enterprise")[:50]
        ),
        overdue_requests=list(overdue_requests(user, on=on).filter(enterprise__in=firms.values("pk"))[:50]),
    )


def overdue_requests(user: User, *, on: dt.date) -> QuerySet[ServiceRequest]:
    """Service requests of the user's scope still open past the day the park's list promised."""
    return (
        ServiceRequest.objects.visible_to(user)
        .filter(status=ServiceRequest.Status.OPEN, due_on__lt=on)
        .select_related("enterprise", "park", "line")
        .order_by("due_on", "pk")
    )


def visit_history(user: User, enterprise: Enterprise | None = None) -> QuerySet[Visit]:
    """Visits the user may see, with their details and the cases their needs became."""
    visits = Visit.objects.visible_to(user).select_related("enterprise", "visited_by", "detail")
    if enterprise is not None:
        visits = visits.filter(enterprise=enterprise)
    return visits.prefetch_related(Prefetch("needs", queryset=VisitNeed.objects.select_related("case").order_by("id")))
