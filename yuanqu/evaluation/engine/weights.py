"""Weights: the policy set, AHP from pairwise comparisons, entropy, CRITIC, and combinations.

Weights are value judgements. The nominal set is the policy pack's (possibly derived there by
AHP, which this module checks for consistency); entropy and CRITIC are data-driven diagnostics
and alternative sets for the uncertainty analysis. Every function returns weights summing to 1
over the columns (indicators, or child groups) it was given; the caller maps them onto codes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from yuanqu.evaluation.engine._arrays import FloatArray, as_float
from yuanqu.evaluation.engine.framework import Framework

# Saaty's random consistency index for matrices of order 1..15.
SAATY_RI: tuple[float, ...] = (
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
)  # fmt: skip
CR_LIMIT = 0.1
# Judgements typed as 0.333 for 1/3 must pass the reciprocal check; 0.3 for 1/3 must not.
RECIPROCAL_TOLERANCE = 1e-3


class WeightError(ValueError):
    """Weights cannot be derived from the input; the message is Chinese."""


class AHPInconsistentError(WeightError):
    """The pairwise judgements contradict each other too much (CR > 0.1)."""

    def __init__(self, message: str, *, consistency_ratio: float, lambda_max: float) -> None:
        super().__init__(message)
        self.consistency_ratio = consistency_ratio
        self.lambda_max = lambda_max


@dataclass(frozen=True, eq=False)
class AHPResult:
    weights: FloatArray
    lambda_max: float
    consistency_index: float
    consistency_ratio: float


def policy_weights(framework: Framework) -> dict[str, float]:
    """The pack's weights as given: every node's weight within its parent (root = 1)."""
    return framework.weights()


def ahp_weights(matrix: Sequence[Sequence[float]] | FloatArray, *, label: str = "") -> AHPResult:
    """Principal-eigenvector weights of a pairwise comparison matrix, with Saaty's CR.

    ``matrix[i][j]`` says how much more important item i is than item j (1..9 and
    reciprocals). λmax is the principal eigenvalue, CI = (λmax − n)/(n − 1), CR = CI/RI.
    Orders 1 and 2 are always consistent (CR = 0). CR > 0.1 raises ``AHPInconsistentError``.
    """
    where = f"指标组“{label}”的" if label else ""
    a = as_float(matrix)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise WeightError(f"{where}判断矩阵应为非空方阵")
    n = a.shape[0]
    if n > len(SAATY_RI):
        raise WeightError(f"{where}判断矩阵为 {n} 阶，超过 {len(SAATY_RI)} 阶，没有对应的随机一致性指标 RI")
    if not np.isfinite(a).all() or (a <= 0).any():
        raise WeightError(f"{where}判断矩阵的元素必须为正数")
    if not np.allclose(np.diag(a), 1.0, rtol=0.0, atol=RECIPROCAL_TOLERANCE):
        raise WeightError(f"{where}判断矩阵的对角线元素必须为 1")
    product = a * a.T
    if not np.allclose(product, 1.0, rtol=0.0, atol=RECIPROCAL_TOLERANCE):
        i, j = np.argwhere(~np.isclose(product, 1.0, rtol=0.0, atol=RECIPROCAL_TOLERANCE))[0]
        raise WeightError(
            f"{where}判断矩阵不满足互反性：第 {i + 1} 行第 {j + 1} 列为 {a[i, j]:.4g}，"
            f"第 {j + 1} 行第 {i + 1} 列应为其倒数 {1 / a[i, j]:.4g}，实际为 {a[j, i]:.4g}"
        )
    eigenvalues, eigenvectors = np.linalg.eig(a)
    principal = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[principal].real)
    vector = np.abs(eigenvectors[:, principal].real)
    weights: FloatArray = vector / vector.sum()
    if n <= 2:
        ci = cr = 0.0
    else:
        # Rounding can put λmax a hair under n for a consistent matrix; CI is then 0.
        ci = max(0.0, (lambda_max - n) / (n - 1))
        cr = ci / SAATY_RI[n - 1]
    if cr > CR_LIMIT:
        raise AHPInconsistentError(
            f"{where}判断矩阵一致性比率 CR = {cr:.3f}，超过 {CR_LIMIT}，请调整两两比较判断",
            consistency_ratio=cr,
            lambda_max=lambda_max,
        )
    return AHPResult(weights=weights, lambda_max=lambda_max, consistency_index=ci, consistency_ratio=cr)


def entropy_weights(matrix: FloatArray) -> FloatArray:
    """Entropy weights of the columns of a non-negative units × criteria matrix.

    p_ij = x_ij / Σ_i x_ij (column-sum normalisation), e_j = −Σ_i p_ij ln p_ij / ln m with
    0·ln 0 = 0, weight ∝ 1 − e_j. Directions do not enter: entropy measures dispersion only.
    Weights depend on where zero sits, so they change under shifts such as min-max; use them as
    a diagnostic. When every column is uniform the weights are equal.
    """
    x = _complete(matrix, "熵权法")
    if (x < 0).any():
        raise WeightError("熵权法要求数据非负，请先做标准化")
    m = x.shape[0]
    totals = x.sum(axis=0)
    if (totals == 0).any():
        column = int(np.flatnonzero(totals == 0)[0])
        raise WeightError(f"熵权法：第 {column + 1} 列全为 0，无法计算")
    p = x / totals
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p), 0.0)
    entropy = -terms.sum(axis=0) / math.log(m)
    divergence = np.clip(1.0 - entropy, 0.0, None)
    return _share(divergence)


def critic_weights(matrix: FloatArray, directions: Sequence[int] | FloatArray | None = None) -> FloatArray:
    """CRITIC weights (Diakoulaki et al. 1995): contrast times conflict.

    Columns are min-max scaled to [0, 1] with the best value at 1 (so a lower-is-better column
    is flipped), then C_j = σ_j · Σ_k (1 − r_jk) with r the Pearson correlation; weight ∝ C_j.
    σ uses ddof = 1; the choice cancels in the normalised weights. A constant column carries no
    information: it gets 0 and is left out of the other columns' conflict sums (counting its
    correlation as 0 would add 1 to each of them and shift their weights).
    """
    x = _complete(matrix, "CRITIC 法")
    signs = np.ones(x.shape[1]) if directions is None else as_float(directions)
    oriented = x * signs
    low = oriented.min(axis=0)
    span = oriented.max(axis=0) - low
    varying = span > 0
    scaled = np.zeros_like(oriented)
    scaled[:, varying] = (oriented[:, varying] - low[varying]) / span[varying]
    sd = scaled.std(axis=0, ddof=1)
    conflict = np.zeros(x.shape[1])
    if varying.any():
        correlation = np.atleast_2d(np.corrcoef(scaled[:, varying], rowvar=False))
        conflict[varying] = (1.0 - correlation).sum(axis=0)
    information = np.where(varying, sd * conflict, 0.0)
    if information.sum() <= 0 and varying.any():
        # One varying column (no conflict to measure) or perfectly correlated ones: they share.
        information = varying.astype(np.float64)
    return _share(information)


def constant_columns(matrix: FloatArray) -> tuple[int, ...]:
    """The columns with no spread (CRITIC leaves them out; the caller names them)."""
    x = as_float(matrix)
    return tuple(int(j) for j in np.flatnonzero(np.nanmax(x, axis=0) == np.nanmin(x, axis=0)))


def combine_multiplicative(a: FloatArray, b: FloatArray) -> FloatArray:
    """w_i ∝ a_i · b_i (e.g. subjective AHP × objective entropy)."""
    product = _weight_vector(a) * _weight_vector(b)
    if product.sum() <= 0:
        raise WeightError("乘法组合无效：两组权重没有同时为正的指标")
    return _share(product)


def combine_linear(a: FloatArray, b: FloatArray, alpha: float) -> FloatArray:
    """w = α·a + (1 − α)·b, with α in [0, 1] the share given to ``a``."""
    if not 0.0 <= alpha <= 1.0:
        raise WeightError(f"线性组合系数 α 应在 0 到 1 之间，实际为 {alpha}")
    return _share(alpha * _weight_vector(a) + (1.0 - alpha) * _weight_vector(b))


def _weight_vector(weights: FloatArray) -> FloatArray:
    w = as_float(weights)
    if w.ndim != 1 or not np.isfinite(w).all() or (w < 0).any():
        raise WeightError("权重应为非负有限数组成的一维向量")
    if abs(math.fsum(w.tolist()) - 1.0) > 1e-6:
        raise WeightError(f"待组合的权重之和为 {w.sum():.6g}，应为 1")
    return w


def _share(values: FloatArray) -> FloatArray:
    total = float(values.sum())
    if total <= 0:
        return np.full(values.shape, 1.0 / values.size)
    result: FloatArray = values / total
    return result


def _complete(matrix: FloatArray, method: str) -> FloatArray:
    x = as_float(matrix)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 1:
        raise WeightError(f"{method}至少需要 2 个单位和 1 个指标")
    if not np.isfinite(x).all():
        raise WeightError(f"{method}要求数据完整（无缺失值）")
    return x
