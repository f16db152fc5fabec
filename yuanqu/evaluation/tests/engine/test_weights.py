from __future__ import annotations

import importlib
import re

import numpy as np
import pytest

from yuanqu.evaluation.engine.weights import (
    AHPInconsistentError,
    WeightError,
    ahp_weights,
    combine_linear,
    combine_multiplicative,
    critic_weights,
    entropy_weights,
    policy_weights,
)
from yuanqu.evaluation.tests.engine.factories import park_framework


def test_it_recovers_the_weights_of_a_consistent_matrix_with_zero_cr() -> None:
    w = np.array([0.5, 0.25, 0.15, 0.1])
    result = ahp_weights(w[:, None] / w[None, :])
    np.testing.assert_allclose(result.weights, w, atol=1e-12)
    assert result.lambda_max == pytest.approx(4.0)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-12)


def test_it_reproduces_the_textbook_three_criteria_example() -> None:
    # The common 3x3 teaching example: A is moderately more important than B (3), strongly
    # more than C (5); B moderately more than C (3). Priorities 0.637 / 0.258 / 0.105,
    # λmax 3.039, CI 0.019, CR 0.033 with Saaty's RI = 0.58.
    result = ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    np.testing.assert_allclose(result.weights, [0.6370, 0.2583, 0.1047], atol=1e-4)
    assert result.lambda_max == pytest.approx(3.0385, abs=1e-4)
    assert result.consistency_index == pytest.approx(0.0193, abs=1e-4)
    assert result.consistency_ratio == pytest.approx(0.0332, abs=1e-4)


def test_it_agrees_with_pymcdm_ahp_weights() -> None:
    subjective = importlib.import_module("pymcdm.weights.subjective")
    matrix = np.array(
        [
            [1, 2, 4, 3],
            [1 / 2, 1, 3, 2],
            [1 / 4, 1 / 3, 1, 1 / 2],
            [1 / 3, 1 / 2, 2, 1],
        ]
    )
    # pymcdm uses a different RI table (Alonso–Lamata), so only the weights are compared.
    np.testing.assert_allclose(ahp_weights(matrix).weights, subjective.AHP(matrix=matrix)(), atol=1e-10)


def test_it_refuses_an_inconsistent_matrix_with_the_cr_in_the_message() -> None:
    # A > B (9), B > C (9) yet C > A (9): a preference cycle.
    matrix = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    with pytest.raises(AHPInconsistentError) as error:
        ahp_weights(matrix, label="创新能力")
    assert error.value.consistency_ratio > 0.1
    assert str(error.value) == (
        f"指标组“创新能力”的判断矩阵一致性比率 CR = {error.value.consistency_ratio:.3f}，超过 0.1，请调整两两比较判断"
    )


def test_it_refuses_non_reciprocal_or_non_positive_matrices() -> None:
    with pytest.raises(WeightError, match="互反性"):
        ahp_weights([[1, 3], [0.5, 1]])
    with pytest.raises(WeightError, match="正数"):
        ahp_weights([[1, 0], [0, 1]])
    with pytest.raises(WeightError, match="方阵"):
        ahp_weights([[1, 2, 3]])
    assert ahp_weights([[1, 3, 5], [0.333, 1, 3], [0.2, 0.333, 1]]).consistency_ratio < 0.1


def test_it_passes_policy_weights_through() -> None:
    weights = policy_weights(park_framework())
    assert weights["efficiency"] == 0.6
    assert weights["rd_intensity"] == 0.4
    assert weights["index"] == 1.0


def test_it_matches_reference_entropy_weights_on_random_matrices() -> None:
    pymcdm_weights = importlib.import_module("pymcdm.weights")
    skc_weighters = importlib.import_module("skcriteria.preprocessing.weighters")
    rng = np.random.default_rng(11)
    for _ in range(10):
        # Strictly positive: pymcdm sets a column's entropy to 0 when it holds a zero, where
        # we (and scikit-criteria, via scipy) use 0·ln 0 = 0. Both normalise by column sums.
        matrix = rng.uniform(0.1, 10.0, size=(rng.integers(4, 30), rng.integers(2, 8)))
        ours = entropy_weights(matrix)
        np.testing.assert_allclose(ours, pymcdm_weights.entropy_weights(matrix), atol=1e-12)
        np.testing.assert_allclose(ours, skc_weighters.entropy_weights(matrix), atol=1e-12)
    with_zero = np.array([[0.0, 1.0], [2.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(entropy_weights(with_zero), skc_weighters.entropy_weights(with_zero), atol=1e-12)


def test_it_matches_reference_critic_weights_on_random_matrices() -> None:
    pymcdm_weights = importlib.import_module("pymcdm.weights")
    skc_weighters = importlib.import_module("skcriteria.preprocessing.weighters")
    rng = np.random.default_rng(12)
    for _ in range(10):
        matrix = rng.normal(size=(rng.integers(5, 30), rng.integers(2, 8)))
        directions = np.where(rng.random(matrix.shape[1]) < 0.3, -1, 1)
        # pymcdm ignores directions (min-max without flipping): compare on benefit criteria.
        np.testing.assert_allclose(critic_weights(matrix), pymcdm_weights.critic_weights(matrix), atol=1e-12)
        # scikit-criteria flips cost criteria (cenit distance) and uses σ with ddof = 0; the
        # ddof factor is common to all columns and cancels.
        np.testing.assert_allclose(
            critic_weights(matrix, directions), skc_weighters.critic_weights(matrix, directions), atol=1e-12
        )


def test_it_computes_known_entropy_and_critic_values() -> None:
    # A uniform column carries no information: entropy weight 0, the other column gets 1.
    np.testing.assert_allclose(entropy_weights(np.array([[1.0, 1.0], [1.0, 3.0]])), [0.0, 1.0])
    # A constant column has no contrast: CRITIC weight 0.
    np.testing.assert_allclose(critic_weights(np.array([[5.0, 1.0], [5.0, 2.0], [5.0, 4.0]])), [0.0, 1.0])
    with pytest.raises(WeightError, match="非负"):
        entropy_weights(np.array([[-1.0, 1.0], [1.0, 2.0]]))


def test_it_combines_weights_multiplicatively_and_linearly() -> None:
    a = np.array([0.5, 0.3, 0.2])
    b = np.array([0.2, 0.2, 0.6])
    np.testing.assert_allclose(combine_multiplicative(a, b), np.array([0.10, 0.06, 0.12]) / 0.28)
    np.testing.assert_allclose(combine_linear(a, b, 0.7), [0.41, 0.27, 0.32])
    with pytest.raises(WeightError, match="α"):
        combine_linear(a, b, 1.5)
    with pytest.raises(WeightError, match=re.escape("之和为 0.9")):
        combine_linear(np.array([0.5, 0.4]), np.array([0.5, 0.5]), 0.5)


def test_critic_leaves_a_constant_column_out_of_the_other_columns_conflict() -> None:
    # a, b and d vary, the inserted column is constant: it gets 0 and the others get the weights of
    # [a, b, d] alone (counting its correlation as 0 would add 1 to each conflict sum: 0.273, 0.409,
    # 0.318 instead).
    a = [1.0, 2.0, 3.0]
    b = [3.0, 1.0, 2.0]
    d = [1.0, 3.0, 2.0]
    with_constant = critic_weights(np.array([a, b, [7.0] * 3, d]).T)
    without = critic_weights(np.array([a, b, d]).T)
    assert with_constant[2] == 0.0
    np.testing.assert_allclose(np.delete(with_constant, 2), without, atol=1e-15)
    # By hand for [a, b, d]: σ = 0.5 each; r(a,b) = −0.5, r(a,d) = 0.5, r(b,d) = −1.
    # C_a = 0.5·(0 + 1.5 + 0.5) = 1.0, C_b = 0.5·(1.5 + 0 + 2) = 1.75, C_d = 0.5·(0.5 + 2 + 0) = 1.25.
    np.testing.assert_allclose(without, [1.0 / 4.0, 1.75 / 4.0, 1.25 / 4.0], atol=1e-12)
