"""The carbon figures by month in the indicator catalogue: 1–本月累计 (the monthly accounts of the
year's months up to that one) per park, park type, district and the city, worked by hand, with the
batches behind them; after a monthly energy import the stored values equal a full recompute's cell
by cell; and the park's carbon account shows its months."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from conftest import World
from yuanqu.energy import services
from yuanqu.energy.tests.conftest import MONTHLY_HEADER, Importer, texts, xlsx
from yuanqu.indicators.models import IndicatorValue
from yuanqu.indicators.services import indicators_compute_all

CODES = ("energy_tce", "co2_total", "energy_intensity", "co2_intensity", "co2_per_energy", "green_electricity_share")


def monthly(code: str, kind: str, scope: str, end: dt.date) -> IndicatorValue:
    return IndicatorValue.objects.get(indicator=code, scope_kind=kind, scope_code=scope, frequency="month", period=end)


def stored() -> list[tuple[Any, ...]]:
    rows = IndicatorValue.objects.filter(indicator__in=CODES).values_list(
        "indicator",
        "scope_kind",
        "scope_code",
        "park_id",
        "district_id",
        "frequency",
        "period",
        "value",
        "terms",
        "batch_ids",
    )
    return sorted(rows, key=str)


def import_months(world: World, imported: Importer, rows: list[list[Any]]) -> Any:
    outcome = imported("city_admin", "energy_monthly", xlsx([MONTHLY_HEADER, *rows]))
    assert outcome.status == "applied", texts(outcome)
    return outcome


def test_monthly_figures_are_year_to_date_sums_worked_by_hand(world: World, imported: Importer) -> None:
    e3 = world.enterprises["E3"]
    outcome = import_months(world, imported, [[e3.uscc, "2025-01", 10000, 100], [e3.uscc, "2025-02", 12000, None]])
    # January: 10,000 kWh × 0.1229 + 100 m³ × 1.2143 = 1.229 + 0.12143 → 1.3504 tce;
    # CO₂ 0.21622 → 0.2162 (gas) + 10,000 × 0.5366 ÷ 1000 = 5.366 (2022's factor stands in) → 5.5822 t.
    january = monthly("energy_tce", "park", "PC", dt.date(2025, 1, 31))
    assert january.value == Decimal("1.3504")
    assert monthly("co2_total", "park", "PC", dt.date(2025, 1, 31)).value == Decimal("5.5822")
    # 1–2月: + 12,000 × 0.1229 = 1.4748 tce and 12,000 × 0.5366 ÷ 1000 = 6.4392 t.
    february = monthly("energy_tce", "park", "PC", dt.date(2025, 2, 28))
    assert (february.value, february.terms) == (Decimal("2.8252"), {"energy_tce": "2.8252"})
    assert monthly("co2_total", "city", "city", dt.date(2025, 2, 28)).value == Decimal("12.0214")
    assert monthly("co2_per_energy", "district", world.districts["caidian"].code, dt.date(2025, 2, 28)).value == (
        Decimal("4.2551")  # 12.0214 ÷ 2.8252
    )
    assert monthly("co2_total", "park_type", "featured", dt.date(2025, 2, 28)).value == Decimal("12.0214")
    # No value added reported for the months: no intensity, as on the account itself.
    assert monthly("energy_intensity", "park", "PC", dt.date(2025, 2, 28)).value is None
    # Lineage: the month's value carries the batch of the firm rows behind it.
    assert outcome.batch.pk in february.batch_ids
    # The year stays the annual account's (here the sum of E3's months).
    year = IndicatorValue.objects.get(indicator="energy_tce", scope_kind="park", scope_code="PC", frequency="year")
    assert year.value == Decimal("2.8252")


def test_after_a_monthly_import_the_catalogue_equals_a_full_recompute(world: World, imported: Importer) -> None:
    e1, e3 = world.enterprises["E1"], world.enterprises["E3"]
    import_months(world, imported, [[e3.uscc, "2025-01", 10000, 100], [e1.uscc, "2025-01", 5000, None]])
    import_months(world, imported, [[e3.uscc, "2025-03", 9000, 50], [e1.uscc, "2025-02", 7000, 10]])
    incremental = stored()
    assert {row[5] for row in incremental} == {"month", "year"}
    services.carbon_recompute_all()
    assert stored() == incremental
    indicators_compute_all()
    assert stored() == incremental


def test_the_park_page_shows_the_months_of_its_year(world: World, imported: Importer) -> None:
    e1 = world.enterprises["E1"]
    import_months(world, imported, [[e1.uscc, "2025-01", 10000, None], [e1.uscc, "2025-02", 20000, None]])
    page = world.client("park_operator").get("/energy/parks/PA/").content.decode()
    assert 'data-testid="month-trend"' in page
    # February: 20,000 × 0.1229 ÷ 1000 = 2.458 tce; 1–2月 3.6870 tce.
    assert "2025-02" in page and "2.4580" in page and "3.6870" in page
