"""Normalisation: bring every indicator onto a common, higher-is-better scale.

Step 3 of the pipeline, on the treated stage, and one of the Monte Carlo assumptions. Each
indicator uses its own method from the framework unless the caller overrides all of them.
Direction is honoured by every method: a lower-is-better indicator is flipped so that the
best unit scores highest. Statistics (min, max, mean, ranks) use the non-missing rows only, so
excluded units (NaN rows) and, without imputation, missing cells do not shift anyone's score.

Scales: min-max, goalposts, percentile rank and distance to target give 0–100 (100 = best or
target reached). z-scores are ``centre + spread·z``; the pipeline uses 50 ± 10 so that z-scored
indicators sit on a scale comparable to the others and stay positive for geometric aggregation.
A column with no spread scores the midpoint (50, or ``centre``) for every unit: it cannot
discriminate, and the midpoint keeps it neutral.
"""

from __future__ import annotations

import numpy as np

from yuanqu.evaluation.engine._arrays import FloatArray, as_float
from yuanqu.evaluation.engine.framework import (
    NORMALISATION_METHODS,
    Framework,
    FrameworkError,
    NormalisationMethod,
    method_label,
)

SCALE_MAX = 100.0
MIDPOINT = 50.0


def min_max(x: FloatArray, direction: int = 1) -> FloatArray:
    """0 for the worst unit, 100 for the best."""
    oriented = direction * as_float(x)
    present = ~np.isnan(oriented)
    if not present.any():
        return oriented
    low = float(oriented[present].min())
    high = float(oriented[present].max())
    if high == low:
        return np.where(present, MIDPOINT, np.nan)
    result: FloatArray = SCALE_MAX * (oriented - low) / (high - low)
    return result


def goalposts(x: FloatArray, direction: int = 1, *, target: float, floor: float) -> FloatArray:
    """100 at or beyond the target, 0 at or short of the floor, linear between (capped)."""
    if (target - floor) * direction <= 0:
        raise FrameworkError("目标值法要求目标值在门槛值的“更好”一侧")
    share = (as_float(x) - floor) / (target - floor)
    result: FloatArray = SCALE_MAX * np.clip(share, 0.0, 1.0)
    return result


def z_score(x: FloatArray, direction: int = 1, *, centre: float = 0.0, spread: float = 1.0) -> FloatArray:
    """``centre + spread·z`` with z = direction·(x − mean)/sd (sample sd, ddof = 1)."""
    values = as_float(x)
    present = ~np.isnan(values)
    if present.sum() < 2:
        return np.where(present, centre, np.nan)
    mean = float(values[present].mean())
    sd = float(values[present].std(ddof=1))
    if sd == 0.0:
        return np.where(present, centre, np.nan)
    result: FloatArray = centre + spread * direction * (values - mean) / sd
    return result


def percentile_rank(x: FloatArray, direction: int = 1) -> FloatArray:
    """100·(rank − 1)/(m − 1) over the m present values; tied values share their mid-rank."""
    oriented = direction * as_float(x)
    present = ~np.isnan(oriented)
    result = np.full(oriented.shape, np.nan)
    count = int(present.sum())
    if count == 0:
        return result
    if count == 1:
        result[present] = MIDPOINT
        return result
    _, inverse, counts = np.unique(oriented[present], return_inverse=True, return_counts=True)
    first = np.cumsum(counts) - counts + 1.0
    mid_rank = first + (counts - 1.0) / 2.0
    result[present] = SCALE_MAX * (mid_rank[inverse] - 1.0) / (count - 1.0)
    return result


def distance_to_target(x: FloatArray, direction: int = 1, *, target: float) -> FloatArray:
    """Progress from the worst unit to the target: 0 for the worst, 100 at the target (capped).

    When every unit has already reached the target, all score 100.
    """
    values = as_float(x)
    present = ~np.isnan(values)
    if not present.any():
        return values
    worst = float(values[present].min() if direction == 1 else values[present].max())
    gap = (target - worst) * direction
    if gap <= 0:
        return np.where(present, SCALE_MAX, np.nan)
    share = (values - worst) / (target - worst)
    result: FloatArray = SCALE_MAX * np.minimum(share, 1.0)
    return result


def normalise(
    values: FloatArray,
    framework: Framework,
    *,
    method: NormalisationMethod | None = None,
    zscore_centre: float = MIDPOINT,
    zscore_spread: float = 10.0,
) -> FloatArray:
    """Normalise every column; ``method`` overrides the per-indicator methods of the framework."""
    if method is not None and method not in NORMALISATION_METHODS:
        raise FrameworkError(f"标准化方法“{method}”未知，可选：{'、'.join(NORMALISATION_METHODS)}")
    matrix = as_float(values)
    result = np.empty_like(matrix)
    for column, indicator in enumerate(framework.indicators):
        chosen = method or indicator.normalisation
        x = matrix[:, column]
        direction = indicator.direction
        if chosen == "minmax":
            result[:, column] = min_max(x, direction)
        elif chosen == "zscore":
            result[:, column] = z_score(x, direction, centre=zscore_centre, spread=zscore_spread)
        elif chosen == "percentile":
            result[:, column] = percentile_rank(x, direction)
        else:
            target = indicator.target
            if target is None:
                raise FrameworkError(f"指标“{indicator.label}”没有目标值，不能采用{method_label(chosen)}")
            if chosen == "distance_to_target":
                result[:, column] = distance_to_target(x, direction, target=target)
            else:
                floor = indicator.floor
                if floor is None:
                    raise FrameworkError(f"指标“{indicator.label}”没有门槛值，不能采用目标值法")
                result[:, column] = goalposts(x, direction, target=target, floor=floor)
    return result
