"""Imputation with the previous year's value, per-dimension availability thresholds, and the
second-stage log / Box–Cox transformation of indicators still skewed after winsorising."""

from __future__ import annotations

import importlib
import math

import numpy as np
import pytest

from yuanqu.evaluation.engine import Dataset, Framework, Group, Indicator, Params, run
from yuanqu.evaluation.engine.impute import impute
from yuanqu.evaluation.engine.outliers import boxcox_lambda, treat_outliers

NAN = np.nan


def test_a_gap_takes_the_units_previous_year_value_else_its_groups_median() -> None:
    values = np.array([[1.0, NAN], [2.0, 20.0], [3.0, 30.0], [NAN, NAN]])
    previous = np.array([[9.0, 11.0], [9.0, 9.0], [9.0, 9.0], [4.0, NAN]])
    result = impute(values, ["A"] * 4, method="previous_year", min_availability=0.0, previous=previous)
    # P0's gap takes its 11; P3's first column its 4; P3's second has no previous value: the median of
    # 11, 20, 30 (after the carried value) = 20, without falling back beyond the group.
    assert result.values.tolist() == [[1.0, 11.0], [2.0, 20.0], [3.0, 30.0], [4.0, 20.0]]
    assert result.imputed_mask.tolist() == [[False, True], [False, False], [False, False], [True, True]]
    assert not result.fallback_mask.any()


def _two_dimensions() -> Framework:
    return Framework(
        indicators=tuple(Indicator(code=c, weight=0.5) for c in ("a1", "a2", "b1", "b2")),
        groups=(
            Group(code="A", children=("a1", "a2"), weight=0.5),
            Group(code="B", children=("b1", "b2"), weight=0.5),
            Group(code="index", children=("A", "B")),
        ),
    )


def test_a_unit_short_in_one_dimension_is_excluded_by_that_dimensions_threshold() -> None:
    # P1 has 3 of 4 indicators (75 %, above the overall 66 %) but only 1 of 2 in B.
    framework = _two_dimensions()
    data = Dataset(
        unit_ids=("P0", "P1", "P2", "P3"),
        unit_groups=("T",) * 4,
        indicator_codes=framework.indicator_codes,
        values=np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 3.0, 4.0, NAN], [3.0, 1.0, 2.0, 2.0], [1.0, 1.0, 1.0, 1.0]]),
    )
    assert run(framework, data).stages.included.tolist() == [True, True, True, True]
    strict = run(framework, data, Params(dimension_availability=(("B", 1.0),)))
    assert strict.stages.included.tolist() == [True, False, True, True]
    assert strict.stages.ranks[1] == 0
    # A threshold on A (where P1 is complete) keeps everyone.
    assert run(framework, data, Params(dimension_availability=(("A", 1.0),))).stages.included.all()


def test_the_previous_year_reaches_the_pipeline_through_the_dataset() -> None:
    framework = _two_dimensions()
    values = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 3.0, 4.0, NAN], [3.0, 1.0, 2.0, 2.0]])
    previous = np.array([[NAN] * 4, [NAN, NAN, NAN, 7.0], [NAN] * 4])
    data = Dataset(("P0", "P1", "P2"), ("T",) * 3, framework.indicator_codes, values, previous=previous)
    imputed = run(framework, data, Params(imputation="previous_year")).stages.imputed
    assert imputed[1, 3] == 7.0


def test_box_cox_lambda_is_scipys_maximum_likelihood_estimate() -> None:
    stats = importlib.import_module("scipy.stats")
    rng = np.random.default_rng(5)
    for _ in range(5):
        x = rng.lognormal(mean=1.0, sigma=rng.uniform(0.3, 1.5), size=int(rng.integers(20, 200)))
        assert boxcox_lambda(x) == pytest.approx(stats.boxcox(x)[1], abs=1e-6)


def _still_skewed() -> np.ndarray:
    # 88 values, eight of them far out: five winsorising points leave the column skewed (G1 3.06, G2 7.75).
    base = np.linspace(1.0, 2.0, 80)
    return np.concatenate([base, [40.0, 60.0, 80.0, 100.0, 120.0, 140.0, 160.0, 1000.0]])


def test_an_indicator_still_skewed_after_winsorising_takes_its_declared_transformation() -> None:
    column = _still_skewed()
    plain = treat_outliers(column[:, None], ["x"], winsorise_flagged=True)
    assert plain.checks[0].still_flagged and plain.checks[0].transform == ""
    logged = treat_outliers(column[:, None], ["x"], winsorise_flagged=True, transforms=["log"])
    check = logged.checks[0]
    assert check.transform == "log" and check.boxcox_lambda is None
    # The log of the winsorised values (all positive, so no shift), in the same order.
    np.testing.assert_allclose(logged.values[:, 0], np.log(plain.values[:, 0]))
    assert abs(check.skewness_after) < abs(plain.checks[0].skewness_after)
    boxed = treat_outliers(column[:, None], ["x"], winsorise_flagged=True, transforms=["boxcox"])
    lam = boxed.checks[0].boxcox_lambda
    assert boxed.checks[0].transform == "boxcox" and lam is not None
    expected = (np.power(plain.values[:, 0], lam) - 1.0) / lam if abs(lam) > 1e-12 else np.log(plain.values[:, 0])
    np.testing.assert_allclose(boxed.values[:, 0], expected)
    # Without winsorising there is no second stage: the values are untouched.
    untouched = treat_outliers(column[:, None], ["x"], transforms=["log"])
    assert untouched.checks[0].transform == "" and untouched.values[:, 0].tolist() == column.tolist()


def test_a_transformation_needs_positive_values_and_shifts_the_others_to_one() -> None:
    column = _still_skewed() - 1.0  # the smallest value is 0: shifted by 1 before the log
    logged = treat_outliers(column[:, None], ["x"], winsorise_flagged=True, transforms=["log"])
    plain = treat_outliers(column[:, None], ["x"], winsorise_flagged=True)
    np.testing.assert_allclose(logged.values[:, 0], np.log(plain.values[:, 0] + 1.0))
    assert math.isclose(float(logged.values[0, 0]), 0.0, abs_tol=1e-15)
