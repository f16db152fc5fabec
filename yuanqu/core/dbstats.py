"""The query planner's statistics, refreshed after bulk loads and once a day.

SQLite keeps no statistics until `ANALYZE` runs, and without them its planner guesses from the
indexes alone: on a freshly loaded database it may probe an index on (kind, dates) for every row of
a large scan where the index on the firm was meant. PostgreSQL's autovacuum analyses a table some
time after a bulk load; a scan planned before that sees the table as empty.

`planner_statistics_refresh()` brings them up to date: on SQLite `ANALYZE` with `analysis_limit`
(each index sampled, not read whole, so a large file costs milliseconds), then `PRAGMA optimize`;
on PostgreSQL `ANALYZE`. Called at the end of the demo load's bulk inserts, by `yuanqu
db_statistics`, and daily through YUANQU_SCHEDULE. It reads and writes no application data."""

from __future__ import annotations

from django.db import connections

# Rows SQLite samples per index (https://sqlite.org/lang_analyze.html#approx): enough for the
# planner to tell a selective index from an unselective one.
SQLITE_ANALYSIS_LIMIT = 1000


def planner_statistics_refresh(using: str = "default") -> str:
    """Refresh the planner's statistics of database `using`; returns the database's vendor."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return str(connection.vendor)
