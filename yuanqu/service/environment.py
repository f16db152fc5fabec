"""The arithmetic of the 发展环境动态评估, with no Django: item means with their 95% confidence
intervals, dimension and survey scores on a 100-point scale, and the 发展环境指数 that weighs the survey
score with the casework 三率. Who calls this: `service.surveys` (results pages, API, wave close) and the
tests, which check it against a hand calculation.

- An item's mean is over the answers that gave it (1..scale); its interval is mean ± 1.96·s/√n with s
  the sample standard deviation (none for n < 2).
- An item's score is (mean − 1) ÷ (scale − 1) × 100; a dimension's score is the mean of its items'
  scores; the survey score weighs the dimensions by the pack's weights, renormalised over the
  dimensions that have answers.
- The casework score weighs the 三率 (fractions) by the pack, renormalised over the rates that exist,
  × 100; the index is survey_weight × survey + casework_weight × casework, or the survey score alone
  when the park had no case that year."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Z95 = 1.96


@dataclass(frozen=True, slots=True)
class ItemStat:
    code: str
    n: int
    mean: float | None
    low: float | None  # 95% interval
    high: float | None
    score: float | None  # 0..100


@dataclass(frozen=True, slots=True)
class ChoiceStat:
    code: str
    n: int
    shares: tuple[tuple[str, float], ...]  # each choice with its share of the answers (0..1)


def item_stat(code: str, values: Sequence[int], scale: int) -> ItemStat:
    n = len(values)
    if n == 0:
        return ItemStat(code, 0, None, None, None, None)
    mean = sum(values) / n
    low = high = None
    if n >= 2:
        sd = math.sqrt(sum((value - mean) ** 2 for value in values) / (n - 1))
        half = Z95 * sd / math.sqrt(n)
        low, high = mean - half, mean + half
    return ItemStat(code, n, mean, low, high, to_score(mean, scale))


def to_score(mean: float, scale: int) -> float:
    return (mean - 1) / (scale - 1) * 100


def choice_stat(code: str, values: Sequence[str], choices: Sequence[str]) -> ChoiceStat:
    n = len(values)
    return ChoiceStat(code, n, tuple((choice, (values.count(choice) / n) if n else 0.0) for choice in choices))


def weighted(scores: Mapping[str, float | None], weights: Mapping[str, float]) -> float | None:
    """The weighted mean of the scores that exist, the weights renormalised over them."""
    present = {key: value for key, value in scores.items() if value is not None and weights.get(key, 0) > 0}
    total = sum(weights[key] for key in present)
    if not present or total <= 0:
        return None
    return sum(value * weights[key] for key, value in present.items()) / total


def dimension_scores(items: Sequence[ItemStat], dimension_of: Mapping[str, str]) -> dict[str, float | None]:
    grouped: dict[str, list[float]] = {}
    for item in items:
        if item.score is not None:
            grouped.setdefault(dimension_of[item.code], []).append(item.score)
    dimensions = set(dimension_of.values())
    return {
        code: (sum(grouped[code]) / len(grouped[code]) if grouped.get(code) else None) for code in sorted(dimensions)
    }


def casework_score(rates: Mapping[str, float | None], weights: Mapping[str, float]) -> float | None:
    value = weighted(rates, weights)
    return None if value is None else value * 100


def environment_index(
    survey: float | None, casework: float | None, *, survey_weight: float, casework_weight: float
) -> float | None:
    if survey is None:
        return None
    if casework is None or casework_weight <= 0:
        return survey
    return (survey * survey_weight + casework * casework_weight) / (survey_weight + casework_weight)
