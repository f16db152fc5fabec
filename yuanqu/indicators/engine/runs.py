"""Full and incremental runs. `compute_all` empties the cells and values and computes every source
and period; `touched_by` finds the cells an import batch wrote (or fed before a rollback), and
`recompute` aggregates those again and rolls up only the scopes that contain them, derived
indicators following their dependencies."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from yuanqu.core.periods import Period, month_end, year_period
from yuanqu.indicators.catalogue import in_dependency_order, indicator_catalogue
from yuanqu.indicators.engine.calendar import Calendar, data_calendar, distinct_values, indicator_periods
from yuanqu.indicators.engine.cells import CellSet, aggregate_cells, cell_sums, store_cells
from yuanqu.indicators.engine.compile import (
    INDICATOR_SOURCE_PREFIX,
    source_key,
)
from yuanqu.indicators.engine.rollup import (
    Registry,
    ScopeKey,
    SumCache,
    ValueWriter,
    base_sums_wanted,
    reported_values,
    rollup,
    scopes_of_cell,
)
from yuanqu.indicators.engine.scan import aggregate_source
from yuanqu.indicators.engine.storage import delete_rows
from yuanqu.indicators.models import (
    Frequency,
    IndicatorCell,
    IndicatorValue,
    ScopeKind,
)
from yuanqu.indicators.pack import Indicator, Term
from yuanqu.indicators.providers import provided_values
from yuanqu.registry.models import Enterprise, EnterpriseLabel, EnterpriseVersion, LandParcel, Park, ParkVersion
from yuanqu.registry.signals import HistoryChange
from yuanqu.stats.models import AnnualStat, ImportBatch, MonthlyStat, ParkAnnualStat

Progress = Callable[[str, int, int], None]


@dataclass
class RunResult:
    cells: int = 0
    values: int = 0
    periods: set[Period] = field(default_factory=set)


def terms_by_source(items: Iterable[Indicator]) -> dict[str, list[Term]]:
    grouped: dict[str, dict[str, Term]] = defaultdict(dict)
    for item in items:
        for term in item.terms:
            grouped[source_key(term)][term.key] = term
    return {key: list(terms.values()) for key, terms in grouped.items()}


def base_sources() -> list[str]:
    """The data sources the catalogue's terms read (not other indicators)."""
    grouped = terms_by_source(indicator_catalogue().indicators)
    return [key for key in grouped if not key.startswith(INDICATOR_SOURCE_PREFIX)]


def compute_all(progress: Progress | None = None, today: dt.date | None = None) -> RunResult:
    """Recompute every cell and value from the statistics and registry tables."""
    now = timezone.now()
    result = RunResult()
    items = in_dependency_order(indicator_catalogue().indicators)
    cal = data_calendar(today)
    grouped = terms_by_source(items)
    base_sources = [key for key in grouped if not key.startswith(INDICATOR_SOURCE_PREFIX)]
    total = len(base_sources) + len(items)
    delete_rows(IndicatorCell.objects.all())
    delete_rows(IndicatorValue.objects.all())
    sums = SumCache(Registry.load())
    # One scan per source over all its periods where it can (`scan`); a base source's cells depend
    # on the period's last day only, so a year and its December share them.
    for done, key in enumerate(base_sources, start=1):
        if progress is not None:
            progress(f"汇总 {key}", done, total)
        periods = cal.for_source(key)
        by_end = aggregate_source(key, grouped[key], periods)
        for period in periods:
            rows = by_end[period.end]
            result.cells += store_cells(key, period, rows, None, now, fresh=True)
            sums.put(key, period, cell_sums(rows))
            result.periods.add(period)
    stored_derived: set[tuple[str, Period]] = set()
    writer = ValueWriter(fresh=True)
    for offset, item in enumerate(items, start=1):
        if progress is not None:
            progress(f"计算指标 {item.name}", len(base_sources) + offset, total)
        if item.provided:
            values = provided_values(item.code, now)
            writer.add(values)
            result.values += len(values)
            continue
        if item.reported:
            values = reported_values(item, now)
            writer.add(values)
            result.values += len(values)
            continue
        periods = indicator_periods(item, cal)
        for term in item.terms:
            key = source_key(term)
            if not key.startswith(INDICATOR_SOURCE_PREFIX):
                continue
            for period in periods:
                if (key, period) not in stored_derived:
                    writer.flush()  # the derived source reads its dependency's stored values
                    rows = aggregate_cells(key, grouped[key], period)
                    result.cells += store_cells(key, period, rows, None, now, fresh=True)
                    sums.put(key, period, cell_sums(rows))
                    stored_derived.add((key, period))
        for period in periods:
            block = rollup(item, period, sums, None, now)[0]
            writer.add(block)
            result.values += len(block)
    writer.flush()
    return result


@dataclass
class Touched:
    """What an import changed: per source key and period, the cells (None: every cell)."""

    cells: dict[tuple[str, Period], CellSet | None] = field(default_factory=dict)
    everything: bool = False

    def add(self, key: str, period: Period, park_id: int | None, district_id: int) -> None:
        current = self.cells.setdefault((key, period), CellSet())
        if current is not None:
            current.add(park_id, district_id)


# The source whose rows record their import batch, per kind of batch.
BATCH_SOURCES: dict[str, str] = {
    ImportBatch.Kind.MONTHLY: "monthly",
    ImportBatch.Kind.ANNUAL: "annual",
    ImportBatch.Kind.PARK_ANNUAL: "park_annual",
    ImportBatch.Kind.LABELS: "enterprises",
    ImportBatch.Kind.LAND: "land",
}


# The sources aggregated from enterprise rows by the enterprise's park and district.
ENTERPRISE_SOURCES = ("monthly", "annual", "enterprises")


def touched_by(batch: ImportBatch, cal: Calendar) -> Touched:
    """The cells an import batch wrote, and the cells it fed before (a rolled-back batch's rows are
    gone, but its cells remember it), read in SQL: the distinct cells and periods of the batch's
    rows, and the stored cells whose lineage holds the batch. A period in which no source has a cell
    yet (a first month of data) is computed whole by `recompute`: its rows are not read here."""
    touched = Touched()
    kind = batch.kind
    years = set(cal.years) | set(cal.annual_years) | set(cal.park_years)
    december = set(cal.december_years)
    stored = stored_periods()
    if kind == ImportBatch.Kind.MONTHLY:
        # A December report also feeds its year, which may have cells of other sources already.
        months = [
            p.end.replace(day=1)
            for p in cal.months
            if (p.frequency, p.end) in stored or (p.end.month == 12 and (Frequency.YEAR, p.end) in stored)
        ]
        for park_id, district_id, month in _batch_rows_cells(MonthlyStat, batch, "period", months):
            touched.add("monthly", Period(month_end(month.year, month.month), Frequency.MONTH), park_id, district_id)
            if month.month == 12 and year_period(month.year) in december:
                touched.add("monthly", year_period(month.year), park_id, district_id)
    elif kind == ImportBatch.Kind.ANNUAL:
        known = [p.end.year for p in cal.annual_years if (p.frequency, p.end) in stored]
        for park_id, district_id, year in _batch_rows_cells(AnnualStat, batch, "year", known):
            touched.add("annual", year_period(year), park_id, district_id)
    elif kind == ImportBatch.Kind.PARK_ANNUAL:
        for park_id, district_id, year in (
            ParkAnnualStat.objects.filter(batch=batch).values_list("park_id", "park__district_id", "year").distinct()
        ):
            touched.add("park_annual", year_period(year), park_id, district_id)
    elif kind == ImportBatch.Kind.LABELS:
        # A label counts in every period it is valid at; its holder's cells are recomputed in each.
        holders = _enterprise_rows_cells(EnterpriseLabel.objects.filter(batch=batch), None)
        for park_id, district_id, _ in holders:
            for period in cal.for_source("enterprises"):
                touched.add("enterprises", period, park_id, district_id)
    elif kind == ImportBatch.Kind.LAND:
        for park_id, district_id in (
            LandParcel.objects.filter(batch=batch).values_list("park_id", "district_id").distinct()
        ):
            for period in cal.for_source("land"):
                touched.add("land", period, park_id, district_id)
    elif kind == ImportBatch.Kind.ENTERPRISES and batch.scopes is not None:
        # The parks an enterprise was created in, left or joined (intake records them with the
        # batch): their figures from enterprise rows change in every period.
        for park_id, district_id in batch.scopes:
            for source in ENTERPRISE_SOURCES:
                for period in cal.for_source(source):
                    touched.add(source, period, park_id, district_id)
        return touched
    elif kind != ImportBatch.Kind.ENTERPRISES:
        # A kind no indicator source reads (energy data, kept by yuanqu.energy): no cell changes.
        return touched
    else:
        # A batch whose scopes are unknown (older ones) may have changed every source's cells.
        touched.everything = True
        return touched
    source = BATCH_SOURCES[kind]
    for frequency, end, park_id, district_id in _cells_fed_by(source, batch.pk):
        period = Period(end, frequency)
        if period in years or period in december or period in cal.months:
            touched.add(source, period, park_id, district_id)
    # A period the source had no cell in (a first December report of a year that has annual data):
    # its indicators gain the period in every scope, so it is rolled up whole.
    has_cells = {
        (frequency, end)
        for frequency in Frequency.values
        for end in distinct_values(IndicatorCell, "period", source=source, frequency=frequency)
    }
    for key, period in list(touched.cells):
        if (period.frequency, period.end) not in has_cells:
            touched.cells[(key, period)] = None
    return touched


def _batch_rows_cells(
    model: type[MonthlyStat] | type[AnnualStat], batch: ImportBatch, period_field: str, periods: list[Any]
) -> set[tuple[int | None, int, Any]]:
    """The (park, district, period) of a statistics batch's rows in the periods given, in one
    statement: the enterprise's park now and the parks of its earlier versions (a row of a period
    counts in the park of that period; the superset recomputes a few cells more, never fewer)."""
    if not periods:
        return set()
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column = quote(model._meta.get_field(period_field).column)  # type: ignore[union-attr,arg-type]
    enterprises = quote(Enterprise._meta.db_table)
    versions = quote(EnterpriseVersion._meta.db_table)
    marks = ", ".join(["%s"] * len(periods))
    where = f"s.batch_id = %s AND s.{column} IN ({marks})"
    sql = (
        f"SELECT e.park_id, e.district_id, s.{column} FROM {table} s "  # noqa: S608 - model names, quoted
        f"JOIN {enterprises} e ON e.id = s.enterprise_id WHERE {where} "
        f"UNION SELECT v.park_id, v.district_id, s.{column} FROM {table} s "
        f"JOIN {versions} v ON v.enterprise_id = s.enterprise_id WHERE {where} AND v.valid_to IS NOT NULL"
    )
    field = model._meta.get_field(period_field)
    assert isinstance(field, models.Field)
    values = [field.get_db_prep_value(value, connection) for value in periods]
    with connection.cursor() as cursor:
        cursor.execute(sql, [batch.pk, *values, batch.pk, *values])
        return {(park_id, district_id, field.to_python(value)) for park_id, district_id, value in cursor.fetchall()}


def _enterprise_rows_cells(rows: QuerySet[Any], period_field: str | None) -> set[tuple[int | None, int, Any]]:
    """The (park, district, period) of rows of enterprises: the enterprise's park now and the parks
    of its earlier versions (a row of a period counts in the park of that period; the superset
    recomputes a few cells more, never fewer)."""
    period = [period_field] if period_field else []
    now = rows.values_list("enterprise__park_id", "enterprise__district_id", *period).distinct()
    earlier = (
        rows.filter(enterprise__versions__valid_to__isnull=False)
        .values_list("enterprise__versions__park_id", "enterprise__versions__district_id", *period)
        .distinct()
    )
    found: set[tuple[int | None, int, Any]] = set()
    for row in (*now, *earlier):
        found.add((row[0], row[1], row[2] if period_field else None))
    return found


def _cells_fed_by(source: str, batch_id: int) -> list[tuple[str, dt.date, int | None, int]]:
    """The stored cells of a source whose lineage holds the batch (frequency, period end, park,
    district): the containment is tested by the database (`@>` on PostgreSQL's jsonb, `json_each` on
    SQLite), instead of reading every cell's lineage and parsing it here."""
    quote = connection.ops.quote_name
    table = quote(IndicatorCell._meta.db_table)
    param: str | int
    if connection.vendor == "postgresql":
        holds, param = "batch_ids @> %s::jsonb", json.dumps([batch_id])
    else:
        holds, param = "EXISTS (SELECT 1 FROM json_each(batch_ids) WHERE json_each.value = %s)", batch_id
    sql = f"SELECT frequency, period, park_id, district_id FROM {table} WHERE source = %s AND {holds}"  # noqa: S608
    field = IndicatorCell._meta.get_field("period")
    assert isinstance(field, models.Field)
    with connection.cursor() as cursor:
        cursor.execute(sql, [source, param])
        return [(frequency, field.to_python(end), park, district) for frequency, end, park, district in cursor]


def touched_by_history(change: HistoryChange, cal: Calendar, sources: Iterable[str]) -> Touched:
    """The cells a change of dated state touched: the cells it names, in every period whose end falls
    on a changed day; an enterprise's version feeds the sources of enterprise rows, a park's own
    state every source."""
    touched = Touched()
    wanted = set(sources) if change.park_state else set(ENTERPRISE_SOURCES) & set(sources)
    for source in sorted(wanted):
        for period in cal.for_source(source):
            if change.covers(period.end):
                for park_id, district_id in change.cells:
                    touched.add(source, period, park_id, district_id)
    return touched


def affected_scopes(cells: CellSet | None, registry: Registry) -> set[ScopeKey] | None:
    if cells is None:
        return None
    scopes: set[ScopeKey] = set()
    for park_id in cells.parks:
        info = registry.parks.get(park_id)
        if info is not None:
            scopes |= {pair[1] for pair in scopes_of_cell(park_id, info.district_id, registry)}
    for district_id in cells.outside:
        scopes |= {pair[1] for pair in scopes_of_cell(None, district_id, registry)}
    return scopes


def recompute(touched: Touched, progress: Progress | None = None, today: dt.date | None = None) -> RunResult:
    """Aggregate again only the touched cells, and roll up only the scopes that contain them. Periods
    new to the calendar (a first month of data) are computed whole for every source that has them."""
    now = timezone.now()
    result = RunResult()
    cal = data_calendar(today)
    items = in_dependency_order(indicator_catalogue().indicators)
    grouped = terms_by_source(items)
    # A period is new when no source has a cell in it: a source without rows in a period stores no
    # cell there, and was aggregated again (and its indicators' values deleted) in every run.
    stored = stored_periods()
    carried: set[tuple[str, Period]] = set()
    for key in grouped:
        if key.startswith(INDICATOR_SOURCE_PREFIX):
            continue
        for period in cal.for_source(key):
            if (period.frequency, period.end) not in stored:
                touched.cells[(key, period)] = None
                copied = carry_cells(key, grouped[key], period, now)
                if copied is not None:
                    carried.add((key, period))
                    result.cells += copied
                    result.periods.add(period)
    registry = Registry.load()
    sums = SumCache(registry)
    # The touched periods of a source that share the same cells are aggregated in one scan.
    groups: dict[tuple[str, tuple[frozenset[int], frozenset[int]] | None], tuple[CellSet | None, list[Period]]] = {}
    for (key, period), cells in sorted(touched.cells.items(), key=lambda item: (item[0][0], item[0][1])):
        if key not in grouped or (key, period) in carried:
            continue
        identity = None if cells is None else (frozenset(cells.parks), frozenset(cells.outside))
        groups.setdefault((key, identity), (cells, []))[1].append(period)
    for done, ((key, _), (cells, touched_periods)) in enumerate(groups.items(), start=1):
        if progress is not None:
            progress(f"汇总 {key}", done, len(groups))
        by_end = aggregate_source(key, grouped[key], touched_periods, cells)
        for period in touched_periods:
            result.cells += store_cells(key, period, by_end[period.end], cells, now)
            sums.forget(key, period)
            result.periods.add(period)
    # Scopes to roll up, per source key and period; derived sources follow their dependency.
    scopes: dict[tuple[str, Period], set[ScopeKey] | None] = {
        (key, period): affected_scopes(cells, registry) for (key, period), cells in touched.cells.items()
    }
    changed_parks: dict[tuple[str, Period], set[int] | None] = {}
    derived_done: set[tuple[str, Period]] = set()
    sums.preload(base_sums_wanted(items, scopes, cal))
    writer = ValueWriter(fresh=False)
    for item in items:
        if item.external:
            continue
        periods = set(indicator_periods(item, cal))
        wanted: dict[Period, set[ScopeKey] | None] = {}
        for term in item.terms:
            key = source_key(term)
            if key.startswith(INDICATOR_SOURCE_PREFIX):
                dependency = key.removeprefix(INDICATOR_SOURCE_PREFIX)
                for (code, period), parks in list(changed_parks.items()):
                    if code != dependency or period not in periods:
                        continue
                    only = None if parks is None else CellSet(parks=set(parks))
                    if (key, period) not in derived_done:
                        writer.flush()  # the derived source reads its dependency's stored values
                        rows = aggregate_cells(key, grouped[key], period, only)
                        result.cells += store_cells(key, period, rows, only, now)
                        sums.forget(key, period)
                        derived_done.add((key, period))
                    _merge(wanted, period, affected_scopes(only, registry))
                continue
            for (source, period), found in scopes.items():
                if source == key and period in periods:
                    _merge(wanted, period, found)
        for period, asked in sorted(wanted.items(), key=lambda pair: pair[0]):
            values, missing = rollup(item, period, sums, asked, now)
            if asked is None:
                writer.remove_period(item, period)
            writer.add(values)
            writer.remove_scopes(item, period, missing)
            result.values += len(values)
            if asked is None:
                changed_parks[(item.code, period)] = None
            else:
                parks = {pk for pk, info in registry.parks.items() if (ScopeKind.PARK, info.code) in asked}
                changed_parks[(item.code, period)] = parks
    writer.flush()
    return result


# The sources whose cells depend on the period only through its last day and the dated rows of the
# registry tables named here (every date column of them: founded, valid from and to, recognised):
# the registry counts. Between two days on which none of those dates falls, their cells are equal.
CARRIED_SOURCES: dict[str, tuple[type[models.Model], ...]] = {
    "enterprises": (Enterprise, EnterpriseVersion, EnterpriseLabel, Park, ParkVersion),
}


def carry_cells(key: str, terms: Iterable[Term], period: Period, now: dt.datetime) -> int | None:
    """Store a new period's cells of a registry source as copies of its latest stored period ending
    on or before that day, when no date of the rows it reads (nor of the catalogue's label
    conditions) falls between the two days, both included: the registry counts of a new month are
    those of the month before unless a firm was founded, moved, closed, or a label or park state
    began or ended in between. Returns the cells stored, or None when the source must be scanned.
    At 100,000 firms the scan of one period end costs about twice the month's own `GROUP BY`."""
    models_read = CARRIED_SOURCES.get(key)
    if models_read is None:
        return None
    earlier = (
        IndicatorCell.objects.filter(source=key, period__lte=period.end)
        .order_by("-period", "frequency")
        .values_list("frequency", "period")
        .first()
    )
    if earlier is None:
        return None
    frequency, day = earlier
    if day < period.end and _dates_between(models_read, terms, day, period.end):
        return None
    oldest = IndicatorCell.objects.filter(source=key, frequency=frequency, period=day).aggregate(Min("computed_at"))
    if _written_since(models_read, oldest["computed_at__min"]):
        return None
    delete_rows(IndicatorCell.objects.filter(source=key, frequency=period.frequency, period=period.end))
    quote = connection.ops.quote_name
    table = quote(IndicatorCell._meta.db_table)
    columns = ("source", "frequency", "period", "cell", "park", "district", "partials", "batch_ids", "computed_at")
    names = ", ".join(quote(IndicatorCell._meta.get_field(name).column) for name in columns)  # type: ignore[union-attr,arg-type]
    copied = ", ".join(["source", "%s", "%s", "cell", "park_id", "district_id", "partials", "batch_ids", "%s"])
    adapt = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {copied} FROM {table} "  # noqa: S608 - model names, quoted
            "WHERE source = %s AND frequency = %s AND period = %s",
            [
                period.frequency,
                adapt.adapt_datefield_value(period.end),
                adapt.adapt_datetimefield_value(now),
                key,
                frequency,
                adapt.adapt_datefield_value(day),
            ],
        )
        copied_rows: int = cursor.rowcount
        return copied_rows


def _dates_between(
    models_read: Iterable[type[models.Model]], terms: Iterable[Term], start: dt.date, end: dt.date
) -> bool:
    """Whether a date column of the models, or a day a label condition of the terms turns on, falls
    in [start, end]."""
    for term in terms:
        for label in term.where.labels:
            for day in (label.new_since, label.left_since):
                if day is not None and start - dt.timedelta(days=1) <= day <= end + dt.timedelta(days=1):
                    return True
    for model in models_read:
        condition = Q()
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
                condition |= Q(**{f"{model_field.name}__range": (start, end)})
        if condition and model._default_manager.filter(condition).exists():
            return True
    return False


def _written_since(models_read: Iterable[type[models.Model]], since: dt.datetime | None) -> bool:
    """Whether a row of the models that keep the time of their last write (`auto_now`: enterprises,
    parks, dated versions) was written after `since` (the earlier cells' oldest computation): a
    change no run has recomputed yet is not carried forward. Labels keep no such time; a label
    entered by hand (without an import batch) is not recomputed by any incremental run."""
    if since is None:
        return True
    for model in models_read:
        stamps = [
            model_field.name
            for model_field in model._meta.concrete_fields
            if isinstance(model_field, models.DateTimeField) and getattr(model_field, "auto_now", False)
        ]
        condition = Q()
        for name in stamps:
            condition |= Q(**{f"{name}__gt": since})
        if stamps and model._default_manager.filter(condition).exists():
            return True
    return False


def stored_periods() -> set[tuple[str, dt.date]]:
    """The (frequency, period end) pairs in which some source has a cell: per frequency, a loose
    scan of the cells' `(frequency, period, source)` index (one probe per period, where `DISTINCT`
    read every cell)."""
    return {
        (frequency, end)
        for frequency in Frequency.values
        for end in distinct_values(IndicatorCell, "period", frequency=frequency)
    }


def _merge(wanted: dict[Period, set[ScopeKey] | None], period: Period, scopes: set[ScopeKey] | None) -> None:
    if period in wanted and wanted[period] is None:
        return
    if scopes is None:
        wanted[period] = None
    else:
        wanted.setdefault(period, set())
        current = wanted[period]
        assert current is not None
        current |= scopes
