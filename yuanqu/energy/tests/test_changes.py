"""A year's figures against the year before and the base year, worked by hand (no database)."""

from __future__ import annotations

from decimal import Decimal

from yuanqu.energy.models import CarbonAccount
from yuanqu.energy.selectors import account_changes


def _year(year: int, energy: str, co2: str, added: str | None) -> CarbonAccount:
    return CarbonAccount(
        year=year,
        month=0,
        energy_tce=Decimal(energy),
        co2_t=Decimal(co2),
        value_added=Decimal(added) if added else None,
    )


def test_it_compares_the_year_with_the_year_before_and_the_base_year() -> None:
    trend = [_year(2024, "100", "250", "1000"), _year(2025, "120", "240", None), _year(2026, "110", "220", "1100")]
    by_name = {change.name: change for change in account_changes(trend, 2026, 2024)}
    energy = by_name["综合能耗"]
    # 110 / 120 − 1 = −8.33 %; 110 / 100 − 1 = +10 %.
    assert (energy.previous, energy.year_on_year, energy.base, energy.against_base) == (
        Decimal("120"),
        Decimal("-8.33"),
        Decimal("100"),
        Decimal("10.00"),
    )
    # 220 / 1100 = 0.2 t/万元 against 250 / 1000 = 0.25 in 2024: −20 %; 2025 has no value added.
    intensity = by_name["单位增加值碳排放"]
    assert (intensity.value, intensity.previous, intensity.year_on_year, intensity.against_base) == (
        Decimal("0.2000"),
        None,
        None,
        Decimal("-20.00"),
    )
    # The base year against itself is not a comparison; a year without an account has none.
    assert all(change.base is None for change in account_changes(trend, 2024, 2024))
    assert account_changes(trend, 2023, 2024) == []
