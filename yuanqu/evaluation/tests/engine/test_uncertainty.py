from __future__ import annotations

import numpy as np
import pytest

from yuanqu.evaluation.engine import Dataset, Params, UncertaintySpec, monte_carlo
from yuanqu.evaluation.engine.aggregate import tree_means
from yuanqu.evaluation.engine.uncertainty import UncertaintyError, effective_weights
from yuanqu.evaluation.tests.engine.factories import PARK_TYPES, park_framework, random_dataset

SPEC = UncertaintySpec(n_runs=300, seed=42, top_k=3, sensitivity_weight_runs=50, batch_size=64)


def test_it_is_reproducible_with_the_same_seed_and_varies_with_another() -> None:
    framework = park_framework()
    data = random_dataset(framework, missing_share=0.05)
    first = monte_carlo(framework, data, Params(), SPEC)
    second = monte_carlo(framework, data, Params(), SPEC)
    np.testing.assert_array_equal(first.rank_counts, second.rank_counts)
    np.testing.assert_array_equal(first.p_top_k, second.p_top_k)
    np.testing.assert_array_equal(first.rank_p05, second.rank_p05)
    assert first.sensitivity == second.sensitivity
    other = monte_carlo(framework, data, Params(), UncertaintySpec(n_runs=300, seed=43, top_k=3))
    assert not np.array_equal(first.rank_counts, other.rank_counts)


def test_it_gives_a_dominant_unit_certainty_of_first_place() -> None:
    framework = park_framework()
    data = random_dataset(framework, units=30, seed=3)
    values = np.array(data.values)
    best = np.where(framework.directions() > 0, values.max(axis=0) * 1.5, values.min(axis=0) / 1.5)
    values[0] = best
    dominated = Dataset(
        unit_ids=data.unit_ids,
        unit_groups=data.unit_groups,
        indicator_codes=data.indicator_codes,
        values=values,
    )
    result = monte_carlo(framework, dominated, Params(), SPEC)
    assert result.nominal_rank[0] == 1
    assert result.p_top_k[0] == 1.0
    assert (result.rank_p05[0], result.median_rank[0], result.rank_p95[0]) == (1, 1, 1)
    assert result.rank_counts[0, 1] == SPEC.n_runs


def test_it_reports_intervals_and_probabilities_consistent_with_the_runs() -> None:
    framework = park_framework()
    data = random_dataset(framework, missing_share=0.05)
    result = monte_carlo(framework, data, Params(), SPEC)
    assert result.rank_counts.shape == (data.size, 21)
    assert (result.rank_counts.sum(axis=1) == 300).all()
    for unit in range(0, data.size, 7):
        ranks = np.repeat(np.arange(21), result.rank_counts[unit])
        assert result.p_top_k[unit] == pytest.approx(np.mean(ranks <= 3))
        assert result.rank_p05[unit] <= result.median_rank[unit] <= result.rank_p95[unit]
        assert result.median_rank[unit] == np.quantile(ranks, 0.5, method="inverted_cdf")
        assert result.rank_p95[unit] == np.quantile(ranks, 0.95, method="inverted_cdf")
    assert (result.rank_counts[:, 0] == 0).all()


def test_it_leaves_ranks_fixed_when_nothing_varies() -> None:
    framework = park_framework()
    data = random_dataset(framework)
    spec = UncertaintySpec(n_runs=20, weight_spread=0.0, normalisations=(), aggregations=(), imputations=(), top_k=1)
    result = monte_carlo(framework, data, Params(), spec)
    np.testing.assert_array_equal(result.median_rank, result.nominal_rank)
    np.testing.assert_array_equal(result.rank_p05, result.rank_p95)
    assert result.sensitivity == ()


def test_it_names_the_assumption_that_moves_ranks_most() -> None:
    framework = park_framework()
    data = random_dataset(framework, units=90)
    spec = UncertaintySpec(
        n_runs=50, seed=1, weight_spread=0.01, normalisations=("percentile",), imputations=(), top_k=1
    )
    result = monte_carlo(framework, data, Params(), spec)
    assumptions = [row.assumption for row in result.sensitivity]
    assert sorted(assumptions) == ["aggregation", "normalisation", "weights"]
    shifts = [row.mean_abs_rank_shift for row in result.sensitivity]
    assert shifts == sorted(shifts, reverse=True)
    weights_row = next(row for row in result.sensitivity if row.assumption == "weights")
    # ±1% weights barely move anyone compared with switching to percentile ranks.
    assert result.most_influential is not None
    assert result.most_influential.assumption != "weights"
    assert weights_row.mean_abs_rank_shift < result.most_influential.mean_abs_rank_shift
    assert result.most_influential.label in ("聚合方法", "标准化方法")


def test_it_samples_alternative_weight_sets() -> None:
    framework = park_framework()
    data = random_dataset(framework)
    flat = {"efficiency": 0.5, "innovation": 0.5}
    result = monte_carlo(framework, data, Params(), UncertaintySpec(n_runs=100, weight_sets=(flat,), top_k=1))
    assert set(result.design.weight_set.tolist()) == {0, 1}
    assert result.design.choices["weight_set"] == ("政策权重", "备选权重 1")
    weights = effective_weights(result)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    assert "weight_set" in [row.assumption for row in result.sensitivity]


def test_it_scores_batches_on_the_tree_as_the_fast_path_does() -> None:
    framework = park_framework()
    sets = [
        framework,
        framework.with_weights({"efficiency": 0.3, "innovation": 0.7, "tax_per_mu": 0.2, "output_per_mu": 0.6}),
    ]
    node_weights = np.vstack([f.node_weight_vector() for f in sets])
    effective = np.vstack([f.effective_weights() for f in sets])
    values = np.random.default_rng(4).uniform(0.0, 100.0, size=(12, 5))
    by_tree = tree_means(values, framework, node_weights)["index"]
    np.testing.assert_allclose(by_tree, values @ effective.T)


def test_it_handles_missing_data_and_excluded_units() -> None:
    framework = park_framework()
    data = random_dataset(framework, missing_share=0.25, seed=8)
    result = monte_carlo(framework, data, Params(min_availability=0.8), SPEC)
    excluded = ~result.included
    assert excluded.any()
    assert np.isnan(result.p_top_k[excluded]).all()
    assert (result.rank_counts[excluded] == 0).all()
    assert (result.median_rank[excluded] == 0).all()
    assert np.all((result.p_top_k[~excluded] >= 0) & (result.p_top_k[~excluded] <= 1))


def test_it_needs_a_selection_size_for_every_group() -> None:
    framework = park_framework()
    data = random_dataset(framework)
    with pytest.raises(UncertaintyError, match="未给出以下分组的入选名额：都市工业园"):
        monte_carlo(framework, data, Params(), UncertaintySpec(n_runs=10, top_k=dict.fromkeys(PARK_TYPES[:2], 2)))
    with pytest.raises(UncertaintyError, match="权重扰动幅度"):
        monte_carlo(framework, data, Params(), UncertaintySpec(n_runs=10, weight_spread=1.0))
