"""The 亩均 grading's 单位排放增加值 reads each firm's real CO₂ from its carbon account (the pack names
the measure `co2_t`); a firm without annual energy data lacks it and is not rated, with the reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from conftest import World
from yuanqu.energy.tests.conftest import Importer
from yuanqu.energy.tests.test_import_and_accounts import import_fixture
from yuanqu.evaluation.mujun import FirmFacts, grade_year
from yuanqu.evaluation.pack import installed_pack
from yuanqu.stats.derived import derived_measures


def test_the_pack_grades_on_real_emissions(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    e1, e2, e3 = (world.enterprises[key].pk for key in ("E1", "E2", "E3"))
    assert derived_measures()["co2_t"].read(2025, [e1, e2, e3]) == {e1: Decimal("702.2222"), e2: Decimal("268.3")}
    rules = installed_pack().mujun
    indicator = next(item for item in rules.indicators if item.code == "value_added_per_co2")
    assert (indicator.numerator, indicator.denominator, indicator.weight) == ("value_added", "co2_t", 0.10)


def test_a_firm_without_emissions_is_not_rated() -> None:
    rules = installed_pack().mujun
    measures = {"tax": 100.0, "value_added": 400.0, "revenue": 2000.0, "rd_expense": 40.0}
    base = {**measures, "land_mu": 10.0, "employees": 20.0, "energy_tce": 100.0}
    firms = [
        FirmFacts(1, "C3976", dt.date(2010, 1, 1), {**base, "co2_t": 250.0}),
        FirmFacts(2, "C3976", dt.date(2010, 1, 1), {**base, "co2_t": None}),
        FirmFacts(3, "C3976", dt.date(2010, 1, 1), {**base, "co2_t": 500.0}),
    ]
    grades, _ = grade_year(rules, 2025, firms)
    assert grades[1].grade == "T"
    assert grades[1].reason == "“二氧化碳排放总量”缺失或为 0，无法计算单位排放增加值"
    # The same firm with twice the emissions scores lower (its 单位排放增加值 is half).
    assert grades[0].score is not None and grades[2].score is not None and grades[0].score > grades[2].score
