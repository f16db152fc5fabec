"""Indicator trends summed over a set of parks: 1–本月累计 months against the year before, years over
years, and how fully each month is reported."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from yuanqu.core.models import User
from yuanqu.dashboard.pack import dashboard_policy
from yuanqu.dashboard.selectors.common import (
    COVERAGE_MONTHS,
    _float,
    _items,
    indicator_name,
    period_label,
)
from yuanqu.indicators import catalogue
from yuanqu.indicators.models import Frequency, IndicatorValue, ScopeKind


@dataclass(frozen=True)
class TrendPoint:
    label: str
    end: dt.date
    value: float | None
    previous: float | None  # the same period a year before
    partial: bool = False  # the month is not reported in full (see month_coverage)

    @property
    def growth(self) -> float | None:
        """Year on year; not available for a month not reported in full, whose total holds only the
        firms that reported and so cannot be set against a complete year-before total."""
        if self.partial or self.value is None or not self.previous:
            return None
        return self.value / self.previous - 1


@dataclass(frozen=True)
class Trend:
    code: str
    name: str
    unit: str
    points: list[TrendPoint]

    @property
    def latest(self) -> TrendPoint | None:
        present = [point for point in self.points if point.value is not None]
        return present[-1] if present else None

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "unit": self.unit,
            "labels": [point.label for point in self.points],
            "values": [point.value for point in self.points],
            "previous": [point.previous for point in self.points],
            "growth": [None if point.growth is None else round(point.growth * 100, 2) for point in self.points],
        }


def _sums(
    user: User, park_codes: Sequence[str], codes: Sequence[str], frequency: str
) -> dict[tuple[str, dt.date], float | None]:
    """Sum of the park values of each indicator and period over the given parks (one query)."""
    rows = (
        IndicatorValue.objects.visible_to(user)
        .filter(indicator__in=codes, scope_kind=ScopeKind.PARK, frequency=frequency, scope_code__in=park_codes)
        .values("indicator", "period")
        .annotate(total=Sum("value"), n=Count("value"))
        .order_by()
    )
    return {(row["indicator"], row["period"]): _float(row["total"]) if row["n"] else None for row in rows}


def _same_period_last_year(end: dt.date) -> dt.date:
    from yuanqu.core.periods import month_end

    if end.month == 12 and end.day == 31:
        return dt.date(end.year - 1, 12, 31)
    return month_end(end.year - 1, end.month)


def monthly_trends(
    user: User,
    park_codes: Sequence[str],
    year: int,
    codes: Sequence[str] | None = None,
    until: dt.date | None = None,
    partial: Collection[dt.date] | None = None,
) -> list[Trend]:
    """1–本月累计 values of `year` (up to `until`) summed over the parks, each month with the same
    month of the year before (year on year). Months not reported in full over these parks (`partial`,
    month ends; worked out here when not given) get no growth. The pack's monthly trends by default."""
    if partial is None:
        partial = {end for end, found in month_coverage(user, park_codes).items() if not found.complete}
    items = _items(dashboard_policy().monthly_trends if codes is None else codes)
    sums = _sums(user, park_codes, [item.code for item in items], Frequency.MONTH)
    trends = []
    for item in items:
        ends = sorted(
            end for code, end in sums if code == item.code and end.year == year and (until is None or end <= until)
        )
        points = [
            TrendPoint(
                label=period_label(end, Frequency.MONTH, with_year=False),
                end=end,
                value=sums.get((item.code, end)),
                previous=sums.get((item.code, _same_period_last_year(end))),
                partial=end in partial,
            )
            for end in ends
        ]
        trends.append(Trend(item.code, indicator_name(item), item.unit, points))
    return trends


@dataclass(frozen=True)
class Coverage:
    """How fully a month is reported over a set of parks: the pack's report rate (firms that reported
    over firms due to report, indicators.yaml: reporting) with its terms summed over the parks."""

    share: float | None  # 0–1; None when no firm was due to report
    complete: bool


def month_coverage(user: User, park_codes: Sequence[str], limit: int = COVERAGE_MONTHS) -> dict[dt.date, Coverage]:
    """The coverage of the newest `limit` months that have a report rate for the parks, by month end.
    Empty when the pack names no report rate: every month then counts as complete."""
    pack = catalogue.indicator_catalogue()
    rule = pack.reporting
    if rule.indicator is None or not park_codes:
        return {}
    item = pack.indicator(rule.indicator)
    values = IndicatorValue.objects.visible_to(user).filter(
        indicator=item.code, scope_kind=ScopeKind.PARK, frequency=Frequency.MONTH, scope_code__in=park_codes
    )
    # One query: at most one row per park and month, newest first; a month cut off by the limit is dropped.
    most = len(park_codes) * limit
    rows = list(values.order_by("-period", "scope_code").values_list("period", "terms")[:most])
    totals: dict[dt.date, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for end, terms in rows:
        for name, amount in terms.items():
            totals[end][name] += Decimal(amount)
    ends = sorted(totals, reverse=True)
    if len(rows) == most and len(ends) > 1:
        ends.pop()
    found: dict[dt.date, Coverage] = {}
    for end in ends[:limit]:
        rate = item.evaluate(totals[end])
        share = None if rate is None else float(rate) / 100  # the loader holds the rate to unit %
        found[end] = Coverage(share, share is None or share >= rule.complete_share)
    return found


def annual_trends(user: User, park_codes: Sequence[str], codes: Sequence[str] | None = None) -> list[Trend]:
    """Year values summed over the parks, over the years (the pack's annual trends by default)."""
    items = _items(dashboard_policy().annual_trends if codes is None else codes)
    sums = _sums(user, park_codes, [item.code for item in items], Frequency.YEAR)
    trends = []
    for item in items:
        ends = sorted(end for code, end in sums if code == item.code)
        points = [
            TrendPoint(
                period_label(end, Frequency.YEAR),
                end,
                sums.get((item.code, end)),
                sums.get((item.code, _same_period_last_year(end))),
            )
            for end in ends
        ]
        trends.append(Trend(item.code, indicator_name(item), item.unit, points))
    return trends
