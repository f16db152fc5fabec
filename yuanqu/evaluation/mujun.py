"""亩均效益评价 ("亩均论英雄"): grade enterprises of one year from their annual data by the pack's
rules (mujun.yaml).

Score = scale × Σ weight × min(max(value ÷ benchmark, 0), ratio_cap); the benchmark of an indicator
is the median (or mean, or a fixed value) over the rated enterprises. Grades go by rank: with the
competition ranking (ties share the better rank) an enterprise at rank r of N gets the first grade
whose cumulative share exceeds (r − 1) ÷ N, the share of firms ranked above it (A top 20 %, B to
60 %, C to 95 %, D the rest: of 20 firms 4 / 8 / 7 / 1; a lone firm is A, and no firm is D unless
at least 95 % of the others rank above it). T = not rated:
young firms, utilities, and firms whose data cannot give every indicator; the reason is recorded.

Pure Python and numpy; `services.enterprise_grades_compute` reads the database and stores grades.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from yuanqu.evaluation.pack import MujunRules, annual_measure_names


@dataclass(frozen=True)
class FirmFacts:
    enterprise_id: int
    industry: str  # GB/T 4754-2017 小类, e.g. "C3976"
    founded_on: dt.date | None
    measures: Mapping[str, float | None] | None  # None: no annual data for the year


@dataclass
class FirmGrade:
    enterprise_id: int
    grade: str
    score: float | None = None
    rank: int | None = None
    reason: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def not_rated_reason(rules: MujunRules, firm: FirmFacts, year: int) -> str:
    end = dt.date(year, 12, 31)
    for rule in rules.not_rated:
        if (
            rule.founded_within_years
            and firm.founded_on
            and firm.founded_on > years_before(end, rule.founded_within_years)
        ):
            return f"{rule.text}（成立于 {firm.founded_on:%Y-%m-%d}）"
        if rule.industry_prefixes and firm.industry.startswith(rule.industry_prefixes):
            return f"{rule.text}（行业 {firm.industry}）"
    if firm.measures is None:
        return f"缺少{year}年企业年度数据"
    return ""


def indicator_values(rules: MujunRules, measures: Mapping[str, float | None]) -> tuple[dict[str, float], str]:
    """Each indicator's value, or the reason it cannot be computed."""
    values: dict[str, float] = {}
    names = annual_measure_names()
    for item in rules.indicators:
        numerator = measures.get(item.numerator)
        denominator = measures.get(item.denominator)
        if numerator is None:
            return values, f"缺少“{names[item.numerator]}”，无法计算{item.name}"
        if denominator is None or denominator <= 0:
            return values, f"“{names[item.denominator]}”缺失或为 0，无法计算{item.name}"
        values[item.code] = numerator / denominator * item.scale
    return values, ""


def benchmarks(rules: MujunRules, values: Sequence[Mapping[str, float]]) -> dict[str, float]:
    if rules.benchmark_rule == "fixed":
        return dict(rules.benchmarks)
    result: dict[str, float] = {}
    for item in rules.indicators:
        column = np.array([row[item.code] for row in values], dtype=np.float64)
        if column.size == 0:
            result[item.code] = math.nan
        elif rules.benchmark_rule == "mean":
            result[item.code] = float(column.mean())
        else:
            result[item.code] = float(np.median(column))
    return result


def ratio(value: float, benchmark: float, cap: float) -> float:
    """value ÷ benchmark, floored at 0 and capped; a non-positive benchmark gives the cap to any
    positive value (everyone else is at or below zero)."""
    if value <= 0:
        return 0.0
    if not benchmark > 0:
        return cap
    return min(cap, value / benchmark)


def grade_for(rules: MujunRules, rank: int, count: int) -> str:
    """The first grade whose cumulative share exceeds the share of rated firms ranked above."""
    above = (rank - 1) / count
    for grade in rules.grades:
        if above < grade.upper_share - 1e-12:
            return grade.code
    return rules.grades[-1].code


def grade_year(rules: MujunRules, year: int, firms: Sequence[FirmFacts]) -> tuple[list[FirmGrade], dict[str, float]]:
    """Grades of every firm given (in the order given) and the benchmarks used."""
    results: list[FirmGrade] = []
    rated: list[tuple[FirmGrade, dict[str, float]]] = []
    for firm in firms:
        reason = not_rated_reason(rules, firm, year)
        values: dict[str, float] = {}
        if not reason and firm.measures is not None:
            values, reason = indicator_values(rules, firm.measures)
        grade = FirmGrade(enterprise_id=firm.enterprise_id, grade=rules.not_rated_code, reason=reason)
        results.append(grade)
        if not reason:
            rated.append((grade, values))
    marks = benchmarks(rules, [values for _, values in rated])
    for grade, values in rated:
        items = []
        total = 0.0
        for item in rules.indicators:
            share = ratio(values[item.code], marks[item.code], rules.ratio_cap)
            points = rules.score_scale * item.weight * share
            total += points
            items.append(
                {
                    "code": item.code,
                    "name": item.name,
                    "unit": item.unit,
                    "value": values[item.code],
                    "benchmark": marks[item.code],
                    "ratio": share,
                    "capped": share >= rules.ratio_cap,
                    "weight": item.weight,
                    "points": points,
                }
            )
        grade.score = total
        grade.detail = {"indicators": items}
    count = len(rated)
    ordered = sorted(rated, key=lambda pair: (-(pair[0].score or 0.0), pair[0].enterprise_id))
    previous_score: float | None = None
    previous_rank = 0
    for position, (grade, _) in enumerate(ordered, start=1):
        # Competition ranking: equal scores share the better rank (and so the better grade).
        rank = previous_rank if previous_score is not None and grade.score == previous_score else position
        grade.rank = rank
        grade.grade = grade_for(rules, rank, count)
        previous_score, previous_rank = grade.score, rank
        grade.detail["rated_count"] = count
        grade.detail["share_above"] = (rank - 1) / count
    return results, marks
