"""What the 大屏 charts beyond the cockpit's grid: 诉求统计 by district (finished, open, open past the
deadline; from the cockpit's own case statistics, no further read) and the 亩均效益 grades of the
firms in the filtered parks for the latest graded year (two reads, on the 大屏 only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max
from django.utils.translation import gettext

from yuanqu.core.models import User
from yuanqu.dashboard.selectors.cases import CaseSummary
from yuanqu.evaluation.models import EnterpriseGrade
from yuanqu.evaluation.pack import installed_pack

# The districts the 诉求 chart shows (the most cases first): more do not read at a distance.
CASE_CHART_LIMIT = 10


def case_chart(cases: CaseSummary) -> list[dict[str, Any]]:
    """Per district, most cases first: finished, open within the deadline, open past it."""
    rows = sorted((row for row in cases.by_district if row.submitted), key=lambda row: (-row.submitted, row.label))
    return [
        {
            "name": row.label,
            "finished": row.finished,
            "open": max(row.open_cases - row.open_overdue, 0),
            "overdue": row.open_overdue,
        }
        for row in rows[:CASE_CHART_LIMIT]
    ]


@dataclass(frozen=True)
class MujunSummary:
    year: int
    grades: list[tuple[str, str, int]]  # (code, name, firms)

    @property
    def total(self) -> int:
        return sum(count for _code, _name, count in self.grades)

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "grades": [{"code": code, "name": name, "count": count} for code, name, count in self.grades],
        }


def mujun_summary(user: User, park_codes: list[str]) -> MujunSummary | None:
    """The 亩均 grades of the firms in these parks, for the latest year graded in the user's scope;
    None when no year is graded."""
    visible = EnterpriseGrade.objects.visible_to(user)
    year = visible.aggregate(latest=Max("year"))["latest"]
    if year is None:
        return None
    counts = dict(
        visible.filter(year=year, park__code__in=park_codes)
        .values_list("grade")
        .annotate(n=Count("id"))
        .values_list("grade", "n")
        .order_by()
    )
    rules = installed_pack().mujun
    names = [(grade.code, grade.name) for grade in rules.grades] + [(rules.not_rated_code, rules.not_rated_name)]
    return MujunSummary(year, [(code, gettext(name), counts.get(code, 0)) for code, name in names])
