"""The one scan reads the labels through the enterprise's index on a database without planner
statistics, as the demo's fresh SQLite file is. With the label's kind and dates in the probe SQLite
chose the index on those and read every label of the kind for every monthly row: the demo load
stalled for more than 8 minutes in the monthly scan. PostgreSQL plans from its own statistics (checked by the
benchmark, not here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from yuanqu.core.periods import MONTH, Period, month_end, year_period
from yuanqu.indicators.catalogue import indicator_catalogue
from yuanqu.indicators.engine.runs import terms_by_source
from yuanqu.indicators.engine.scan import _period_key, scan_statement
from yuanqu.registry.models import EnterpriseLabel

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's query plan"),
]


def _plan(key: str) -> list[str]:
    grouped = terms_by_source(indicator_catalogue().indicators)
    terms = list({term.key: term for term in grouped[key]}.values())
    if key == "annual":
        periods = [year_period(2024), year_period(2025)]
    else:
        periods = [year_period(2025)]
        periods += [Period(month_end(2025, month), MONTH) for month in (2, 3)]
    ends: dict[Any, dt.date] = {_period_key(key, period): period.end for period in periods}
    sql, params = scan_statement(key, terms, ends)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_schema WHERE name = 'sqlite_stat1'")
        assert cursor.fetchall() == []  # the fresh-file case: no statistics at all
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [str(row[3]) for row in cursor.fetchall()]


@pytest.mark.parametrize("key", ["monthly", "enterprises"])
def test_it_probes_labels_by_the_enterprises_index(key: str) -> None:
    plan = _plan(key)
    label_table = EnterpriseLabel._meta.db_table
    probes = [line for line in plan if line.startswith(("SEARCH l ", "SCAN l"))]
    assert probes, plan  # the shipped catalogue's terms of the source do filter by labels
    for line in probes:
        assert "(enterprise_id=?" in line, (label_table, line)
        assert "kind_" not in line, line


def test_it_reads_the_monthly_rows_by_the_period_index() -> None:
    """The monthly table is read period by period through its index, once, and never scanned whole
    for each period."""
    plan = _plan("monthly")
    reads = [line for line in plan if line.startswith(("SEARCH s ", "SCAN s"))]
    assert len(reads) == 1, plan
    assert "(period=?)" in reads[0], reads
