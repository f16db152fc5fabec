"""Reads of 目标体系 and 督办, always through `visible_to`: the target board, one target with its
contributors, the task board with overdue reports, one task.

Target values come from the indicator engine's stored values (city and park-type scopes, readable
by every platform role); contributions by district and park are limited to what the user may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from yuanqu.core.access import filtered
from yuanqu.core.language import localised
from yuanqu.core.listing import Choices, QueryFilters, filters_from_query, named_in
from yuanqu.core.models import User
from yuanqu.core.pack import PolicyPack
from yuanqu.core.periods import Period
from yuanqu.indicators import catalogue
from yuanqu.indicators.models import CITY_CODE, Frequency, IndicatorValue, ScopeKind
from yuanqu.indicators.pack import INDICATORS, Indicator
from yuanqu.indicators.selectors import Scope, scope_names
from yuanqu.registry.models import ResponsibleUnit
from yuanqu.registry.park_types import park_type_name
from yuanqu.targets.models import (
    SupervisedTask,
    TaskAssignment,
    TaskComment,
    TaskReport,
    quarter_due,
    quarter_end,
    quarter_label,
    quarters,
)
from yuanqu.targets.pack import TARGETS, Target
from yuanqu.targets.progress import Observation, Progress, evaluate

# ── targets ────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ContextValue:
    """An indicator shown beside a target (the city-wide figure of a park-scope target, the other
    reading of 产值（营收）, the cumulative total): its latest value at the city."""

    indicator: Indicator
    latest: Observation | None

    @property
    def display_name(self) -> str:
        return localised(self.indicator.name, self.indicator.name_en)


@dataclass(frozen=True)
class ParksMeeting:
    """A target assessed park by park: of `parks` parks of the type, `meeting` meet it on their own."""

    meeting: int
    parks: int
    label: str


@dataclass
class TargetRow:
    target: Target
    indicator: Indicator | None
    scope: Scope
    scope_name: str
    years: list[Observation]
    months: list[Observation]
    progress: Progress | None  # None for constraints and for targets without values
    context: list[ContextValue] = field(default_factory=list)
    parks_meeting: ParksMeeting | None = None  # targets assessed park by park (assess_by)

    @property
    def is_goal(self) -> bool:
        return self.target.kind == "goal"

    @property
    def display_name(self) -> str:
        """The target's name for pages: its English `name_en` on an English page where the pack has
        one, else the Chinese name (which the exports and reports keep using)."""
        return localised(self.target.name, self.target.name_en)


def target_scope(target: Target) -> Scope:
    if target.scope == CITY_CODE:
        return Scope(ScopeKind.CITY, CITY_CODE)
    return Scope(ScopeKind.PARK_TYPE, target.scope)


# One stored value as the target rows read it: (period end, frequency, value).
Point = tuple[dt.date, str, Decimal | None]


def _observations(points: list[Point]) -> tuple[list[Observation], list[Observation]]:
    years: list[Observation] = []
    months: list[Observation] = []
    for end, frequency, value in sorted(points):
        if value is None:
            continue
        item = Observation(end, float(value), Period(end, frequency).label, frequency == Frequency.MONTH)
        (months if item.month else years).append(item)
    return years, months


def counts_from(item: Indicator) -> dt.date | None:
    """The day an indicator starts counting, when it counts new entries only (a label condition with
    `new_since`): its values before that day are 0 by construction, not observations of a trend."""
    days = [label.new_since for term in item.terms for label in term.where.labels if label.new_since is not None]
    return min(days) if days else None


def _indicator(pack: PolicyPack, code: str) -> Indicator | None:
    try:
        return pack.section(INDICATORS).indicator(code)
    except KeyError:
        return None


def _latest(item: Indicator, points: list[Point]) -> Observation | None:
    years, months = _observations(points)
    latest = years[-1] if years else None
    if catalogue.month_comparable(item) and months and (latest is None or months[-1].end > latest.end):
        latest = months[-1]
    return latest


def _row(user: User, target: Target, points: Points, pack: PolicyPack) -> TargetRow:
    scope = target_scope(target)
    item = _indicator(pack, target.indicator)
    years, months = _observations(points[_key(target.indicator, scope)])
    progress = None
    parks_meeting = None
    rules = pack.section(TARGETS).status_rules
    if target.kind == "goal" and item is not None and target.assess_by is None:
        comparable = catalogue.month_comparable(item)
        latest_month = months[-1] if comparable and months else None
        progress = evaluate(target, rules, years, latest_month, counts_from=counts_from(item))
    elif target.kind == "goal" and item is not None and target.assess_by is not None:
        # Assessed park by park: the status reads the share of the type's parks that meet the line on
        # their own, and the target is met when all of them do (100 %).
        by_park = _observations(points[_key(target.assess_by, CITY_SCOPE)])[0]
        progress = evaluate(replace(target, comparison="ge", value=100.0, unit="%"), rules, by_park)
        parks_meeting = _parks_meeting(user, target.assess_by, by_park[-1] if by_park else None)
    context = []
    for code in target.context:
        other = _indicator(pack, code)
        if other is not None:
            context.append(ContextValue(other, _latest(other, points[_key(code, CITY_SCOPE)])))
    if scope.kind == ScopeKind.CITY:
        name = gettext("全市")
    else:
        name = park_type_name(scope.code)
    return TargetRow(target, item, scope, name, years, months, progress, context, parks_meeting)


def _parks_meeting(user: User, indicator: str, latest: Observation | None) -> ParksMeeting | None:
    """The counts behind a park-by-park share: the stored terms of its latest city value (a count of
    the parks above the line, and of all parks of the type)."""
    if latest is None:
        return None
    stored = (
        IndicatorValue.objects.visible_to(user)
        .filter(indicator=indicator, scope_kind=ScopeKind.CITY, scope_code=CITY_CODE, frequency=Frequency.YEAR)
        .filter(period=latest.end)
        .values_list("terms", flat=True)
        .first()
    )
    if not isinstance(stored, dict):
        return None
    try:
        meeting, parks = (int(Decimal(str(stored[name]))) for name in ("above", "parks"))
    except (KeyError, ArithmeticError, ValueError, TypeError):
        return None
    return ParksMeeting(meeting, parks, latest.label)


CITY_SCOPE = Scope(ScopeKind.CITY, CITY_CODE)
Points = dict[tuple[str, str, str], list[Point]]


def _key(indicator: str, scope: Scope) -> tuple[str, str, str]:
    return (indicator, scope.kind, scope.code)


def _wanted(targets: Sequence[Target]) -> set[tuple[str, str, str]]:
    """The (indicator, scope) pairs a target row reads: its own, its park-by-park share and its
    context indicators (both at the city)."""
    wanted = set()
    for target in targets:
        wanted.add(_key(target.indicator, target_scope(target)))
        for code in (target.assess_by, *target.context):
            if code:
                wanted.add(_key(code, CITY_SCOPE))
    return wanted


def _points(user: User, targets: Sequence[Target], until: dt.date | None) -> Points:
    """The stored values of the targets' indicators and scopes, as tuples: the cockpit reads them on
    every visit, and building some 1,900 model objects took most of its server time."""
    wanted = _wanted(targets)
    values = IndicatorValue.objects.visible_to(user).filter(
        indicator__in={code for code, _, _ in wanted}, scope_kind__in=(ScopeKind.CITY, ScopeKind.PARK_TYPE)
    )
    if until is not None:
        values = values.filter(period__lte=until)
    points: dict[tuple[str, str, str], list[Point]] = defaultdict(list)
    for indicator, kind, code, end, frequency, value in values.values_list(
        "indicator", "scope_kind", "scope_code", "period", "frequency", "value"
    ):
        if (indicator, kind, code) in wanted:
            points[(indicator, kind, code)].append((end, frequency, value))
    return points


def target_rows(user: User, until: dt.date | None = None) -> list[TargetRow]:
    """Every target of the pack with its progress, from the values up to `until` (a quarter's end,
    for the quarterly report) or all of them: one query, the pack loaded once. The target board, the
    cockpit, the reports and the API all read targets here."""
    pack = catalogue.policy_pack()
    targets = pack.section(TARGETS).targets
    points = _points(user, targets, until)
    return [_row(user, t, points, pack) for t in targets]


def target_row(user: User, code: str) -> TargetRow:
    """One target; KeyError when the pack has no such target."""
    pack = catalogue.policy_pack()
    target = pack.section(TARGETS).target(code)
    return _row(user, target, _points(user, [target], None), pack)


@dataclass
class Contributor:
    scope: Scope
    name: str
    baseline: Decimal | None
    latest: Decimal | None
    change: Decimal | None
    share: float | None  # of the total change (additive indicators) or None
    meets: bool | None  # whether this unit alone meets the target value (ratio indicators)


@dataclass
class Contributions:
    kind: str  # district or park
    additive: bool
    period_label: str
    period_key: str
    rows: list[Contributor]

    @property
    def most(self) -> list[Contributor]:
        return self.rows[:5]

    @property
    def least(self) -> list[Contributor]:
        return list(reversed(self.rows[-5:])) if len(self.rows) > 5 else []


def is_additive(item: Indicator) -> bool:
    """A sum or a count: parts add up to the whole, so a part's change is its contribution."""
    return item.formula is not None and len(item.terms) == 1 and "/" not in item.formula.text


def contributions(user: User, row: TargetRow, kind: str) -> Contributions | None:
    """Districts or parks ranked by their contribution since the baseline (additive indicators) or by
    their latest value (ratios); only the ones the user may see."""
    item = row.indicator
    progress = row.progress
    if item is None or progress is None or progress.latest is None:
        return None
    if kind == ScopeKind.PARK and item.level not in ("enterprise", "park"):
        return None
    latest_frequency = Frequency.MONTH if progress.latest.month else Frequency.YEAR
    latest_end = progress.latest.end
    baseline_end = dt.date(row.target.baseline_year, 12, 31)
    values = IndicatorValue.objects.visible_to(user).filter(indicator=item.code, scope_kind=kind)
    if kind == ScopeKind.PARK and row.scope.kind == ScopeKind.PARK_TYPE:
        values = values.filter(park__park_type=row.scope.code)
    latest = {v.scope_code: v.value for v in values.filter(frequency=latest_frequency, period=latest_end)}
    base = {v.scope_code: v.value for v in values.filter(frequency=Frequency.YEAR, period=baseline_end)}
    codes = sorted(set(latest) | set(base))
    names = scope_names([Scope(kind, code) for code in codes])
    additive = is_additive(item)
    total_change = Decimal(0)
    found = []
    for code in codes:
        now, then = latest.get(code), base.get(code)
        change = now - then if now is not None and then is not None else None
        if additive and change is not None:
            total_change += change
        meets = None
        if not additive and now is not None and row.target.comparison in ("gt", "ge"):
            meets = float(now) > row.target.value if row.target.comparison == "gt" else float(now) >= row.target.value
        found.append(Contributor(Scope(kind, code), names.get((kind, code), code), then, now, change, None, meets))
    if additive and total_change:
        for contributor in found:
            if contributor.change is not None:
                contributor.share = float(contributor.change / total_change)
    if additive:
        found.sort(key=lambda c: (c.change is None, -(c.change or 0), c.scope.code))
    else:
        found.sort(key=lambda c: (c.latest is None, -(c.latest or 0), c.scope.code))
    period_key = Period(latest_end, latest_frequency).key
    return Contributions(kind, additive, progress.latest.label, period_key, found)


# ── tasks ──────────────────────────────────────────────────────────────────────────────────


@dataclass
class Overdue:
    task: SupervisedTask
    unit: ResponsibleUnit
    period: dt.date
    due: dt.date

    @property
    def period_label(self) -> str:
        return quarter_label(self.period)


@dataclass
class TaskLine:
    task: SupervisedTask
    leads: list[ResponsibleUnit]
    co_count: int
    latest_percent: int | None  # mean of the lead units' latest reports
    latest_report: TaskReport | None
    overdue: list[Overdue] = field(default_factory=list)
    presses: int = 0
    # A deadline (a 联席会议 decision's `due_on`) passed with the task not completed.
    past_due: bool = False


def reporting_quarters(today: dt.date) -> list[dt.date]:
    """Quarters whose report is due by `today`, from the start of the policy period."""
    pack = catalogue.policy_pack()
    due_days = pack.section(TARGETS).report_due_days
    return [q for q in quarters(pack.period_start, today) if quarter_due(q, due_days) < today]


# The board's group filter for the 保障措施 (tasks of kind safeguard, which have no group code).
SAFEGUARD_GROUP: str = SupervisedTask.Kind.SAFEGUARD.value


@dataclass(frozen=True)
class TaskFilters(QueryFilters):
    group: str = ""
    status: str = ""
    unit: str = ""
    overdue: bool = False
    # "due": by deadline, the earliest first, tasks without one last; else the plan's order.
    sort: str = ""

    @classmethod
    def from_query(cls, query: Any, reader: User | None = None) -> TaskFilters:
        """The board's filters in `query`; with a `reader`, a group or unit code that names none of
        the tasks the reader may see (another unit's, or no code at all) is no filter and said, as
        on the other lists (`core.listing.named_in`)."""
        choices: dict[str, Choices] = {"status": SupervisedTask.Status.values, "sort": ("due",)}
        if reader is not None:
            visible = SupervisedTask.objects.visible_to(reader)
            groups = named_in(visible, "group_code")
            choices["group"] = lambda code: code == SAFEGUARD_GROUP or groups(code)
            choices["unit"] = named_in(TaskAssignment.objects.filter(task__in=visible), "unit__code")
        return filters_from_query(cls, query, choices=choices)


def task_lines(user: User, filters: TaskFilters | None = None, today: dt.date | None = None) -> list[TaskLine]:
    """The task board: each visible task with its lead units, progress and overdue reports."""
    filters = filters or TaskFilters()
    today = today or timezone.localdate()
    tasks: QuerySet[SupervisedTask] = SupervisedTask.objects.visible_to(user)
    if filters.group:
        tasks = (
            tasks.filter(group_code=filters.group)
            if filters.group != SAFEGUARD_GROUP
            else tasks.filter(kind=SupervisedTask.Kind.SAFEGUARD)
        )
    tasks = filtered(tasks, {"status": filters.status, "assignments__unit__code": filters.unit})
    tasks = tasks.prefetch_related(
        Prefetch("assignments", queryset=TaskAssignment.objects.select_related("unit").order_by("sort_order"))
    ).distinct()
    task_list = list(tasks)
    reports: dict[tuple[int, int], list[TaskReport]] = defaultdict(list)
    for report in TaskReport.objects.visible_to(user).filter(task__in=task_list).select_related("unit"):
        reports[(report.task_id, report.unit_id)].append(report)
    presses: dict[int, int] = defaultdict(int)
    for task_id in (
        TaskComment.objects.visible_to(user)
        .filter(task__in=task_list, kind=TaskComment.Kind.PRESS)
        .values_list("task_id", flat=True)
    ):
        presses[task_id] += 1
    due_quarters = reporting_quarters(today)
    due_days = catalogue.policy_pack().section(TARGETS).report_due_days
    lines = []
    for task in task_list:
        assignments = list(task.assignments.all())
        leads = [a.unit for a in assignments if a.role == TaskAssignment.Role.LEAD]
        latest_reports = []
        overdue = []
        for unit in leads:
            filed = sorted(reports.get((task.pk, unit.pk), []), key=lambda r: r.period)
            if filed:
                latest_reports.append(filed[-1])
            periods = {r.period for r in filed}
            if task.status != SupervisedTask.Status.COMPLETED:
                owed = [q for q in due_quarters if task.reports_from is None or quarter_end(q) >= task.reports_from]
                overdue += [Overdue(task, unit, q, quarter_due(q, due_days)) for q in owed if q not in periods]
        percent = round(sum(r.percent_done for r in latest_reports) / len(leads)) if latest_reports and leads else None
        newest = max(latest_reports, key=lambda r: r.submitted_at) if latest_reports else None
        past_due = task.due_on is not None and task.due_on < today and task.status != SupervisedTask.Status.COMPLETED
        line = TaskLine(
            task, leads, len(assignments) - len(leads), percent, newest, overdue, presses[task.pk], past_due
        )
        if filters.overdue and not overdue:
            continue
        lines.append(line)
    if filters.sort == "due":
        lines.sort(key=lambda line: (line.task.due_on is None, line.task.due_on or dt.date.max))
    return lines


@dataclass
class TaskDetail:
    line: TaskLine
    assignments: list[TaskAssignment]
    reports: list[TaskReport]
    comments: list[TaskComment]
    targets: list[Target]


def task_detail(user: User, task: SupervisedTask, today: dt.date | None = None) -> TaskDetail:
    lines = [line for line in task_lines(user, today=today) if line.task.pk == task.pk]
    line = lines[0]
    assignments = list(task.assignments.select_related("unit").order_by("role", "sort_order"))
    reports = list(
        TaskReport.objects.visible_to(user)
        .filter(task=task)
        .select_related("unit", "submitted_by")
        .prefetch_related("attachments")
        .order_by("-period", "unit__code")
    )
    comments = list(
        TaskComment.objects.visible_to(user).filter(task=task).select_related("unit", "author", "report__unit")
    )
    plan = catalogue.policy_pack().section(TARGETS)
    targets = [plan.target(code) for code in task.target_codes if code in {t.code for t in plan.targets}]
    return TaskDetail(line, assignments, reports, comments, targets)


def units_of_tasks(user: User) -> QuerySet[ResponsibleUnit]:
    """Units assigned to a task the user may see (for the board's unit filter)."""
    assigned = TaskAssignment.objects.filter(task__in=SupervisedTask.objects.visible_to(user).values("pk"))
    return ResponsibleUnit.objects.filter(pk__in=assigned.values("unit_id")).order_by("kind", "code")
