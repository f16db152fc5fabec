"""Reads behind the city cockpit (驾驶舱), the 一园一档 park profile and the district page, always
through `visible_to(user)`: the parks a user may see, their indicator values, the 2027 targets
(targets.selectors), casework statistics (casework.stats), evaluation results and data freshness.

Views, the .xlsx exports and the .docx reports (yuanqu.reports) call these; nothing here writes.
One module per page or piece: `cockpit`, `profile` (一园一档), `district`, and what they share —
`trends`, `freshness`, `cases`, `common`. The cockpit's indicator choices come from the policy pack
(dashboard.yaml, read by `yuanqu.dashboard.pack`)."""

from __future__ import annotations

from yuanqu.dashboard.selectors.cases import CaseSummary, case_summary
from yuanqu.dashboard.selectors.cockpit import Cockpit, CockpitFilters, TargetTile, cockpit, target_tiles
from yuanqu.dashboard.selectors.common import (
    COCKPIT_READER_ROLES,
    COVERAGE_MONTHS,
    RANK_LIMIT,
    STATUS_NAMES,
    ParkValue,
    chart_labels,
    indicator_name,
    indicator_or_default,
    may_read,
    park_indicators,
    period_label,
    ranked,
    visible_districts,
)
from yuanqu.dashboard.selectors.district import (
    DistrictPage,
    DistrictParkRow,
    district_page,
    district_visible,
)
from yuanqu.dashboard.selectors.freshness import Freshness, freshness, freshness_summary
from yuanqu.dashboard.selectors.profile import (
    LABEL_COUNTS,
    ChainCoverage,
    Completeness,
    EvaluationSummary,
    IndicatorLine,
    LandSummary,
    NodeCoverage,
    Profile,
    chain_coverage,
    completeness,
    evaluation_summary,
    indicator_lines,
    label_counts,
    land_summary,
    latest_result,
    park_profile,
)
from yuanqu.dashboard.selectors.trends import (
    Coverage,
    Trend,
    TrendPoint,
    annual_trends,
    month_coverage,
    monthly_trends,
)
from yuanqu.indicators import catalogue

__all__ = [
    "COCKPIT_READER_ROLES",
    "COVERAGE_MONTHS",
    "LABEL_COUNTS",
    "RANK_LIMIT",
    "STATUS_NAMES",
    "CaseSummary",
    "ChainCoverage",
    "Cockpit",
    "CockpitFilters",
    "Completeness",
    "Coverage",
    "DistrictPage",
    "DistrictParkRow",
    "EvaluationSummary",
    "Freshness",
    "IndicatorLine",
    "LandSummary",
    "NodeCoverage",
    "ParkValue",
    "Profile",
    "TargetTile",
    "Trend",
    "TrendPoint",
    "annual_trends",
    "case_summary",
    "catalogue",
    "chain_coverage",
    "chart_labels",
    "cockpit",
    "completeness",
    "district_page",
    "district_visible",
    "evaluation_summary",
    "freshness",
    "freshness_summary",
    "indicator_lines",
    "indicator_name",
    "indicator_or_default",
    "label_counts",
    "land_summary",
    "latest_result",
    "may_read",
    "month_coverage",
    "monthly_trends",
    "park_indicators",
    "park_profile",
    "period_label",
    "ranked",
    "target_tiles",
    "visible_districts",
]


def __getattr__(name: str) -> str:
    """The cockpit's default indicator and the district page's year indicator under their former
    constant names, read from the pack (dashboard.yaml) when asked for."""
    from yuanqu.dashboard.pack import dashboard_policy

    if name == "DEFAULT_INDICATOR":
        return dashboard_policy().default_indicator
    if name == "DISTRICT_YEAR_INDICATOR":
        return dashboard_policy().district_year_indicator
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
