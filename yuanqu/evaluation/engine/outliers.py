"""Outliers: flag skewed, heavy-tailed indicators and, on request, winsorise them.

Step 2 of the pipeline, on the imputed stage. The rule is the JRC/COINr one: an indicator is
flagged when |skewness| > 2 and kurtosis > 3.5, where skewness is the sample skewness G1
(adjusted Fisher–Pearson, Excel's SKEW) and kurtosis is the sample *excess* kurtosis G2
(Excel's KURT, 0 for a normal distribution), both as COINr computes them.
Winsorisation moves the most extreme point (all points tied at the extreme) onto the next
value inward, on the side the skew points to, until the rule no longer holds or the count of
winsorised points reaches the maximum.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from yuanqu.evaluation.engine._arrays import BoolArray, FloatArray, as_float, frozen

Transform = Literal["log", "boxcox"]
TRANSFORMS: tuple[Transform, ...] = ("log", "boxcox")
TRANSFORM_LABELS: dict[str, str] = {"log": "对数变换", "boxcox": "Box–Cox 变换"}
BOXCOX_BOUNDS = (-3.0, 3.0)
SKEW_THRESHOLD = 2.0
KURTOSIS_THRESHOLD = 3.5
WINSORISE_MAX_POINTS = 5


@dataclass(frozen=True)
class OutlierCheck:
    """One indicator's diagnosis before and after treatment (NaN when under 4 values)."""

    code: str
    skewness: float
    kurtosis: float
    flagged: bool
    winsorised: int
    skewness_after: float
    kurtosis_after: float
    still_flagged: bool
    # The second-stage transformation applied because the indicator stayed skewed after winsorising
    # ("" = none), with Box–Cox's λ.
    transform: str = ""
    boxcox_lambda: float | None = None


@dataclass(frozen=True, eq=False)
class Treatment:
    """The treated stage: values, which cells were winsorised, and the per-indicator checks."""

    values: FloatArray
    winsorised_mask: BoolArray
    checks: tuple[OutlierCheck, ...]

    @property
    def flagged_codes(self) -> tuple[str, ...]:
        return tuple(check.code for check in self.checks if check.flagged)


def _centred(x: FloatArray, minimum: int) -> tuple[int, FloatArray, float] | None:
    """The non-missing values about their mean, with their count and second central moment; None
    under `minimum` values or with no spread (skewness and kurtosis are then undefined)."""
    missing = np.isnan(x)
    values = x[~missing] if missing.any() else x
    n = values.size
    if n < minimum:
        return None
    # np.mean's own steps (a pairwise sum, then one division) without its dispatch, which cost more
    # than the sums on a column of a few thousand values: the same numbers to the bit.
    centred = values - np.add.reduce(values) / n
    m2 = float(np.add.reduce(np.square(centred))) / n
    return (n, centred, m2) if m2 > 0.0 else None


def skewness(x: FloatArray) -> float:
    """Sample skewness G1 of the non-missing values; NaN under 3 values or with no spread."""
    found = _centred(x, 3)
    if found is None:
        return float("nan")
    n, centred, m2 = found
    g1 = float(np.mean(centred**3)) / (m2 * math.sqrt(m2))
    return g1 * math.sqrt(n * (n - 1.0)) / (n - 2.0)


def kurtosis(x: FloatArray) -> float:
    """Sample excess kurtosis G2 of the non-missing values; NaN under 4 values or no spread."""
    found = _centred(x, 4)
    if found is None:
        return float("nan")
    n, centred, m2 = found
    g2 = float(np.mean(centred**4)) / m2**2 - 3.0
    return ((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))


def moments(x: FloatArray) -> tuple[float, float]:
    """(skewness G1, excess kurtosis G2) from one centring of the values: the same numbers as
    ``skewness`` and ``kurtosis`` (the same operations in the same order), for one pass instead of
    the two per check and the three per winsorising step the rule used to take."""
    found = _centred(x, 3)
    if found is None:
        return float("nan"), float("nan")
    n, centred, m2 = found
    g1 = float(np.add.reduce(centred**3)) / n / (m2 * math.sqrt(m2))
    skew = g1 * math.sqrt(n * (n - 1.0)) / (n - 2.0)
    if n < 4:
        return skew, float("nan")
    g2 = float(np.add.reduce(centred**4)) / n / m2**2 - 3.0
    return skew, ((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))


def _outlying(skew: float, kurt: float, skew_threshold: float, kurtosis_threshold: float) -> bool:
    return bool(abs(skew) > skew_threshold and kurt > kurtosis_threshold)


def is_outlying(
    x: FloatArray,
    *,
    skew_threshold: float = SKEW_THRESHOLD,
    kurtosis_threshold: float = KURTOSIS_THRESHOLD,
) -> bool:
    """|G1| > skew_threshold and G2 > kurtosis_threshold (false when either is undefined)."""
    return _outlying(*moments(x), skew_threshold, kurtosis_threshold)


def winsorise(
    x: FloatArray,
    *,
    max_points: int = WINSORISE_MAX_POINTS,
    skew_threshold: float = SKEW_THRESHOLD,
    kurtosis_threshold: float = KURTOSIS_THRESHOLD,
) -> tuple[FloatArray, BoolArray]:
    """The winsorised copy of ``x`` and the mask of the points that were moved.

    A step may move several points when they are tied at the extreme, so the count can end
    above ``max_points`` by the size of the last tie (as in COINr).
    """
    values = as_float(x)
    treated, moved, _after = _winsorised(
        values,
        moments(values),
        max_points=max_points,
        skew_threshold=skew_threshold,
        kurtosis_threshold=kurtosis_threshold,
    )
    return treated, moved


def _winsorised(
    values: FloatArray,
    before: tuple[float, float],
    *,
    max_points: int,
    skew_threshold: float,
    kurtosis_threshold: float,
) -> tuple[FloatArray, BoolArray, tuple[float, float]]:
    """``winsorise`` in place on ``values`` whose (skewness, kurtosis) the caller already has; also
    returns those of the result, so neither end is computed twice."""
    moved = np.zeros(values.shape, dtype=np.bool_)
    present = ~np.isnan(values)
    skew, kurt = before
    while int(moved.sum()) < max_points and _outlying(skew, kurt, skew_threshold, kurtosis_threshold):
        finite = values[present]
        high = skew >= 0
        extreme = finite.max() if high else finite.min()
        inner = finite[finite < extreme] if high else finite[finite > extreme]
        if inner.size == 0:
            break
        replacement = inner.max() if high else inner.min()
        hit = present & (values == extreme)
        values[hit] = replacement
        moved |= hit
        skew, kurt = moments(values)
    return values, moved, (skew, kurt)


def _shift(values: FloatArray) -> float:
    """0 for positive data, else what moves the smallest value to 1 (log and Box–Cox need x > 0)."""
    present = values[~np.isnan(values)]
    lowest = float(present.min()) if present.size else 1.0
    return 0.0 if lowest > 0 else 1.0 - lowest


def boxcox(x: FloatArray, lam: float) -> FloatArray:
    """(x^λ − 1)/λ, ln x at λ = 0; x > 0."""
    if abs(lam) < 1e-12:
        result: FloatArray = np.log(x)
        return result
    result = (np.power(x, lam) - 1.0) / lam
    return result


def boxcox_llf(x: FloatArray, lam: float) -> float:
    """Box–Cox profile log-likelihood: (λ − 1)·Σ ln x − n/2 · ln σ²(y), σ² with ddof 0."""
    y = boxcox(x, lam)
    variance = float(np.var(y))
    if variance <= 0:
        return float("-inf")
    return (lam - 1.0) * float(np.log(x).sum()) - x.size / 2.0 * math.log(variance)


def boxcox_lambda(x: FloatArray) -> float:
    """λ maximising the profile likelihood on [−3, 3] (golden-section search; the likelihood is
    unimodal in λ), to 1e-10."""
    low, high = BOXCOX_BOUNDS
    ratio = (math.sqrt(5.0) - 1.0) / 2.0
    a, b = low + (1 - ratio) * (high - low), low + ratio * (high - low)
    fa, fb = boxcox_llf(x, a), boxcox_llf(x, b)
    while high - low > 1e-10:
        if fa < fb:
            low, a, fa = a, b, fb
            b = low + ratio * (high - low)
            fb = boxcox_llf(x, b)
        else:
            high, b, fb = b, a, fa
            a = low + (1 - ratio) * (high - low)
            fa = boxcox_llf(x, a)
    return (low + high) / 2.0


def transform_column(x: FloatArray, method: str) -> tuple[FloatArray, float | None]:
    """Log or Box–Cox of the present values (shifted first when not all positive, see `_shift`);
    monotone increasing, so the ranking direction is kept. Returns the values and Box–Cox's λ."""
    values = as_float(x)
    present = ~np.isnan(values)
    moved = values[present] + _shift(values)
    if method == "log":
        values[present] = np.log(moved)
        return values, None
    lam = boxcox_lambda(moved)
    values[present] = boxcox(moved, lam)
    return values, lam


def treat_outliers(
    values: FloatArray,
    codes: Sequence[str],
    *,
    winsorise_flagged: bool = False,
    max_points: int = WINSORISE_MAX_POINTS,
    skew_threshold: float = SKEW_THRESHOLD,
    kurtosis_threshold: float = KURTOSIS_THRESHOLD,
    transforms: Sequence[str | None] = (),
) -> Treatment:
    """Check every column; winsorise the flagged ones when asked. NaN rows are left alone.

    ``transforms`` (one per column, None for none) is the second stage: when winsorising, a column
    that is still flagged afterwards and declares "log" or "boxcox" is transformed (the winsorised
    values, all of them) and checked again."""
    treated = as_float(values)
    mask = np.zeros(treated.shape, dtype=np.bool_)
    thresholds = {"skew_threshold": skew_threshold, "kurtosis_threshold": kurtosis_threshold}
    checks: list[OutlierCheck] = []
    for column, code in enumerate(codes):
        original = treated[:, column].copy()
        skew, kurt = moments(original)
        flagged = _outlying(skew, kurt, skew_threshold, kurtosis_threshold)
        skew_after, kurt_after = skew, kurt
        applied = ""
        lam: float | None = None
        if flagged and winsorise_flagged:
            after, moved, (skew_after, kurt_after) = _winsorised(
                original, (skew, kurt), max_points=max_points, **thresholds
            )
            method = transforms[column] if column < len(transforms) else None
            if method and _outlying(skew_after, kurt_after, skew_threshold, kurtosis_threshold):
                after, lam = transform_column(after, method)
                applied = method
                skew_after, kurt_after = moments(after)
            treated[:, column] = after
            mask[:, column] = moved
        checks.append(
            OutlierCheck(
                code=code,
                skewness=skew,
                kurtosis=kurt,
                flagged=flagged,
                winsorised=int(mask[:, column].sum()),
                skewness_after=skew_after,
                kurtosis_after=kurt_after,
                still_flagged=_outlying(skew_after, kurt_after, skew_threshold, kurtosis_threshold),
                transform=applied,
                boxcox_lambda=lam,
            )
        )
    return Treatment(values=frozen(treated), winsorised_mask=frozen(mask), checks=tuple(checks))
