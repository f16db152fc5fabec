"""The arithmetic of one report against figures worked out by hand from the pack's coefficients
(GB/T 2589-2020) and factors, to the last digit."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from yuanqu.energy import accounting
from yuanqu.energy.pack import NO_DEDUCTION, GridFactor
from yuanqu.energy.rules import config

FIRM = {
    "electricity_kwh": Decimal(1_000_000),
    "green_electricity_kwh": Decimal(200_000),
    "self_renewable_kwh": Decimal(50_000),
    "natural_gas_m3": Decimal(10_000),
    "raw_coal_t": Decimal(100),
    "diesel_t": Decimal(2),
    "heat_gj": Decimal(500),
    "water_t": Decimal(3000),
}


def test_it_accounts_energy_and_co2_as_worked_by_hand() -> None:
    result = accounting.account(FIRM, year=2022, config=config())
    # electricity (1,000,000 + 50,000) kWh × 0.1229 kgce = 129.045 tce; gas 10,000 m³ × 1.2143 =
    # 12.143; raw coal 100 t × 0.7143 = 71.43; diesel 2 t × 1.4571 = 2.9142; heat 500 GJ × 34.12
    # kgce/GJ = 17.06; together 232.5922 tce.
    assert result.energy_tce == Decimal("232.5922")
    # scope 1: gas 10,000 × 2.1622 kg = 21.622 t; coal 100 × 1.9003 = 190.03; diesel 2 × 3.1451 = 6.2902.
    assert result.scope1_t == Decimal("217.9422")
    # scope 2: (1,000,000 − 200,000 green) kWh × 0.5366 kg = 429.28 t; heat 500 GJ × 0.11 = 55.
    assert result.scope2_t == Decimal("484.2800")
    assert result.co2_t == Decimal("702.2222")
    # renewable: 250,000 kWh × 0.1229 = 30.725 tce; clean adds the gas: 42.868 tce.
    assert (result.renewable_tce, result.clean_tce) == (Decimal("30.7250"), Decimal("42.8680"))
    assert result.by_fuel["diesel"] == {"tce": "2.9142", "co2": "6.2902"}
    assert result.method["grid"] == {
        "region": "全国",
        "year": 2022,
        "value": "0.5366",
        "source": "生态环境部 国家统计局 关于发布2022年电力二氧化碳排放因子的公告",
        "stand_in": False,
        "provincial_missing": "",
    }


def test_it_takes_the_latest_earlier_grid_factor_and_says_so() -> None:
    result = accounting.account(FIRM, year=2025, config=config())
    assert result.scope2_t == Decimal("484.2800")  # 2022's factor
    assert (result.method["grid"]["year"], result.method["grid"]["stand_in"]) == (2022, True)
    # 2021 has its own factor, 0.5568: 800,000 kWh × 0.5568 kg = 445.44 t, plus 55 t of heat.
    assert accounting.account(FIRM, year=2021, config=config()).scope2_t == Decimal("500.4400")


def test_it_counts_green_electricity_when_the_pack_does_not_deduct_it() -> None:
    settings = dataclasses.replace(config(), green_electricity=NO_DEDUCTION)
    # 1,000,000 kWh × 0.5366 kg = 536.6 t, plus 55 t of heat.
    assert accounting.account(FIRM, year=2022, config=settings).scope2_t == Decimal("591.6000")


def test_it_converts_electricity_at_the_equivalent_value_where_the_pack_says_so() -> None:
    settings = dataclasses.replace(config(), electricity_basis="equivalent_value")
    # 1,050,000 kWh × 0.3007 kgce = 315.735 tce instead of 129.045.
    assert accounting.account(FIRM, year=2022, config=settings).energy_tce == Decimal("419.2822")


# A fixture value, not a published one: the Wuhan pack carries no Hubei factor (docs/energy-carbon.md).
HUBEI_2023 = GridFactor(2023, Decimal("0.4000"), "测试用省级因子（非公布值）", "湖北")


def test_it_takes_the_provinces_factor_of_the_year_where_the_pack_has_one() -> None:
    settings = dataclasses.replace(config(), provincial_region="湖北", provincial_grid=(HUBEI_2023,))
    # 2023: 800,000 kWh × 0.4 kg = 320 t, plus 55 t of heat.
    result = accounting.account(FIRM, year=2023, config=settings)
    assert result.scope2_t == Decimal("375.0000")
    assert result.method["grid"] == {
        "region": "湖北",
        "year": 2023,
        "value": "0.4000",
        "source": "测试用省级因子（非公布值）",
        "stand_in": False,
        "provincial_missing": "",
    }
    # 2024: no Hubei factor of the year: the national one of the latest earlier year (2022), and the
    # method says both (a stand-in, and the province's factor missing).
    later = accounting.account(FIRM, year=2024, config=settings)
    assert later.scope2_t == Decimal("484.2800")
    assert later.method["grid"]["region"] == "全国"
    assert (later.method["grid"]["year"], later.method["grid"]["stand_in"]) == (2022, True)
    assert later.method["grid"]["provincial_missing"] == "湖北"
    # 2022: the national factor of the year itself, not a stand-in; Hubei's of 2022 is missing.
    own_year = accounting.account(FIRM, year=2022, config=settings).method["grid"]
    assert (own_year["region"], own_year["stand_in"], own_year["provincial_missing"]) == ("全国", False, "湖北")


def test_the_reports_method_line_says_when_the_provinces_factor_is_missing() -> None:
    from types import SimpleNamespace

    from yuanqu.reports.documents import _carbon_method

    settings = dataclasses.replace(config(), provincial_region="湖北", provincial_grid=(HUBEI_2023,))
    method = accounting.account(FIRM, year=2024, config=settings).method
    text = _carbon_method(SimpleNamespace(method=method))
    assert "范围二电网排放因子取全国2022年0.5366 kgCO₂/kWh（该年度尚无公布的因子，沿用此前最近年度）" in text
    assert "（湖北该年度电网排放因子未公布，采用全国因子）" in text
