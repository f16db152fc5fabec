from __future__ import annotations

import importlib
import warnings

import numpy as np
import pytest

from yuanqu.evaluation.engine import Framework, Group, Indicator
from yuanqu.evaluation.engine.aggregate import (
    AggregationError,
    TreeBuffers,
    aggregate_tree,
    topsis,
    tree_means,
    weighted_arithmetic,
    weighted_geometric,
)
from yuanqu.evaluation.tests.engine.factories import park_framework

NAN = np.nan


def test_it_reproduces_the_topsis_vector_normalisation_golden_vector() -> None:
    matrix = np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], dtype=float)
    result = topsis(matrix, [0.3, 0.4, 0.3], [1, 1, 1], normalisation="vector")
    np.testing.assert_allclose(result.closeness, [0.5037, 0.6581, 0.7482, 0.3340], atol=1e-4)


def test_it_reproduces_the_topsis_min_max_cost_benefit_golden_vector() -> None:
    matrix = np.array([[1, 3000], [2, 3750], [5, 4500]], dtype=float)
    result = topsis(matrix, [0.5, 0.5], [-1, 1], normalisation="minmax")
    np.testing.assert_allclose(result.closeness, [0.500, 0.617, 0.500], atol=1e-3)


def test_it_matches_pymcdm_topsis_on_random_matrices() -> None:
    methods = importlib.import_module("pymcdm.methods")
    normalizations = importlib.import_module("pymcdm.normalizations")
    rng = np.random.default_rng(21)
    for _ in range(20):
        m, k = rng.integers(3, 25), rng.integers(2, 9)
        matrix = rng.uniform(1.0, 100.0, size=(m, k))
        weights = rng.dirichlet(np.ones(k))
        types = np.where(rng.random(k) < 0.4, -1, 1)
        # pymcdm turns a cost column c into 1 − c before taking max/min; this mirrors our
        # ideal = min for cost columns exactly, since distances are unchanged by c → 1 − c.
        reference_vector = methods.TOPSIS(normalizations.vector_normalization)(matrix, weights, types)
        reference_minmax = methods.TOPSIS(normalizations.minmax_normalization)(matrix, weights, types)
        np.testing.assert_allclose(topsis(matrix, weights, types).closeness, reference_vector, atol=1e-12)
        np.testing.assert_allclose(
            topsis(matrix, weights, types, normalisation="minmax").closeness, reference_minmax, atol=1e-12
        )


def test_it_matches_scikit_criteria_topsis_on_random_matrices() -> None:
    skcriteria = importlib.import_module("skcriteria")
    scalers = importlib.import_module("skcriteria.preprocessing.scalers")
    skc_topsis = importlib.import_module("skcriteria.agg.topsis")
    rng = np.random.default_rng(22)
    for _ in range(20):
        m, k = rng.integers(3, 25), rng.integers(2, 9)
        matrix = rng.uniform(1.0, 100.0, size=(m, k))
        weights = rng.dirichlet(np.ones(k))
        types = np.where(rng.random(k) < 0.4, -1, 1)
        objectives = [max if t == 1 else min for t in types]
        decision = skcriteria.mkdm(matrix, objectives, weights=weights)
        for scaler, ours in ((scalers.VectorScaler, "vector"), (scalers.MinMaxScaler, "minmax")):
            scaled = scaler(target="matrix").transform(decision)
            with warnings.catch_warnings():
                # scikit-criteria warns that minimisation objectives are "not recommended".
                warnings.simplefilter("ignore", UserWarning)
                reference = skc_topsis.TOPSIS().evaluate(scaled).e_.similarity
            np.testing.assert_allclose(
                topsis(matrix, weights, types, normalisation=ours).closeness,  # type: ignore[arg-type]
                reference,
                atol=1e-12,
            )


def test_it_refuses_topsis_with_missing_values() -> None:
    with pytest.raises(AggregationError, match="无缺失值"):
        topsis(np.array([[1.0, NAN], [2.0, 3.0]]), [0.5, 0.5], [1, 1])


def test_it_computes_weighted_arithmetic_and_shifted_geometric_means() -> None:
    values = np.array([[100.0, 0.0], [50.0, 50.0], [80.0, NAN]])
    np.testing.assert_allclose(weighted_arithmetic(values, [0.5, 0.5]), [50.0, 50.0, 80.0])
    geometric = weighted_geometric(values, [0.5, 0.5], shift=1.0)
    # sqrt(101 · 1) − 1: a zero drags the score down hard but not to zero.
    np.testing.assert_allclose(geometric, [np.sqrt(101.0) - 1.0, 50.0, 80.0])
    with pytest.raises(AggregationError, match="平移量"):
        weighted_geometric(np.array([[-5.0, 1.0]]), [0.5, 0.5], shift=1.0)


def test_it_aggregates_up_the_tree_as_the_product_of_path_weights() -> None:
    framework = park_framework()
    rng = np.random.default_rng(5)
    normalised = rng.uniform(0.0, 100.0, size=(8, 5))
    scores = aggregate_tree(normalised, framework)
    np.testing.assert_allclose(scores["innovation"], normalised[:, 3:] @ [0.6, 0.4])
    np.testing.assert_allclose(scores["index"], normalised @ framework.effective_weights())
    geometric = aggregate_tree(normalised, framework, method="geometric")
    expected = np.exp(np.log(normalised + 1.0) @ framework.effective_weights()) - 1.0
    np.testing.assert_allclose(geometric["index"], expected)


def test_it_renormalises_weights_over_the_children_present() -> None:
    framework = Framework(
        indicators=(
            Indicator(code="a", weight=0.5),
            Indicator(code="b", weight=0.5),
            Indicator(code="c", weight=1.0),
        ),
        groups=(
            Group(code="d1", weight=0.75, children=("a", "b")),
            Group(code="d2", weight=0.25, children=("c",)),
            Group(code="index", children=("d1", "d2")),
        ),
    )
    normalised = np.array([[40.0, NAN, 80.0], [NAN, NAN, 80.0], [NAN, NAN, NAN]])
    scores = aggregate_tree(normalised, framework)
    np.testing.assert_allclose(scores["d1"], [40.0, NAN, NAN])
    np.testing.assert_allclose(scores["index"], [0.75 * 40.0 + 0.25 * 80.0, 80.0, NAN])


def _masked_tree_means(values: np.ndarray, framework: Framework, node_weights: np.ndarray) -> dict[str, np.ndarray]:
    """The masked form `tree_means` had before its fast paths: zeros, masks and a guard at every group."""
    position = {code: index for index, code in enumerate(framework.node_codes)}
    n, runs = values.shape[0], node_weights.shape[0]
    results: dict[str, np.ndarray] = {}
    for code in framework.groups_bottom_up:
        numerator, denominator = np.zeros((n, runs)), np.zeros((n, runs))
        children = framework.group(code).children
        leaves = [position[child] for child in children if framework.is_indicator(child)]
        if leaves:
            present = ~np.isnan(values[:, leaves])
            numerator += np.where(present, values[:, leaves], 0.0) @ node_weights[:, leaves].T
            denominator += present.astype(np.float64) @ node_weights[:, leaves].T
        for child in children:
            if child in results:
                present = ~np.isnan(results[child])
                weight = node_weights[None, :, position[child]]
                numerator += np.where(present, results[child], 0.0) * weight
                denominator += present * weight
        with np.errstate(invalid="ignore", divide="ignore"):
            results[code] = np.where(denominator > 0, numerator / denominator, np.nan)
    return results


@pytest.mark.parametrize("missing_share", [0.0, 0.05, 0.6])
def test_tree_means_fast_paths_give_the_masked_form_to_the_bit(missing_share: float) -> None:
    # A group mixing indicators and a subgroup, so every path of the loop is taken; with gaps
    # some units lack a whole group (NaN one level up) whenever cells are missing.
    framework = Framework(
        indicators=tuple(Indicator(code=f"x{i}", weight=w) for i, w in enumerate((0.5, 0.5, 0.2, 0.4, 0.4, 0.6))),
        groups=(
            Group(code="a", children=("x0", "x1"), weight=0.4),
            Group(code="b", children=("x2", "a", "x3"), weight=0.6),
            Group(code="c", children=("x4", "x5"), weight=0.4),
            Group(code="index", children=("b", "c")),
        ),
    )
    rng = np.random.default_rng(11)
    values = rng.normal(size=(400, 6)) * 30.0
    values[rng.random(values.shape) < missing_share] = NAN
    node_weights = rng.uniform(0.1, 1.9, size=(37, len(framework.node_codes)))
    expected = _masked_tree_means(values, framework, node_weights)
    found = tree_means(values, framework, node_weights)
    assert found.keys() == expected.keys()
    for code, matrix in expected.items():
        assert np.array_equal(found[code], matrix, equal_nan=True), code
    assert np.isnan(found["a"]).any() == (missing_share > 0)
    # Into reused buffers, after a larger batch has written them: the same bits again.
    buffers = TreeBuffers()
    tree_means(values, framework, rng.uniform(0.1, 1.9, size=(50, len(framework.node_codes))), buffers)
    reused = tree_means(values, framework, node_weights, buffers)
    for code, matrix in expected.items():
        assert np.array_equal(reused[code], matrix, equal_nan=True), code
