"""评价体系 reads, always through `visible_to`: runs, the ranking per park type (with the type's
median and top quartile, which every reader of a type's results may see), a park's result, two runs
side by side, and 亩均 grades with their distribution per park."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models import Count, QuerySet
from django.utils.translation import gettext

from yuanqu.core.access import get_visible_or_404
from yuanqu.evaluation.models import EnterpriseGrade, EvaluationRun, ParkResult
from yuanqu.evaluation.pack import installed_pack
from yuanqu.indicators.models import Frequency, IndicatorValue, ScopeKind
from yuanqu.registry.park_types import park_type_name

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yuanqu.core.models import User

    Reader = User | AnonymousUser


def runs(user: Reader) -> QuerySet[EvaluationRun]:
    return EvaluationRun.objects.visible_to(user).select_related("created_by", "confirmed_by")


def run(user: Reader, pk: int) -> EvaluationRun:
    return get_visible_or_404(EvaluationRun.objects.select_related("created_by", "confirmed_by"), user, pk=pk)


def results(user: Reader, evaluation: EvaluationRun) -> QuerySet[ParkResult]:
    return (
        ParkResult.objects.visible_to(user)
        .filter(run=evaluation)
        .select_related("park", "district")
        .order_by("park_type", "rank", "park__code")
    )


def result(user: Reader, evaluation: EvaluationRun, park_code: str) -> ParkResult:
    return get_visible_or_404(
        ParkResult.objects.select_related("park", "district", "run"), user, run=evaluation, park__code=park_code
    )


def type_name(code: str) -> str:
    """A park type's name as the pack gives it, in the page's language."""
    return park_type_name(code)


def _quantile(values: list[float], q: float) -> float | None:
    return float(np.percentile(values, q)) if values else None


@dataclass
class TypeRanking:
    code: str
    name: str
    quota: int
    parks: int
    included: int
    median: float | None
    top_quartile: float | None
    rows: list[ParkResult] = field(default_factory=list)
    sensitivity: list[dict[str, Any]] = field(default_factory=list)

    def chart(self) -> dict[str, Any]:
        """Interval-bar data for ranking.js: ranked parks, best first."""
        ranked = [row for row in self.rows if row.rank]
        return {
            "title": self.name,
            "size": self.included,
            "quota": self.quota,
            "parks": [row.park.name for row in ranked],
            "nominal": [row.rank for row in ranked],
            "median": [row.median_rank for row in ranked],
            "low": [row.rank_p05 for row in ranked],
            "high": [row.rank_p95 for row in ranked],
            "selected": [row.selected for row in ranked],
            "probability": [None if row.p_selected is None else round(row.p_selected, 3) for row in ranked],
            "labels": chart_labels(),
        }


def chart_labels() -> dict[str, str]:
    """The words of the interval-bar chart (ranking.js), in the page's language."""
    return {
        "interval": gettext("名次区间（5%–95%）"),
        "nominal": gettext("名义名次"),
        "median": gettext("中位名次"),
        "range": gettext("区间"),
        "probability": gettext("入选概率"),
        "selected": gettext("（拟入选）"),
        "rank": gettext("名次"),
        "quota": gettext("名额"),
        "comma": gettext("，"),
    }


def ranking(user: Reader, evaluation: EvaluationRun) -> list[TypeRanking]:
    """One ranking per park type of the run: the rows the user may see, and the type's statistics
    over all its parks."""
    scores: dict[str, list[float]] = {}
    counts: dict[str, list[int]] = {}
    for park_type, score, included in ParkResult.objects.filter(run=evaluation).values_list(
        "park_type", "score", "included"
    ):
        counts.setdefault(park_type, [0, 0])
        counts[park_type][0] += 1
        if included and score is not None and math.isfinite(score):
            counts[park_type][1] += 1
            scores.setdefault(park_type, []).append(score)
    visible: dict[str, list[ParkResult]] = {}
    for row in results(user, evaluation):
        visible.setdefault(row.park_type, []).append(row)
    quotas = evaluation.selection_rules.get("quotas", {})
    rankings = []
    for code in evaluation.index_systems:
        values = scores.get(code, [])
        rankings.append(
            TypeRanking(
                code=code,
                name=type_name(code),
                quota=int(quotas.get(code, 0)),
                parks=counts.get(code, [0, 0])[0],
                included=counts.get(code, [0, 0])[1],
                median=_quantile(values, 50),
                top_quartile=_quantile(values, 75),
                rows=sorted(visible.get(code, []), key=lambda r: (r.rank or 10**9, r.park.code)),
                sensitivity=evaluation.sensitivity.get(code, []),
            )
        )
    return rankings


@dataclass(frozen=True)
class ComparisonRow:
    park_code: str
    park_name: str
    park_type: str
    rank_a: int | None
    rank_b: int | None
    score_a: float | None
    score_b: float | None
    selected_a: bool
    selected_b: bool

    @property
    def rank_change(self) -> int | None:
        """Positive: the park moved up from run A to run B."""
        if self.rank_a is None or self.rank_b is None:
            return None
        return self.rank_a - self.rank_b

    @property
    def score_change(self) -> float | None:
        if self.score_a is None or self.score_b is None:
            return None
        return self.score_b - self.score_a


def compare(user: Reader, a: EvaluationRun, b: EvaluationRun) -> list[ComparisonRow]:
    """The parks of either run that the user may see, with both ranks and scores."""
    first = {row.park.code: row for row in results(user, a)}
    second = {row.park.code: row for row in results(user, b)}
    rows = []
    for code in sorted(set(first) | set(second)):
        x, y = first.get(code), second.get(code)
        some = x or y
        assert some is not None
        rows.append(
            ComparisonRow(
                park_code=code,
                park_name=some.park.name,
                park_type=some.park_type,
                rank_a=x.rank if x else None,
                rank_b=y.rank if y else None,
                score_a=x.score if x else None,
                score_b=y.score if y else None,
                selected_a=bool(x and x.selected),
                selected_b=bool(y and y.selected),
            )
        )
    rows.sort(key=lambda r: (r.park_type, r.rank_b or r.rank_a or 10**9, r.park_code))
    return rows


# ── 亩均 grades ───────────────────────────────────────────────────────────────────────────


def grade_years(user: Reader) -> list[int]:
    return sorted(set(EnterpriseGrade.objects.visible_to(user).values_list("year", flat=True).distinct()), reverse=True)


def grades(user: Reader, year: int) -> QuerySet[EnterpriseGrade]:
    return (
        EnterpriseGrade.objects.visible_to(user)
        .filter(year=year)
        .select_related("enterprise", "park", "district")
        .order_by("rank", "enterprise__name", "enterprise_id")
    )


def grade_codes() -> list[str]:
    rules = installed_pack().mujun
    return [grade.code for grade in rules.grades] + [rules.not_rated_code]


@dataclass(frozen=True)
class ParkDistribution:
    park_code: str | None
    park_name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def grade_distribution(user: Reader, year: int) -> list[ParkDistribution]:
    """Grade counts per park (enterprises outside parks together), for the rows the user may see."""
    codes = grade_codes()
    table: dict[tuple[str | None, str], dict[str, int]] = {}
    for park_code, park_name, grade, count in (
        EnterpriseGrade.objects.visible_to(user)
        .filter(year=year)
        .values_list("park__code", "park__name", "grade")
        .annotate(n=Count("id"))
        .order_by("park__code", "grade")
    ):
        key = (park_code, park_name or gettext("园区外"))
        table.setdefault(key, dict.fromkeys(codes, 0))[grade] = count
    return [ParkDistribution(code, name, counts) for (code, name), counts in sorted(table.items(), key=_park_key)]


def _park_key(item: tuple[tuple[str | None, str], dict[str, int]]) -> tuple[bool, str]:
    (code, _name), _counts = item
    return (code is None, code or "")


def value_years() -> list[int]:
    """The years with annual park indicator values, latest first (the index-system page's coherence
    checks read one of them)."""
    periods = (
        IndicatorValue.objects.filter(scope_kind=ScopeKind.PARK, frequency=Frequency.YEAR)
        .order_by()
        .values_list("period", flat=True)
        .distinct()
    )
    return sorted({period.year for period in periods}, reverse=True)
