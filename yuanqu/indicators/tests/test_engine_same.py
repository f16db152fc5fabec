"""The full recompute gives exactly the values, terms and lineage of the engine's reference path: one
grouped statement per source and period, its cells stored and read back, every indicator rolled up
from the stored cells (the way the engine computed before it scanned a source's periods together).
The fixture has moves, a park's new type, labels from an import batch and land, so that the dated
memberships, the label filters and the lineage all count."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from conftest import World
from yuanqu.indicators.catalogue import in_dependency_order, indicator_catalogue
from yuanqu.indicators.engine.calendar import data_calendar, indicator_periods
from yuanqu.indicators.engine.cells import CellRow, CellSet, aggregate_cells, store_cells
from yuanqu.indicators.engine.compile import INDICATOR_SOURCE_PREFIX, source_key
from yuanqu.indicators.engine.rollup import Registry, SumCache, ValueRow, insert_values, reported_values, rollup
from yuanqu.indicators.engine.runs import terms_by_source
from yuanqu.indicators.engine.scan import scan_source, scannable
from yuanqu.indicators.models import IndicatorCell, IndicatorValue
from yuanqu.indicators.pack import Term, TermFilter
from yuanqu.indicators.providers import provided_values
from yuanqu.indicators.services import indicators_compute_all
from yuanqu.indicators.tests.factories import add_stats, batch
from yuanqu.registry.history import enterprise_state_change, park_state_change
from yuanqu.registry.models import EnterpriseLabel, LandParcel
from yuanqu.stats.models import ImportBatch


def reference_compute_all() -> None:
    """The reference path: per source and period, aggregate, store, read back and roll up."""
    now = timezone.now()
    items = in_dependency_order(indicator_catalogue().indicators)
    cal = data_calendar()
    grouped = terms_by_source(items)
    IndicatorCell.objects.all().delete()
    IndicatorValue.objects.all().delete()
    for key in grouped:
        if key.startswith(INDICATOR_SOURCE_PREFIX):
            continue
        for period in cal.for_source(key):
            store_cells(key, period, aggregate_cells(key, grouped[key], period), None, now, fresh=True)
    sums = SumCache(Registry.load())
    for item in items:
        if item.provided:
            insert_values(provided_values(item.code, now))
            continue
        if item.reported:
            insert_values(reported_values(item, now))
            continue
        periods = indicator_periods(item, cal)
        for term in item.terms:
            key = source_key(term)
            if key.startswith(INDICATOR_SOURCE_PREFIX):
                for period in periods:
                    if not IndicatorCell.objects.filter(source=key, period=period.end, frequency=period.frequency):
                        store_cells(key, period, aggregate_cells(key, grouped[key], period), None, now, fresh=True)
        values: list[ValueRow] = []  # the blocks as rows, written through json.dumps
        for period in periods:
            values += rollup(item, period, sums, None, now)[0]
        insert_values(values)


def everything() -> tuple[dict[Any, Any], dict[Any, Any]]:
    """Every value with its terms and lineage, and every cell with its partial sums and lineage (import
    batches by their note, which the two runs share)."""
    notes = dict(ImportBatch.objects.values_list("pk", "note"))
    values = {
        (row.indicator, row.scope_kind, row.scope_code, row.frequency, row.period): (
            row.value,
            row.terms,
            sorted(notes[pk] for pk in row.batch_ids),
            row.reported,
            row.park_id,
            row.district_id,
        )
        for row in IndicatorValue.objects.all()
    }
    cells = {
        (row.source, row.frequency, row.period, row.cell): (
            row.partials,
            sorted(notes[pk] for pk in row.batch_ids),
            row.park_id,
            row.district_id,
        )
        for row in IndicatorCell.objects.all()
    }
    return values, cells


def _fixture(world: World) -> None:
    """Moves (one in July 2025, one back-dated to March 2024), a park's new type, a label from an
    import batch and a parcel."""
    add_stats(world)
    admin = world.users["city_admin"]
    listing = batch(ImportBatch.Kind.LABELS, "高新技术企业名单")
    EnterpriseLabel.objects.create(
        enterprise=world.enterprises["E2"], kind="high_tech", valid_from=dt.date(2025, 1, 1), batch=listing
    )
    survey = batch(ImportBatch.Kind.LAND, "土地")
    LandParcel.objects.create(
        code="L-PB-9",
        district=world.districts["jiangxia"],
        park=world.parks["PB"],
        area_mu=1500,
        use="M1",
        supply_method="transfer",
        batch=survey,
    )
    with transaction.atomic():
        park_b = world.parks["PB"].pk
        enterprise_state_change(
            actor=admin, enterprise=world.enterprises["E1"], valid_from=dt.date(2025, 7, 1), park_id=park_b
        )
        enterprise_state_change(
            actor=admin, enterprise=world.enterprises["E3"], valid_from=dt.date(2024, 3, 1), park_id=None
        )
        park_state_change(actor=admin, park=world.parks["PB"], valid_from=dt.date(2025, 1, 1), park_type="modern")


def test_the_full_recompute_equals_the_reference_path_value_by_value(world: World) -> None:
    _fixture(world)
    grouped = terms_by_source(indicator_catalogue().indicators)
    # The shipped catalogue's monthly, annual and registry terms go through the one scan.
    assert all(scannable(key, grouped[key]) for key in ("monthly", "annual", "enterprises"))
    reference_compute_all()
    expected = everything()
    indicators_compute_all()
    found = everything()
    assert len(expected[0]) > 500 and len(expected[1]) > 50  # the fixture reaches many scopes and cells
    assert found[1] == expected[1]
    assert found[0] == expected[0]


def _as_compared(rows: list[CellRow]) -> dict[str, tuple[dict[str, Any], set[int], int | None, int]]:
    return {row.cell: (row.partials, row.batches, row.park_id, row.district_id) for row in rows}


def test_the_scan_of_some_cells_equals_the_reference_path_for_those_cells(world: World) -> None:
    """An import's recompute scans only the touched cells (a park, a district outside parks, or a
    moved firm's old and new park) in the touched periods: the same cells as one statement per
    period restricted to them."""
    _fixture(world)
    grouped = terms_by_source(indicator_catalogue().indicators)
    cal = data_calendar()
    park_a, park_b = world.parks["PA"].pk, world.parks["PB"].pk
    jiangxia = world.districts["jiangxia"].pk
    cell_sets = [CellSet(parks={park_a}), CellSet(parks={park_a, park_b}), CellSet(outside={jiangxia}), None]
    compared = 0
    for key in ("monthly", "annual", "enterprises"):
        periods = cal.for_source(key)
        for cells in cell_sets:
            scanned = scan_source(key, grouped[key], periods, cells)
            for period in periods:
                reference = aggregate_cells(key, grouped[key], period, cells)
                assert _as_compared(scanned[period.end]) == _as_compared(reference), (key, period, cells)
                compared += len(reference)
    assert compared > 40


def test_a_term_the_scan_does_not_take_goes_through_the_per_period_path() -> None:
    """Park-state conditions (type, recognition, green level) are read per period."""
    term = Term(
        name="x",
        source="monthly",
        aggregate="sum",
        measure="revenue",
        indicator=None,
        where=TermFilter(park_types=("modern",)),
        unit="万元",
        key="k",
    )
    assert not scannable("monthly", [term])
    assert not scannable("land", [])
