"""Roll-up: a scope's term value is the sum of its cells' partial sums (parks and park types from the
cells in parks; districts and the city under the indicator's coverage), and the indicator's value
is the catalogue's formula over them. Reported indicators take the values the city entered."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from yuanqu.core.periods import Period
from yuanqu.indicators.engine.compile import (
    source_key,
)
from yuanqu.indicators.engine.storage import (
    VALUE_PLACES,
    ZERO,
    _executemany,
    decimal_text,
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


CellSums = tuple[int | None, int, Mapping[str, Decimal], Iterable[int]]  # park, district, partials, batches


def sum_cells(cells: Iterable[CellSums], period: Period, registry: Registry) -> SourceSums:
    """The cells of a source and period summed per scope, each cell in the scopes it belonged to at
    the period's end."""
    sums: dict[tuple[str, ScopeKey], ScopeSum] = defaultdict(ScopeSum)
    for park_id, district_id, values, batch_ids in cells:
        for pair in scopes_of_cell(park_id, district_id, registry, period.end):
            sums[pair].add(values, batch_ids)
    return SourceSums(dict(sums))


def load_sums(key: str, period: Period, registry: Registry) -> SourceSums:
    cells = IndicatorCell.objects.filter(source=key, frequency=period.frequency, period=period.end)
    rows = cells.values_list("park_id", "district_id", "partials", "batch_ids")
    return sum_cells(
        (
            (park_id, district_id, {term_key: Decimal(text) for term_key, text in partials.items()}, batch_ids)
            for park_id, district_id, partials, batch_ids in rows
        ),
        period,
        registry,
    )


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
