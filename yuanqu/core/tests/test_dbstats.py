"""The planner's statistics: `yuanqu db_statistics` leaves statistics for the tables with rows, is
idempotent, and is scheduled daily."""

from __future__ import annotations

from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from conftest import World


def _analysed_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return set()
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        else:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL")
        return {row[0] for row in cursor.fetchall()}


def test_statistics_refresh_covers_the_loaded_tables(world: World) -> None:
    out = StringIO()
    call_command("db_statistics", stdout=out)
    analysed = _analysed_tables()
    assert {"registry_park", "registry_enterprise", "core_user"} <= analysed
    assert connection.vendor in out.getvalue()
    call_command("db_statistics", stdout=StringIO())  # again: idempotent
    assert _analysed_tables() >= analysed


def test_statistics_refresh_is_scheduled_daily() -> None:
    entry = settings.YUANQU_SCHEDULE["db_statistics"]
    assert entry["command"] == "db_statistics"
    assert "daily" in entry
