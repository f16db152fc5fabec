"""How the engine's numbers reach the database: exact decimal text for partial sums and term values, and
one bulk writer (prepared inserts on SQLite, COPY on PostgreSQL, multi-row upserts) for cells and
values, much faster than `bulk_create` for a full recompute."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, models

ZERO = Decimal(0)

# Decimal places kept in stored values (the database column has six).
VALUE_PLACES = Decimal("0.000001")


def decimal_text(value: Decimal) -> str:
    """Exact text of a decimal without exponent or trailing zeros (the same on both databases)."""
    return format(value.normalize(), "f")


class JsonText(str):
    """JSON already encoded (the engine encodes a value's terms and lineage once per distinct text,
    not once per row): written as it is, where a dict or list would go through `json.dumps`."""

    __slots__ = ()


def lineage_text(batches: Iterable[int]) -> JsonText:
    """A lineage as `json.dumps(sorted(batches))` writes it, without the encoder's per-call cost."""
    return JsonText("[" + ", ".join(map(str, sorted(batches))) + "]")


# COPY's text format: a backslash, tab, newline or carriage return inside a field is escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_escape(text: str) -> str:
    return text.translate(_COPY_ESCAPES)


def copy_field(value: Any) -> str:
    """One field of a row in COPY's text format, as psycopg's `write_row` would send it."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return copy_escape(value)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.date):  # dates and aware datetimes: ISO 8601, which PostgreSQL reads
        return value.isoformat()
    return copy_escape(json.dumps(value))


def copy_lines(cursor: Any, table: str, columns: str, lines: Iterable[str]) -> None:
    """`COPY table (columns) FROM STDIN` fed with lines already in the text format, in pieces of
    about a megabyte (psycopg's `write_row` dumps field by field in Python: most of a full
    recompute's writing time)."""
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        piece: list[str] = []
        size = 0
        for line in lines:
            piece.append(line)
            size += len(line)
            if size > 1 << 20:
                copy.write("".join(piece))
                piece, size = [], 0
        if piece:
            copy.write("".join(piece))


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
            copy_lines(cursor, table, column_list, ("\t".join(map(copy_field, row)) + "\n" for row in rows))
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


def delete_rows(queryset: models.QuerySet[Any]) -> int:
    """Delete the rows in one `DELETE … WHERE` statement. `QuerySet.delete()` loads every row as a
    model instance to send the delete signals (the read cache's receiver): at demo scale 137,000
    instances and half of a full recompute's time. The engine's runs bump the data version
    themselves when they finish, and nothing references the cells or values."""
    return queryset._raw_delete(queryset.db)


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
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb  # only where PostgreSQL runs (psycopg is its driver)

            return lambda value: (
                Jsonb(value, dumps=str) if type(value) is JsonText else ops.adapt_json_value(value, field.encoder)
            )
        return lambda value: value if type(value) is JsonText else ops.adapt_json_value(value, field.encoder)
    if isinstance(field, models.DateTimeField):
        return functools.lru_cache(maxsize=64)(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return functools.lru_cache(maxsize=4096)(ops.adapt_datefield_value)
    return _identity
