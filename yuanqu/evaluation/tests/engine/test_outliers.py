from __future__ import annotations

import importlib

import numpy as np
import pytest

from yuanqu.evaluation.engine.outliers import is_outlying, kurtosis, skewness, treat_outliers, winsorise


def test_it_computes_sample_skew_and_excess_kurtosis() -> None:
    # G1 and G2 (the definitions of Excel's SKEW/KURT and COINr's skew/kurt) of COINr's own
    # example 1..10, 30, 100; scipy.stats.skew/kurtosis with bias=False give the same numbers.
    x = np.array([*range(1, 11), 30.0, 100.0])
    assert skewness(x) == pytest.approx(3.063241, abs=1e-6)
    assert kurtosis(x) == pytest.approx(9.741391, abs=1e-6)


def test_it_matches_scipys_bias_corrected_moments_on_random_data() -> None:
    stats = importlib.import_module("scipy.stats")
    rng = np.random.default_rng(3)
    for _ in range(5):
        x = rng.lognormal(size=40)
        assert skewness(x) == pytest.approx(stats.skew(x, bias=False))
        assert kurtosis(x) == pytest.approx(stats.kurtosis(x, fisher=True, bias=False))


def test_it_flags_only_when_both_skew_and_kurtosis_exceed_thresholds() -> None:
    assert is_outlying(np.array([*range(1, 11), 30.0, 100.0]))
    assert not is_outlying(np.arange(1.0, 13.0))
    # Two clusters: skewed (G1 = 2.06) but not heavy-tailed (G2 = 2.64), so not flagged.
    two_clusters = np.array([0.0] * 10 + [1.0] * 2)
    assert skewness(two_clusters) == pytest.approx(2.055237, abs=1e-6)
    assert kurtosis(two_clusters) == pytest.approx(2.64, abs=1e-6)
    assert not is_outlying(two_clusters)
    assert is_outlying(two_clusters, kurtosis_threshold=2.5)


def test_it_winsorises_the_highest_point_until_the_rule_no_longer_holds() -> None:
    x = np.array([*range(1, 11), 30.0, 100.0, np.nan])
    treated, moved = winsorise(x)
    # 100 moves onto the next value, 30; skew 1.71 and kurtosis 1.82 then pass.
    np.testing.assert_array_equal(treated[:12], [*range(1, 11), 30.0, 30.0])
    assert moved.tolist() == [False] * 11 + [True, False]
    assert np.isnan(treated[12])
    assert not is_outlying(treated)


def test_it_moves_tied_extremes_together_and_stops_at_the_maximum() -> None:
    x = np.array([*range(1, 31), 100.0, 100.0, 200.0])
    treated, moved = winsorise(x)
    # 200 → 100 still fails the rule, so the three points at 100 all move to 30.
    np.testing.assert_array_equal(treated[-4:], [30.0, 30.0, 30.0, 30.0])
    assert int(moved.sum()) == 3
    treated, moved = winsorise(x, max_points=1)
    np.testing.assert_array_equal(treated[-3:], [100.0, 100.0, 100.0])
    assert moved.tolist() == [False] * 32 + [True]


def test_it_winsorises_the_low_end_when_skew_is_negative() -> None:
    x = -np.array([*range(1, 11), 30.0, 100.0])
    treated, moved = winsorise(x)
    assert treated.min() == -30.0
    assert moved.tolist() == [False] * 11 + [True]


def test_it_treats_only_flagged_columns_and_records_points() -> None:
    skewed = np.array([*range(1, 11), 30.0, 100.0])
    normal = np.linspace(0.0, 1.0, 12)
    treatment = treat_outliers(np.column_stack([skewed, normal]), ["skewed", "normal"], winsorise_flagged=True)
    assert treatment.flagged_codes == ("skewed",)
    first, second = treatment.checks
    assert first.winsorised == 1
    assert first.skewness == pytest.approx(3.063241, abs=1e-6)
    assert first.skewness_after == pytest.approx(1.712038, abs=1e-6)
    assert not first.still_flagged
    assert second.winsorised == 0
    assert treatment.winsorised_mask[:, 0].tolist() == [False] * 11 + [True]
    np.testing.assert_array_equal(treatment.values[:, 1], normal)


def test_it_only_flags_when_winsorisation_is_not_requested() -> None:
    skewed = np.array([*range(1, 11), 30.0, 100.0])
    treatment = treat_outliers(skewed[:, None], ["skewed"])
    assert treatment.checks[0].flagged
    assert treatment.checks[0].winsorised == 0
    np.testing.assert_array_equal(treatment.values[:, 0], skewed)
