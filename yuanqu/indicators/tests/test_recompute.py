"""After an import, only the cells (parks, districts outside parks) and periods the batch touched are
aggregated again, and only the scopes containing them rolled up again; the result equals a full
recompute."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from conftest import World
from yuanqu.indicators.models import ComputeRun, IndicatorValue
from yuanqu.indicators.services import indicators_compute_all, indicators_recompute_for_batch, pending_batches
from yuanqu.indicators.tests.factories import Stats, batch, monthly_row, revenue_correction, snapshot
from yuanqu.stats.models import AnnualStat, ImportBatch

Y2023, Y2024, Y2025 = dt.date(2023, 12, 31), dt.date(2024, 12, 31), dt.date(2025, 12, 31)


def stamp(indicator: str, kind: str, code: str, period: dt.date) -> dt.datetime:
    return IndicatorValue.objects.get(
        indicator=indicator, scope_kind=kind, scope_code=code, frequency="year", period=period
    ).computed_at


def test_it_recomputes_only_the_park_and_period_a_batch_touched(stats: Stats, computed: World) -> None:
    untouched_park = stamp("revenue", "park", "PC", Y2024)
    untouched_year = stamp("revenue", "park", "PA", Y2023)
    correction = revenue_correction(computed, 1_300_000)
    summary = indicators_recompute_for_batch(batch=correction)
    row = IndicatorValue.objects.get(
        indicator="revenue", scope_kind="park", scope_code="PA", frequency="year", period=Y2024
    )
    assert row.value == Decimal(1_300_000)
    assert row.batch_ids == [correction.pk]
    city = IndicatorValue.objects.get(indicator="revenue", scope_kind="city", frequency="year", period=Y2024)
    assert city.value == Decimal(1_550_000)
    assert city.batch_ids == sorted([stats.annual_batch.pk, correction.pk])
    assert stamp("revenue", "park", "PC", Y2024) == untouched_park
    assert stamp("revenue", "park", "PA", Y2023) == untouched_year
    # PA's annual cell of 2024, and PA's cells that year of the indicators reading its park values: the
    # parks counted by revenue (百亿/千亿园区) and by output (shown beside them), and the parks over the
    # lead-share line (assessed park by park)
    assert summary.cells == 4
    assert ComputeRun.objects.filter(kind="batch", batch=correction).count() == 1


def test_it_gives_the_same_values_as_a_full_recompute(stats: Stats, computed: World) -> None:
    correction = revenue_correction(computed, 1_300_000)
    indicators_recompute_for_batch(batch=correction)
    incremental = snapshot()
    indicators_compute_all()
    assert incremental == snapshot()


def test_it_recomputes_what_a_rolled_back_batch_had_fed(stats: Stats, computed: World) -> None:
    before = snapshot()
    correction = revenue_correction(computed, 1_300_000)
    indicators_recompute_for_batch(batch=correction)
    # Rolling back restores the old row (and its batch); the cells remember the rolled-back batch.
    AnnualStat.objects.filter(enterprise=computed.enterprises["E1"], year=2024).update(
        revenue=Decimal(1_200_000), batch=stats.annual_batch
    )
    ImportBatch.objects.filter(pk=correction.pk).update(status=ImportBatch.Status.ROLLED_BACK)
    indicators_recompute_for_batch(correction)  # as the receiver of batch_changed calls it
    assert snapshot() == before


def test_it_adds_a_new_month_to_stock_indicators_when_its_first_report_arrives(stats: Stats, computed: World) -> None:
    february = batch(ImportBatch.Kind.MONTHLY, "2026年1-2月")
    monthly_row(computed.enterprises["E1"], dt.date(2026, 2, 1), 45_000, february)
    indicators_recompute_for_batch(batch=february)
    end = dt.date(2026, 2, 28)
    high_tech = IndicatorValue.objects.get(
        indicator="high_tech_enterprises", scope_kind="city", frequency="month", period=end
    )
    assert high_tech.value == Decimal(1)  # E1; E4's certificate lapsed in 2025
    share = IndicatorValue.objects.get(
        indicator="high_tech_manufacturing_va_share", scope_kind="city", frequency="month", period=end
    )
    assert share.value == Decimal(100)
    incremental = snapshot()
    indicators_compute_all()
    assert incremental == snapshot()


def test_it_recomputes_everything_after_an_enterprise_list_import(stats: Stats) -> None:
    listing = batch(ImportBatch.Kind.ENTERPRISES, "企业名录")
    indicators_recompute_for_batch(batch=listing)
    assert ComputeRun.objects.filter(kind="full", batch=listing).count() == 1


def test_it_lists_the_batches_no_run_has_computed(stats: Stats, computed: World) -> None:
    assert pending_batches() == []
    correction = revenue_correction(computed, 1_300_000)
    assert pending_batches() == [correction]
    out = StringIO()
    call_command("compute", stdout=out)
    assert pending_batches() == []
    assert IndicatorValue.objects.get(
        indicator="revenue", scope_kind="city", frequency="year", period=Y2024
    ).value == Decimal(1_550_000)


def park_stamps(code: str) -> dict[tuple[str, dt.date], dt.datetime]:
    return {
        (row.indicator, row.period): row.computed_at
        for row in IndicatorValue.objects.filter(scope_kind="park", scope_code=code)
    }


def test_a_label_list_recomputes_only_the_holders_parks_and_records_its_lineage(stats: Stats, computed: World) -> None:
    from yuanqu.registry.models import EnterpriseLabel

    untouched = park_stamps("PC")
    listing = batch(ImportBatch.Kind.LABELS, "高新技术企业名单")
    EnterpriseLabel.objects.create(
        enterprise=computed.enterprises["E2"], kind="high_tech", valid_from=dt.date(2025, 1, 1), batch=listing
    )
    indicators_recompute_for_batch(batch=listing)
    row = IndicatorValue.objects.get(
        indicator="high_tech_enterprises", scope_kind="park", scope_code="PB", frequency="year", period=Y2025
    )
    assert row.value == Decimal(1) and listing.pk in row.batch_ids
    before = IndicatorValue.objects.get(
        indicator="high_tech_enterprises", scope_kind="park", scope_code="PB", frequency="year", period=Y2024
    )
    assert before.value == Decimal(0) and listing.pk not in before.batch_ids  # not valid yet in 2024
    assert park_stamps("PC") == untouched
    incremental = snapshot()
    indicators_compute_all()
    assert incremental == snapshot()


def test_a_land_import_recomputes_only_its_parcels_parks_and_records_its_lineage(stats: Stats, computed: World) -> None:
    from yuanqu.registry.models import LandParcel

    untouched = park_stamps("PC")
    survey = batch(ImportBatch.Kind.LAND, "土地")
    LandParcel.objects.create(
        code="L-PB-9",
        district=computed.districts["jiangxia"],
        park=computed.parks["PB"],
        area_mu=Decimal("1500"),
        use="M1",
        supply_method="transfer",
        batch=survey,
    )
    indicators_recompute_for_batch(batch=survey)
    city = IndicatorValue.objects.get(
        indicator="industrial_land_area", scope_kind="city", frequency="year", period=Y2025
    )
    assert city.value == Decimal("1.35") and survey.pk in city.batch_ids  # (150 + 300 + 75 + 1500) 亩 ÷ 1500
    assert park_stamps("PC") == untouched
    incremental = snapshot()
    indicators_compute_all()
    assert incremental == snapshot()
