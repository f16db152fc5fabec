"""Casework statistics (三率 and more) by unit, park, district, category or month, over the cases a
user may see. Plain ORM aggregates over outcome columns the services keep on each case, so PostgreSQL
and SQLite both run them in one query per grouping.

- 响应率: accepted (or answered 不予受理) within the response limit (1 working day) ÷ (responded +
  still unaccepted past the limit).
- 按期办结率: replied on time ÷ (replied + open overdue) — the honest rate of DOMAIN.md §6.
- 解决率 and 满意率: over rated cases (the latest rating of each), the share the enterprise called
  resolved, and the share rated 基本满意 or better.
- 平均办理用时: working days from acceptance to reply, less 补正 pauses.
- 转办次数: transfers; by unit, the transfers out of that unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework.models import Case, Transfer
from yuanqu.casework.selectors import CaseFilters, case_list
from yuanqu.core.models import User
from yuanqu.core.roles import Role

# Who reads the 三率 statistics — the page, its export and the API alike: the staff of the city, the
# districts, the parks and the responsible units; not an enterprise, not the auditor.
STATS_READER_ROLES = frozenset(
    {Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR, Role.HANDLER}
)
ERR_NO_STATS = gettext_noop("无统计查看权限")


def may_read_statistics(user: User) -> bool:
    return user.is_superuser or user.role in STATS_READER_ROLES


GROUPINGS: dict[str, tuple[str, str]] = {
    "unit": ("lead_unit__name", gettext_noop("牵头单位")),
    "park": ("park__name", gettext_noop("园区")),
    "district": ("district__name", gettext_noop("所属区")),
    "category": ("category__name", gettext_noop("类别")),
    "month": ("month", gettext_noop("月份")),
}
# How the grouping is offered on the statistics page.
GROUPING_OPTIONS: dict[str, str] = {
    "unit": gettext_noop("按牵头单位"),
    "park": gettext_noop("按园区"),
    "district": gettext_noop("按所属区"),
    "category": gettext_noop("按类别"),
    "month": gettext_noop("按月份"),
}
TRANSFER_KEYS = {
    "unit": "from_unit__name",
    "park": "case__park__name",
    "district": "case__district__name",
    "category": "case__category__name",
    "month": "month",
}
# The grouping's identity: rows are grouped by it (two parks of the same name stay two rows) and
# labelled by the name above; the month is its own identity.
GROUP_IDS = {"unit": "lead_unit_id", "park": "park_id", "district": "district_id", "category": "category_id"}
TRANSFER_IDS = {
    "unit": "from_unit_id",
    "park": "case__park_id",
    "district": "case__district_id",
    "category": "case__category_id",
}
# Row labels for cases without a value of the grouping; translated when the rows are made.
NONE_LABELS = {"unit": gettext_noop("（未交办）"), "park": gettext_noop("（园区外）")}
UNFILLED = gettext_noop("（未填）")


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


# The counters of a row that the database counts per group (`_aggregates`); a row also sums the
# handling days and the transfers, which are counted apart.
DATABASE_COUNTS = (
    "submitted",
    "responded",
    "responded_on_time",
    "unanswered_late",
    "finished",
    "finished_on_time",
    "open_cases",
    "open_overdue",
    "rated",
    "resolved",
    "satisfied",
    "handling_count",
    "repeats",
)


@dataclass
class StatRow:
    label: str
    submitted: int = 0
    responded: int = 0
    responded_on_time: int = 0
    unanswered_late: int = 0
    finished: int = 0
    finished_on_time: int = 0
    open_cases: int = 0
    open_overdue: int = 0
    rated: int = 0
    resolved: int = 0
    satisfied: int = 0
    handling_days_sum: float = 0.0
    handling_count: int = 0
    transfers: int = 0
    repeats: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    key: Any = None  # the group's id (a park's, a unit's …; the month for months); None for the total

    @property
    def response_rate(self) -> float | None:
        return _rate(self.responded_on_time, self.responded + self.unanswered_late)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.finished_on_time, self.finished + self.open_overdue)

    @property
    def resolution_rate(self) -> float | None:
        return _rate(self.resolved, self.rated)

    @property
    def satisfaction_rate(self) -> float | None:
        return _rate(self.satisfied, self.rated)

    @property
    def average_handling_days(self) -> float | None:
        return round(self.handling_days_sum / self.handling_count, 1) if self.handling_count else None

    def add(self, other: StatRow) -> None:
        for name in (*DATABASE_COUNTS, "handling_days_sum", "transfers"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "submitted": self.submitted,
            "responded": self.responded,
            "responded_on_time": self.responded_on_time,
            "unanswered_late": self.unanswered_late,
            "response_rate": self.response_rate,
            "finished": self.finished,
            "finished_on_time": self.finished_on_time,
            "open": self.open_cases,
            "open_overdue": self.open_overdue,
            "on_time_rate": self.on_time_rate,
            "rated": self.rated,
            "resolved": self.resolved,
            "resolution_rate": self.resolution_rate,
            "satisfied": self.satisfied,
            "satisfaction_rate": self.satisfaction_rate,
            "average_handling_days": self.average_handling_days,
            "transfers": self.transfers,
            "repeats": self.repeats,
        }


def _aggregates(today: dt.date) -> dict[str, Any]:
    return {
        "submitted": Count("pk"),
        "responded": Count("pk", filter=Q(response_on_time__isnull=False)),
        "responded_on_time": Count("pk", filter=Q(response_on_time=True)),
        "unanswered_late": Count("pk", filter=Q(status=Case.Status.SUBMITTED, response_due__lt=today)),
        "finished": Count("pk", filter=Q(finished_on_time__isnull=False)),
        "finished_on_time": Count("pk", filter=Q(finished_on_time=True)),
        "open_cases": Count("pk", filter=Q(status__in=Case.OPEN_STATUSES)),
        "open_overdue": Count(
            "pk", filter=Q(status__in=Case.CLOCK_STATUSES, paused_since__isnull=True, deadline__lt=today)
        ),
        "rated": Count("pk", filter=Q(satisfied__isnull=False)),
        "resolved": Count("pk", filter=Q(satisfied__isnull=False, resolved=True)),
        "satisfied": Count("pk", filter=Q(satisfied=True)),
        "handling_avg": Avg("handling_working_days"),
        "handling_count": Count("pk", filter=Q(handling_working_days__isnull=False)),
        "repeats": Count("pk", filter=Q(repeat_of__isnull=False)),
    }


def _month_label(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%Y-%m}"
    return str(value or "")


def case_statistics(
    user: User, *, by: str = "unit", filters: CaseFilters | None = None, today: dt.date | None = None
) -> tuple[list[StatRow], StatRow]:
    """Rows for each group and the total, over the cases the user may see."""
    from yuanqu.casework import clock

    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}")
    today = today or clock.today()
    key = GROUPINGS[by][0]
    none_label = _(NONE_LABELS.get(by, UNFILLED))
    cases: QuerySet[Case] = case_list(user, filters).order_by()
    if by == "month":
        cases = cases.annotate(month=TruncMonth("submitted_at"))
    identity = GROUP_IDS.get(by, key)
    grouped = cases.values(*dict.fromkeys((identity, key))).annotate(**_aggregates(today)).order_by(key, identity)
    rows: dict[Any, StatRow] = {}
    for values in grouped:
        raw = values[key]
        label = _month_label(raw) if by == "month" else (raw or none_label)
        handling_count = values["handling_count"]
        rows[values[identity]] = StatRow(
            label=label,
            key=values[identity],
            **{name: values[name] for name in DATABASE_COUNTS},
            handling_days_sum=float(values["handling_avg"] or 0) * handling_count,
        )
    transfers = Transfer.objects.filter(case__in=cases.values("pk")).order_by()
    transfer_key = TRANSFER_KEYS[by]
    transfer_identity = TRANSFER_IDS.get(by, transfer_key)
    if by == "month":
        transfers = transfers.annotate(month=TruncMonth("case__submitted_at"))
    for values in transfers.values(*dict.fromkeys((transfer_identity, transfer_key))).annotate(n=Count("pk")):
        raw = values[transfer_key]
        label = _month_label(raw) if by == "month" else (raw or none_label)
        group = values[transfer_identity]
        rows.setdefault(group, StatRow(label=label, key=group)).transfers += values["n"]
    ordered = sorted(rows.values(), key=lambda row: (row.label == none_label or row.label.startswith("（"), row.label))
    total = StatRow(label=_("合计"))
    for row in ordered:
        total.add(row)
    return ordered, total


# Column headings of the export (translated by the view).
STAT_HEADERS = [
    gettext_noop("分组"),
    gettext_noop("诉求数"),
    gettext_noop("按时响应"),
    gettext_noop("响应率"),
    gettext_noop("已办结（已答复）"),
    gettext_noop("按期办结"),
    gettext_noop("在办超期"),
    gettext_noop("按期办结率"),
    gettext_noop("已评价"),
    gettext_noop("已解决"),
    gettext_noop("解决率"),
    gettext_noop("满意"),
    gettext_noop("满意率"),
    gettext_noop("平均办理用时（工作日）"),
    gettext_noop("转办次数"),
    gettext_noop("重复诉求"),
    gettext_noop("在办"),
]


def _percent(value: float | None) -> Any:
    return "" if value is None else round(value * 100, 1)


def stat_rows_for_export(rows: Sequence[StatRow], total: StatRow) -> Iterable[list[Any]]:
    for row in [*rows, total]:
        yield [
            row.label,
            row.submitted,
            row.responded_on_time,
            _percent(row.response_rate),
            row.finished,
            row.finished_on_time,
            row.open_overdue,
            _percent(row.on_time_rate),
            row.rated,
            row.resolved,
            _percent(row.resolution_rate),
            row.satisfied,
            _percent(row.satisfaction_rate),
            row.average_handling_days if row.average_handling_days is not None else "",
            row.transfers,
            row.repeats,
            row.open_cases,
        ]


__all__ = ["GROUPINGS", "GROUPING_OPTIONS", "STAT_HEADERS", "StatRow", "case_statistics", "stat_rows_for_export"]
