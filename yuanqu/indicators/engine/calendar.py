"""The data calendar: which periods the engine computes. The years with data (annual data, park
data, a December monthly report, the pack's baseline year), each ending on 31 December, and the
months with monthly reports; an indicator gets the periods that every one of its sources has.
`Period` itself is `yuanqu.core.periods.Period`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.utils import timezone

from yuanqu.core.periods import Period, month_end, year_period
from yuanqu.indicators.catalogue import indicator_catalogue, policy_pack
from yuanqu.indicators.models import (
    Frequency,
)
from yuanqu.indicators.pack import Indicator
from yuanqu.stats.models import AnnualStat, MonthlyStat, ParkAnnualStat


@dataclass(frozen=True)
class Calendar:
    years: tuple[Period, ...]
    months: tuple[Period, ...]
    annual_years: tuple[Period, ...]
    park_years: tuple[Period, ...]
    december_years: tuple[Period, ...]

    def for_source(self, source: str) -> tuple[Period, ...]:
        if source == "annual":
            return self.annual_years
        if source == "park_annual":
            return self.park_years
        if source == "monthly":
            return tuple(sorted((*self.months, *self.december_years)))
        return tuple(sorted((*self.years, *self.months)))


def distinct_values(model: type[models.Model], field_name: str, **equal: str) -> list[Any]:
    """The distinct values of an indexed column, in order, by a loose index scan: one index probe per
    value (WITH RECURSIVE … MIN(column) > previous), where SELECT DISTINCT reads every row — at 18
    million monthly rows that took 2 s on PostgreSQL and 9 s on SQLite for 36 months. `equal` keeps
    the rows whose (text) columns have the values given, the leading columns of the index used.
    Portable between SQLite and PostgreSQL."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.Field)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column = quote(field.column)
    where = "".join(f"{quote(model._meta.get_field(name).column)} = %s AND " for name in equal)  # type: ignore[union-attr,arg-type]
    sql = (
        f"WITH RECURSIVE found(value) AS (SELECT MIN({column}) FROM {table} "  # noqa: S608 - model names, quoted
        f"{'WHERE ' + where.removesuffix(' AND ') if where else ''} "
        f"UNION ALL SELECT (SELECT MIN({column}) FROM {table} WHERE {where}{column} > found.value) "
        "FROM found WHERE found.value IS NOT NULL) SELECT value FROM found WHERE value IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*equal.values(), *equal.values()])
        raw = [row[0] for row in cursor.fetchall()]
    # SQLite hands back dates as text; the field turns them into Python values like a query would.
    return [field.to_python(value) for value in raw]


def data_calendar(today: dt.date | None = None) -> Calendar:
    today = today or timezone.localdate()
    baseline = policy_pack().baseline_year
    months: list[dt.date] = distinct_values(MonthlyStat, "period")
    month_periods = tuple(Period(month_end(m.year, m.month), Frequency.MONTH) for m in months)
    december = {m.year for m in months if m.month == 12}
    annual = set(distinct_values(AnnualStat, "year"))
    park = set(distinct_values(ParkAnnualStat, "year"))
    years = {year for year in annual | park | december | {baseline} if dt.date(year, 12, 31) <= today}
    return Calendar(
        years=tuple(year_period(year) for year in sorted(years)),
        months=month_periods,
        annual_years=tuple(year_period(year) for year in sorted(annual)),
        park_years=tuple(year_period(year) for year in sorted(park)),
        december_years=tuple(year_period(year) for year in sorted(december)),
    )


def indicator_periods(item: Indicator, cal: Calendar) -> tuple[Period, ...]:
    """The periods every source of the indicator has (a dependency's periods for source: indicator)."""
    found: set[Period] | None = None
    for term in item.terms:
        if term.source == "indicator":
            dependency = indicator_catalogue().indicator(term.indicator or "")
            periods = set(indicator_periods(dependency, cal))
        else:
            periods = set(cal.for_source(term.source))
        found = periods if found is None else found & periods
    return tuple(sorted(found or ()))
