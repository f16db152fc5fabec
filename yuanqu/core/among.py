"""A column among a long list of values, as a filter: `queryset.filter(among("pk", ids))`.

On PostgreSQL it is `column = ANY(%s)` with the list as one array parameter: Django prepares and
psycopg splits a long `IN (%s, %s, …)` at every placeholder on every execution (a statement too
long for psycopg's cache), where one array is sent as it is and the server still uses the
column's index. Elsewhere (SQLite, which has no arrays and works in the process) it is the ORM's
own `__in`. The values must be of the column's type as the database takes them (ids, dates, text).

Who calls this: the bulk paths that look up or delete rows by thousands of keys at a time (the
statistics write, the intake's monthly checks)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import F, Lookup, Q
from django.db.models.sql.compiler import SQLCompiler


class _AnyOf(Lookup[Any]):
    """`lhs = ANY(%s::<column type>[])`, the right-hand side one array parameter, not prepared per
    value (the caller passes values of the column's type)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: SQLCompiler, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        column_type = self.lhs.output_field.cast_db_type(connection)
        return f"{lhs} = ANY(%s::{column_type}[])", [*lhs_params, list(self.rhs)]


def among(field: str, values: Sequence[Any]) -> Q | _AnyOf:
    """The filter "`field` is one of `values`" (see the module's docstring)."""
    if connection.vendor == "postgresql":
        return _AnyOf(F(field), values)
    return Q(**{f"{field}__in": values})
