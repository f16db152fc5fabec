"""Progress of one 2027 target: baseline, latest value, progress, status by the pack's rules, the
annual growth still required, and the projection to the deadline.

Definitions (from targets.yaml `status_rules`, written out in docs/indicators.md):
- baseline: the indicator's year value of the target's baseline year (2024), at its scope;
- latest: the most recent value — the last year value, or a later month value where a month value
  compares with year values (stocks and ratios, catalogue.month_comparable);
- progress (level targets): (latest − baseline) ÷ (target − baseline);
  progress (growth_ge targets): realised average annual growth since the baseline ÷ required growth;
- time elapsed: (latest period end − baseline end) ÷ (deadline − baseline end);
- ratio: progress ÷ time elapsed; for growth targets the realised growth is already a rate per year,
  so the ratio is the progress itself;
- status: the first rule of the pack that holds (met → 已达标; ratio ≥ threshold → 按进度 / 滞后; else
  严重滞后); a growth target is met when the latest value reaches the level the required growth gives
  at the deadline; a growth target whose indicator has fallen to 0 has realised −100 % a year and is
  严重滞后; one whose realised growth cannot be computed (a baseline of 0) has no status;
- the level to reach: "超过" (gt) is strictly greater, so a count target "> n" is reached at n + 1 (the
  smallest count above n) and the progress and required growth run to n + 1; other gt targets run to
  the value itself and are met only above it;
- required growth: the constant annual growth from the latest value that reaches the target (or that
  level) at the deadline;
- projection: values before the indicator starts counting (`counts_from`, e.g. 新增规上 counted from
  2025-01-01) are structural zeros and are left out of the trend.

Pure: no Django."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

from yuanqu.indicators.pack import PERCENT, parse_unit
from yuanqu.targets.pack import StatusRule, StatusRules, Target
from yuanqu.targets.projection import Projection, project

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Observation:
    end: dt.date
    value: float
    label: str
    month: bool = False


@dataclass(frozen=True)
class Progress:
    target: Target
    baseline: Observation | None
    latest: Observation | None
    goal: float  # the level to reach at the deadline (for growth targets: baseline × (1+g)^years)
    met: bool
    progress: float | None  # fraction; 1.0 = done
    time_elapsed: float | None
    ratio: float | None
    status: StatusRule | None
    realised_growth: float | None  # per year, fraction (growth targets)
    required_growth: float | None  # per year, fraction
    required_per_year: float | None  # absolute increase per year still needed
    projection: Projection | None
    projection_meets: bool | None

    @property
    def progress_percent(self) -> float | None:
        return None if self.progress is None else self.progress * 100


def compare(value: float, comparison: str, goal: float) -> bool:
    if comparison == "gt":
        return value > goal
    if comparison in ("ge", "growth_ge"):
        return value >= goal
    if comparison == "le":
        return value <= goal
    raise ValueError(comparison)


def is_count(unit: str) -> bool:
    """A unit that counts things (家, 个, ...): its values are whole numbers."""
    found = parse_unit(unit)
    return found is not None and found.dims == (("count", 1),)


def level_to_reach(target: Target) -> float:
    """The level a level target must reach: the value itself, except a count that must exceed n
    ("超过 n"), which is reached at n + 1."""
    if target.comparison == "gt" and is_count(target.unit):
        return math.floor(target.value) + 1
    return target.value


def _meets(target: Target, value: float, goal: float) -> bool:
    """Whether a value meets the target: at or above the level to reach for growth targets and
    counts that must exceed n, else by the target's own comparison."""
    if target.comparison == "growth_ge" or goal != target.value:
        return compare(value, "ge", goal)
    return compare(value, target.comparison, goal)


def _years(start: dt.date, end: dt.date) -> float:
    return (end - start).days / DAYS_PER_YEAR


def _unassessed(
    target: Target,
    baseline: Observation | None,
    latest: Observation | None,
    goal: float,
    projection: Projection | None,
    projection_meets: bool | None,
) -> Progress:
    return Progress(
        target, baseline, latest, goal, False, None, None, None, None, None, None, None, projection, projection_meets
    )


def evaluate(
    target: Target,
    rules: StatusRules,
    years: list[Observation],
    latest_month: Observation | None = None,
    *,
    upper: float | None = None,
    counts_from: dt.date | None = None,
) -> Progress:
    """Progress of a goal target from its indicator's year values (and a later comparable month)."""
    baseline_end = dt.date(target.baseline_year, 12, 31)
    baseline = next((item for item in years if item.end == baseline_end), None)
    latest = years[-1] if years else None
    if latest_month is not None and (latest is None or latest_month.end > latest.end):
        latest = latest_month
    growth = target.comparison == "growth_ge"
    horizon = _years(baseline_end, target.deadline)
    goal = level_to_reach(target)
    if growth:
        goal = baseline.value * (1 + target.value / 100) ** round(horizon) if baseline else math.nan
    points = [(item.end, item.value) for item in years]
    if latest_month is not None and latest is latest_month:
        points.append((latest_month.end, latest_month.value))
    if counts_from is not None:
        points = [(end, value) for end, value in points if end >= counts_from]
    lower = 0.0
    if upper is None and target.unit == PERCENT:
        upper = 100.0
    projection = project(points, target.deadline, lower=lower, upper=upper)
    projection_meets = None
    if projection is not None and not math.isnan(goal):
        projection_meets = _meets(target, projection.value, goal)
    if latest is None or baseline is None:
        return _unassessed(target, baseline, latest, goal, projection, projection_meets)

    met = _meets(target, latest.value, goal)
    elapsed = _years(baseline_end, latest.end)
    time_elapsed = max(0.0, min(1.0, elapsed / horizon)) if horizon > 0 else None
    realised = None
    progress: float | None
    if growth:
        if elapsed > 0 and baseline.value > 0 and latest.value >= 0:
            # An indicator that fell to 0 has realised −100 % a year: 严重滞后, never on schedule.
            realised = (latest.value / baseline.value) ** (1 / elapsed) - 1
            progress = realised / (target.value / 100) if target.value else None
        else:
            progress = None
        ratio = progress
        if progress is None and elapsed > 0:
            # No realised growth to judge (a baseline of 0): no status rather than "on schedule".
            return replace(
                _unassessed(target, baseline, latest, goal, projection, projection_meets),
                time_elapsed=max(0.0, min(1.0, elapsed / horizon)) if horizon > 0 else None,
            )
    else:
        span = goal - baseline.value
        if span == 0:
            progress = 1.0 if met else 0.0
        else:
            progress = (latest.value - baseline.value) / span
        ratio = progress / time_elapsed if time_elapsed else None
    status = rules.classify(met=met, ratio=ratio)

    remaining = _years(latest.end, target.deadline)
    required = per_year = None
    if not met and remaining > 0:
        if latest.value > 0 and goal > 0:
            required = (goal / latest.value) ** (1 / remaining) - 1
        per_year = (goal - latest.value) / remaining
    elif met:
        required, per_year = 0.0, 0.0
    return Progress(
        target=target,
        baseline=baseline,
        latest=latest,
        goal=goal,
        met=met,
        progress=progress,
        time_elapsed=time_elapsed,
        ratio=ratio,
        status=status,
        realised_growth=realised,
        required_growth=required,
        required_per_year=per_year,
        projection=projection,
        projection_meets=projection_meets,
    )
