"""Roll-up: a scope's term value is the sum of its cells' partial sums (parks and park types from the
cells in parks; districts and the city under the indicator's coverage), and the indicator's value
is the catalogue's formula over them. Reported indicators take the values the city entered."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import Any

import numpy as np
from django.db import connection
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
    JsonText,
    _executemany,
    copy_escape,
    copy_lines,
    decimal_text,
    delete_rows,
    lineage_text,
)
from yuanqu.indicators.models import (
    CITY_CODE,
    IndicatorCell,
    IndicatorValue,
    ReportedValue,
    ScopeKind,
)
from yuanqu.indicators.pack import Indicator, parse_unit
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

ZERO_TEXT = decimal_text(ZERO)
EMPTY_LINEAGE = lineage_text(())


@dataclass
class ScopeSum:
    partials: dict[str, Decimal] = field(default_factory=dict)
    batches: set[int] = field(default_factory=set)
    # The partials' decimal texts and the lineage's JSON, encoded once for every value that reads them.
    _texts: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _lineage: str | None = field(default=None, repr=False, compare=False)

    def text(self, term_key: str) -> str:
        found = self._texts.get(term_key)
        if found is None:
            found = self._texts[term_key] = decimal_text(self.partials.get(term_key, ZERO))
        return found

    def lineage(self) -> str:
        if self._lineage is None:
            self._lineage = lineage_text(self.batches)
        return self._lineage

    def add(self, partials: Mapping[str, Decimal], batches: Iterable[int]) -> None:
        self._texts.clear()
        self._lineage = None
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
        # A run's lineages of several terms, one JSON text per distinct set of batches.
        self.lineage_texts: dict[frozenset[int], str] = {}
        self._ids: dict[ScopeKey, tuple[int | None, int | None]] = {}

    def ids(self, scopes: Iterable[ScopeKey]) -> Mapping[ScopeKey, tuple[int | None, int | None]]:
        """The park and district of each scope (a district's own; a park's park and its district)."""
        registry = self.registry
        for scope in scopes:
            if scope in self._ids:
                continue
            park_id = registry.park_ids.get(scope[1]) if scope[0] == ScopeKind.PARK else None
            district_id = None
            if scope[0] == ScopeKind.DISTRICT:
                district_id = registry.district_ids.get(scope[1])
            elif park_id is not None:
                district_id = registry.parks[park_id].district_id
            self._ids[scope] = (park_id, district_id)
        return self._ids

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


@dataclass(slots=True)
class ValueBlock:
    """One indicator's computed values of one period, column by column: a scope, its value, its
    terms and its lineage per position, the terms and lineage as JSON text. The roll-up makes one
    block per indicator and period instead of an object per value; the writer sends it to the
    database as COPY text or parameter rows. Iterating gives the values as `ValueRow`s."""

    indicator: str
    frequency: str
    period: dt.date
    computed_at: dt.datetime
    term_names: tuple[str, ...]
    scopes: list[ScopeKey]
    values: list[Decimal | None]
    term_texts: list[tuple[str, ...]]  # per value, each term's decimal text in `term_names`' order
    terms: list[str]  # per value, its terms as JSON text
    lineage: list[str]  # per value, its sorted batch ids as JSON text
    batches: list[AbstractSet[int]]
    ids: Mapping[ScopeKey, tuple[int | None, int | None]]  # each scope's park and district (`SumCache.ids`)

    def __len__(self) -> int:
        return len(self.scopes)

    def __iter__(self) -> Iterator[ValueRow]:
        for number, scope in enumerate(self.scopes):
            park_id, district_id = self.ids[scope]
            yield ValueRow(
                indicator=self.indicator,
                scope_kind=scope[0],
                scope_code=scope[1],
                park_id=park_id,
                district_id=district_id,
                frequency=self.frequency,
                period=self.period,
                value=self.values[number],
                terms=dict(zip(self.term_names, self.term_texts[number], strict=True)),
                batch_ids=sorted(self.batches[number]),
                reported=False,
                computed_at=self.computed_at,
            )

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """The values as parameter rows in `VALUE_FIELDS`' order, terms and lineage as JSON text."""
        ids = self.ids
        head, frequency, period, now = self.indicator, self.frequency, self.period, self.computed_at
        for scope, value, terms, lineage in zip(self.scopes, self.values, self.terms, self.lineage, strict=True):
            park_id, district_id = ids[scope]
            yield (head, *scope, park_id, district_id, frequency, period, value, JsonText(terms), lineage, False, now)

    def copy_lines(self) -> Iterator[str]:
        """The values as lines of COPY's text format, in `VALUE_FIELDS`' order."""
        ids = self.ids
        head = copy_escape(self.indicator) + "\t"
        tail = f"\t{self.frequency}\t{self.period.isoformat()}\t"
        ending = f"\tf\t{self.computed_at.isoformat()}\n"
        plain = not any(character in text for text in self.terms[:1] for character in "\\\t\n\r")
        for scope, value, terms, lineage in zip(self.scopes, self.values, self.terms, self.lineage, strict=True):
            park_id, district_id = ids[scope]
            yield (
                f"{head}{copy_escape(scope[0])}\t{copy_escape(scope[1])}\t"
                f"{NULL if park_id is None else park_id}\t{NULL if district_id is None else district_id}"
                f"{tail}{NULL if value is None else value}\t{terms if plain else copy_escape(terms)}"
                f"\t{lineage}{ending}"
            )


NULL = "\\N"  # COPY's text for a null


def _scales(item: Indicator) -> list[Decimal]:
    scales = []
    for term in item.terms:
        dimension = parse_unit(term.unit)
        assert dimension is not None
        scales.append(dimension.scale)
    return scales


def evaluate_columns(item: Indicator, columns: list[list[Decimal]], count: int) -> list[Decimal | None]:
    """`Indicator.evaluate` for `count` scopes at once, each term a column of decimals: the formula's
    operations on numpy object arrays are the same Decimal operations, in the same order and
    context, as evaluating scope by scope, so the digits are the same; a division by zero gives
    None for the scopes where the divisor is zero. Quantised to the stored places."""
    formula = item.formula
    if formula is None or count == 0:
        return [None] * count
    base: dict[str, Any] = {}
    for term, scale, column in zip(item.terms, _scales(item), columns, strict=True):
        array = np.empty(count, dtype=object)
        array[:] = column
        base[term.name] = array * scale
    invalid = np.zeros(count, dtype=bool)

    def divide(left: Any, right: Any) -> Any:
        if isinstance(right, np.ndarray):
            zero = np.asarray(right == 0, dtype=bool)
            if zero.any():
                invalid[zero] = True
                right = right.copy()
                right[zero] = Decimal(1)
        elif right == 0:
            invalid[:] = True
            return left
        return left / right

    try:
        result = formula.fold(base.__getitem__, divide) / item.dimension.scale
    except (DivisionByZero, InvalidOperation):
        # A case the arrays cannot take as a whole (an operation invalid for one scope): scope by scope.
        values = [item.evaluate(dict(zip(base, row, strict=True))) for row in zip(*columns, strict=True)]
        return [None if value is None else value.quantize(VALUE_PLACES) for value in values]
    if not isinstance(result, np.ndarray):
        result = np.full(count, result, dtype=object)
    return [
        None if bad else value.quantize(VALUE_PLACES)
        for value, bad in zip(result.tolist(), invalid.tolist(), strict=True)
    ]


def rollup(
    item: Indicator, period: Period, sums: SumCache, scopes: set[ScopeKey] | None, now: dt.datetime
) -> tuple[ValueBlock, set[ScopeKey]]:
    """The indicator's values for one period: for every scope (or those asked for) that has a cell.
    Returns the values and the asked-for scopes that have no cell any more.

    Each term's values across the scopes form a column; the formula runs once over the columns
    (`evaluate_columns`); a scope sum's decimal texts and lineage are encoded once (`ScopeSum.text`,
    `ScopeSum.lineage`) and a value's terms fill a JSON template of the indicator's term names."""
    kinds = scope_kinds(item)
    per_term = [(term, sums.get(source_key(term), period)) for term in item.terms]
    present: set[ScopeKey] = set()
    for _, source_sums in per_term:
        for coverage, scope in source_sums.by_scope:
            park_level = scope[0] in (ScopeKind.PARK, ScopeKind.PARK_TYPE)
            if scope[0] in kinds and (coverage == item.coverage or park_level):
                present.add(scope)
    wanted = sorted(present if scopes is None else present & scopes)
    found_per_term: list[list[ScopeSum | None]] = []
    for _, source_sums in per_term:
        by_scope = source_sums.by_scope
        found_per_term.append(
            [
                by_scope.get(("parks" if scope[0] in (ScopeKind.PARK, ScopeKind.PARK_TYPE) else item.coverage, scope))
                for scope in wanted
            ]
        )
    columns: list[list[Decimal]] = []
    text_columns: list[list[str]] = []
    for (term, _), found_column in zip(per_term, found_per_term, strict=True):
        key = term.key
        columns.append([found.partials.get(key, ZERO) if found else ZERO for found in found_column])
        text_columns.append([found.text(key) if found else ZERO_TEXT for found in found_column])
    term_texts = list(zip(*text_columns, strict=True)) if text_columns else [()] * len(wanted)
    template = terms_template(tuple(term.name for term in item.terms))
    if len(found_per_term) == 1:
        only = found_per_term[0]
        batches: list[AbstractSet[int]] = [found.batches if found else frozenset() for found in only]
        lineage = [found.lineage() if found else EMPTY_LINEAGE for found in only]
    else:
        batches = []
        lineage = []
        texts = sums.lineage_texts
        for found_row in zip(*found_per_term, strict=True):
            union = frozenset().union(*(found.batches for found in found_row if found))
            batches.append(union)
            text = texts.get(union)
            if text is None:
                text = texts[union] = lineage_text(union)
            lineage.append(text)
    block = ValueBlock(
        indicator=item.code,
        frequency=period.frequency,
        period=period.end,
        computed_at=now,
        term_names=tuple(term.name for term in item.terms),
        scopes=wanted,
        values=evaluate_columns(item, columns, len(wanted)),
        term_texts=term_texts,
        terms=[template % texts for texts in term_texts],
        lineage=lineage,
        batches=batches,
        ids=sums.ids(wanted),
    )
    missing = set() if scopes is None else scopes - present
    return block, missing


@functools.lru_cache(maxsize=1024)
def terms_template(names: tuple[str, ...]) -> str:
    """`json.dumps({name: text, …})` as a %-template over the texts (decimal texts need no escaping)."""
    parts = [json.dumps(name).replace("%", "%%") + ': "%s"' for name in names]
    return "{" + ", ".join(parts) + "}"


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


def insert_values(values: Iterable[ValueRow]) -> None:
    _executemany(IndicatorValue, VALUE_FIELDS, [value.as_tuple() for value in values])


def upsert_values(values: Iterable[ValueRow]) -> None:
    _executemany(IndicatorValue, VALUE_FIELDS, [value.as_tuple() for value in values], (UNIQUE_FIELDS, UPDATE_FIELDS))


def insert_blocks(blocks: Iterable[ValueBlock]) -> None:
    """Blocks of values into a table emptied before: COPY of the blocks' own text on PostgreSQL,
    one prepared insert over their rows on SQLite."""
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        meta = IndicatorValue._meta
        names = [meta.get_field(name).column for name in VALUE_FIELDS]  # type: ignore[union-attr]
        columns = ", ".join(quote(str(name)) for name in names)
        with connection.cursor() as cursor:
            copy_lines(cursor, quote(meta.db_table), columns, (line for block in blocks for line in block.copy_lines()))
        return
    _executemany(IndicatorValue, VALUE_FIELDS, [row for block in blocks for row in block.rows()])


def upsert_blocks(blocks: Iterable[ValueBlock]) -> None:
    rows = [row for block in blocks for row in block.rows()]
    _executemany(IndicatorValue, VALUE_FIELDS, rows, (UNIQUE_FIELDS, UPDATE_FIELDS))


class ValueWriter:
    """A run's values and removals, kept until `flush` and then written in bulk: the removals as one
    `DELETE` statement (per 200 conditions), then the values in one bulk write — COPY (PostgreSQL) or
    one prepared insert run over all rows (SQLite) into an emptied table (`fresh`), multi-row upserts
    otherwise. A run flushes before it reads stored values (a derived source aggregates its
    dependency's park values) and when it ends. Removals run first: a period rolled up whole is
    emptied and then written, and a scope left without a cell has no value in the flush. Computed
    values come as blocks (`rollup`), provided and reported ones as rows."""

    def __init__(self, *, fresh: bool) -> None:
        self.fresh = fresh
        self._values: list[ValueRow] = []
        self._blocks: list[ValueBlock] = []
        self._removals: list[Q] = []
        # (indicator, frequency, period end) emptied by `remove_period`: their values are plain
        # inserts (COPY on PostgreSQL) even in a recompute; an upsert's parameters cost this process
        # about 0.1 ms per value (a new month: thousands).
        self._emptied: set[tuple[str, str, dt.date]] = set()

    def add(self, values: ValueBlock | Iterable[ValueRow]) -> None:
        if isinstance(values, ValueBlock):
            self._blocks.append(values)
        else:
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
        blocks, self._blocks = self._blocks, []
        if self.fresh:
            insert_values(values)
            insert_blocks(blocks)
            return
        emptied = [value for value in values if (value.indicator, value.frequency, value.period) in self._emptied]
        insert_values(emptied)
        upsert_values(
            [value for value in values if (value.indicator, value.frequency, value.period) not in self._emptied]
        )
        insert_blocks([block for block in blocks if (block.indicator, block.frequency, block.period) in self._emptied])
        upsert_blocks(
            [block for block in blocks if (block.indicator, block.frequency, block.period) not in self._emptied]
        )
