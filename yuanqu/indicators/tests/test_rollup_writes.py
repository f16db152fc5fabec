"""The write side of the engine: the roll-up from the park level in numpy gives exactly the sums of
adding Decimals scope by scope (small figures, figures beyond 64 bits, and 28-digit ones, where
decimal addition rounds), a recompute reads the sums
it needs in one query and writes its values and removals in bulk, and a source without rows is not
aggregated again in every run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World
from yuanqu.core.periods import YEAR, Period
from yuanqu.indicators.engine.rollup import (
    CellSums,
    Registry,
    ScopeKey,
    SourceSums,
    load_many_sums,
    load_sums,
    scopes_of_cell,
    sum_cells,
)
from yuanqu.indicators.engine.storage import ZERO
from yuanqu.indicators.models import IndicatorValue
from yuanqu.indicators.services import indicators_compute_all, indicators_recompute_for_batch
from yuanqu.indicators.tests.factories import Stats, revenue_correction, snapshot
from yuanqu.registry.models import LandParcel

END = Period(dt.date(2024, 12, 31), YEAR)


def decimal_sums(
    cells: list[CellSums], registry: Registry
) -> dict[tuple[str, ScopeKey], tuple[dict[str, Decimal], set[int]]]:
    """The roll-up as the engine computed it before numpy: every cell's Decimals added scope by scope."""
    sums: dict[tuple[str, ScopeKey], tuple[dict[str, Decimal], set[int]]] = {}
    for park_id, district_id, partials, batches in cells:
        for pair in scopes_of_cell(park_id, district_id, registry, END.end):
            found = sums.setdefault(pair, ({}, set()))
            for key, value in partials.items():
                found[0][key] = found[0].get(key, ZERO) + Decimal(value)
            found[1].update(batches)
    return sums


def as_plain(sums: SourceSums) -> dict[tuple[str, ScopeKey], tuple[dict[str, Decimal], set[int]]]:
    return {pair: (found.partials, found.batches) for pair, found in sums.by_scope.items()}


def cells_of(world: World, values: list[dict[str, Decimal | str]]) -> list[CellSums]:
    """One cell per value set: the three parks in turn, and the last outside every park."""
    parks = [world.parks["PA"], world.parks["PB"], world.parks["PC"]]
    cells: list[CellSums] = []
    for number, partials in enumerate(values[:-1]):
        park = parks[number % len(parks)]
        cells.append((park.pk, park.district_id, partials, [number + 1]))
    cells.append((None, world.districts["jiangxia"].pk, values[-1], [99]))
    return cells


def test_it_rolls_up_parks_districts_types_and_the_city_exactly_as_decimal_addition(computed: World) -> None:
    registry = Registry.load()
    cells = cells_of(
        computed,
        [
            {"a": Decimal("1.25"), "b": "3"},
            {"a": "0.001", "c": Decimal("-7.5")},
            {"a": Decimal("100"), "b": "0.000001"},
            {"b": Decimal("2.50")},
            {"a": "12345678901234.5678", "c": "1"},
        ],
    )
    found = as_plain(sum_cells(cells, END, registry))
    assert found == decimal_sums(cells, registry)
    city = found[("city", ("city", "city"))]
    assert city[0]["a"] == Decimal("12345678901335.8188")
    assert city[1] == {1, 2, 3, 4, 99}
    # a park's own scope holds only the terms its cells have
    park_a = found[("parks", ("park", "PA"))]
    assert set(park_a[0]) == {"a", "b"}


def test_it_adds_figures_beyond_64_bits_and_at_28_digits_like_decimal_addition(computed: World) -> None:
    registry = Registry.load()
    huge = "9" * 20 + ".123456"  # beyond int64 once scaled to an integer
    rounded = "9" * 27 + ".5"  # 28 digits: Decimal addition rounds, and so must the roll-up
    cells = cells_of(computed, [{"h": huge, "r": rounded}, {"h": huge, "r": rounded}, {"h": "-1", "r": "0.25"}, {}])
    found = as_plain(sum_cells(cells, END, registry))
    assert found == decimal_sums(cells, registry)
    assert found[("city", ("city", "city"))][0]["h"] == Decimal(huge) * 2 - 1


def test_it_rolls_up_no_cells_to_no_scope(computed: World) -> None:
    assert sum_cells([], END, Registry.load()).by_scope == {}


def test_a_correction_reads_the_sums_in_one_query_and_writes_its_values_in_bulk(stats: Stats, computed: World) -> None:
    correction = revenue_correction(computed, 1_300_000)
    with CaptureQueriesContext(connection) as queries:
        indicators_recompute_for_batch(batch=correction)
    statements = [query["sql"] for query in queries.captured_queries]
    reads = [sql for sql in statements if 'FROM "indicators_indicatorcell"' in sql and "partials" in sql]
    writes = [sql for sql in statements if sql.startswith('INSERT INTO "indicators_indicatorvalue"')]
    # every base source's sums in one query; a derived source's cells, stored again after its
    # dependency's values, are read each on its own
    assert len([sql for sql in reads if "indicator:" not in sql]) == 1
    # the values flushed once before each derived source reads them, and once at the end
    assert 1 <= len(writes) <= 4
    incremental = snapshot()
    indicators_compute_all()
    assert incremental == snapshot()


def test_a_source_without_rows_is_not_aggregated_again_in_every_run(stats: Stats, computed: World) -> None:
    LandParcel.objects.all().delete()
    indicators_compute_all()  # the land source has no rows: it stores no cell in any period
    correction = revenue_correction(computed, 1_300_000)
    with CaptureQueriesContext(connection) as queries:
        indicators_recompute_for_batch(batch=correction)
    assert not [query for query in queries.captured_queries if "registry_landparcel" in query["sql"]]
    assert IndicatorValue.objects.filter(indicator="revenue", scope_kind="park", scope_code="PA").exists()


def test_it_reads_the_sums_of_many_sources_and_periods_at_once(stats: Stats, computed: World) -> None:
    # A run touching many sources and periods: SQLite refuses an OR chain over 1,000 terms deep.
    registry = Registry.load()
    wanted = [("annual", END)] + [
        ("monthly", Period(dt.date(2000 + number // 12, number % 12 + 1, 28), "month")) for number in range(1200)
    ]
    found = load_many_sums(wanted, registry)
    assert len(found) == 1201
    assert as_plain(found[("annual", END)]) == as_plain(load_sums("annual", END, registry))
    assert found[("annual", END)].by_scope  # the fixture's annual cells of 2024
    assert found[wanted[-1]].by_scope == {}
