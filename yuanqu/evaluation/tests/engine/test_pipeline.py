from __future__ import annotations

import numpy as np
import pytest

from yuanqu.evaluation.engine import DataError, Dataset, Framework, Group, Indicator, Params, run
from yuanqu.evaluation.engine.pipeline import diagnostic_weight_set
from yuanqu.evaluation.tests.engine.factories import park_framework, random_dataset

NAN = np.nan


def small_case() -> tuple[Framework, Dataset]:
    framework = Framework(
        indicators=(
            Indicator(code="tax", name="亩均税收", weight=0.6),
            Indicator(code="energy", name="单位产值能耗", weight=0.4, direction=-1),
        ),
        groups=(Group(code="index", children=("tax", "energy")),),
    )
    data = Dataset(
        unit_ids=("A", "B", "C", "D", "E"),
        unit_groups=("现代", "现代", "现代", "都市", "都市"),
        indicator_codes=("energy", "tax", "unused"),
        values=np.array(
            [
                [0.5, 10.0, 1.0],
                [0.3, 20.0, 1.0],
                [NAN, 30.0, 1.0],
                [0.2, 15.0, 1.0],
                [NAN, NAN, 1.0],
            ]
        ),
    )
    return framework, data


def test_it_scores_and_ranks_a_hand_computed_case() -> None:
    framework, data = small_case()
    result = run(framework, data, Params(min_availability=0.5))
    stages = result.stages
    # C's energy is imputed with the 现代 median (0.4); E is excluded (no data at all).
    assert stages.imputed[2, 1] == pytest.approx(0.4)
    assert stages.imputed_mask[:, 1].tolist() == [False, False, True, False, False]
    assert result.excluded_unit_ids == ("E",)
    # Min-max over the four kept units: tax 10..30, energy 0.2..0.5 flipped.
    np.testing.assert_allclose(stages.normalised[:4, 0], [0.0, 50.0, 100.0, 25.0])
    np.testing.assert_allclose(stages.normalised[:4, 1], [0.0, 200 / 3, 100 / 3, 100.0])
    expected = 0.6 * stages.normalised[:4, 0] + 0.4 * stages.normalised[:4, 1]
    np.testing.assert_allclose(stages.scores[:4], expected)
    assert np.isnan(stages.scores[4])
    assert stages.ranks.tolist() == [3, 2, 1, 1, 0]


def test_it_keeps_every_stage_inspectable_and_read_only() -> None:
    framework = park_framework()
    result = run(framework, random_dataset(framework, missing_share=0.05), Params(winsorise=True))
    stages = result.stages
    assert stages.raw.shape == stages.imputed.shape == stages.treated.shape == stages.normalised.shape
    assert set(stages.aggregated) == {"efficiency", "innovation", "index"}
    np.testing.assert_array_equal(stages.scores, stages.aggregated["index"])
    assert len(stages.outliers) == 5
    assert stages.imputed_mask.any()
    with pytest.raises(ValueError, match="read-only"):
        stages.normalised[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        stages.aggregated["index"][0] = 1.0


def test_it_is_deterministic() -> None:
    framework = park_framework()
    data = random_dataset(framework, missing_share=0.05)
    first = run(framework, data, Params(winsorise=True, aggregation="geometric"))
    second = run(framework, data, Params(winsorise=True, aggregation="geometric"))
    np.testing.assert_array_equal(first.stages.scores, second.stages.scores)
    np.testing.assert_array_equal(first.stages.ranks, second.stages.ranks)


def test_it_breaks_nominal_ties_with_the_configured_dimension() -> None:
    framework = Framework(
        indicators=(Indicator(code="a", weight=1.0), Indicator(code="b", weight=1.0)),
        groups=(
            Group(code="da", weight=0.5, children=("a",)),
            Group(code="db", weight=0.5, children=("b",)),
            Group(code="index", children=("da", "db")),
        ),
    )
    data = Dataset(
        unit_ids=("X", "Y", "Z"),
        unit_groups=("现代",) * 3,
        indicator_codes=("a", "b"),
        values=np.array([[0.0, 10.0], [10.0, 0.0], [5.0, 5.0]]),
    )
    by_id = run(framework, data)
    assert by_id.stages.ranks.tolist() == [1, 2, 3]
    by_b = run(framework, data, Params(tie_break="db"))
    assert by_b.stages.ranks.tolist() == [1, 3, 2]
    assert by_b.stages.ties[0].unit_ids == ("X", "Z", "Y")
    assert by_b.stages.ties[0].by_secondary


def test_it_offers_topsis_and_data_driven_weights_as_other_views() -> None:
    framework = park_framework()
    result = run(framework, random_dataset(framework))
    assert result.stages.topsis is not None
    assert np.all((result.stages.topsis >= 0) & (result.stages.topsis <= 1))
    assert result.stages.topsis_ranks is not None
    assert sorted(result.stages.topsis_ranks[0::3].tolist()) == list(range(1, 21))
    entropy = diagnostic_weight_set(result, "entropy")
    critic = diagnostic_weight_set(result, "critic")
    # Each set is a valid weighting of the same tree.
    framework.with_weights(entropy)
    framework.with_weights(critic)
    assert entropy != framework.weights()


def test_it_refuses_data_missing_a_framework_indicator() -> None:
    framework, _ = small_case()
    data = Dataset(unit_ids=("A",), unit_groups=("现代",), indicator_codes=("tax",), values=np.array([[1.0]]))
    with pytest.raises(DataError, match="数据缺少指标体系所需的指标：“单位产值能耗”"):
        run(framework, data)


def test_it_refuses_duplicate_unit_ids() -> None:
    with pytest.raises(DataError, match="单位编号重复：“A”"):
        Dataset(unit_ids=("A", "A"), unit_groups=("x", "x"), indicator_codes=("t",), values=np.ones((2, 1)))
