"""One grouped scan per source over all its periods, for the sources of enterprise figures (monthly
reports, annual data): every row of every period asked for is read once, joined to the enterprise's
dated state in force at the end of the row's own period and to the label conditions valid then, and
every term of the catalogue is a conditional aggregate (`SUM(CASE WHEN … THEN measure END)`) grouped
by period, cell and import batch. It gives exactly the cells of `cells.aggregate_cells` run once per
period (the reference path, which stays for the other sources and for conditions this compiler does
not take), at the cost of one scan instead of one per period. `runs` calls `aggregate_source`.

The statement is written by hand because the period's last day differs from row to row: the ORM's
`with_state_on` and label sub-queries take one fixed day. The label conditions are read once per row
in an inner select: one sub-query over the labels of the row's enterprise, filtered on the enterprise
alone (its index; with the kind and dates in the filter SQLite without statistics chose the kind's
index and read every label of the kind per row), gives a bit per label test, and an `OFFSET 0`
keeps SQLite from inlining it into every aggregate that reads it. PostgreSQL runs such sub-queries
once per row, so there the mask and the lead-chain test are joins computed once (`_joined_rows`)."""

# The statement is assembled from table and column names read from the models and from marks;
# every value travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, models

from yuanqu.core.periods import Period
from yuanqu.indicators.engine.cells import CellRow, CellSet, aggregate_cells
from yuanqu.indicators.engine.compile import _measure_field
from yuanqu.indicators.engine.storage import ZERO
from yuanqu.indicators.pack import LabelCondition, Term
from yuanqu.registry.models import (
    ChainNode,
    Enterprise,
    EnterpriseLabel,
    EnterpriseVersion,
    IndustryClass,
    Park,
    RegistrationStatus,
)
from yuanqu.stats.models import AnnualStat, MonthlyStat


@dataclass(frozen=True)
class _Scanned:
    model: type[models.Model]
    # The row's period (the month's first day, or the year); None: the registry, every period.
    period_field: str | None
    enterprise: str  # the column of the row's enterprise
    batch: bool  # whether rows record their import batch


SCANNED: dict[str, _Scanned] = {
    "monthly": _Scanned(MonthlyStat, "period", "enterprise_id", True),
    "annual": _Scanned(AnnualStat, "year", "enterprise_id", True),
    # The registry counts: every enterprise founded by the period's end and active on that day.
    "enterprises": _Scanned(Enterprise, None, "id", False),
}


def scannable(key: str, terms: Iterable[Term]) -> bool:
    """Whether one scan computes these terms of the source. Park-state conditions (type,
    recognition, green level) and negated class tests are left to the per-period path."""
    if key not in SCANNED:
        return False
    for term in terms:
        where = term.where
        if where.park_types or where.green_levels or where.recognised is not None or where.land_uses:
            return False
        if where.high_tech is False or where.lead_chains is False:
            return False
        if any(condition.field == "value" for condition in where.values):
            return False
        if key == "enterprises" and (term.aggregate != "count" or where.values):
            return False
    return True


def _period_key(key: str, period: Period) -> Any:
    """The value of the row's period field that belongs to a period (a year's monthly rows are its
    December's); for the registry, the period's end."""
    end = period.end
    if key == "monthly":
        return end.replace(day=1)
    return end.year if key == "annual" else end


def _column(model: type[models.Model], name: str) -> str:
    found: str = model._meta.get_field(name).column  # type: ignore[union-attr,assignment]
    return found


@dataclass
class _Statement:
    """Builds the statement: fragments of SQL with their parameters, in order."""

    flags: list[tuple[str, list[Any]]] = field(default_factory=list)
    flag_index: dict[tuple[Any, ...], int] = field(default_factory=dict)
    # Tests of one label row each (SQL over `l`, parameters), one bit of the row's label mask each.
    label_tests: list[tuple[str, list[Any]]] = field(default_factory=list)
    label_index: dict[tuple[Any, ...], int] = field(default_factory=dict)
    # The label kinds the tests read (PostgreSQL joins only those).
    label_kinds: set[str] = field(default_factory=set)
    # Derived tables joined to the row's state (`r0`) in PostgreSQL's form, by name: the join, its
    # parameters and the column its flag reads.
    joins: dict[str, tuple[str, list[Any], str]] = field(default_factory=dict)

    def flag(self, identity: tuple[Any, ...], sql: str, params: list[Any]) -> str:
        """A per-row test evaluated once in the inner select; the outer aggregates read it."""
        index = self.flag_index.get(identity)
        if index is None:
            index = self.flag_index[identity] = len(self.flags)
            self.flags.append((sql, params))
        return f"r.f{index} = 1"

    def label_bit(self, identity: tuple[Any, ...], sql: str, params: list[Any]) -> str:
        """`(r.labels & bit) <> 0`: whether some label of the row's enterprise passes the test."""
        index = self.label_index.get(identity)
        if index is None:
            index = self.label_index[identity] = len(self.label_tests)
            self.label_tests.append((sql, params))
        return f"(r.labels & {1 << index}) <> 0"

    def label_bits(self) -> tuple[str, list[Any]]:
        """A bit per label test, aggregated over the label rows `l` of one row's enterprise."""
        bits = " + ".join(
            f"MAX(CASE WHEN {sql} THEN {1 << index} ELSE 0 END)" for index, (sql, _) in enumerate(self.label_tests)
        )
        return bits, [param for _, test_params in self.label_tests for param in test_params]

    def label_mask(self) -> tuple[str, list[Any]]:
        """SQLite's column `labels`: one read of the row's enterprise's labels (by the enterprise's
        index, the only column the probe filters on) giving a bit per label test."""
        table = connection.ops.quote_name(EnterpriseLabel._meta.db_table)
        bits, params = self.label_bits()
        return f"COALESCE((SELECT {bits} FROM {table} l WHERE l.enterprise_id = r0.enterprise_id), 0)", params


def _adapt_date(day: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(day)


def _label_row(label: LabelCondition, params: list[Any]) -> str:
    """The label row `l` is of the condition's kind (and levels)."""
    params.append(label.kind)
    sql = "l.kind = %s"
    if label.levels:
        sql += f" AND l.level IN ({', '.join(['%s'] * len(label.levels))})"
        params.extend(label.levels)
    return sql


def _valid_on(label: LabelCondition, day: dt.date | None) -> tuple[str, list[Any]]:
    """The label row is of the condition's kind and valid on `day` (None: the row's period end)."""
    params: list[Any] = []
    sql = _label_row(label, params)
    if day is None:
        sql += " AND l.valid_from <= r0.pend AND (l.valid_to IS NULL OR l.valid_to >= r0.pend)"
    else:
        sql += " AND l.valid_from <= %s AND (l.valid_to IS NULL OR l.valid_to >= %s)"
        params += [_adapt_date(day), _adapt_date(day)]
    return sql, params


def _label_test(statement: _Statement, label: LabelCondition) -> str:
    """A label condition as in `compile.term_condition`, with the period's end taken from the row:
    held on the period's end; or held the day before `left_since` and not on the period's end; or
    started between `new_since` and the period's end and not held the day before `new_since`."""
    kind = (label.kind, label.levels)
    statement.label_kinds.add(label.kind)
    if label.left_since is not None:
        day_before = label.left_since - dt.timedelta(days=1)
        held = statement.label_bit(("on", kind, day_before), *_valid_on(label, day_before))
        holds = statement.label_bit(("on", kind, None), *_valid_on(label, None))
        return f"({held} AND NOT {holds})"
    if label.new_since is None:
        return statement.label_bit(("on", kind, None), *_valid_on(label, None))
    params: list[Any] = []
    sql = _label_row(label, params) + " AND l.valid_from >= %s AND l.valid_from <= r0.pend"
    params.append(_adapt_date(label.new_since))
    started = statement.label_bit(("started", kind, label.new_since), sql, params)
    day_before = label.new_since - dt.timedelta(days=1)
    held = statement.label_bit(("on", kind, day_before), *_valid_on(label, day_before))
    return f"({started} AND NOT {held})"


def _value_param(value: Decimal) -> Any:
    # SQLite compares its stored decimals as floating point (Django's lookups send the text, which
    # SQLite converts to the same double); PostgreSQL compares exact numerics.
    return float(value) if connection.vendor == "sqlite" else value


def _condition(statement: _Statement, term: Term, key: str, params: list[Any]) -> str | None:
    """The term's row test in the outer aggregate (columns of the inner select `r`)."""
    where = term.where
    parts: list[str] = []
    parts += [_label_test(statement, label) for label in where.labels]
    if where.industry_prefixes:
        tests = []
        for prefix in where.industry_prefixes:
            tests.append(f"SUBSTR(r.industry, 1, {len(prefix)}) = %s")
            params.append(prefix)
        parts.append("(" + " OR ".join(tests) + ")")
    if where.high_tech:
        classes = connection.ops.quote_name(IndustryClass._meta.db_table)
        code = connection.ops.quote_name(IndustryClass._meta.pk.column)  # type: ignore[union-attr]
        parts.append(f"r.industry IN (SELECT {code} FROM {classes} WHERE high_tech_group <> '')")
    if where.lead_chains:
        through = connection.ops.quote_name(ChainNode.industry_classes.through._meta.db_table)
        nodes = connection.ops.quote_name(ChainNode._meta.db_table)
        park_chains = connection.ops.quote_name(Park.lead_chains.through._meta.db_table)
        chains = (
            f"FROM {through} t JOIN {nodes} n ON n.id = t.chainnode_id "
            f"JOIN {park_chains} pc ON pc.industrychain_id = n.chain_id"
        )
        if connection.vendor == "postgresql":
            # Every (park, class) pair on a lead chain of the park, computed once and joined by the
            # row's park and class: as an `EXISTS` per row PostgreSQL planned a sub-plan per row.
            statement.joins["lead"] = (
                f"LEFT JOIN (SELECT DISTINCT pc.park_id, t.industryclass_id {chains}) lead "
                "ON lead.park_id = r0.park AND lead.industryclass_id = r0.industry",
                [],
                "lead.park_id",
            )
            sql = "CASE WHEN lead.park_id IS NULL THEN 0 ELSE 1 END"
        else:
            sql = (
                f"CASE WHEN EXISTS (SELECT 1 {chains} "
                "WHERE t.industryclass_id = r0.industry AND pc.park_id = r0.park) THEN 1 ELSE 0 END"
            )
        parts.append(statement.flag(("lead",), sql, []))
    if where.in_park is not None:
        parts.append("r.park IS NOT NULL" if where.in_park else "r.park IS NULL")
    model = SCANNED[key].model
    for condition in where.values:
        column = connection.ops.quote_name(_column(model, _measure_field(key, condition.field)))
        if condition.op == "ne":
            # Django's `~Q(x=v)` on a nullable column: true where the value differs or is missing.
            parts.append(f"NOT (r.{column} = %s AND r.{column} IS NOT NULL)")
        else:
            operator = {"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "="}[condition.op]
            parts.append(f"r.{column} {operator} %s")
        params.append(_value_param(condition.value))
    return " AND ".join(parts) if parts else None


def _convert(value: Any) -> Decimal:
    """A database sum as the ORM converts it (SQLite: floating point to 15 significant digits)."""
    if isinstance(value, float):
        return decimal.Context(prec=15).create_decimal_from_float(value)
    return Decimal(value)


def scan_source(
    key: str, terms: Sequence[Term], periods: Iterable[Period], only: CellSet | None = None
) -> dict[dt.date, list[CellRow]]:
    """Every term of the source in every period asked for, per cell (and import batch), in one
    statement; the cells of each period end, as `aggregate_cells` gives them for that period."""
    unique = list({term.key: term for term in terms}.values())
    ends: dict[Any, dt.date] = {}
    for period in periods:
        ends[_period_key(key, period)] = period.end
    found: dict[dt.date, dict[str, CellRow]] = {end: {} for end in ends.values()}
    if not unique or not ends:
        return {end: [] for end in found}
    sql, params = scan_statement(key, unique, ends, only)
    period_rows, period_params = _period_rows(ends)
    by_key = {str(value): end for value, end in ends.items()}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            pkey, park_id, district_id, batch_id = row[:4]
            cells = found[by_key[str(pkey)]]
            cell = f"p{park_id}" if park_id is not None else f"d{district_id}"
            current = cells.get(cell)
            if current is None:
                current = cells[cell] = CellRow(cell, park_id, district_id, {}, set())
            for term, value in zip(unique, row[4:], strict=True):
                if value is not None:
                    current.partials[term.key] = current.partials.get(term.key, ZERO) + _convert(value)
            if batch_id is not None:
                current.batches.add(batch_id)
        if key == "enterprises":
            _add_label_lineage(cursor, found, by_key, period_rows, period_params, only)
    return {end: list(cells.values()) for end, cells in found.items()}


def _period_rows(ends: dict[Any, dt.date]) -> tuple[str, list[Any]]:
    """The periods as a `VALUES` list: the row's period value and the period's last day."""
    period_params: list[Any] = []
    for value, end in ends.items():
        period_params += [_adapt_date(value) if isinstance(value, dt.date) else value, _adapt_date(end)]
    return ", ".join(["(%s, %s)"] * len(ends)), period_params


def scan_statement(
    key: str, unique: Sequence[Term], ends: dict[Any, dt.date], only: CellSet | None = None
) -> tuple[str, list[Any]]:
    """The one statement of `scan_source` and its parameters: per period key, cell and import batch,
    one aggregate per term (in the order of `unique`)."""
    spec = SCANNED[key]
    quote = connection.ops.quote_name
    model = spec.model
    table = quote(model._meta.db_table)
    statement = _Statement()
    # The outer aggregates first (their flags decide the inner select's columns).
    outer_params: list[Any] = []
    aggregates: list[str] = []
    columns: set[str] = set()
    for index, term in enumerate(unique):
        condition = _condition(statement, term, key, outer_params)
        if term.aggregate == "sum":
            column = quote(_column(model, _measure_field(key, term.measure or "")))
            columns.add(column)
            picked = f"r.{column}" if condition is None else f"CASE WHEN {condition} THEN r.{column} END"
            aggregates.append(f"SUM({picked}) AS t{index}")
        else:
            picked = "*" if condition is None else f"CASE WHEN {condition} THEN 1 END"
            aggregates.append(f"COUNT({picked}) AS t{index}")
    for value_condition in (c for term in unique for c in term.where.values):
        columns.add(quote(_column(model, _measure_field(key, value_condition.field))))
    period_rows, period_params = _period_rows(ends)
    enterprises = quote(Enterprise._meta.db_table)
    versions = quote(EnterpriseVersion._meta.db_table)

    def state(name: str) -> str:
        return f"CASE WHEN v.id IS NULL THEN e.{name} ELSE v.{name} END"

    # The state in force at the period's end (`registry.selectors.with_state_on`, per row).
    batch = "s.batch_id" if spec.batch else "NULL"
    row_enterprise = f"s.{spec.enterprise}"
    # `rid` and `vid` (the row and the version it was read with) keep rows apart in PostgreSQL's
    # grouping by row.
    base = (
        f"SELECT s.id AS rid, v.id AS vid, p.pkey, p.pend, {batch} AS batch_id, {row_enterprise} AS enterprise_id"
        f"{''.join(f', s.{c}' for c in sorted(columns))}, "
        f"{state('park_id')} AS park, {state('district_id')} AS district, {state('industry_id')} AS industry "
    )
    base_params: list[Any] = []
    if spec.period_field is None:
        # `registry.selectors.enterprises_on`: founded by the period's end, active on that day.
        base += (
            f"FROM {table} s JOIN periods p ON (s.founded_on IS NULL OR s.founded_on <= p.pend) "
            f"JOIN {enterprises} e ON e.id = s.id "
        )
    else:
        period_column = quote(_column(model, spec.period_field))
        base += (
            f"FROM {table} s JOIN periods p ON s.{period_column} = p.pkey "
            f"JOIN {enterprises} e ON e.id = s.enterprise_id "
        )
    base += (
        f"LEFT JOIN {versions} v ON v.enterprise_id = {row_enterprise} "
        "AND (v.valid_from IS NULL OR v.valid_from <= p.pend) AND (v.valid_to IS NULL OR v.valid_to >= p.pend)"
    )
    if spec.period_field is None:
        base += f" WHERE {state('registration_status')} = %s"
        base_params.append(RegistrationStatus.ACTIVE.value)
    else:
        # The periods' keys again as a plain list: the planner sees them and reads a few periods
        # through the period index instead of scanning the table.
        base += f" WHERE s.{period_column} IN ({', '.join(['%s'] * len(ends))})"
        base_params += [_adapt_date(value) if isinstance(value, dt.date) else value for value in ends]
    restricted: tuple[str, list[Any]] | None = None
    if only is not None:
        # The enterprises that were ever in the cells (now or in an earlier version), by index;
        # the state of the period then picks the rows of the cells exactly.
        # Read first, then named in a plain list: with a sub-query PostgreSQL planned a nested loop
        # over the whole month when a month's statistics were fresh (34 s instead of milliseconds).
        with connection.cursor() as cursor:
            cursor.execute(_ever_in(only), _ever_params(only))
            ever = sorted({row[0] for row in cursor.fetchall()})
        if len(ever) <= LISTED_ENTERPRISES:
            restricted = (f"IN ({', '.join(['%s'] * len(ever)) or 'NULL'})", list(ever))
        else:
            restricted = (f"IN ({_ever_in(only)})", _ever_params(only))
        base += f" AND {row_enterprise} {restricted[0]}"
        base_params += restricted[1]
    # Flags: evaluated once per row over the state (`r0`), kept apart from the aggregates.
    flag_sql = "".join(f", {sql} AS f{index}" for index, (sql, _) in enumerate(statement.flags))
    flag_params = [param for _, params in statement.flags for param in params]
    keep = "LIMIT -1 OFFSET 0" if connection.vendor == "sqlite" else "OFFSET 0"
    group = ""
    if connection.vendor == "postgresql":
        rows = _Rows(base, base_params, columns, per_row=spec.period_field is not None, restricted=restricted)
        inner, inner_params, group = _joined_rows(statement, rows, flag_sql, flag_params)
    else:
        if statement.label_tests:
            mask_sql, mask_params = statement.label_mask()
            flag_sql += f", {mask_sql} AS labels"
            flag_params += mask_params
        inner = f"SELECT r0.*{flag_sql} FROM ({base}) r0"
        inner_params = flag_params + base_params
    if only is not None:
        marks_p = ", ".join(["%s"] * len(only.parks)) or "NULL"
        marks_d = ", ".join(["%s"] * len(only.outside)) or "NULL"
        inner += f" WHERE r0.park IN ({marks_p}) OR (r0.park IS NULL AND r0.district IN ({marks_d}))"
        inner_params += [*sorted(only.parks), *sorted(only.outside)]
    inner += group
    sql = (
        f"WITH periods (pkey, pend) AS (VALUES {period_rows}) "
        f"SELECT r.pkey, r.park, r.district, r.batch_id, {', '.join(aggregates)} "
        f"FROM ({inner} {keep}) r GROUP BY r.pkey, r.park, r.district, r.batch_id"
    )
    return sql, period_params + outer_params + inner_params


@dataclass(frozen=True)
class _Rows:
    """PostgreSQL's form: the select of the rows' state and what the label join needs of it."""

    base: str
    params: list[Any]
    columns: set[str]  # the measure columns the rows carry
    # Whether the source has rows of its own per period (reports), or is the registry (every
    # enterprise in every period).
    per_row: bool
    # The enterprises a restricted scan reads (SQL after the column, parameters).
    restricted: tuple[str, list[Any]] | None


def _joined_rows(
    statement: _Statement, rows: _Rows, flag_sql: str, flag_params: list[Any]
) -> tuple[str, list[Any], str]:
    """PostgreSQL's inner select (without its restriction to cells) and its `GROUP BY`, if any: the
    rows' state joined to the derived tables of its flags and to the label mask of the row's
    enterprise at the row's period end, each computed once by hashing. As sub-queries per row
    (SQLite's form) PostgreSQL ran an index probe and an aggregate for each of 130,845 monthly rows
    and 502,512 registry rows, and their estimated cost switched on its JIT compiler (about 3 s of
    the monthly scan's 8 s).

    Reports join the labels of their enterprise row by row (a report's enterprise has a few labels)
    and group back to one row each. The registry's rows are every enterprise in every period: its
    mask is one derived table per enterprise and period end, from the labels of the kinds tested
    (grouping 502,512 wide rows back after the join sorted 1.5 million on disk)."""
    sql = f"SELECT r0.*{flag_sql}"
    params = list(flag_params)
    joins = "".join(f" {join}" for join, _, _ in statement.joins.values())
    join_params = [param for _, params, _ in statement.joins.values() for param in params]
    if not statement.label_tests:
        return f"{sql} FROM ({rows.base}) r0{joins}", params + rows.params + join_params, ""
    bits, bit_params = statement.label_bits()
    kinds = sorted(statement.label_kinds)
    kind_marks = ", ".join(["%s"] * len(kinds))
    table = connection.ops.quote_name(EnterpriseLabel._meta.db_table)
    if not rows.per_row:
        # The label tests read the period's end as `r0.pend`: here the periods are named `r0`.
        mask = f"SELECT l.enterprise_id, r0.pkey, {bits} AS labels FROM {table} l CROSS JOIN periods r0 "
        mask += f"WHERE l.kind IN ({kind_marks})"
        mask_params = [*bit_params, *kinds]
        if rows.restricted is not None:
            mask += f" AND l.enterprise_id {rows.restricted[0]}"
            mask_params += rows.restricted[1]
        sql += (
            f", COALESCE(m.labels, 0) AS labels FROM ({rows.base}) r0{joins} "
            f"LEFT JOIN ({mask} GROUP BY l.enterprise_id, r0.pkey) m "
            "ON m.enterprise_id = r0.enterprise_id AND m.pkey = r0.pkey"
        )
        return sql, params + rows.params + join_params + mask_params, ""
    sql += (
        f", {bits} AS labels FROM ({rows.base}) r0{joins} LEFT JOIN {table} l ON l.enterprise_id = r0.enterprise_id "
        f"AND l.kind IN ({kind_marks})"
    )
    params += bit_params + rows.params + join_params + kinds
    # Every column of the row (the row and its version identify it; the rest follow from them)
    # and of the joined flags.
    grouped = ["rid", "vid", "pkey", "pend", "batch_id", "enterprise_id", *sorted(rows.columns), "park", "district"]
    grouped.append("industry")
    keys = [f"r0.{name}" for name in grouped] + [read for _, _, read in statement.joins.values()]
    return sql, params, f" GROUP BY {', '.join(keys)}"


# Enterprises named one by one in a restricted scan; more go through a sub-query (both databases
# take tens of thousands of parameters).
LISTED_ENTERPRISES = 20_000


def _in_cells(only: CellSet) -> str:
    marks_p = ", ".join(["%s"] * len(only.parks)) or "NULL"
    marks_d = ", ".join(["%s"] * len(only.outside)) or "NULL"
    return f"park_id IN ({marks_p}) OR (park_id IS NULL AND district_id IN ({marks_d}))"


def _ever_in(only: CellSet) -> str:
    enterprises = connection.ops.quote_name(Enterprise._meta.db_table)
    versions = connection.ops.quote_name(EnterpriseVersion._meta.db_table)
    return (
        f"SELECT id FROM {enterprises} WHERE {_in_cells(only)} "
        f"UNION SELECT enterprise_id FROM {versions} WHERE {_in_cells(only)}"
    )


def _ever_params(only: CellSet) -> list[Any]:
    parks, outside = sorted(only.parks), sorted(only.outside)
    return [*parks, *outside, *parks, *outside]


def _add_label_lineage(
    cursor: Any,
    found: dict[dt.date, dict[str, CellRow]],
    by_key: dict[str, dt.date],
    period_rows: str,
    period_params: list[Any],
    only: CellSet | None,
) -> None:
    """The registry counts' lineage (as `cells._add_label_lineage`): the import batches of the labels
    valid at the period's end held by the cell's active enterprises, each in its cell then."""
    quote = connection.ops.quote_name
    labels = quote(EnterpriseLabel._meta.db_table)
    enterprises = quote(Enterprise._meta.db_table)
    versions = quote(EnterpriseVersion._meta.db_table)

    def state(name: str) -> str:
        return f"CASE WHEN v.id IS NULL THEN e.{name} ELSE v.{name} END"

    sql = (
        f"WITH periods (pkey, pend) AS (VALUES {period_rows}) "
        f"SELECT DISTINCT p.pkey, {state('park_id')}, {state('district_id')}, l.batch_id "
        f"FROM {labels} l JOIN periods p ON l.valid_from <= p.pend AND (l.valid_to IS NULL OR l.valid_to >= p.pend) "
        f"JOIN {enterprises} e ON e.id = l.enterprise_id AND (e.founded_on IS NULL OR e.founded_on <= p.pend) "
        f"LEFT JOIN {versions} v ON v.enterprise_id = e.id "
        "AND (v.valid_from IS NULL OR v.valid_from <= p.pend) AND (v.valid_to IS NULL OR v.valid_to >= p.pend) "
        f"WHERE l.batch_id IS NOT NULL AND {state('registration_status')} = %s"
    )
    params = [*period_params, RegistrationStatus.ACTIVE.value]
    if only is not None:
        sql += f" AND e.id IN ({_ever_in(only)})"
        params += _ever_params(only)
    cursor.execute(sql, params)
    for pkey, park_id, district_id, batch_id in cursor.fetchall():
        cells = found[by_key[str(pkey)]]
        cell = cells.get(f"p{park_id}" if park_id is not None else f"d{district_id}")
        if cell is not None:
            cell.batches.add(batch_id)


def aggregate_source(
    key: str, terms: Sequence[Term], periods: Iterable[Period], only: CellSet | None = None
) -> dict[dt.date, list[CellRow]]:
    """The cells of a source in the periods asked for, by period end: one scan where the source and
    its terms allow it, else one grouped statement per period end (`aggregate_cells`)."""
    wanted = list(periods)
    if scannable(key, terms):
        return scan_source(key, terms, wanted, only)
    rows: dict[dt.date, list[CellRow]] = {}
    for period in wanted:
        if period.end not in rows:
            rows[period.end] = aggregate_cells(key, terms, period, only)
    return rows
