"""The evaluation of one park type from plain facts: entry conditions, 必达, veto, capped bonus and
penalty, eligibility, the selection within the quota, awards under the cap, and run parameters."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from yuanqu.evaluation.pack import installed_pack
from yuanqu.evaluation.runs import (
    ParkFacts,
    RunParams,
    RunParamsError,
    award,
    display_expected,
    display_observed,
    evaluate_type,
    park_checks,
)

from .conftest import SCALE, generated_values


def facts(code: str, strength: float, *, seed: int, **changes: Any) -> ParkFacts:
    values: dict[str, float | None] = dict(generated_values(seed, "modern", strength))
    values["lead_industry_share"] = 75.0  # above the 50 % entry condition whatever the strength
    base = ParkFacts(
        code=code,
        name=code,
        park_type="modern",
        recognised=True,
        fields={"planned_area_km2": 12.0, "green_level": "", "status": "recognised"},
        stats={"safety_accidents": 0.0, "environmental_accidents": 0.0, "smart_subsystems": 0.0, "facility_kinds": 0.0},
        values=values,
        previous={key: None if value is None else value * 0.9 for key, value in values.items()},
    )
    return replace(base, **changes)


def params(**given: Any) -> RunParams:
    return RunParams.resolve({"runs": 200, **given}, installed_pack().selection.uncertainty, seed=7)


def test_it_checks_entry_conditions_veto_and_must_improve() -> None:
    system = installed_pack().index_system("modern")
    park = facts("X", 1.0, seed=1)
    low = dict(park.values, lead_industry_share=45.0)
    tax_per_mu = low["tax_per_mu"]
    assert tax_per_mu is not None
    checks = park_checks(
        system,
        replace(
            park,
            values=low,
            fields={**park.fields, "planned_area_km2": 8.0},
            stats={**(park.stats or {}), "safety_accidents": 1.0},
            previous={**park.previous, "tax_per_mu": tax_per_mu + 1},
        ),
    )
    entry = {item["code"]: item["met"] for item in checks["entry"]}
    assert entry == {"lead_share": False, "planned_area": False, "clear_entities": None, "eia_done": None}
    assert [item["met"] for item in checks["veto"]] == [True, False]
    must = {item["indicator"]: item["ok"] for item in checks["must_improve"]}
    assert must == {"above_scale_enterprises": True, "new_project_investment_per_mu": True, "tax_per_mu": False}


def test_it_caps_bonus_points_and_counts_missing_indicators_as_penalty() -> None:
    system = installed_pack().index_system("modern")
    park = facts("X", 1.0, seed=1)
    values = dict(park.values, revenue=None, rd_intensity=None, national_green_factories_new=1.0)
    checks = park_checks(
        system,
        replace(
            park,
            values=values,
            fields={**park.fields, "green_level": "national"},
            stats={**(park.stats or {}), "smart_subsystems": 6.0, "facility_kinds": 8.0},
        ),
    )
    # green park 3 + smart 1 + facilities 1 + new green factories 1 = 6, capped at 5.
    assert [item["points"] for item in checks["bonus"]] == [3.0, 1.0, 1.0, 1.0]
    assert checks["bonus_total"] == 5.0
    assert checks["penalty"][0]["observed"] == 2 and checks["penalty_total"] == 2.0


def test_it_selects_the_best_eligible_parks_within_the_quota() -> None:
    pack = installed_pack()
    system = pack.index_system("modern")
    parks = [facts(f"P{i}", 0.5 + 0.1 * i, seed=i) for i in range(1, 8)]
    # The best park is vetoed, the second best is not recognised.
    parks[6] = replace(parks[6], stats={**(parks[6].stats or {}), "environmental_accidents": 2.0})
    parks[5] = replace(parks[5], recognised=False)
    outcome = evaluate_type(system, parks, params(), pack.selection)
    by_code = {p.code: p for p in outcome.parks}
    assert [by_code[f"P{i}"].rank for i in range(7, 0, -1)] == [1, 2, 3, 4, 5, 6, 7]
    assert by_code["P7"].veto and by_code["P7"].ineligible_reasons == ["一票否决：当年发生突发环境事件"]
    assert by_code["P6"].ineligible_reasons == ["园区尚未认定"]
    selected = sorted((p for p in outcome.parks if p.selected), key=lambda p: p.selection_order or 0)
    assert [p.code for p in selected] == ["P5", "P4", "P3", "P2"]  # quota 4 for modern parks
    assert [p.award_wan_yuan for p in selected] == [5000, 4000, 4000, 3000]
    assert by_code["P7"].p_selected == 0.0 and not by_code["P1"].selected


def test_it_marks_a_selected_park_with_a_low_probability_as_unstable() -> None:
    pack = installed_pack()
    system = pack.index_system("modern")
    # A seed under which the fourth place is contested (the draw depends on the number of dimensions).
    rng = np.random.default_rng(1)
    dimension_of = {i.code: d.code for d in system.dimensions for i in d.indicators}
    parks = []
    for i in range(1, 9):
        # Three clear leaders; five parks of equal strength with different profiles compete for the
        # fourth place, so which of them gets it depends on the weights and methods.
        base = facts(f"P{i}", 2.0 if i <= 3 else 1.0, seed=100)
        factor = {d.code: float(rng.uniform(0.8, 1.2)) for d in system.dimensions}
        values = {
            k: v if k == "lead_industry_share" or v is None else v * factor.get(dimension_of.get(k, ""), 1.0)
            for k, v in base.values.items()
        }
        parks.append(replace(base, values=values, previous=dict.fromkeys(values)))
    outcome = evaluate_type(system, parks, params(runs=400), pack.selection)
    selected = [p for p in outcome.parks if p.selected]
    assert len(selected) == 4
    for park in selected:
        assert park.unstable == (park.p_selected is not None and park.p_selected < 0.5)
    fourth = next(p for p in selected if p.selection_order == 4)
    assert fourth.p_selected is not None and fourth.p_selected < 0.5 and fourth.unstable
    assert not any(p.unstable for p in selected if (p.selection_order or 0) <= 3)


def test_it_excludes_a_park_below_the_availability_threshold() -> None:
    pack = installed_pack()
    system = pack.index_system("modern")
    parks = [facts(f"P{i}", 0.5 + 0.1 * i, seed=i) for i in range(1, 5)]
    sparse = {code: (value if code in ("revenue", "tax_per_mu") else None) for code, value in parks[0].values.items()}
    parks[0] = replace(parks[0], values=sparse)
    outcome = evaluate_type(system, parks, params(), pack.selection)
    first = next(p for p in outcome.parks if p.code == "P1")
    assert not first.included and first.rank is None and first.score is None
    assert "数据可得率不足，未参评" in first.ineligible_reasons
    assert any("未参评的园区：P1" in warning for warning in outcome.warnings)


def test_it_computes_awards_under_the_cap() -> None:
    rules = installed_pack().selection
    assert [award(rules, cap=2000, order=n, score=80, top_score=90) for n in (1, 2, 3, 4, 9)] == [
        2000,
        1600,
        1600,
        1200,
        1200,
    ]
    proportional = replace(rules, award_rule="proportional", award_min_share=0.5)
    assert award(proportional, cap=800, order=2, score=72.0, top_score=90.0) == 640
    assert award(proportional, cap=800, order=5, score=10.0, top_score=90.0) == 400
    assert award(proportional, cap=800, order=1, score=95.0, top_score=90.0) == 800


def test_it_refuses_bad_run_parameters() -> None:
    defaults = installed_pack().selection.uncertainty
    with pytest.raises(RunParamsError, match="蒙特卡洛运行次数应在 1 到 20000 之间，实际为 0"):
        RunParams.resolve({"runs": 0}, defaults, seed=1)
    with pytest.raises(RunParamsError, match="标准化方法“rank”未知"):
        RunParams.resolve({"normalisations": ["rank"]}, defaults, seed=1)
    for method in ("goalposts", "distance_to_target"):
        with pytest.raises(RunParamsError, match=f"标准化方法“{method}”需要每个指标的目标值，不能用于蒙特卡洛比较"):
            RunParams.resolve({"normalisations": ["minmax", method]}, defaults, seed=1)
    with pytest.raises(RunParamsError, match="未知的评价参数：speed"):
        RunParams.resolve({"speed": 3}, defaults, seed=1)
    resolved = RunParams.resolve(None, defaults, seed=2025)
    assert resolved.runs == 2000 and resolved.seed == 2025 and resolved.alternative_weights == ("entropy", "critic")
    assert SCALE["revenue"] > 0


def test_it_shows_condition_values_as_people_read_them() -> None:
    assert display_observed(86.611101) == "86.6111"
    assert display_observed(0.0) == "0"
    assert display_observed("national") == "国家级"
    assert display_observed(None) == "无数据"
    assert display_observed("") == "无"
    assert display_expected("等于 national") == "等于 国家级"
    assert display_expected("大于 50") == "大于 50"


def test_a_year_without_the_survey_index_evaluates_on_the_other_indicators_and_says_so() -> None:
    """No 发展环境 wave was closed in the year: the 运营服务 dimension has no value for any park. It is
    left out with its weight shared by the other dimensions, and the run says which indicator."""
    pack = installed_pack()
    system = pack.index_system("modern")
    parks = [facts(f"P{n}", 0.5 + n / 10, seed=n) for n in range(1, 7)]
    parks = [replace(p, values={**p.values, "business_environment_index": None}) for p in parks]
    outcome = evaluate_type(system, parks, params(), pack.selection)
    assert all(p.included and p.score is not None for p in outcome.parks)
    assert "business_environment_index" not in outcome.parks[0].used
    assert any("“发展环境指数”在该类型所有园区均无数据" in warning for warning in outcome.warnings)
    assert all("operations" not in p.dimension_scores for p in outcome.parks)
    assert all(len(p.dimension_scores) == len(system.dimensions) - 1 for p in outcome.parks)


def test_a_must_improve_indicator_may_be_judged_on_a_three_year_average() -> None:
    # 新建项目单位面积工业投资 averages three years in the Wuhan pack. Values 2025…2022: 80, 100, 90, 70.
    # One year: 80 < 100 fell. Three years: (80 + 100 + 90)/3 = 90 against (100 + 90 + 70)/3 = 86.67: met.
    system = installed_pack().index_system("modern")
    assert system.must_improve_years == {"new_project_investment_per_mu": 3}
    code = "new_project_investment_per_mu"
    park = facts("X", 1.0, seed=1)
    park = replace(
        park,
        values={**park.values, code: 80.0},
        previous={**park.previous, code: 100.0},
        earlier={code: (100.0, 90.0, 70.0)},
    )
    item = next(item for item in park_checks(system, park)["must_improve"] if item["indicator"] == code)
    assert (item["current"], item["previous"], item["ok"], item["years"]) == (90.0, pytest.approx(260 / 3), True, 3)
    # 2022 missing: (80 + 100 + 90)/3 = 90 against (100 + 90)/2 = 95: fell. This year missing: not checkable.
    park = replace(park, earlier={code: (100.0, 90.0, None)})
    item = next(item for item in park_checks(system, park)["must_improve"] if item["indicator"] == code)
    assert (item["current"], item["previous"], item["ok"]) == (90.0, 95.0, False)
    park = replace(park, values={**park.values, code: None})
    item = next(item for item in park_checks(system, park)["must_improve"] if item["indicator"] == code)
    assert item["ok"] is None
    # The other 必达 indicators still compare the year with the year before.
    assert next(i for i in park_checks(system, park)["must_improve"] if i["indicator"] == "tax_per_mu")["years"] == 1


def test_a_run_may_fill_a_gap_with_the_parks_previous_year_value() -> None:
    pack = installed_pack()
    system = pack.index_system("modern")
    parks = [facts(f"P{i}", 0.5 + 0.1 * i, seed=i) for i in range(1, 6)]
    parks[0] = replace(
        parks[0], values={**parks[0].values, "tax_per_mu": None}, previous={**parks[0].previous, "tax_per_mu": 12.5}
    )
    for imputation, expected in (("previous_year", 12.5), ("group_median", None)):
        outcome = evaluate_type(system, parks, replace(params(), imputation=imputation), pack.selection)
        used, imputed, _normalised = next(p for p in outcome.parks if p.code == "P1").used["tax_per_mu"]
        assert imputed
        if expected is not None:
            assert used == expected
        else:
            assert used != 12.5


def test_a_dimensions_own_availability_threshold_excludes_a_park_short_in_it() -> None:
    pack = installed_pack()
    system = pack.index_system("modern")
    innovation = next(d for d in system.dimensions if d.code == "innovation")
    strict = replace(
        system,
        dimensions=tuple(replace(d, min_availability=1.0) if d.code == "innovation" else d for d in system.dimensions),
    )
    parks = [facts(f"P{i}", 0.5 + 0.1 * i, seed=i) for i in range(1, 6)]
    gap = innovation.indicators[0].code
    parks[0] = replace(parks[0], values={**parks[0].values, gap: None})
    assert next(p for p in evaluate_type(system, parks, params(), pack.selection).parks if p.code == "P1").included
    first = next(p for p in evaluate_type(strict, parks, params(), pack.selection).parks if p.code == "P1")
    assert not first.included and first.rank is None


def test_a_run_says_when_critic_leaves_out_an_indicator_constant_over_the_type() -> None:
    from django.utils import translation

    from yuanqu.evaluation.labels import stored

    pack = installed_pack()
    system = pack.index_system("modern")
    parks = [facts(f"P{i}", 0.5 + 0.1 * i, seed=i) for i in range(1, 7)]
    parks = [replace(p, values={**p.values, "tax_per_mu": 40.0}) for p in parks]
    warnings = evaluate_type(system, parks, params(), pack.selection).warnings
    # The generated facts give every park the same 主导产业营业收入占比 already; 亩均税收 is made constant.
    expected = (
        "“亩均税收”、“主导产业营业收入占比”在该类型参评园区中取值相同，"
        "CRITIC 备选权重已将其排除（权重为 0，不计入其他指标的冲突度）"
    )
    assert expected in warnings
    assert not any(
        "CRITIC" in w
        for w in evaluate_type(system, parks, params(alternative_weights=["entropy"]), pack.selection).warnings
    )
    with translation.override("en"):
        assert stored(expected).endswith(
            "the CRITIC alternative weights leave it out (weight 0, not counted in the other indicators' conflict)"
        )


def test_coherence_is_none_rather_than_an_error_when_the_engine_cannot_run() -> None:
    from yuanqu.evaluation.runs import type_coherence

    pack = installed_pack()
    system = pack.index_system("modern")
    parks = [facts(f"P{i}", 0.5 + 0.1 * i, seed=i) for i in range(1, 6)]
    assert type_coherence(system, parks, params()) is not None
    # Only P1 reports 亩均税收 and P1 is below the availability threshold: nothing to impute it from.
    sparse = {code: (value if code in ("revenue", "tax_per_mu") else None) for code, value in parks[0].values.items()}
    parks = [replace(parks[0], values=sparse)] + [
        replace(p, values={**p.values, "tax_per_mu": None}) for p in parks[1:]
    ]
    assert type_coherence(system, parks, params()) is None
    assert type_coherence(system, [], params()) is None


def test_a_run_names_an_indicator_only_parks_below_the_threshold_report() -> None:
    from yuanqu.evaluation.engine.impute import ImputationError

    pack = installed_pack()
    system = pack.index_system("modern")
    parks = [facts(f"P{i}", 0.5 + 0.1 * i, seed=i) for i in range(1, 6)]
    sparse = {code: (value if code in ("revenue", "tax_per_mu") else None) for code, value in parks[0].values.items()}
    parks = [replace(parks[0], values=sparse)] + [
        replace(p, values={**p.values, "tax_per_mu": None}) for p in parks[1:]
    ]
    message = "指标“亩均税收”只有数据可得率低于门槛、未参评的单位有值，参评单位均缺失，无法填补"
    with pytest.raises(ImputationError, match=message):
        evaluate_type(system, parks, params(), pack.selection)
