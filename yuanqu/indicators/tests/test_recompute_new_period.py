"""A first report of a month: the month is computed whole, its registry counts taken over from the
period before when no dated row of the registry changed in between (and scanned again when one did),
and a December report feeds its year. Every case ends equal to a full recompute: values, terms,
cells and lineage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from conftest import World
from yuanqu.indicators.engine import runs, scan
from yuanqu.indicators.models import IndicatorCell, IndicatorValue
from yuanqu.indicators.services import indicators_compute_all, indicators_recompute_for_batch
from yuanqu.indicators.tests.factories import Stats, batch, monthly_row
from yuanqu.indicators.tests.test_engine_same import everything
from yuanqu.registry.models import EnterpriseLabel
from yuanqu.stats.models import ImportBatch

FEBRUARY = dt.date(2026, 2, 28)


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dt.date]]:
    """The (source, period end) pairs the recompute aggregated from the rows."""
    found: list[tuple[str, dt.date]] = []
    original = scan.aggregate_source

    def spy(key: str, terms: Any, periods: Any, only: Any = None) -> Any:
        periods = list(periods)
        found.extend((key, period.end) for period in periods)
        return original(key, terms, periods, only)

    monkeypatch.setattr(runs, "aggregate_source", spy)
    return found


def registry_cells(end: dt.date) -> dict[str, tuple[Any, Any]]:
    rows = IndicatorCell.objects.filter(source="enterprises", frequency="month", period=end)
    return {row.cell: (row.partials, row.batch_ids) for row in rows}


def february_report(world: World) -> ImportBatch:
    february = batch(ImportBatch.Kind.MONTHLY, "2026年1-2月")
    monthly_row(world.enterprises["E1"], dt.date(2026, 2, 1), 45_000, february)
    return february


def city(indicator: str, end: dt.date) -> Decimal | None:
    return IndicatorValue.objects.get(indicator=indicator, scope_kind="city", frequency="month", period=end).value


def test_it_takes_the_registry_counts_of_the_period_before_when_no_dated_row_changed(
    stats: Stats, computed: World, scanned: list[tuple[str, dt.date]]
) -> None:
    indicators_recompute_for_batch(batch=february_report(computed))
    assert ("monthly", FEBRUARY) in scanned
    assert ("enterprises", FEBRUARY) not in scanned
    december = IndicatorCell.objects.filter(source="enterprises", frequency="month", period=dt.date(2025, 12, 31))
    assert registry_cells(FEBRUARY) == {row.cell: (row.partials, row.batch_ids) for row in december}
    assert city("high_tech_enterprises", FEBRUARY) == Decimal(1)  # E1; E4's certificate lapsed in 2025
    assert city("above_scale_enterprises", FEBRUARY) == Decimal(3)  # E1, E2, E3
    incremental = everything()
    indicators_compute_all()
    assert incremental == everything()


def test_it_counts_the_registry_again_when_a_label_starts_in_between(
    stats: Stats, computed: World, scanned: list[tuple[str, dt.date]]
) -> None:
    # Entered by hand on the firm's page: no batch, so no recompute of its own.
    EnterpriseLabel.objects.create(
        enterprise=computed.enterprises["E2"], kind="high_tech", valid_from=dt.date(2026, 1, 15)
    )
    indicators_recompute_for_batch(batch=february_report(computed))
    assert ("enterprises", FEBRUARY) in scanned
    assert city("high_tech_enterprises", FEBRUARY) == Decimal(2)  # E1 and E2
    incremental = everything()
    indicators_compute_all()
    assert incremental == everything()


def test_it_counts_the_registry_again_when_a_label_ends_in_between(
    stats: Stats, computed: World, scanned: list[tuple[str, dt.date]]
) -> None:
    EnterpriseLabel.objects.filter(enterprise=computed.enterprises["E3"], kind="above_scale").update(
        valid_to=dt.date(2026, 1, 31)
    )
    indicators_recompute_for_batch(batch=february_report(computed))
    assert ("enterprises", FEBRUARY) in scanned
    assert city("above_scale_enterprises", FEBRUARY) == Decimal(2)  # E1 and E2; E3 left in January
    incremental = everything()
    indicators_compute_all()
    assert incremental == everything()


def test_it_counts_the_registry_again_when_a_firm_was_written_after_the_cells(
    stats: Stats, computed: World, scanned: list[tuple[str, dt.date]]
) -> None:
    firm = computed.enterprises["E2"]
    firm.address = "武汉市江夏区光谷大道2号"
    firm.save(update_fields=["address", "updated_at"])
    indicators_recompute_for_batch(batch=february_report(computed))
    assert ("enterprises", FEBRUARY) in scanned
    incremental = everything()
    indicators_compute_all()
    assert incremental == everything()


def test_a_first_december_report_feeds_the_year_that_has_cells_already(stats: Stats, computed: World) -> None:
    december = batch(ImportBatch.Kind.MONTHLY, "2023年12月")
    monthly_row(computed.enterprises["E1"], dt.date(2023, 12, 1), 250_000, december)
    assert IndicatorCell.objects.filter(frequency="year", period=dt.date(2023, 12, 31)).exists()
    indicators_recompute_for_batch(batch=december)
    year = IndicatorValue.objects.get(
        indicator="above_scale_value_added", scope_kind="city", frequency="year", period=dt.date(2023, 12, 31)
    )
    assert year.value is not None and december.pk in year.batch_ids
    incremental = everything()
    indicators_compute_all()
    assert incremental == everything()
