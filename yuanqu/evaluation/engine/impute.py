"""Missing data: screen units by data availability, then fill the gaps of the units kept.

Step 1 of the pipeline (``pipeline.run``) and one of the assumptions the Monte Carlo varies.
A unit whose share of available indicators is below the threshold is excluded and flagged;
from this stage on its row is NaN, so later steps neither see nor rank it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from yuanqu.evaluation.engine._arrays import BoolArray, FloatArray, as_float, frozen

ImputationMethod = Literal["group_median", "group_mean", "median", "previous_year", "none"]
IMPUTATION_METHODS: tuple[ImputationMethod, ...] = ("group_median", "group_mean", "median", "previous_year", "none")
IMPUTATION_LABELS: dict[str, str] = {
    "group_median": "同类型中位数填补",
    "previous_year": "上年值填补（无上年值时用同类型中位数）",
    "group_mean": "同类型均值填补",
    "median": "全体中位数填补",
    "none": "不填补（按可得指标重算权重）",
}


NOTHING_TO_IMPUTE = "指标“{name}”只有数据可得率低于门槛、未参评的单位有值，参评单位均缺失，无法填补"


class ImputationError(ValueError):
    """Imputation cannot proceed; the message is Chinese."""


@dataclass(frozen=True, eq=False)
class Imputation:
    """The imputed stage. ``values`` rows of excluded units are NaN.

    ``fallback_mask`` marks imputed cells whose unit group had no value for the indicator, so
    the statistic over all kept units was used instead.
    """

    values: FloatArray
    imputed_mask: BoolArray
    fallback_mask: BoolArray
    availability: FloatArray
    included: BoolArray
    method: ImputationMethod


def availability(values: FloatArray) -> FloatArray:
    """Each unit's share of non-missing indicators (0..1)."""
    present = ~np.isnan(values)
    share: FloatArray = present.mean(axis=1, dtype=np.float64)
    return share


def screen_units(values: FloatArray, *, min_availability: float) -> tuple[FloatArray, BoolArray]:
    """Availability per unit and the mask of units kept (availability >= threshold)."""
    if not 0.0 <= min_availability <= 1.0:
        raise ImputationError(f"数据可得率门槛应在 0 到 1 之间，实际为 {min_availability}")
    share = availability(values)
    # A tolerance so that a threshold written as 2/3 keeps a unit with 2 of 3 indicators.
    included: BoolArray = share >= min_availability - 1e-12
    return share, included


def dimension_screen(values: FloatArray, columns: Sequence[Sequence[int]], thresholds: Sequence[float]) -> BoolArray:
    """Units whose share of present values within some dimension (its columns) is below that
    dimension's threshold: excluded like a unit below the overall threshold."""
    present = ~np.isnan(as_float(values))
    short = np.zeros(present.shape[0], dtype=np.bool_)
    for block, threshold in zip(columns, thresholds, strict=True):
        if not 0.0 <= threshold <= 1.0:
            raise ImputationError(f"维度数据可得率门槛应在 0 到 1 之间，实际为 {threshold}")
        if block:
            short |= present[:, list(block)].mean(axis=1) < threshold - 1e-12
    return short


def impute(
    values: FloatArray,
    unit_groups: Sequence[str],
    *,
    method: ImputationMethod = "group_median",
    min_availability: float = 0.66,
    previous: FloatArray | None = None,
    exclude: BoolArray | None = None,
    names: Sequence[str] = (),
) -> Imputation:
    """Screen units (overall threshold, and ``exclude``: units short in some dimension), then fill
    each missing cell of a kept unit from its group's statistic; with "previous_year", from the unit's
    own value a year earlier where it has one (``previous``), the group median otherwise."""
    if method not in IMPUTATION_METHODS:
        raise ImputationError(f"缺失值处理方法“{method}”未知，可选：{'、'.join(IMPUTATION_METHODS)}")
    raw = as_float(values)
    if len(unit_groups) != raw.shape[0]:
        raise ImputationError("单位分组数量与数据行数不一致")
    share, included = screen_units(raw, min_availability=min_availability)
    if exclude is not None:
        included = included & ~np.asarray(exclude, dtype=np.bool_)
    result = raw.copy()
    result[~included] = np.nan
    missing = np.isnan(result) & included[:, None]
    fallback = np.zeros_like(missing)
    if method == "previous_year" and previous is not None and missing.any():
        result = np.where(missing & ~np.isnan(as_float(previous)), as_float(previous), result)
    if method != "none" and missing.any():
        use_median = method in ("group_median", "median", "previous_year")
        overall = _column_statistic(result, median=use_median)
        labels = np.asarray(unit_groups, dtype=object)
        for group in dict.fromkeys(unit_groups):
            rows = (labels == group) & included
            if method == "median":
                fill = overall
            else:
                fill = _column_statistic(result[rows], median=use_median)
            gaps = missing & rows[:, None]
            empty = np.isnan(fill)
            fallback |= gaps & np.isnan(result) & empty[None, :]
            fill = np.where(empty, overall, fill)
            result = np.where(gaps & np.isnan(result), fill[None, :], result)
        unfilled = np.isnan(result) & included[:, None]
        if unfilled.any():
            column = int(np.argwhere(unfilled)[0][1])
            if column < len(names):
                raise ImputationError(NOTHING_TO_IMPUTE.format(name=names[column]))
            raise ImputationError(f"第 {column + 1} 个指标在所有保留单位中均缺失，无法填补")
    else:
        missing = np.zeros_like(missing)
    return Imputation(
        values=frozen(result),
        imputed_mask=frozen(missing),
        fallback_mask=frozen(fallback),
        availability=frozen(share),
        included=frozen(included),
        method=method,
    )


def _column_statistic(block: FloatArray, *, median: bool) -> FloatArray:
    """Column statistic ignoring NaN; an all-NaN column gives NaN without a warning."""
    present = ~np.isnan(block)
    out = np.full(block.shape[1], np.nan)
    for column in np.flatnonzero(present.any(axis=0)):
        cells = block[present[:, column], column]
        out[column] = float(np.median(cells)) if median else float(np.mean(cells))
    return out
