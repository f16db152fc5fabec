"""Aggregation: weighted means up the framework tree, and TOPSIS as an alternative view.

Step 4 of the pipeline and, in batched form, the inner loop of the Monte Carlo.

Both means are computed in an "aggregation space": the values themselves for the arithmetic
mean, ``log(x + s)`` for the geometric one. A group's value in that space is the weighted mean
of its children's, so one routine serves every level and every method, and with complete data
the composite is a single matrix product with the effective (path-product) weights.

Geometric mean and zeros: a min-max score of 0 would zero the whole geometric mean, and
z-scores can be negative. The engine uses the *shifted* geometric mean
``exp(Σ w·log(x + s)) − s`` with one shift ``s = 1 + max(0, −min x)`` for the whole tree (s = 1
on a 0–100 scale). Equal inputs still give that value back, a zero is penalised hard but
finitely, and because the shift is the same at every level, nesting stays exact.

Missing values (no imputation): each group averages its present children with their weights
renormalised, as COINr does; a group with no present child is missing one level up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from yuanqu.evaluation.engine._arrays import BoolArray, FloatArray, as_float
from yuanqu.evaluation.engine.framework import Framework

AggregationMethod = Literal["arithmetic", "geometric"]
AGGREGATION_METHODS: tuple[AggregationMethod, ...] = ("arithmetic", "geometric")
AGGREGATION_LABELS: dict[str, str] = {"arithmetic": "加权算术平均", "geometric": "加权几何平均"}
GEOMETRIC_OFFSET = 1.0

TopsisNormalisation = Literal["vector", "minmax"]


class AggregationError(ValueError):
    """Aggregation cannot proceed; the message is Chinese."""


def geometric_shift(values: FloatArray, *, offset: float = GEOMETRIC_OFFSET) -> float:
    """The shift s that makes every ``x + s`` at least ``offset``."""
    if offset <= 0:
        raise AggregationError(f"几何平均的平移量应为正数，实际为 {offset}")
    present = values[~np.isnan(values)]
    lowest = float(present.min()) if present.size else 0.0
    return offset + max(0.0, -lowest)


def to_aggregation_space(values: FloatArray, method: AggregationMethod, shift: float) -> FloatArray:
    if method == "arithmetic":
        return as_float(values)
    if method != "geometric":
        raise AggregationError(f"聚合方法“{method}”未知，可选：{'、'.join(AGGREGATION_METHODS)}")
    moved = as_float(values) + shift
    if (moved <= 0).any():
        raise AggregationError(f"几何平均要求所有值加平移量 {shift:g} 后为正")
    result: FloatArray = np.log(moved)
    return result


def from_aggregation_space(values: FloatArray, method: AggregationMethod, shift: float) -> FloatArray:
    if method == "arithmetic":
        return values
    result: FloatArray = np.exp(values) - shift
    return result


def weighted_arithmetic(values: FloatArray, weights: Sequence[float] | FloatArray) -> FloatArray:
    """Row-wise Σ w·x / Σ w over the present values of an (n, k) matrix."""
    w = as_float(weights)[None, :]
    return _column_means(as_float(values), w)[:, 0]


def weighted_geometric(
    values: FloatArray, weights: Sequence[float] | FloatArray, *, shift: float = GEOMETRIC_OFFSET
) -> FloatArray:
    """Row-wise shifted geometric mean ``exp(Σ w·log(x + s) / Σ w) − s`` over present values."""
    w = as_float(weights)[None, :]
    logged = to_aggregation_space(values, "geometric", shift)
    return from_aggregation_space(_column_means(logged, w)[:, 0], "geometric", shift)


def aggregate_tree(
    normalised: FloatArray,
    framework: Framework,
    *,
    method: AggregationMethod = "arithmetic",
    weights: Mapping[str, float] | None = None,
    offset: float = GEOMETRIC_OFFSET,
) -> dict[str, FloatArray]:
    """Every group's score (``framework.groups_bottom_up`` order; the root is the composite)."""
    matrix = as_float(normalised)
    shift = geometric_shift(matrix, offset=offset) if method == "geometric" else 0.0
    node_weights = framework.node_weight_vector(weights)[None, :]
    means = tree_means(to_aggregation_space(matrix, method, shift), framework, node_weights)
    return {code: from_aggregation_space(value[:, 0], method, shift) for code, value in means.items()}


# Buffer names that no group code can take.
_DENOMINATOR = "\x00denominator"
_SCRATCH = "\x00scratch"


class TreeBuffers:
    """Memory that ``tree_means`` reuses call after call (one Monte Carlo thread's): one
    (units × runs) array per group, a denominator, a scratch and a mask. Fresh arrays of a few
    megabytes each call cost the kernel's page faults every time; these are mapped once. The means
    a call returns are then views into the buffers, valid until the next call with them."""

    def __init__(self) -> None:
        self._floats: dict[str, FloatArray] = {}
        self._mask: BoolArray = np.empty(0, dtype=np.bool_)

    def floats(self, name: str, shape: tuple[int, int]) -> FloatArray:
        size = shape[0] * shape[1]
        held = self._floats.get(name)
        if held is None or held.size < size:
            held = self._floats[name] = np.empty(size)
        return held[:size].reshape(shape)

    def mask(self, shape: tuple[int, int]) -> BoolArray:
        size = shape[0] * shape[1]
        if self._mask.size < size:
            self._mask = np.empty(size, dtype=np.bool_)
        return self._mask[:size].reshape(shape)


def tree_means(
    values: FloatArray, framework: Framework, node_weights: FloatArray, buffers: TreeBuffers | None = None
) -> dict[str, FloatArray]:
    """Group values in aggregation space for a batch of weight sets.

    ``values`` is (n, indicators) in aggregation space, NaN = missing; ``node_weights`` is
    (runs, nodes) in ``framework.node_codes`` order. Returns group code → (n, runs). With
    ``buffers`` the results are views into them (see ``TreeBuffers``); the numbers are the same.

    Each group's leaves are one product for the numerator and one for the denominator; each child
    group is added in place. A child group with no missing value (the usual case: a group is missing
    only where a unit lacks all of its indicators) skips the masks, and a group whose denominator is
    positive everywhere skips the NaN guard. The operations and their order are those of the masked
    form, so the results are the same to the bit (`test_aggregate.py` compares them).
    """
    position = {code: index for index, code in enumerate(framework.node_codes)}
    n = values.shape[0]
    runs = node_weights.shape[0]
    shape = (n, runs)
    results: dict[str, FloatArray] = {}
    complete: dict[str, bool] = {}
    scratch: FloatArray | None = None
    for code in framework.groups_bottom_up:
        children = framework.group(code).children
        leaves = [position[child] for child in children if framework.is_indicator(child)]
        numerator: FloatArray | None = None
        # (1, runs) while only complete child groups have added to it: the same sums, one row.
        denominator: FloatArray = np.zeros((1, runs))
        if leaves:
            block = values[:, leaves]
            present = ~np.isnan(block)
            child_weights = node_weights[:, leaves]
            # 0 + x is x (up to the sign of a zero, which no comparison sees), so the products
            # start the sums instead of two arrays of zeros.
            numerator = np.matmul(
                np.where(present, block, 0.0),
                child_weights.T,
                out=None if buffers is None else buffers.floats(code, shape),
            )
            denominator = np.matmul(
                present.astype(np.float64),
                child_weights.T,
                out=None if buffers is None else buffers.floats(_DENOMINATOR, shape),
            )
        for child in children:
            if child not in results:
                continue
            child_values = results[child]
            weight = node_weights[None, :, position[child]]
            if complete[child]:
                if numerator is None:
                    numerator = np.multiply(
                        child_values, weight, out=None if buffers is None else buffers.floats(code, shape)
                    )
                else:
                    if scratch is None:
                        scratch = np.empty(shape) if buffers is None else buffers.floats(_SCRATCH, shape)
                    np.multiply(child_values, weight, out=scratch)
                    numerator += scratch
                denominator += weight
                continue
            present = ~np.isnan(child_values)
            term = np.where(present, child_values, 0.0) * weight
            if denominator.shape[0] != n:
                denominator = np.repeat(denominator, n, axis=0)
            denominator += present * weight
            if numerator is None:
                numerator = term
            else:
                numerator += term
        if numerator is None:  # a group has at least one child; kept for the type checker
            numerator = np.zeros(shape)
        positive = np.greater(denominator, 0, out=None if buffers is None else buffers.mask(denominator.shape))
        if bool(positive.all()):
            numerator /= denominator
            results[code] = numerator
            complete[code] = True
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                results[code] = np.where(denominator > 0, numerator / denominator, np.nan)
            complete[code] = False
    return results


def _column_means(values: FloatArray, weights: FloatArray) -> FloatArray:
    """(n, k) values and (runs, k) weights → (n, runs) weighted means over present values."""
    present = ~np.isnan(values)
    numerator = np.where(present, values, 0.0) @ weights.T
    denominator = present.astype(np.float64) @ weights.T
    with np.errstate(invalid="ignore", divide="ignore"):
        result: FloatArray = np.where(denominator > 0, numerator / denominator, np.nan)
    return result


@dataclass(frozen=True, eq=False)
class TopsisResult:
    closeness: FloatArray
    distance_to_ideal: FloatArray
    distance_to_anti_ideal: FloatArray
    ideal: FloatArray
    anti_ideal: FloatArray
    weighted: FloatArray


def topsis(
    matrix: FloatArray,
    weights: Sequence[float] | FloatArray,
    types: Sequence[int] | FloatArray,
    *,
    normalisation: TopsisNormalisation = "vector",
) -> TopsisResult:
    """Relative closeness to the ideal solution (Hwang & Yoon 1981).

    ``types``: 1 for a benefit criterion, −1 for a cost criterion. Vector normalisation divides
    each column by its Euclidean norm; min-max maps it onto [0, 1]. The ideal takes each
    weighted column's best value (max for benefit, min for cost), the anti-ideal its worst.
    Closeness = D⁻/(D⁺ + D⁻). If all alternatives coincide, everyone's closeness is 0.5.
    """
    x = as_float(matrix)
    w = as_float(weights)
    kinds = as_float(types)
    if x.ndim != 2 or w.shape != (x.shape[1],) or kinds.shape != (x.shape[1],):
        raise AggregationError("TOPSIS 的数据、权重与指标类型的维度不一致")
    if not np.isfinite(x).all():
        raise AggregationError("TOPSIS 要求数据完整（无缺失值）")
    if not np.isin(kinds, (1.0, -1.0)).all():
        raise AggregationError("TOPSIS 指标类型应为 1（效益型）或 -1（成本型）")
    if normalisation == "vector":
        norms = np.sqrt((x**2).sum(axis=0))
        scaled = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    elif normalisation == "minmax":
        low = x.min(axis=0)
        span = x.max(axis=0) - low
        # A constant column is the same for every alternative, so its value is irrelevant.
        scaled = np.divide(x - low, span, out=np.ones_like(x), where=span > 0)
    else:
        raise AggregationError(f"TOPSIS 标准化方法“{normalisation}”未知，可选：vector、minmax")
    weighted = scaled * w
    benefit = kinds > 0
    ideal = np.where(benefit, weighted.max(axis=0), weighted.min(axis=0))
    anti_ideal = np.where(benefit, weighted.min(axis=0), weighted.max(axis=0))
    to_ideal = np.sqrt(((weighted - ideal) ** 2).sum(axis=1))
    to_anti = np.sqrt(((weighted - anti_ideal) ** 2).sum(axis=1))
    total = to_ideal + to_anti
    closeness = np.divide(to_anti, total, out=np.full_like(total, 0.5), where=total > 0)
    return TopsisResult(
        closeness=closeness,
        distance_to_ideal=to_ideal,
        distance_to_anti_ideal=to_anti,
        ideal=ideal,
        anti_ideal=anti_ideal,
        weighted=weighted,
    )
