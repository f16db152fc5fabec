"""The factor tables come from the pack, each with its source and year; changing one factor and
rebuilding changes exactly the figures that use it (the accounts and the catalogue's values); a
provincial grid factor is read where the pack has one; a broken table is refused with file and line."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.core.pack import check_pack
from yuanqu.energy import services
from yuanqu.energy.figures import FIGURES
from yuanqu.energy.models import CarbonAccount
from yuanqu.energy.rules import config
from yuanqu.energy.tests.conftest import Importer
from yuanqu.energy.tests.test_import_and_accounts import accounts, import_fixture
from yuanqu.indicators.models import IndicatorValue

WUHAN = Path(__file__).resolve().parents[2] / "policy_packs" / "wuhan_2025_2027"


def test_every_coefficient_and_factor_carries_its_source_and_year() -> None:
    settings = config()
    for table in (settings.coefficients, settings.factors):
        for sourced in table.values():
            assert sourced.source and sourced.year >= 2000
    assert all(factor.source for factor in settings.grid)


def test_a_changed_factor_changes_exactly_the_figures_that_use_it(
    world: World, imported: Importer, settings: Settings, tmp_path: Path
) -> None:
    import_fixture(world, imported)
    before = {row[:7]: row for row in accounts()}
    catalogue_before = catalogue()
    pack = tmp_path / "pack"
    shutil.copytree(WUHAN, pack)
    file = pack / "energy.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(
        text.replace("{fuel: diesel, name: 柴油, value: 3.1451,", "{fuel: diesel, name: 柴油, value: 3.2451,")
    )
    settings.POLICY_PACK_DIR = pack
    services.carbon_recompute_all()
    after = {row[:7]: row for row in accounts()}
    assert before.keys() == after.keys()
    fields = [f.name for f in CarbonAccount._meta.fields if f.name not in ("id", "computed_at")]
    changed = {
        (key[0], key[4] or key[5] or key[6]): {
            name for name, old, new in zip(fields, before[key], after[key], strict=True) if old != new
        }
        for key in before
        if before[key] != after[key]
    }
    e1, pa, jiangxia = world.enterprises["E1"].pk, world.parks["PA"].pk, world.districts["jiangxia"].pk
    # Only E1 burns diesel (2 t): 0.1 t more CO₂ in its scope 1 and total, and in every sum it is in.
    expected = {"scope1_t", "co2_t", "by_fuel"}
    assert changed == {
        ("enterprise", e1): expected,
        ("park", pa): expected,
        ("district", jiangxia): expected,
        ("city", None): expected,
    }
    e1_row = CarbonAccount.objects.get(level="enterprise", enterprise_id=e1)
    assert str(e1_row.co2_t) == "702.4222"
    # In the indicator catalogue: the four CO₂ figures (scope 1 among them) of the scopes E1 is in,
    # nothing else (scope 2 and the energy figures stay).
    catalogue_after = catalogue()
    assert catalogue_before.keys() == catalogue_after.keys()
    moved = {key[:3] for key in catalogue_before if catalogue_before[key] != catalogue_after[key]}
    jiangxia_code = world.districts["jiangxia"].code
    assert moved == {
        (code, kind, scope)
        for code in ("co2_scope1", "co2_total", "co2_intensity", "co2_per_energy")
        for kind, scope in (("park", "PA"), ("park_type", "modern"), ("district", jiangxia_code), ("city", "city"))
    }


def catalogue() -> dict[tuple[Any, ...], tuple[Any, ...]]:
    rows = IndicatorValue.objects.filter(indicator__in=FIGURES).values_list(
        "indicator", "scope_kind", "scope_code", "frequency", "period", "value", "terms"
    )
    return {row[:5]: row[5:] for row in rows}


def test_a_factor_in_a_unit_that_does_not_fit_the_fuel_is_refused(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(WUHAN, pack)
    file = pack / "energy.yaml"
    text = file.read_text(encoding="utf-8").replace("value: 3.1451, unit: tCO2/t", "value: 3.1451, unit: tCO2/GJ")
    file.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "value: 3.1451, unit: tCO2/GJ" in row)
    assert f"energy.yaml:{line}: 排放因子“diesel”：“unit”不适用于“diesel”" in [str(p) for p in check_pack(pack)]


def test_a_warning_ratio_that_flags_every_month_is_refused(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(WUHAN, pack)
    file = pack / "energy.yaml"
    text = file.read_text(encoding="utf-8").replace("  own_ratio: 1.5", "  own_ratio: 1")
    file.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row == "  own_ratio: 1")
    assert f"energy.yaml:{line}: 月度强度预警：“own_ratio”须大于1" in [str(p) for p in check_pack(pack)]
    rule = config().monthly_warnings
    assert rule is not None and rule.own_ratio == Decimal("1.5")


def test_a_provincial_grid_factor_is_read_from_the_pack_and_a_year_twice_refused(
    tmp_path: Path, settings: Settings
) -> None:
    # The Wuhan pack carries no Hubei factor (none in the reference data): the mechanism is shown with
    # a fixture value.
    assert config().provincial_region == "" and config().provincial_grid == ()
    pack = tmp_path / "pack"
    shutil.copytree(WUHAN, pack)
    file = pack / "energy.yaml"
    provincial = (
        "  provincial:\n    region: 湖北\n    factors:\n      - {year: 2023, value: 0.4, source: 测试用省级因子}\n"
    )
    after_grid = "\n# 绿电（绿电交易或绿证）"
    text = file.read_text(encoding="utf-8").replace(after_grid, provincial + after_grid)
    file.write_text(text, encoding="utf-8")
    assert check_pack(pack) == []
    settings.POLICY_PACK_DIR = pack
    read = config()
    assert read.provincial_region == "湖北"
    assert [(f.year, f.value, f.region) for f in read.provincial_grid] == [(2023, Decimal("0.4"), "湖北")]
    assert read.grid_for(2023)[0] == read.provincial_grid[0]

    twice = text.replace(provincial, provincial + "      - {year: 2023, value: 0.5, source: 测试用省级因子}\n")
    file.write_text(twice, encoding="utf-8")
    problems = [str(p) for p in check_pack(pack)]
    assert any("省级电网排放因子年度" in problem and "2023" in problem for problem in problems), problems
