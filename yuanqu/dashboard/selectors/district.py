"""The district page: the district's parks the reader may see, with a few year indicators, evaluation
results and cases each, and the district's trends."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max

from yuanqu.casework.selectors import CaseFilters
from yuanqu.casework.stats import case_statistics
from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.dashboard.pack import dashboard_policy
from yuanqu.dashboard.selectors.cases import CaseSummary, case_summary
from yuanqu.dashboard.selectors.common import ParkValue, _float, _items
from yuanqu.dashboard.selectors.freshness import Freshness, freshness
from yuanqu.dashboard.selectors.trends import Trend, annual_trends, monthly_trends
from yuanqu.evaluation.models import EvaluationRun, ParkResult
from yuanqu.indicators.models import Frequency, IndicatorValue, ScopeKind
from yuanqu.indicators.pack import Indicator
from yuanqu.registry.models import (
    District,
    Enterprise,
    Park,
)
from yuanqu.registry.park_types import park_type_names


def district_visible(user: User, district: District) -> bool:
    """A district page is for the city, the district's own users and a park operator of one of its
    parks (who sees that park only)."""
    if user.is_city_wide:
        return True
    if user.role == Role.DISTRICT:
        return user.district_id == district.pk
    return Park.objects.visible_to(user).filter(district=district).exists()


@dataclass(frozen=True)
class DistrictParkRow:
    park: Park
    enterprises: int
    values: dict[str, float | None]
    cells: list[tuple[float | None, str]]  # the values in column order, with their units
    result: ParkResult | None
    cases: int
    overdue: int
    type_label: str = ""  # the park type's name in the pack


@dataclass
class DistrictPage:
    district: District
    rows: list[DistrictParkRow]
    columns: list[Indicator]
    year: int | None
    monthly: list[Trend]
    annual: list[Trend]
    cases: CaseSummary
    freshness: Freshness | None
    type_counts: list[tuple[str, str, int]]
    parks_json: list[dict[str, Any]] = field(default_factory=list)


def district_page(user: User, district: District, today: dt.date | None = None) -> DistrictPage:
    """The profile across the district's parks the user may see."""
    parks = list(Park.objects.visible_to(user).filter(district=district).order_by("code"))
    codes = [park.code for park in parks]
    policy = dashboard_policy()
    columns = _items(policy.district_columns)
    park_values = IndicatorValue.objects.visible_to(user).filter(scope_kind=ScopeKind.PARK, scope_code__in=codes)
    year_end = park_values.filter(frequency=Frequency.YEAR, indicator=policy.district_year_indicator).aggregate(
        y=Max("period")
    )["y"]
    values: dict[tuple[str, str], float | None] = {}
    if year_end is not None:
        for code, indicator, value in park_values.filter(
            frequency=Frequency.YEAR, period=year_end, indicator__in=[c.code for c in columns]
        ).values_list("scope_code", "indicator", "value"):
            values[(code, indicator)] = _float(value)
    enterprise_counts = dict(
        Enterprise.objects.visible_to(user)
        .filter(park__in=parks)
        .order_by()
        .values("park_id")
        .annotate(n=Count("pk"))
        .values_list("park_id", "n")
    )
    results: dict[int, ParkResult] = {}
    for result in (
        ParkResult.objects.visible_to(user)
        .filter(park__in=parks, run__in=EvaluationRun.objects.visible_to(user).filter(status=EvaluationRun.Status.DONE))
        .select_related("run")
        .order_by("park_id", "-run__year", "-run__created_at", "-run_id")
    ):
        results.setdefault(result.park_id, result)
    by_park, _ = case_statistics(user, by="park", filters=CaseFilters(district=district.code))
    case_rows = {row.key: row for row in by_park}
    type_labels = park_type_names()
    rows = [
        DistrictParkRow(
            park=park,
            enterprises=enterprise_counts.get(park.pk, 0),
            values={c.code: values.get((park.code, c.code)) for c in columns},
            cells=[(values.get((park.code, c.code)), c.unit) for c in columns],
            result=results.get(park.pk),
            cases=case_rows[park.pk].submitted if park.pk in case_rows else 0,
            overdue=case_rows[park.pk].open_overdue if park.pk in case_rows else 0,
            type_label=type_labels.get(park.park_type, park.park_type),
        )
        for park in parks
    ]
    latest_month = park_values.filter(indicator__in=policy.monthly_trends, frequency=Frequency.MONTH).aggregate(
        m=Max("period")
    )["m"]
    counts: dict[str, int] = defaultdict(int)
    for park in parks:
        counts[park.park_type] += 1
    fresh = freshness(user, [district], today)
    return DistrictPage(
        district=district,
        rows=rows,
        columns=columns,
        year=year_end.year if year_end else None,
        monthly=monthly_trends(user, codes, latest_month.year) if latest_month else [],
        annual=annual_trends(user, codes),
        cases=case_summary(user, district=district.code),
        freshness=fresh[0] if fresh else None,
        type_counts=[(code, label, counts[code]) for code, label in type_labels.items() if counts.get(code)],
        parks_json=[
            ParkValue(
                p.code,
                p.name,
                district.name,
                p.park_type,
                values.get((p.code, policy.district_year_indicator)),
                type_label=type_labels.get(p.park_type, p.park_type),
            ).as_json()
            for p in parks
        ],
    )
