"""Projection of an indicator to a target's deadline from its observed trend, with an interval.

Method (docs/indicators.md, "Projection"): ordinary least squares on log(value) against time in
years — constant growth, the usual shape of economic series — when every observation is positive,
otherwise on the value itself. Time is the observation's period end as a decimal year, so a
month-end stock (e.g. 2026-10-31) counts at 2026.83. The interval is the prediction interval of a new
observation at the deadline, mean ± t(n−2) · s · √(1 + 1/n + (t* − t̄)² / Sxx), back-transformed for
the log fit. With two observations the line is exact and there is no interval; with one there is no
projection. Few annual points give a wide interval, which is the honest answer.

Pure numpy; no Django. Called by targets.selectors."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

# Student t quantiles for a two-sided 90 % interval (0.95 one-sided), by degrees of freedom.
_T95 = {
    1: 6.3138,
    2: 2.9200,
    3: 2.3534,
    4: 2.1318,
    5: 2.0150,
    6: 1.9432,
    7: 1.8946,
    8: 1.8595,
    9: 1.8331,
    10: 1.8125,
    12: 1.7823,
    15: 1.7531,
    20: 1.7247,
    30: 1.6973,
    60: 1.6706,
    120: 1.6577,
}
INTERVAL_LEVEL = 0.90


def t_quantile(df: int) -> float:
    """t(0.95, df), conservatively rounded down to the next tabulated df; 1.645 for large df."""
    if df < 1:
        raise ValueError(df)
    usable = [key for key in _T95 if key <= df]
    return _T95[max(usable)] if df <= 120 else 1.6449


def decimal_year(day: dt.date) -> float:
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + ((day - start).days + 1) / length


@dataclass(frozen=True)
class Projection:
    at: dt.date
    value: float
    low: float | None
    high: float | None
    method: str  # "log-linear" or "linear"
    points: int
    annual_growth: float | None  # fitted constant growth rate (log fit) per year
    fitted: tuple[tuple[dt.date, float], ...]  # the fitted line from the first observation to `at`

    @property
    def method_name(self) -> str:
        return "对数线性趋势（年均增速恒定）" if self.method == "log-linear" else "线性趋势"


def project(
    points: list[tuple[dt.date, float]],
    at: dt.date,
    *,
    lower: float | None = None,
    upper: float | None = None,
) -> Projection | None:
    """The trend value at `at` with a 90 % prediction interval, clipped to [lower, upper]."""
    clean = sorted((day, float(value)) for day, value in points if value is not None and math.isfinite(float(value)))
    if len(clean) < 2 or len({day for day, _ in clean}) < 2:
        return None
    t = np.array([decimal_year(day) for day, _ in clean])
    y = np.array([value for _, value in clean])
    log = bool(np.all(y > 0))
    z = np.log(y) if log else y
    n = len(t)
    t_mean = float(t.mean())
    sxx = float(((t - t_mean) ** 2).sum())
    slope = float(((t - t_mean) * (z - z.mean())).sum() / sxx)
    intercept = float(z.mean() - slope * t_mean)
    target_t = decimal_year(at)

    def back(value: float) -> float:
        return math.exp(value) if log else value

    def clip(value: float) -> float:
        if lower is not None:
            value = max(lower, value)
        if upper is not None:
            value = min(upper, value)
        return value

    centre = intercept + slope * target_t
    low = high = None
    if n >= 3:
        residuals = z - (intercept + slope * t)
        s = math.sqrt(float((residuals**2).sum()) / (n - 2))
        half = t_quantile(n - 2) * s * math.sqrt(1 + 1 / n + (target_t - t_mean) ** 2 / sxx)
        low, high = clip(back(centre - half)), clip(back(centre + half))
    fitted = tuple((day, clip(back(intercept + slope * decimal_year(day)))) for day in _fit_days(clean[0][0], at))
    return Projection(
        at=at,
        value=clip(back(centre)),
        low=low,
        high=high,
        method="log-linear" if log else "linear",
        points=n,
        annual_growth=math.exp(slope) - 1 if log else None,
        fitted=fitted,
    )


def _fit_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Year ends from the first observation's year to the deadline, for drawing the trend line."""
    days = [dt.date(year, 12, 31) for year in range(first.year, last.year + 1)]
    return [day for day in days if first <= day <= last] or [last]
