"""The carbon figures in the indicator catalogue (`source: provided`, energy/figures.py): per park,
park type, district and the city, with their terms and the batches behind them, refreshed by every
import that changes them, equal to what the engine's full recompute stores, and shown on the target
board beside the green-park target."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conftest import World
from yuanqu.energy.tests.conftest import Importer, texts, xlsx
from yuanqu.energy.tests.test_import_and_accounts import import_fixture
from yuanqu.indicators.models import IndicatorValue
from yuanqu.indicators.services import indicators_compute_all
from yuanqu.targets.selectors import target_row

CODES = (
    "energy_tce",
    "energy_intensity",
    "co2_total",
    "co2_intensity",
    "co2_per_energy",
    "green_electricity_share",
    "solid_waste_utilisation",
    "co2_scope1",
    "co2_scope2",
    "renewable_energy_share",
)


def value(code: str, kind: str, scope: str) -> IndicatorValue:
    return IndicatorValue.objects.get(
        indicator=code, scope_kind=kind, scope_code=scope, frequency="year", period__year=2025
    )


def stored() -> list[tuple[Any, ...]]:
    rows = IndicatorValue.objects.filter(indicator__in=CODES).values_list(
        "indicator", "scope_kind", "scope_code", "park_id", "district_id", "frequency", "period", "value", "terms"
    )
    return sorted(rows, key=str)


def test_the_figures_are_indicators_worked_by_hand(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    pa = value("co2_total", "park", "PA")
    assert (pa.value, pa.park_id) == (Decimal("702.2222"), world.parks["PA"].pk)
    assert pa.batch_ids  # the batches of E1's account: its energy data and its value added
    assert value("energy_tce", "city", "city").value == Decimal("294.0422")
    # 江夏: 294.0422 tce / 1500 万元; 970.5222 t / 1500 万元; 970.5222 / 294.0422.
    jiangxia = value("energy_intensity", "district", world.districts["jiangxia"].code)
    assert (jiangxia.value, jiangxia.terms) == (
        Decimal("0.1960"),
        {"energy_tce": "294.0422", "value_added": "1500.00"},
    )
    assert value("co2_intensity", "district", world.districts["jiangxia"].code).value == Decimal("0.6470")
    assert value("co2_per_energy", "district", world.districts["jiangxia"].code).value == Decimal("3.3006")
    # E1: (200,000 green + 50,000 own) / (1,000,000 + 50,000) kWh.
    assert value("green_electricity_share", "park", "PA").value == Decimal("23.8095")
    # The scope split and the renewable share: E1's 217.9422 t and 484.28 t; 30.725 ÷ 232.5922 tce.
    assert (value("co2_scope1", "park", "PA").value, value("co2_scope2", "park", "PA").value) == (
        Decimal("217.9422"),
        Decimal("484.2800"),
    )
    assert value("renewable_energy_share", "park", "PA").value == Decimal("13.2098")
    # The park types: PA is modern, PB urban, each alone in its type here.
    assert value("co2_total", "park_type", "urban").value == Decimal("268.3000")


def test_a_park_resource_import_feeds_the_solid_waste_rate(world: World, imported: Importer) -> None:
    header = ["园区编码", "年度", "一般工业固体废物产生量（吨）", "一般工业固体废物综合利用量（吨）"]
    outcome = imported("city_admin", "park_resources", xlsx([header, ["PA", 2025, 800, 600], ["PB", 2025, 200, 200]]))
    assert outcome.status == "applied", texts(outcome)
    assert value("solid_waste_utilisation", "park", "PA").value == Decimal("75.0000")
    # 江夏: (600 + 200) / (800 + 200).
    assert value("solid_waste_utilisation", "district", world.districts["jiangxia"].code).value == Decimal("80.0000")


def test_the_engines_full_recompute_stores_the_same_values(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    refreshed = stored()
    assert refreshed
    indicators_compute_all()
    assert stored() == refreshed


def test_the_green_park_target_shows_the_figures_beside_it(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    row = target_row(world.users["city_admin"], "green_industrial_parks")
    beside = {item.indicator.code: item for item in row.context}
    assert set(beside) == {"provincial_green_industrial_parks", "co2_intensity", "green_electricity_share"}
