"""The engine computes each catalogue indicator per park, district, park type and city, from the
statistics and registry tables, with the statistical definitions of the catalogue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import World
from yuanqu.indicators.models import IndicatorCell, IndicatorValue
from yuanqu.indicators.services import indicators_compute_all
from yuanqu.indicators.tests.factories import Stats, add_stats
from yuanqu.registry.models import Park


@pytest.fixture
def stats(world: World) -> Stats:
    found = add_stats(world)
    indicators_compute_all()
    return found


def value(indicator: str, scope: str, period: str, kind: str = "") -> Decimal | None:
    """The stored value; scope "city", a park code (P…), a district code (digits) or a park type."""
    if not kind:
        if scope == "city":
            kind = "city"
        elif scope.startswith("P"):
            kind = "park"
        elif scope.isdigit():
            kind = "district"
        else:
            kind = "park_type"
    frequency = "year" if len(period) == 4 else "month"
    end = dt.date(int(period), 12, 31) if frequency == "year" else _month_end(period)
    row = IndicatorValue.objects.get(
        indicator=indicator, scope_kind=kind, scope_code=scope, frequency=frequency, period=end
    )
    return row.value


def _month_end(text: str) -> dt.date:
    year, month = (int(part) for part in text.split("-"))
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


JIANGXIA, CAIDIAN = "420115", "420114"


def test_it_sums_revenue_per_park_district_park_type_and_city(stats: Stats) -> None:
    assert value("revenue", "PA", "2024") == Decimal(1_200_000)
    assert value("revenue", "PB", "2024") == Decimal(50_000)
    assert value("revenue", JIANGXIA, "2024") == Decimal(1_250_000)  # in parks only: not E4
    assert value("revenue", "modern", "2024") == Decimal(1_200_000)
    assert value("revenue", "city", "2024") == Decimal(1_450_000)
    assert value("revenue", "city", "2023") == Decimal(1_090_000)


def test_it_computes_the_lead_industry_share_from_each_parks_chains(stats: Stats) -> None:
    assert value("lead_industry_share", "PA", "2024") == Decimal(100)
    assert value("lead_industry_share", "PB", "2024") == Decimal(0)
    # 1,200,000 ÷ 1,450,000
    assert value("lead_industry_share", "city", "2024") == Decimal("82.758621")


def test_it_computes_rd_intensity_as_a_ratio_of_sums(stats: Stats) -> None:
    # (36,000 + 500 + 6,000) ÷ 1,450,000
    assert value("rd_intensity", "city", "2024") == Decimal("2.931034")


def test_it_counts_labels_valid_at_the_period_end(stats: Stats) -> None:
    # E4 (outside parks) holds a certificate to 2025-11-30; E1's (in PA) starts 2024-05-01. The target's
    # indicator counts firms in parks (园区口径); the city-wide one beside it counts E4 as well.
    assert value("high_tech_enterprises", "city", "2023") == Decimal(0)
    assert value("high_tech_enterprises", "city", "2024") == Decimal(1)
    assert value("high_tech_enterprises", "city", "2025") == Decimal(1)
    assert value("high_tech_enterprises", "PA", "2024") == Decimal(1)
    assert value("high_tech_enterprises", JIANGXIA, "2024") == Decimal(1)
    assert value("high_tech_enterprises_city", "city", "2023") == Decimal(1)
    assert value("high_tech_enterprises_city", "city", "2024") == Decimal(2)
    assert value("high_tech_enterprises_city", "city", "2025") == Decimal(1)
    assert value("high_tech_enterprises_city", JIANGXIA, "2024") == Decimal(2)  # whole-city coverage counts E4


def test_it_counts_above_scale_firms_in_parks_and_new_entries_since_2025(stats: Stats) -> None:
    assert value("above_scale_enterprises", "city", "2024") == Decimal(2)
    assert value("above_scale_enterprises", "city", "2025") == Decimal(3)
    assert value("new_above_scale_enterprises", "city", "2024") == Decimal(0)
    assert value("new_above_scale_enterprises", "city", "2025") == Decimal(1)
    assert value("new_above_scale_enterprises", "PB", "2025") == Decimal(1)


def test_it_takes_the_high_tech_share_from_the_monthly_year_to_date_reports(stats: Stats) -> None:
    assert value("high_tech_manufacturing_va_share", "city", "2024") == Decimal(100)
    # December 2025: (270,000 + 60,000) ÷ (270,000 + 60,000 + 13,000)
    assert value("high_tech_manufacturing_va_share", "city", "2025") == Decimal("96.209913")
    # 1–2月 2025, reported on February
    assert value("high_tech_manufacturing_va_share", "city", "2025-02") == Decimal("96.153846")


def test_it_computes_tax_per_mu_over_firms_with_land(stats: Stats) -> None:
    # (30,000 + 1,200 + 6,000) ÷ (150 + 30 + 300)
    assert value("tax_per_mu", "city", "2024") == Decimal("77.5")


def test_it_converts_land_to_square_kilometres_and_the_share_inside_parks(stats: Stats) -> None:
    # 150 + 300 亩 in parks, 75 outside: 525 亩 = 0.35 km²
    assert value("industrial_land_area", "city", "2024") == Decimal("0.35")
    assert value("park_industrial_land_share", "city", "2024") == Decimal("85.714286")
    assert value("industrial_land_area", JIANGXIA, "2024") == Decimal("0.15")


def test_it_counts_parks_above_a_revenue_threshold(stats: Stats) -> None:
    assert value("parks_revenue_ge_100yi", "city", "2023") == Decimal(0)  # PA: 90亿
    assert value("parks_revenue_ge_100yi", "city", "2024") == Decimal(1)  # PA: 120亿
    assert value("parks_revenue_ge_1000yi", "city", "2024") == Decimal(0)


def test_it_counts_recognised_parks_from_their_recognition_date(world: World) -> None:
    Park.objects.filter(code="PA").update(status="recognised", recognised_on=dt.date(2024, 6, 1))
    add_stats(world)
    indicators_compute_all()
    assert value("park_count_modern", "city", "2023") == Decimal(0)
    assert value("park_count_modern", "city", "2024") == Decimal(1)
    assert value("park_count_featured", "city", "2024") == Decimal(0)


def test_it_leaves_a_ratio_undefined_when_there_is_nothing_to_divide(stats: Stats) -> None:
    # PB has no new project data at all; PA's revenue is known but no R&D: a ratio of 0 ÷ 0 stays empty.
    assert value("digital_transformation_share", "PB", "2024") is None


def test_it_records_the_batches_behind_each_value(stats: Stats) -> None:
    row = IndicatorValue.objects.get(
        indicator="revenue", scope_kind="city", frequency="year", period=dt.date(2024, 12, 31)
    )
    assert row.batch_ids == [stats.annual_batch.pk]
    assert row.terms == {"revenue": "1450000"}
    monthly = IndicatorValue.objects.get(
        indicator="high_tech_manufacturing_va_share", scope_kind="city", frequency="year", period=dt.date(2025, 12, 31)
    )
    assert monthly.batch_ids == [stats.monthly_batch.pk]


def test_it_stores_one_cell_per_park_and_per_district_outside_parks(stats: Stats, world: World) -> None:
    cells = set(
        IndicatorCell.objects.filter(source="annual", period=dt.date(2024, 12, 31)).values_list("cell", flat=True)
    )
    parks = {f"p{world.parks[code].pk}" for code in ("PA", "PB", "PC")}
    assert cells == parks | {f"d{world.districts['jiangxia'].pk}"}


def test_it_reads_the_calendar_of_months_and_years_by_a_loose_index_scan(world: World) -> None:
    from yuanqu.indicators.engine import distinct_values
    from yuanqu.stats.models import AnnualStat, MonthlyStat

    assert distinct_values(MonthlyStat, "period") == []
    add_stats(world)
    months = distinct_values(MonthlyStat, "period")
    assert months == sorted(set(MonthlyStat.objects.values_list("period", flat=True)))
    assert months[0] == dt.date(2024, 2, 1) and all(isinstance(month, dt.date) for month in months)
    assert distinct_values(AnnualStat, "year") == [2023, 2024, 2025]
