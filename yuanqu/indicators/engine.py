"""The indicator engine: catalogue terms compiled to one grouped aggregate query per data source and
period, partial sums stored per cell, values rolled up per scope.

How a value is made (docs/indicators.md has the long version):
1. The calendar: the years with data (annual data, park data, a December monthly report, the pack's
   baseline year), each ending on 31 December, and the months with monthly reports. Flows are taken
   from the period's rows; stocks (labels, land, parks) at the period's last day.
2. For each source and period, one query groups the source's rows by cell (park, or district outside
   parks) and computes every term of the catalogue that reads the source as a conditional aggregate
   (`SUM(measure) FILTER (WHERE …)` / `COUNT(*) FILTER (…)`, with EXISTS sub-queries for labels and
   lead chains): the ORM writes it for SQLite and PostgreSQL alike. The rows are also grouped by import
   batch, which gives each cell its lineage.
3. A scope's term value is the sum of its cells' partial sums (districts and the city under the
   indicator's coverage); the formula and the unit conversion come from the catalogue.

Who calls this: services.py (`indicators_compute_all`, `indicators_recompute_for_batch`)."""

from __future__ import annotations

import calendar as monthcal
import datetime as dt
import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from yuanqu.indicators.catalogue import in_dependency_order, indicator_catalogue, policy_pack
from yuanqu.indicators.models import (
    CITY_CODE,
    Frequency,
    IndicatorCell,
    IndicatorValue,
    ReportedValue,
    ScopeKind,
)
from yuanqu.indicators.pack import Indicator, Term
from yuanqu.registry.models import ChainNode, District, Enterprise, EnterpriseLabel, LandParcel, Park
from yuanqu.stats.measures import MEASURE_BY_CODE
from yuanqu.stats.models import AnnualStat, ImportBatch, MonthlyStat, ParkAnnualStat

Progress = Callable[[str, int, int], None]
ZERO = Decimal(0)
# Decimal places kept in stored values (the database column has six).
VALUE_PLACES = Decimal("0.000001")
INDICATOR_SOURCE_PREFIX = "indicator:"


def decimal_text(value: Decimal) -> str:
    """Exact text of a decimal without exponent or trailing zeros (the same on both databases)."""
    return format(value.normalize(), "f")


# ── periods ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, order=True)
class Period:
    end: dt.date
    frequency: str

    @property
    def label(self) -> str:
        if self.frequency == Frequency.YEAR:
            return f"{self.end.year}年"
        if self.end.month == 2:
            return f"{self.end.year}年1-2月"
        return f"{self.end.year}年1-{self.end.month}月"

    @property
    def key(self) -> str:
        """For URLs and the API: 2024 for a year, 2026-10 for a month."""
        return str(self.end.year) if self.frequency == Frequency.YEAR else f"{self.end:%Y-%m}"

    @staticmethod
    def parse(key: str) -> Period:
        """The inverse of `key`; ValueError on anything else."""
        if len(key) == 4 and key.isdigit():
            return Period(dt.date(int(key), 12, 31), Frequency.YEAR)
        year, month = (int(part) for part in key.split("-"))
        return Period(month_end(year, month), Frequency.MONTH)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, monthcal.monthrange(year, month)[1])


def year_period(year: int) -> Period:
    return Period(dt.date(year, 12, 31), Frequency.YEAR)


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


def distinct_values(model: type[models.Model], field_name: str) -> list[Any]:
    """The distinct values of an indexed column, in order, by a loose index scan: one index probe per
    value (WITH RECURSIVE … MIN(column) > previous), where SELECT DISTINCT reads every row — at 18
    million monthly rows that took 2 s on PostgreSQL and 9 s on SQLite for 36 months. Portable
    between SQLite and PostgreSQL."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.Field)
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(field.column)
    sql = (
        f"WITH RECURSIVE found(value) AS (SELECT MIN({column}) FROM {table} "  # noqa: S608 - model names, quoted
        f"UNION ALL SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > found.value) "
        "FROM found WHERE found.value IS NOT NULL) SELECT value FROM found WHERE value IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
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


# ── sources and terms compiled to the ORM ──────────────────────────────────────────────────


@dataclass(frozen=True)
class SourceSpec:
    """Where a source's rows are, and the paths from a row to its park, district, enterprise and
    industry class (None where the source has none)."""

    park: str
    district: str
    enterprise: str | None
    industry: str | None
    park_attrs: str  # prefix of the park's own fields
    batch: str | None


SPECS: dict[str, SourceSpec] = {
    "annual": SourceSpec(
        "enterprise__park_id",
        "enterprise__district_id",
        "enterprise_id",
        "enterprise__industry",
        "enterprise__park__",
        "batch_id",
    ),
    "monthly": SourceSpec(
        "enterprise__park_id",
        "enterprise__district_id",
        "enterprise_id",
        "enterprise__industry",
        "enterprise__park__",
        "batch_id",
    ),
    "enterprises": SourceSpec("park_id", "district_id", "pk", "industry", "park__", None),
    "land": SourceSpec("park_id", "district_id", None, None, "park__", "batch_id"),
    "park_annual": SourceSpec("park_id", "park__district_id", None, None, "park__", "batch_id"),
    "parks": SourceSpec("pk", "district_id", None, None, "", None),
    "indicator": SourceSpec("park_id", "district_id", None, None, "park__", None),
}


def source_key(term: Term) -> str:
    """Cells are stored per source; terms reading another indicator are stored per that indicator."""
    return f"{INDICATOR_SOURCE_PREFIX}{term.indicator}" if term.source == "indicator" else term.source


def _spec(key: str) -> SourceSpec:
    return SPECS["indicator" if key.startswith(INDICATOR_SOURCE_PREFIX) else key]


def rows_of(key: str, period: Period) -> models.QuerySet[Any]:
    """The source's rows of one period."""
    end = period.end
    if key == "annual":
        return AnnualStat.objects.filter(year=end.year)
    if key == "monthly":
        return MonthlyStat.objects.filter(period=end.replace(day=1))
    if key == "enterprises":
        return Enterprise.objects.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end))
    if key == "land":
        return LandParcel.objects.filter(Q(supplied_on__isnull=True) | Q(supplied_on__lte=end))
    if key == "park_annual":
        return ParkAnnualStat.objects.filter(year=end.year)
    if key == "parks":
        return Park.objects.all()
    if key.startswith(INDICATOR_SOURCE_PREFIX):
        return IndicatorValue.objects.filter(
            indicator=key.removeprefix(INDICATOR_SOURCE_PREFIX),
            scope_kind=ScopeKind.PARK,
            frequency=period.frequency,
            period=end,
        )
    raise ValueError(key)


def _measure_field(key: str, measure: str) -> str:
    if key == "monthly":
        flow = MEASURE_BY_CODE[measure].flow
        return f"{measure}_ytd" if flow else measure
    if key.startswith(INDICATOR_SOURCE_PREFIX):
        return "value"
    return measure


def _label_holders(kind: str, levels: tuple[str, ...], on: dt.date) -> models.QuerySet[Any]:
    """Ids of enterprises holding a label valid on the day: an uncorrelated sub-query, which both
    databases evaluate once per statement (a correlated EXISTS per row was 20× slower on SQLite)."""
    labels = EnterpriseLabel.objects.filter(kind=kind).valid_on(on)
    if levels:
        labels = labels.filter(level__in=levels)
    return labels.values("enterprise_id")


# The catalogue's comparison words and Django's lookups.
VALUE_LOOKUPS = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte", "eq": "exact"}


def _value_q(lookup: str, op: str, value: Decimal) -> Q:
    if op == "ne":
        return ~Q(**{lookup: value})
    return Q(**{f"{lookup}__{VALUE_LOOKUPS[op]}": value})


def term_condition(term: Term, key: str, period: Period) -> Q | None:
    """The row filter of a term in a source, for one period; None for no filter."""
    spec = _spec(key)
    where = term.where
    end = period.end
    parts: list[Q] = []
    if spec.enterprise is not None:
        holder = f"{spec.enterprise}__in"
        for label in where.labels:
            if label.new_since is None:
                parts.append(Q(**{holder: _label_holders(label.kind, label.levels, end)}))
                continue
            started = EnterpriseLabel.objects.filter(
                kind=label.kind, valid_from__gte=label.new_since, valid_from__lte=end
            )
            if label.levels:
                started = started.filter(level__in=label.levels)
            day_before = label.new_since - dt.timedelta(days=1)
            parts.append(
                Q(**{holder: started.values("enterprise_id")})
                & ~Q(**{holder: _label_holders(label.kind, label.levels, day_before)})
            )
    if spec.industry is not None:
        if where.industry_prefixes:
            any_prefix = Q()
            for prefix in where.industry_prefixes:
                any_prefix |= Q(**{f"{spec.industry}__code__startswith": prefix})
            parts.append(any_prefix)
        if where.high_tech is not None:
            high_tech = ~Q(**{f"{spec.industry}__high_tech_group": ""})
            parts.append(high_tech if where.high_tech else ~high_tech)
        if where.lead_chains is not None:
            through = ChainNode.industry_classes.through
            in_chain = Q(
                Exists(
                    through.objects.filter(
                        industryclass_id=OuterRef(f"{spec.industry}_id"),
                        chainnode__chain__parks=OuterRef(spec.park),
                    )
                )
            )
            parts.append(in_chain if where.lead_chains else ~in_chain)
    attrs = spec.park_attrs
    if where.park_types:
        parts.append(Q(**{f"{attrs}park_type__in": where.park_types}))
    if where.recognised is not None:
        recognised = Q(**{f"{attrs}status": Park.Status.RECOGNISED, f"{attrs}recognised_on__lte": end})
        parts.append(recognised if where.recognised else ~recognised)
    if where.smart_platform is not None:
        parts.append(Q(**{f"{attrs}smart_platform": where.smart_platform}))
    if where.green_levels:
        parts.append(Q(**{f"{attrs}green_level__in": where.green_levels}))
    if where.in_park is not None:
        parts.append(Q(**{f"{spec.park}__isnull": not where.in_park}))
    if where.land_uses:
        parts.append(Q(use__in=where.land_uses))
    for condition in where.values:
        lookup = "value" if condition.field == "value" else _measure_field(key, condition.field)
        parts.append(_value_q(lookup, condition.op, condition.value))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined &= part
    return combined


def term_aggregate(term: Term, key: str, period: Period) -> Sum | Count:
    condition = term_condition(term, key, period)
    if term.aggregate == "sum":
        return Sum(_measure_field(key, term.measure or ""), filter=condition)
    return Count("pk", filter=condition)


# ── cells ───────────────────────────────────────────────────────────────────────────────────


@dataclass
class CellSet:
    """Cells to aggregate again: parks, and districts' outside-park remainders. Empty means none."""

    parks: set[int] = field(default_factory=set)
    outside: set[int] = field(default_factory=set)

    def keys(self) -> set[str]:
        return {f"p{pk}" for pk in self.parks} | {f"d{pk}" for pk in self.outside}

    def add(self, park_id: int | None, district_id: int) -> None:
        if park_id is None:
            self.outside.add(district_id)
        else:
            self.parks.add(park_id)

    def update(self, other: CellSet) -> None:
        self.parks |= other.parks
        self.outside |= other.outside

    def __bool__(self) -> bool:
        return bool(self.parks or self.outside)


@dataclass
class CellRow:
    cell: str
    park_id: int | None
    district_id: int
    partials: dict[str, Decimal]
    batches: set[int]


def aggregate_cells(key: str, terms: Iterable[Term], period: Period, only: CellSet | None = None) -> list[CellRow]:
    """One grouped query: every term of the source, per cell (and per import batch, for lineage)."""
    spec = _spec(key)
    unique = {term.key: term for term in terms}
    if not unique:
        return []
    queryset = rows_of(key, period)
    if only is not None:
        in_parks = Q(**{f"{spec.park}__in": only.parks})
        outside = Q(**{f"{spec.park}__isnull": True, f"{spec.district}__in": only.outside})
        queryset = queryset.filter(in_parks | outside)
    group: dict[str, Any] = {"g_park": F(spec.park), "g_district": F(spec.district)}
    if spec.batch:
        group["g_batch"] = F(spec.batch)
    aliases = {f"t_{term_key}": term for term_key, term in unique.items()}
    rows = (
        queryset.values(**group)
        .annotate(**{alias: term_aggregate(term, key, period) for alias, term in aliases.items()})
        .order_by()
    )
    cells: dict[str, CellRow] = {}
    for row in rows:
        park_id, district_id = row["g_park"], row["g_district"]
        cell = f"p{park_id}" if park_id is not None else f"d{district_id}"
        found = cells.get(cell)
        if found is None:
            found = cells[cell] = CellRow(cell, park_id, district_id, {}, set())
        for alias, term in aliases.items():
            value = row[alias]
            if value is not None:
                found.partials[term.key] = found.partials.get(term.key, ZERO) + Decimal(value)
        if row.get("g_batch") is not None:
            found.batches.add(row["g_batch"])
    if key == "enterprises":
        _add_label_lineage(cells, queryset, period)
    return list(cells.values())


def _add_label_lineage(cells: dict[str, CellRow], enterprises: models.QuerySet[Any], period: Period) -> None:
    """The registry counts' lineage: the import batches that wrote the labels valid at the period's
    end held by the cell's enterprises (the label filters of the terms read exactly those rows)."""
    rows = (
        EnterpriseLabel.objects.valid_on(period.end)
        .filter(batch__isnull=False, enterprise__in=enterprises.values("pk"))
        .values_list("enterprise__park_id", "enterprise__district_id", "batch_id")
        .distinct()
    )
    for park_id, district_id, batch_id in rows:
        found = cells.get(f"p{park_id}" if park_id is not None else f"d{district_id}")
        if found is not None:
            found.batches.add(batch_id)


def store_cells(
    key: str, period: Period, rows: list[CellRow], only: CellSet | None, now: dt.datetime, *, fresh: bool = False
) -> int:
    """Replace the stored cells of a source and period (all of them, or those in `only`); `fresh`
    when the table was emptied before."""
    if not fresh:
        existing = IndicatorCell.objects.filter(source=key, frequency=period.frequency, period=period.end)
        if only is not None:
            existing = existing.filter(cell__in=only.keys())
        existing.delete()
    _executemany(
        IndicatorCell,
        ("source", "frequency", "period", "cell", "park", "district", "partials", "batch_ids", "computed_at"),
        [
            (
                key,
                period.frequency,
                period.end,
                row.cell,
                row.park_id,
                row.district_id,
                {term_key: decimal_text(value) for term_key, value in row.partials.items()},
                sorted(row.batches),
                now,
            )
            for row in rows
        ],
    )
    return len(rows)


def _executemany(
    model: type[models.Model],
    names: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    conflict: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
) -> None:
    """Write rows without `bulk_create`, whose model instances and per-field preparation dominate a
    full recompute (tens of thousands of values). Plain inserts: one prepared `INSERT` run many
    times on SQLite; `COPY … FROM STDIN` on PostgreSQL (parameterised inserts cost it a round trip per
    row, or a slow plan per multi-row statement: 65,000 values took 7–14 s, COPY takes under 2 s).
    With `conflict` (unique fields, fields to update) an upsert in multi-row statements,
    `ON CONFLICT (…) DO UPDATE SET … = excluded.…`, which SQLite (3.24+) and PostgreSQL both run."""
    if not rows:
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns: list[str] = [field.column for field in fields]  # type: ignore[union-attr,misc]
    column_list = ", ".join(quote(column) for column in columns)
    table = quote(meta.db_table)
    prepare = [_adapter(field) for field in fields]
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        if conflict is None and connection.vendor == "postgresql":
            json_columns = [isinstance(field, models.JSONField) for field in fields]
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    pairs = zip(json_columns, row, strict=True)
                    copy.write_row([json.dumps(value) if is_json else value for is_json, value in pairs])
            return
        if conflict is None:
            cursor.executemany(
                f"INSERT INTO {table} ({column_list}) VALUES {marks}",  # noqa: S608 - names from the model
                [[function(value) for function, value in zip(prepare, row, strict=True)] for row in rows],
            )
            return
        unique, update = conflict
        unique_columns: list[str] = [meta.get_field(name).column for name in unique]  # type: ignore[union-attr,misc]
        update_columns: list[str] = [meta.get_field(name).column for name in update]  # type: ignore[union-attr,misc]
        tail = f" ON CONFLICT ({', '.join(quote(column) for column in unique_columns)}) DO UPDATE SET " + ", ".join(
            f"{quote(column)} = excluded.{quote(column)}" for column in update_columns
        )
        for start in range(0, len(rows), UPSERT_ROWS):
            chunk = rows[start : start + UPSERT_ROWS]
            params = [function(value) for row in chunk for function, value in zip(prepare, row, strict=True)]
            values = ", ".join([marks] * len(chunk))
            cursor.execute(f"INSERT INTO {table} ({column_list}) VALUES {values}{tail}", params)  # noqa: S608


# Rows per upsert statement (an import's recompute writes hundreds to a few thousand values).
UPSERT_ROWS = 500


def _identity(value: Any) -> Any:
    return value


def _adapter(field: Any) -> Callable[[Any], Any]:
    """The backend's adaptation of one column's values, without a model field's per-call overhead:
    dates and times through the backend's adapters (memoised: a run writes few distinct ones), JSON
    through `adapt_json_value`; text, numbers and decimals go to the driver as they are (Django's
    SQLite backend registers a Decimal adapter, psycopg adapts Decimal natively)."""
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return lambda value: ops.adapt_json_value(value, field.encoder)
    if isinstance(field, models.DateTimeField):
        return functools.lru_cache(maxsize=64)(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return functools.lru_cache(maxsize=4096)(ops.adapt_datefield_value)
    return _identity


# ── roll-up ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ParkInfo:
    code: str
    park_type: str
    district_id: int


@dataclass(frozen=True)
class Registry:
    parks: dict[int, ParkInfo]
    districts: dict[int, str]
    park_ids: dict[str, int]
    district_ids: dict[str, int]

    @staticmethod
    def load() -> Registry:
        parks = {
            pk: ParkInfo(code, park_type, district_id)
            for pk, code, park_type, district_id in Park.objects.values_list("pk", "code", "park_type", "district_id")
        }
        districts = dict(District.objects.values_list("pk", "code"))
        return Registry(
            parks,
            districts,
            {info.code: pk for pk, info in parks.items()},
            {code: pk for pk, code in districts.items()},
        )


ScopeKey = tuple[str, str]  # (scope kind, scope code)


@dataclass
class ScopeSum:
    partials: dict[str, Decimal] = field(default_factory=dict)
    batches: set[int] = field(default_factory=set)

    def add(self, partials: Mapping[str, Decimal], batches: Iterable[int]) -> None:
        for term_key, value in partials.items():
            self.partials[term_key] = self.partials.get(term_key, ZERO) + value
        self.batches.update(batches)


@dataclass
class SourceSums:
    """A source's cells of one period summed per scope, for both coverages (in parks / whole city)."""

    by_scope: dict[tuple[str, ScopeKey], ScopeSum]

    def get(self, coverage: str, scope: ScopeKey) -> ScopeSum | None:
        if scope[0] in (ScopeKind.PARK, ScopeKind.PARK_TYPE):
            coverage = "parks"
        return self.by_scope.get((coverage, scope))


def scopes_of_cell(park_id: int | None, district_id: int, registry: Registry) -> list[tuple[str, ScopeKey]]:
    """The (coverage, scope) pairs a cell adds to."""
    district = registry.districts.get(district_id, str(district_id))
    pairs: list[tuple[str, ScopeKey]] = [
        ("city", (ScopeKind.DISTRICT, district)),
        ("city", (ScopeKind.CITY, CITY_CODE)),
    ]
    if park_id is not None:
        info = registry.parks.get(park_id)
        if info is not None:
            pairs += [
                ("parks", (ScopeKind.PARK, info.code)),
                ("parks", (ScopeKind.PARK_TYPE, info.park_type)),
                ("parks", (ScopeKind.DISTRICT, district)),
                ("parks", (ScopeKind.CITY, CITY_CODE)),
            ]
    return pairs


def load_sums(key: str, period: Period, registry: Registry) -> SourceSums:
    sums: dict[tuple[str, ScopeKey], ScopeSum] = defaultdict(ScopeSum)
    cells = IndicatorCell.objects.filter(source=key, frequency=period.frequency, period=period.end)
    rows = cells.values_list("park_id", "district_id", "partials", "batch_ids")
    for park_id, district_id, partials, batch_ids in rows:
        values = {term_key: Decimal(text) for term_key, text in partials.items()}
        for pair in scopes_of_cell(park_id, district_id, registry):
            sums[pair].add(values, batch_ids)
    return SourceSums(dict(sums))


def scope_kinds(item: Indicator) -> tuple[str, ...]:
    if item.level in ("enterprise", "park"):
        return (ScopeKind.PARK, ScopeKind.DISTRICT, ScopeKind.PARK_TYPE, ScopeKind.CITY)
    return (ScopeKind.DISTRICT, ScopeKind.CITY)


class SumCache:
    """Per-run cache of `load_sums`, invalidated when a source's cells of a period are replaced."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._cache: dict[tuple[str, Period], SourceSums] = {}

    def get(self, key: str, period: Period) -> SourceSums:
        found = self._cache.get((key, period))
        if found is None:
            found = self._cache[(key, period)] = load_sums(key, period, self.registry)
        return found

    def forget(self, key: str, period: Period) -> None:
        self._cache.pop((key, period), None)


@dataclass(slots=True)
class ValueRow:
    """One value to store (lighter than a model instance: a full recompute makes tens of thousands)."""

    indicator: str
    scope_kind: str
    scope_code: str
    park_id: int | None
    district_id: int | None
    frequency: str
    period: dt.date
    value: Decimal | None
    terms: dict[str, str]
    batch_ids: list[int]
    reported: bool
    computed_at: dt.datetime

    def as_tuple(self) -> tuple[Any, ...]:
        return (
            self.indicator,
            self.scope_kind,
            self.scope_code,
            self.park_id,
            self.district_id,
            self.frequency,
            self.period,
            self.value,
            self.terms,
            self.batch_ids,
            self.reported,
            self.computed_at,
        )


def rollup(
    item: Indicator, period: Period, sums: SumCache, scopes: set[ScopeKey] | None, now: dt.datetime
) -> tuple[list[ValueRow], set[ScopeKey]]:
    """The indicator's values for one period: for every scope (or those asked for) that has a cell.
    Returns the values and the asked-for scopes that have no cell any more."""
    kinds = scope_kinds(item)
    per_term = [(term, sums.get(source_key(term), period)) for term in item.terms]
    present: set[ScopeKey] = set()
    for _, source_sums in per_term:
        for coverage, scope in source_sums.by_scope:
            park_level = scope[0] in (ScopeKind.PARK, ScopeKind.PARK_TYPE)
            if scope[0] in kinds and (coverage == item.coverage or park_level):
                present.add(scope)
    wanted = present if scopes is None else present & scopes
    values: list[ValueRow] = []
    registry = sums.registry
    for scope in sorted(wanted):
        term_values: dict[str, Decimal] = {}
        batches: set[int] = set()
        for term, source_sums in per_term:
            found = source_sums.get(item.coverage, scope)
            term_values[term.name] = found.partials.get(term.key, ZERO) if found else ZERO
            if found:
                batches |= found.batches
        value = item.evaluate(term_values)
        park_id = registry.park_ids.get(scope[1]) if scope[0] == ScopeKind.PARK else None
        district_id = None
        if scope[0] == ScopeKind.DISTRICT:
            district_id = registry.district_ids.get(scope[1])
        elif park_id is not None:
            district_id = registry.parks[park_id].district_id
        values.append(
            ValueRow(
                indicator=item.code,
                scope_kind=scope[0],
                scope_code=scope[1],
                park_id=park_id,
                district_id=district_id,
                frequency=period.frequency,
                period=period.end,
                value=None if value is None else value.quantize(VALUE_PLACES),
                terms={name: decimal_text(amount) for name, amount in term_values.items()},
                batch_ids=sorted(batches),
                reported=False,
                computed_at=now,
            )
        )
    missing = set() if scopes is None else scopes - present
    return values, missing


def reported_values(item: Indicator, now: dt.datetime) -> list[ValueRow]:
    return [
        ValueRow(
            indicator=item.code,
            scope_kind=row.scope_kind,
            scope_code=row.scope_code,
            park_id=None,
            district_id=None,
            frequency=row.frequency,
            period=row.period,
            value=row.value,
            terms={},
            batch_ids=[],
            reported=True,
            computed_at=now,
        )
        for row in ReportedValue.objects.filter(indicator=item.code)
    ]


VALUE_FIELDS = (
    "indicator",
    "scope_kind",
    "scope_code",
    "park",
    "district",
    "frequency",
    "period",
    "value",
    "terms",
    "batch_ids",
    "reported",
    "computed_at",
)
UNIQUE_FIELDS = ("indicator", "scope_kind", "scope_code", "frequency", "period")
UPDATE_FIELDS = ("park", "district", "value", "terms", "batch_ids", "reported", "computed_at")


def insert_values(values: list[ValueRow]) -> None:
    _executemany(IndicatorValue, VALUE_FIELDS, [value.as_tuple() for value in values])


def upsert_values(values: list[ValueRow]) -> None:
    _executemany(IndicatorValue, VALUE_FIELDS, [value.as_tuple() for value in values], (UNIQUE_FIELDS, UPDATE_FIELDS))


# ── full and incremental runs ──────────────────────────────────────────────────────────────


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


def compute_all(progress: Progress | None = None, today: dt.date | None = None) -> RunResult:
    """Recompute every cell and value from the statistics and registry tables."""
    now = timezone.now()
    result = RunResult()
    items = in_dependency_order(indicator_catalogue().indicators)
    cal = data_calendar(today)
    grouped = terms_by_source(items)
    base_sources = [key for key in grouped if not key.startswith(INDICATOR_SOURCE_PREFIX)]
    steps = [(key, period) for key in base_sources for period in cal.for_source(key)]
    total = len(steps) + len(items)
    IndicatorCell.objects.all().delete()
    IndicatorValue.objects.all().delete()
    for done, (key, period) in enumerate(steps, start=1):
        if progress is not None:
            progress(f"汇总 {key} {period.label}", done, total)
        result.cells += store_cells(key, period, aggregate_cells(key, grouped[key], period), None, now, fresh=True)
        result.periods.add(period)
    sums = SumCache(Registry.load())
    stored_derived: set[tuple[str, Period]] = set()
    for offset, item in enumerate(items, start=1):
        if progress is not None:
            progress(f"计算指标 {item.name}", len(steps) + offset, total)
        if item.reported:
            values = reported_values(item, now)
            insert_values(values)
            result.values += len(values)
            continue
        periods = indicator_periods(item, cal)
        for term in item.terms:
            key = source_key(term)
            if not key.startswith(INDICATOR_SOURCE_PREFIX):
                continue
            for period in periods:
                if (key, period) not in stored_derived:
                    rows = aggregate_cells(key, grouped[key], period)
                    result.cells += store_cells(key, period, rows, None, now, fresh=True)
                    stored_derived.add((key, period))
        values = []
        for period in periods:
            values += rollup(item, period, sums, None, now)[0]
        insert_values(values)
        result.values += len(values)
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
    gone, but its cells remember it)."""
    touched = Touched()
    kind = batch.kind
    years = set(cal.years) | set(cal.annual_years) | set(cal.park_years)
    december = set(cal.december_years)
    if kind == ImportBatch.Kind.MONTHLY:
        for park_id, district_id, month in (
            MonthlyStat.objects.filter(batch=batch)
            .values_list("enterprise__park_id", "enterprise__district_id", "period")
            .distinct()
        ):
            touched.add("monthly", Period(month_end(month.year, month.month), Frequency.MONTH), park_id, district_id)
            if month.month == 12 and year_period(month.year) in december:
                touched.add("monthly", year_period(month.year), park_id, district_id)
    elif kind == ImportBatch.Kind.ANNUAL:
        for park_id, district_id, year in (
            AnnualStat.objects.filter(batch=batch)
            .values_list("enterprise__park_id", "enterprise__district_id", "year")
            .distinct()
        ):
            touched.add("annual", year_period(year), park_id, district_id)
    elif kind == ImportBatch.Kind.PARK_ANNUAL:
        for park_id, district_id, year in (
            ParkAnnualStat.objects.filter(batch=batch).values_list("park_id", "park__district_id", "year").distinct()
        ):
            touched.add("park_annual", year_period(year), park_id, district_id)
    elif kind == ImportBatch.Kind.LABELS:
        # A label counts in every period it is valid at; its holder's cells are recomputed in each.
        holders = EnterpriseLabel.objects.filter(batch=batch).values_list(
            "enterprise__park_id", "enterprise__district_id"
        )
        for park_id, district_id in holders.distinct():
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
    else:
        # A batch whose scopes are unknown (older ones) may have changed every source's cells.
        touched.everything = True
        return touched
    fed = IndicatorCell.objects.filter(source=BATCH_SOURCES[kind]).values_list(
        "source", "frequency", "period", "park_id", "district_id", "batch_ids"
    )
    for key, frequency, end, park_id, district_id, batch_ids in fed:
        if batch.pk not in batch_ids:
            continue
        period = Period(end, frequency)
        if period in years or period in december or period in cal.months:
            touched.add(key, period, park_id, district_id)
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
    stored = set(IndicatorCell.objects.values_list("source", "frequency", "period").distinct())
    for key in grouped:
        if key.startswith(INDICATOR_SOURCE_PREFIX):
            continue
        for period in cal.for_source(key):
            if (key, period.frequency, period.end) not in stored:
                touched.cells[(key, period)] = None
    registry = Registry.load()
    sums = SumCache(registry)
    steps = sorted(touched.cells.items(), key=lambda item: (item[0][0], item[0][1]))
    for done, ((key, period), cells) in enumerate(steps, start=1):
        if key not in grouped:
            continue
        if progress is not None:
            progress(f"汇总 {key} {period.label}", done, len(steps))
        rows = aggregate_cells(key, grouped[key], period, cells)
        result.cells += store_cells(key, period, rows, cells, now)
        sums.forget(key, period)
        result.periods.add(period)
    # Scopes to roll up, per source key and period; derived sources follow their dependency.
    scopes: dict[tuple[str, Period], set[ScopeKey] | None] = {
        (key, period): affected_scopes(cells, registry) for (key, period), cells in touched.cells.items()
    }
    changed_parks: dict[tuple[str, Period], set[int] | None] = {}
    derived_done: set[tuple[str, Period]] = set()
    for item in items:
        if item.reported:
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
                IndicatorValue.objects.filter(
                    indicator=item.code, frequency=period.frequency, period=period.end, reported=False
                ).delete()
            upsert_values(values)
            for scope in missing:
                IndicatorValue.objects.filter(
                    indicator=item.code,
                    scope_kind=scope[0],
                    scope_code=scope[1],
                    frequency=period.frequency,
                    period=period.end,
                    reported=False,
                ).delete()
            result.values += len(values)
            if asked is None:
                changed_parks[(item.code, period)] = None
            else:
                parks = {pk for pk, info in registry.parks.items() if (ScopeKind.PARK, info.code) in asked}
                changed_parks[(item.code, period)] = parks
    return result


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
