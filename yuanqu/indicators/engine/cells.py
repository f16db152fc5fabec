"""Cells: a park, or the enterprises (parcels) of one district outside every park. For each source
and period one grouped query computes every term of the catalogue per cell, and per import batch
for lineage (`aggregate_cells`); `store_cells` replaces the stored partial sums."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, Q

from yuanqu.core.periods import Period
from yuanqu.indicators.engine.compile import (
    _spec,
    rows_of,
    term_aggregate,
)
from yuanqu.indicators.engine.rollup import CellSums
from yuanqu.indicators.engine.storage import (
    ZERO,
    JsonText,
    _executemany,
    decimal_text,
    delete_rows,
    lineage_text,
)
from yuanqu.indicators.models import (
    IndicatorCell,
)
from yuanqu.indicators.pack import Term
from yuanqu.registry.models import EnterpriseLabel


@dataclass
class CellSet:
    """Cells to aggregate again: parks, and districts' outside-park remainders. Empty means none."""

    parks: set[int] = field(default_factory=set)
    outside: set[int] = field(default_factory=set)

    def keys(self) -> set[str]:
        return {f"p{pk}" for pk in self.parks} | {f"d{pk}" for pk in self.outside}

    def add(self, park_id: int | None, district_id: int) -> None:
        if park_id is None:
            self.outside.add(district_id)
        else:
            self.parks.add(park_id)

    def update(self, other: CellSet) -> None:
        self.parks |= other.parks
        self.outside |= other.outside

    def __bool__(self) -> bool:
        return bool(self.parks or self.outside)


@dataclass
class CellRow:
    cell: str
    park_id: int | None
    district_id: int
    partials: dict[str, Decimal]
    batches: set[int]
    _texts: dict[str, str] | None = field(default=None, repr=False, compare=False)

    def texts(self) -> dict[str, str]:
        """The partial sums as their stored decimal texts (encoded once: stored, then rolled up)."""
        if self._texts is None:
            self._texts = {term_key: decimal_text(value) for term_key, value in self.partials.items()}
        return self._texts


def aggregate_cells(key: str, terms: Iterable[Term], period: Period, only: CellSet | None = None) -> list[CellRow]:
    """One grouped query: every term of the source, per cell (and per import batch, for lineage)."""
    spec = _spec(key)
    unique = {term.key: term for term in terms}
    if not unique:
        return []
    queryset = rows_of(key, period)
    if only is not None:
        in_parks = Q(**{f"{spec.park}__in": only.parks})
        outside = Q(**{f"{spec.park}__isnull": True, f"{spec.district}__in": only.outside})
        queryset = queryset.filter(in_parks | outside)
    group: dict[str, Any] = {"g_park": F(spec.park), "g_district": F(spec.district)}
    if spec.batch:
        group["g_batch"] = F(spec.batch)
    aliases = {f"t_{term_key}": term for term_key, term in unique.items()}
    rows = (
        queryset.values(**group)
        .annotate(**{alias: term_aggregate(term, key, period) for alias, term in aliases.items()})
        .order_by()
    )
    cells: dict[str, CellRow] = {}
    for row in rows:
        park_id, district_id = row["g_park"], row["g_district"]
        cell = f"p{park_id}" if park_id is not None else f"d{district_id}"
        found = cells.get(cell)
        if found is None:
            found = cells[cell] = CellRow(cell, park_id, district_id, {}, set())
        for alias, term in aliases.items():
            value = row[alias]
            if value is not None:
                found.partials[term.key] = found.partials.get(term.key, ZERO) + Decimal(value)
        if row.get("g_batch") is not None:
            found.batches.add(row["g_batch"])
    if key == "enterprises":
        _add_label_lineage(cells, queryset, period)
    return list(cells.values())


def _add_label_lineage(cells: dict[str, CellRow], enterprises: models.QuerySet[Any], period: Period) -> None:
    """The registry counts' lineage: the import batches that wrote the labels valid at the period's
    end held by the cell's enterprises (the label filters of the terms read exactly those rows),
    each enterprise in its cell of that period."""
    batches: dict[int, set[int]] = {}
    labels = EnterpriseLabel.objects.valid_on(period.end).filter(
        batch__isnull=False, enterprise__in=enterprises.values("pk")
    )
    for enterprise_id, batch_id in labels.values_list("enterprise_id", "batch_id").distinct():
        batches.setdefault(enterprise_id, set()).add(batch_id)
    if not batches:
        return
    holders = enterprises.filter(pk__in=labels.values("enterprise_id"))
    placed = holders.values_list("pk", "state_park", "state_district")
    for enterprise_id, park_id, district_id in placed:
        found = cells.get(f"p{park_id}" if park_id is not None else f"d{district_id}")
        if found is not None:
            found.batches |= batches[enterprise_id]


def cell_sums(rows: Iterable[CellRow]) -> list[CellSums]:
    """The rows as the roll-up reads stored cells back: each partial sum through its stored text."""
    return [
        (row.park_id, row.district_id, {term_key: Decimal(text) for term_key, text in row.texts().items()}, row.batches)
        for row in rows
    ]


def store_cells(
    key: str, period: Period, rows: list[CellRow], only: CellSet | None, now: dt.datetime, *, fresh: bool = False
) -> int:
    """Replace the stored cells of a source and period (all of them, or those in `only`); `fresh`
    when the table was emptied before."""
    if not fresh:
        existing = IndicatorCell.objects.filter(source=key, frequency=period.frequency, period=period.end)
        if only is not None:
            existing = existing.filter(cell__in=only.keys())
        delete_rows(existing)
    _executemany(
        IndicatorCell,
        ("source", "frequency", "period", "cell", "park", "district", "partials", "batch_ids", "computed_at"),
        [
            (
                key,
                period.frequency,
                period.end,
                row.cell,
                row.park_id,
                row.district_id,
                JsonText(json.dumps(row.texts())),
                lineage_text(row.batches),
                now,
            )
            for row in rows
        ],
    )
    return len(rows)
