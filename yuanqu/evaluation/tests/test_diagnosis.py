"""A park's diagnosis: every number traces to the run's stored inputs (recomputing reproduces the
stored score), dimensions against the type's median and top quartile, the three improvements with
their gains recomputed by the engine, and the change from last year."""

from __future__ import annotations

import numpy as np
import pytest

from yuanqu.evaluation import services
from yuanqu.evaluation.diagnosis import park_diagnosis, recompute, stored_type
from yuanqu.evaluation.models import EvaluationRun, ParkResult, RunInput

from .conftest import YEAR, EvalWorld

RUN_PARAMS = {"runs": 100}


@pytest.fixture
def ew(module_ew: EvalWorld) -> EvalWorld:
    """The world and the run are built once for this module (conftest `_module_run`)."""
    return module_ew


@pytest.fixture
def run(module_run: EvaluationRun) -> EvaluationRun:
    return module_run


def test_it_reproduces_the_stored_score_from_the_stored_inputs(ew: EvalWorld, run: EvaluationRun) -> None:
    result = ParkResult.objects.get(run=run, park__code="M3")
    found = park_diagnosis(run, result)
    assert found.reproduced
    assert found.recomputed_score == pytest.approx(result.index_score, abs=1e-9)
    # Changing the live indicator tables afterwards changes nothing in the diagnosis.
    ew.put("M3", YEAR, {"revenue": 1.0, "tax_per_mu": 0.1})
    again = park_diagnosis(run, result)
    assert again.reproduced and again.recomputed_score == found.recomputed_score


def test_it_shows_each_indicator_as_the_run_stored_it(ew: EvalWorld, run: EvaluationRun) -> None:
    result = ParkResult.objects.get(run=run, park__code="M3")
    found = park_diagnosis(run, result)
    stored = {(row.indicator, row.year): row for row in RunInput.objects.filter(run=run, park=result.park)}
    assert [row.code for row in found.indicators] == list(run.index_systems["modern"]["labels"])[
        : len(found.indicators)
    ]
    for row in found.indicators:
        this_year, last_year = stored[(row.code, YEAR)], stored[(row.code, YEAR - 1)]
        assert this_year.value is not None and last_year.value is not None, row.code
        assert row.value == pytest.approx(float(this_year.value))
        assert row.previous == pytest.approx(float(last_year.value))
        assert row.normalised == this_year.normalised and row.used_value == this_year.used_value
    weights = [row.effective_weight for row in found.indicators]
    assert sum(weights) == pytest.approx(1.0)


def test_it_compares_dimensions_with_the_type_median_and_top_quartile(ew: EvalWorld, run: EvaluationRun) -> None:
    result = ParkResult.objects.get(run=run, park__code="M6")
    found = park_diagnosis(run, result)
    quality = next(row for row in found.dimensions if row.code == "quality")
    peers = [r.dimension_scores["quality"] for r in ParkResult.objects.filter(run=run, park_type="modern")]
    assert quality.type_median == pytest.approx(float(np.percentile(peers, 50)))
    assert quality.type_top_quartile == pytest.approx(float(np.percentile(peers, 75)))
    assert quality.score == pytest.approx(max(peers)) and quality.verdict == "优势"
    weakest = park_diagnosis(run, ParkResult.objects.get(run=run, park__code="PA"))
    assert all(row.verdict == "短板" for row in weakest.dimensions)
    assert "发展质量（维度）" in weakest.weaknesses and "发展质量（维度）" in found.strengths


def test_it_names_the_three_indicators_that_would_raise_the_score_most(ew: EvalWorld, run: EvaluationRun) -> None:
    result = ParkResult.objects.get(run=run, park__code="M2")
    found = park_diagnosis(run, result)
    assert len(found.improvements) == 3
    gains = [item.gain for item in found.improvements]
    assert gains == sorted(gains, reverse=True) and gains[-1] > 0
    # Check the best one by hand: raise it to the type's 75th percentile and recompute with the engine.
    best = found.improvements[0]
    stored = stored_type(run, "modern")
    column = stored.system.indicator_codes.index(best.code)
    values = np.array(stored.data.values)
    assert best.target == pytest.approx(float(np.percentile(values[:, column], 75)))
    row = stored.data.unit_ids.index("M2")
    values[row, column] = best.target
    recomputed = float(recompute(run, stored, values).stages.scores[row])
    assert result.index_score is not None
    assert best.gain == pytest.approx(recomputed - result.index_score)
    # Only indicators below the top quartile are suggested: the best park has few or none.
    best_park = park_diagnosis(run, ParkResult.objects.get(run=run, park__code="M6"))
    assert len(best_park.improvements) < 3
    assert all(item.current is not None and item.current < item.target for item in best_park.improvements)


def test_it_reports_the_change_from_last_year(ew: EvalWorld, run: EvaluationRun) -> None:
    result = ParkResult.objects.get(run=run, park__code="M3")
    assert park_diagnosis(run, result).last_year is None
    before = services.evaluation_run(actor=ew.user("city_admin"), year=YEAR - 1, params={"runs": 100})
    previous = ParkResult.objects.get(run=before, park__code="M3")
    found = park_diagnosis(run, result)
    assert found.last_year is not None and found.last_year.run_id == before.pk
    assert result.score is not None and previous.score is not None
    assert result.rank is not None and previous.rank is not None
    assert found.last_year.score_change == pytest.approx(result.score - previous.score)
    assert found.last_year.rank_change == previous.rank - result.rank
    quality = next(row for row in found.dimensions if row.code == "quality")
    assert quality.previous == pytest.approx(previous.dimension_scores["quality"])


def test_it_draws_the_radar_from_the_dimension_rows(ew: EvalWorld, run: EvaluationRun) -> None:
    found = park_diagnosis(run, ParkResult.objects.get(run=run, park__code="M4"))
    radar = found.radar()
    assert [item["name"] for item in radar["indicators"]] == [
        "发展质量",
        "科技创新",
        "产业集聚",
        "绿色与数字化",
        "投资建设",
        "运营服务",
    ]
    assert [s["name"] for s in radar["series"]] == ["测试M4园区", "同类型中位数", "同类型前25%分位"]
    assert radar["series"][0]["value"] == [round(row.score, 2) for row in found.dimensions]  # type: ignore[arg-type]


def test_it_leaves_out_improvements_worth_less_than_the_packs_minimum_gain(ew: EvalWorld, run: EvaluationRun) -> None:
    # The Wuhan pack's diagnosis.min_gain is 0.1 point, kept with the run's rules.
    assert run.selection_rules["diagnosis_min_gain"] == 0.1
    result = ParkResult.objects.get(run=run, park__code="M2")
    gains = [item.gain for item in park_diagnosis(run, result).improvements]
    assert gains and min(gains) >= 0.1
    # A minimum between the second and third gains drops the third; one above all drops them all.
    run.selection_rules["diagnosis_min_gain"] = (gains[1] + gains[2]) / 2
    assert [item.gain for item in park_diagnosis(run, result).improvements] == gains[:2]
    run.selection_rules["diagnosis_min_gain"] = gains[0] + 1
    assert park_diagnosis(run, result).improvements == []
