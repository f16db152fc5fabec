"""Roll-up: a scope's term value is the sum of its cells' partial sums (parks and park types from the
cells in parks; districts and the city under the indicator's coverage), and the indicator's value
is the catalogue's formula over them. Reported indicators take the values the city entered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import Q

from yuanqu.core.periods import Period
from yuanqu.indicators.engine.calendar import Calendar, indicator_periods
from yuanqu.indicators.engine.compile import (
    INDICATOR_SOURCE_PREFIX,
    source_key,
)
from yuanqu.indicators.engine.storage import (
    VALUE_PLACES,
    ZERO,
    _executemany,
    decimal_text,
    delete_rows,
)
from yuanqu.indicators.models import (
    CITY_CODE,
    IndicatorCell,
    IndicatorValue,
    ReportedValue,
    ScopeKind,
)
from yuanqu.indicators.pack import Indicator
from yuanqu.registry.models import District, Park
from yuanqu.registry.selectors import park_type_history


@dataclass(frozen=True)
class ParkInfo:
    code: str
    park_type: str  # the type now
    district_id: int
    # The stretches of the park's types (from, to, type): a park type's scope holds the parks of
    # that type at the period's end.
    types: tuple[tuple[dt.date | None, dt.date | None, str], ...] = ()

    def type_on(self, day: dt.date) -> str:
        for start, end, park_type in self.types:
            if (start is None or start <= day) and (end is None or day <= end):
                return park_type
        return self.park_type

    def all_types(self) -> set[str]:
        return {self.park_type} | {park_type for _, _, park_type in self.types}


@dataclass(frozen=True)
class Registry:
    parks: dict[int, ParkInfo]
    districts: dict[int, str]
    park_ids: dict[str, int]
    district_ids: dict[str, int]

    @staticmethod
    def load() -> Registry:
        history = park_type_history()
        parks = {
            pk: ParkInfo(code, park_type, district_id, tuple(history.get(pk, ())))
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


def scopes_of_cell(
    park_id: int | None, district_id: int, registry: Registry, day: dt.date | None = None
) -> list[tuple[str, ScopeKey]]:
    """The (coverage, scope) pairs a cell adds to on `day` (a period's end: the park's type then);
    without a day, every park type the park has had (the scopes a change may touch)."""
    district = registry.districts.get(district_id, str(district_id))
    pairs: list[tuple[str, ScopeKey]] = [
        ("city", (ScopeKind.DISTRICT, district)),
        ("city", (ScopeKind.CITY, CITY_CODE)),
    ]
    if park_id is not None:
        info = registry.parks.get(park_id)
        if info is not None:
            types = {info.type_on(day)} if day is not None else info.all_types()
            pairs += [
                ("parks", (ScopeKind.PARK, info.code)),
                *(("parks", (ScopeKind.PARK_TYPE, park_type)) for park_type in sorted(types)),
                ("parks", (ScopeKind.DISTRICT, district)),
                ("parks", (ScopeKind.CITY, CITY_CODE)),
            ]
    return pairs


# Conditions OR-ed in one statement: SQLite parses an OR chain as a tree one level deeper per term
# and refuses expressions deeper than 1,000.
OR_CONDITIONS = 200

CellSums = tuple[int | None, int, Mapping[str, Decimal | str], Iterable[int]]  # park, district, partials, batches


def sum_cells(cells: Iterable[CellSums], period: Period, registry: Registry) -> SourceSums:
    """The cells of a source and period summed per scope, each cell in the scopes it belonged to at
    the period's end (parks → park types, districts and the city from the park level).

    The cells' partial sums form one numpy matrix of decimals, cells × terms, and one `np.add.at`
    adds each cell's row into every scope that holds it: the same decimal additions in the same
    order (cell by cell, from zero) as adding scope by scope in Python, so the same digits, rounding
    included, without a Python loop over cells, scopes and terms. A scope's sum holds the terms that
    one of its cells has; its lineage is the union of its cells' batches."""
    rows = list(cells)
    pairs: dict[tuple[str, ScopeKey], int] = {}
    placed: dict[tuple[int | None, int], list[int]] = {}
    member_cells: list[int] = []
    member_scopes: list[int] = []
    for number, (park_id, district_id, _, _) in enumerate(rows):
        indexes = placed.get((park_id, district_id))
        if indexes is None:
            held = scopes_of_cell(park_id, district_id, registry, period.end)
            indexes = placed[(park_id, district_id)] = [pairs.setdefault(pair, len(pairs)) for pair in held]
        member_cells += [number] * len(indexes)
        member_scopes += indexes
    sums = [ScopeSum() for _ in pairs]
    for cell, scope in zip(member_cells, member_scopes, strict=True):
        sums[scope].batches.update(rows[cell][3])
    names: dict[str, int] = {}
    for _, _, partials, _ in rows:
        for term_key in partials:
            names.setdefault(term_key, len(names))
    if names and member_cells:
        _add_terms(names, rows, sums, member_cells, member_scopes)
    return SourceSums(dict(zip(pairs, sums, strict=True)))


def _add_terms(
    names: dict[str, int],
    rows: list[CellSums],
    sums: list[ScopeSum],
    member_cells: list[int],
    member_scopes: list[int],
) -> None:
    """Every term's cell values added into the scopes (see `sum_cells`)."""
    width = len(names)
    values: list[list[Decimal]] = []
    present: list[list[bool]] = []
    for _, _, partials, _ in rows:
        row = [ZERO] * width
        found = [False] * width
        for term_key, value in partials.items():
            position = names[term_key]
            row[position] = value if isinstance(value, Decimal) else Decimal(value)
            found[position] = True
        values.append(row)
        present.append(found)
    matrix = np.empty((len(rows), width), dtype=object)
    matrix[:] = values
    cells = np.asarray(member_cells, dtype=np.intp)
    scopes = np.asarray(member_scopes, dtype=np.intp)
    totals = np.empty((len(sums), width), dtype=object)
    totals.fill(ZERO)
    np.add.at(totals, scopes, matrix[cells])
    counts = np.zeros((len(sums), width), dtype=np.int64)
    np.add.at(counts, scopes, np.asarray(present, dtype=np.int64)[cells])
    for term_key, position in names.items():
        for scope in np.flatnonzero(counts[:, position]).tolist():
            sums[scope].partials[term_key] = totals[scope, position]


def load_sums(key: str, period: Period, registry: Registry) -> SourceSums:
    return load_many_sums([(key, period)], registry)[(key, period)]


def load_many_sums(wanted: Iterable[tuple[str, Period]], registry: Registry) -> dict[tuple[str, Period], SourceSums]:
    """The stored cells of several sources and periods, read in one query and summed per scope."""
    asked = {(key, period.frequency, period.end): (key, period) for key, period in wanted}
    if not asked:
        return {}
    found: dict[tuple[str, Period], list[CellSums]] = {pair: [] for pair in asked.values()}
    names = list(asked)
    for start in range(0, len(names), OR_CONDITIONS):  # one query unless a run touches 200 or more
        condition = Q()
        for key, frequency, end in names[start : start + OR_CONDITIONS]:
            condition |= Q(source=key, frequency=frequency, period=end)
        rows = IndicatorCell.objects.filter(condition).values_list(
            "source", "frequency", "period", "park_id", "district_id", "partials", "batch_ids"
        )
        for key, frequency, end, park_id, district_id, partials, batch_ids in rows.iterator(chunk_size=5000):
            found[asked[(key, frequency, end)]].append((park_id, district_id, partials, batch_ids))
    return {pair: sum_cells(cells, pair[1], registry) for pair, cells in found.items()}


def base_sums_wanted(
    items: Iterable[Indicator], touched: Iterable[tuple[str, Period]], cal: Calendar
) -> set[tuple[str, Period]]:
    """The sums of base sources (not other indicators) that a recompute's roll-up reads: for every
    indicator with a term on a touched source and period, each of its base sources in that period;
    for an indicator reading another indicator, its base sources in every touched period (its
    dependency may change there). A sum not foreseen here is read when the roll-up asks for it."""
    touched = set(touched)
    touched_periods = {period for _, period in touched}
    wanted: set[tuple[str, Period]] = set()
    for item in items:
        if item.external:
            continue
        keys = {source_key(term) for term in item.terms}
        base = {key for key in keys if not key.startswith(INDICATOR_SOURCE_PREFIX)}
        periods = set(indicator_periods(item, cal))
        if base != keys:
            changing = touched_periods & periods
        else:
            changing = {period for key, period in touched if key in base and period in periods}
        wanted |= {(key, period) for key in base for period in changing}
    return wanted


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

    def put(self, key: str, period: Period, cells: Iterable[CellSums]) -> None:
        """The sums of cells just stored (as `load_sums` would read them back, without the read)."""
        self._cache[(key, period)] = sum_cells(cells, period, self.registry)

    def forget(self, key: str, period: Period) -> None:
        self._cache.pop((key, period), None)

    def preload(self, wanted: Iterable[tuple[str, Period]]) -> None:
        """Read the sums of several sources and periods at once (one query instead of one each)."""
        missing = {pair for pair in wanted if pair not in self._cache}
        self._cache.update(load_many_sums(sorted(missing), self.registry))


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


class ValueWriter:
    """A run's values and removals, kept until `flush` and then written in bulk: the removals as one
    `DELETE` statement (per 200 conditions), then the values in one bulk write — COPY (PostgreSQL) or
    one prepared insert run over all rows (SQLite) into an emptied table (`fresh`), multi-row upserts
    otherwise. A run flushes before it reads stored values (a derived source aggregates its
    dependency's park values) and when it ends. Removals run first: a period rolled up whole is
    emptied and then written, and a scope left without a cell has no value in the flush."""

    def __init__(self, *, fresh: bool) -> None:
        self.fresh = fresh
        self._values: list[ValueRow] = []
        self._removals: list[Q] = []
        # (indicator, frequency, period end) emptied by `remove_period`: their values are plain
        # inserts (COPY on PostgreSQL) even in a recompute; an upsert's parameters cost this process
        # about 0.1 ms per value (a new month: thousands).
        self._emptied: set[tuple[str, str, dt.date]] = set()

    def add(self, values: Iterable[ValueRow]) -> None:
        self._values.extend(values)

    def remove_period(self, item: Indicator, period: Period) -> None:
        """Every computed value of the indicator in the period (its scopes are all rolled up again)."""
        self._removals.append(Q(indicator=item.code, frequency=period.frequency, period=period.end, reported=False))
        self._emptied.add((item.code, period.frequency, period.end))

    def remove_scopes(self, item: Indicator, period: Period, scopes: Iterable[ScopeKey]) -> None:
        """The computed values of scopes left without a cell."""
        for kind, code in sorted(scopes):
            self._removals.append(
                Q(
                    indicator=item.code,
                    scope_kind=kind,
                    scope_code=code,
                    frequency=period.frequency,
                    period=period.end,
                    reported=False,
                )
            )

    def flush(self) -> None:
        removals, self._removals = self._removals, []
        for start in range(0, len(removals), OR_CONDITIONS):
            condition = Q()
            for part in removals[start : start + OR_CONDITIONS]:
                condition |= part
            delete_rows(IndicatorValue.objects.filter(condition))
        values, self._values = self._values, []
        if self.fresh:
            insert_values(values)
            return
        emptied = [value for value in values if (value.indicator, value.frequency, value.period) in self._emptied]
        insert_values(emptied)
        upsert_values(
            [value for value in values if (value.indicator, value.frequency, value.period) not in self._emptied]
        )
