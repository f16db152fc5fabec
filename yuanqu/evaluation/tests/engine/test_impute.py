from __future__ import annotations

import numpy as np
import pytest

from yuanqu.evaluation.engine.impute import ImputationError, availability, impute

NAN = np.nan


def test_it_excludes_and_flags_units_below_the_availability_threshold() -> None:
    values = np.array(
        [
            [1.0, 2.0, 3.0],
            [NAN, 2.0, 3.0],
            [NAN, NAN, 3.0],
        ]
    )
    result = impute(values, ["A", "A", "A"], min_availability=2 / 3)
    np.testing.assert_allclose(availability(values), [1.0, 2 / 3, 1 / 3])
    assert result.included.tolist() == [True, True, False]
    assert np.isnan(result.values[2]).all()
    assert not result.imputed_mask[2].any()


def test_it_fills_gaps_with_the_median_of_the_units_group() -> None:
    values = np.array(
        [
            [1.0, 10.0],
            [3.0, 20.0],
            [NAN, 30.0],
            [100.0, 5.0],
            [200.0, 6.0],
            [NAN, 7.0],
            [400.0, 8.0],
        ]
    )
    groups = ["现代", "现代", "现代", "都市", "都市", "都市", "都市"]
    result = impute(values, groups, min_availability=0.5)
    assert result.values[2, 0] == 2.0
    assert result.values[5, 0] == 200.0
    assert result.imputed_mask.tolist() == [[False, False]] * 2 + [[True, False]] + [[False, False]] * 2 + [
        [True, False]
    ] + [[False, False]]
    assert not result.fallback_mask.any()


def test_it_falls_back_to_all_units_when_the_group_has_no_value() -> None:
    values = np.array([[1.0, 1.0], [3.0, 2.0], [NAN, 4.0], [NAN, 5.0]])
    result = impute(values, ["A", "A", "B", "B"], min_availability=0.5)
    np.testing.assert_allclose(result.values[2:, 0], [2.0, 2.0])
    assert result.fallback_mask[:, 0].tolist() == [False, False, True, True]


def test_it_ignores_excluded_units_when_computing_the_median() -> None:
    values = np.array([[1.0, 1.0, 1.0], [NAN, 2.0, 2.0], [1000.0, NAN, NAN]])
    result = impute(values, ["A", "A", "A"], min_availability=0.5)
    assert result.included.tolist() == [True, True, False]
    assert result.values[1, 0] == 1.0


def test_it_leaves_gaps_when_told_not_to_impute() -> None:
    values = np.array([[1.0, NAN], [2.0, 3.0]])
    result = impute(values, ["A", "A"], method="none", min_availability=0.5)
    assert np.isnan(result.values[0, 1])
    assert not result.imputed_mask.any()


def test_it_uses_the_group_mean_when_asked() -> None:
    values = np.array([[1.0], [2.0], [6.0], [NAN]])
    result = impute(values, ["A"] * 4, method="group_mean", min_availability=0.0)
    assert result.values[3, 0] == 3.0


def test_it_refuses_an_unknown_method_and_a_bad_threshold() -> None:
    with pytest.raises(ImputationError, match="未知"):
        impute(np.ones((2, 2)), ["A", "A"], method="knn")  # type: ignore[arg-type]
    with pytest.raises(ImputationError, match="0 到 1"):
        impute(np.ones((2, 2)), ["A", "A"], min_availability=1.5)
