"""The indicator engine: catalogue terms compiled to grouped aggregate queries (one scan over all
periods for the monthly and annual sources, one per period for the others), partial sums stored per
cell, values rolled up per scope.

How a value is made (docs/indicators.md has the long version), module by module:
1. `calendar`: the years with data (annual data, park data, a December monthly report, the pack's
   baseline year), each ending on 31 December, and the months with monthly reports. Flows are taken
   from the period's rows; stocks (labels, land, parks) at the period's last day. Periods themselves
   are `yuanqu.core.periods.Period`.
2. `scan`: the monthly reports and annual data in one grouped scan over all their periods, each row
   joined to its enterprise's state and labels at its own period's end (identical cells to `cells`).
   `compile` and `cells`, for the other sources: for each source and period, one query groups the
   source's rows by cell
   (park, or district outside parks) and computes every term of the catalogue that reads the source
   as a conditional aggregate (`SUM(measure) FILTER (WHERE …)` / `COUNT(*) FILTER (…)`, with EXISTS
   sub-queries for labels and lead chains): the ORM writes it for SQLite and PostgreSQL alike. The
   rows are also grouped by import batch, which gives each cell its lineage.
3. `rollup`: a scope's term value is the sum of its cells' partial sums (districts and the city under
   the indicator's coverage); the formula and the unit conversion come from the catalogue.
4. `runs`: the full recompute and the recompute of what one import batch or one change of dated
   state (an enterprise's move, a park's new type) touched.
`storage` writes cells and values in bulk.

Who calls this: services.py (`indicators_compute_all`, `indicators_recompute_for_batch`), and the
selectors for the rows behind a value (`SPECS`, `rows_of`, `source_key`, `term_aggregate`)."""

from __future__ import annotations

from yuanqu.indicators.engine.calendar import Calendar, data_calendar, distinct_values, indicator_periods
from yuanqu.indicators.engine.compile import SPECS, rows_of, source_key, term_aggregate, term_condition
from yuanqu.indicators.engine.runs import (
    Progress,
    RunResult,
    Touched,
    base_sources,
    compute_all,
    recompute,
    touched_by,
    touched_by_history,
)

__all__ = [
    "SPECS",
    "Calendar",
    "Progress",
    "RunResult",
    "Touched",
    "base_sources",
    "compute_all",
    "data_calendar",
    "distinct_values",
    "indicator_periods",
    "recompute",
    "rows_of",
    "source_key",
    "term_aggregate",
    "term_condition",
    "touched_by",
    "touched_by_history",
]
