"""On PostgreSQL each scan statement runs as one pass: its label mask and lead-chain flag are joined
and hashed once, never a sub-plan run again for every row. As correlated sub-queries (SQLite's
form) PostgreSQL ran the label sub-plan for each of the demo's 130,845 monthly and 502,512 registry
rows, and the scans were slower than one statement per period. SQLite's plan is pinned in
`test_scan_plan.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from conftest import World
from yuanqu.indicators.catalogue import indicator_catalogue
from yuanqu.indicators.engine.calendar import data_calendar
from yuanqu.indicators.engine.cells import CellSet
from yuanqu.indicators.engine.runs import terms_by_source
from yuanqu.indicators.engine.scan import _period_key, scan_statement

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's query plan")


def _nodes(node: dict[str, Any], relationship: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every plan node with how it hangs from its parent (a sub-plan marks all nodes below it)."""
    found = [(relationship or node.get("Parent Relationship", ""), node)]
    for child in node.get("Plans", []):
        below = relationship or ("SubPlan" if child.get("Parent Relationship") == "SubPlan" else "")
        found += _nodes(child, below)
    return found


def _analysed(key: str, only: CellSet | None = None) -> list[tuple[str, dict[str, Any]]]:
    grouped = terms_by_source(indicator_catalogue().indicators)
    terms = list({term.key: term for term in grouped[key]}.values())
    ends: dict[Any, dt.date] = {_period_key(key, period): period.end for period in data_calendar().for_source(key)}
    sql, params = scan_statement(key, terms, ends, only)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    return _nodes(plan[0]["Plan"])


@pytest.mark.parametrize("key", ["monthly", "annual", "enterprises"])
def test_it_runs_no_sub_plan_per_row(key: str, computed: World) -> None:
    nodes = _analysed(key)
    rows = max(node["Actual Rows"] * node["Actual Loops"] for _, node in nodes)
    assert rows > 2  # the world's rows are read
    for relationship, node in nodes:
        if relationship == "SubPlan":
            assert node["Actual Loops"] <= 1, node  # hashed once (the class list), not once per row


@pytest.mark.parametrize("key", ["monthly", "annual", "enterprises"])
def test_it_runs_no_sub_plan_per_row_for_one_park(key: str, computed: World) -> None:
    only = CellSet({computed.parks["PA"].pk}, set())
    for relationship, node in _analysed(key, only):
        if relationship == "SubPlan":
            assert node["Actual Loops"] <= 1, node
