"""The city cockpit (驾驶舱): its filters, the 2027 target tiles, the parks ranked on one indicator,
trends, casework and freshness, within the reader's scope."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from yuanqu.core.access import filtered
from yuanqu.core.language import localised
from yuanqu.core.listing import Choices, QueryFilters, filters_from_query, named_in, not_from_query
from yuanqu.core.models import User
from yuanqu.core.periods import Period
from yuanqu.dashboard.selectors.cases import CaseSummary, case_summary
from yuanqu.dashboard.selectors.common import (
    RANK_LIMIT,
    ParkValue,
    _float,
    chart_labels,
    indicator_name,
    indicator_or_default,
    park_indicators,
    period_label,
    ranked,
    visible_districts,
)
from yuanqu.dashboard.selectors.freshness import Freshness, freshness, freshness_summary
from yuanqu.dashboard.selectors.trends import Coverage, Trend, annual_trends, month_coverage, monthly_trends
from yuanqu.indicators import catalogue
from yuanqu.indicators.comparable import VALUE_ADDED_INDICATOR, ValueAddedGrowth, value_added_growth
from yuanqu.indicators.models import Frequency, IndicatorValue, ScopeKind
from yuanqu.indicators.pack import Indicator
from yuanqu.registry.models import (
    District,
    IndustryChain,
    Park,
    ParkType,
)
from yuanqu.registry.park_types import park_type_choices, park_type_name, park_type_names
from yuanqu.registry.selectors import districts_in_scope
from yuanqu.targets.pack import TARGETS
from yuanqu.targets.progress import Observation
from yuanqu.targets.selectors import TargetRow, target_rows

# How the map is coloured: by park type, or by the chosen indicator.
COLOURS = ("type", "indicator")


@dataclass(frozen=True)
class CockpitFilters(QueryFilters):
    period: str = ""
    district: str = ""
    park_type: str = ""
    chain: str = ""
    indicator: str = ""  # "" is the pack's default (dashboard.yaml: cockpit.default_indicator)
    colour: str = "type"  # one of COLOURS

    @classmethod
    def from_query(cls, query: Any, reader: User) -> CockpitFilters:
        choices: dict[str, Choices] = {
            "park_type": ParkType.values,
            "colour": COLOURS,
            "district": named_in(districts_in_scope(reader)),
            "chain": named_in(IndustryChain.objects.visible_to(reader)),
        }
        return filters_from_query(cls, query, names={"park_type": "type"}, choices=choices)

    def parks(self, user: User) -> QuerySet[Park]:
        return filtered(
            Park.objects.visible_to(user),
            {"district__code": self.district, "park_type": self.park_type, "lead_chains__code": self.chain},
        )

    @property
    def scope_label(self) -> str:
        parts = [part for part in (self.district_label, self.type_label, self.chain_label) if part]
        return gettext("、").join(parts) or self.reader_label or gettext("全部")

    # Filled in by the cockpit once the names are known (district and chain names need a query).
    district_label: str = not_from_query()
    chain_label: str = not_from_query()
    reader_label: str = not_from_query()  # the reader's own scope (全市, a district, a park) when no filter is set

    @property
    def type_label(self) -> str:
        return park_type_name(self.park_type) if self.park_type else ""


@dataclass(frozen=True)
class TargetTile:
    code: str
    name: str  # Chinese, as the .docx quarterly report prints it
    scope_name: str
    unit: str
    status_code: str
    status_name: str
    progress: float | None  # fraction
    elapsed: float | None
    latest_value: float | None
    latest_label: str
    goal: float | None
    name_en: str = ""  # the pack's English name, "" where it has none

    @property
    def display_name(self) -> str:
        """The name on the cockpit: English on an English page where the pack has one."""
        return localised(self.name, self.name_en)

    @property
    def progress_width(self) -> int:
        """The bar's width in percent, clamped to 0–100."""
        if self.progress is None:
            return 0
        return max(0, min(100, round(self.progress * 100)))

    @property
    def elapsed_width(self) -> int | None:
        return None if self.elapsed is None else max(0, min(100, round(self.elapsed * 100)))


def _observation_label(point: Observation) -> str:
    return period_label(point.end, Frequency.MONTH if point.month else Frequency.YEAR)


def target_tiles(rows: Iterable[TargetRow]) -> list[TargetTile]:
    """The goals of the target board (targets.selectors.target_rows) as the cockpit's tiles. A target
    of a park type is named by the pack's name of the type."""
    type_names = dict(park_type_choices())
    tiles = []
    for row in rows:
        if not row.is_goal:
            continue
        progress = row.progress
        status = progress.status if progress is not None else None
        tiles.append(
            TargetTile(
                code=row.target.code,
                name=row.target.name,
                scope_name=type_names.get(row.target.scope, row.scope_name),
                unit=row.target.unit,
                status_code=status.code if status else "none",
                status_name=gettext(status.name) if status else gettext("无数据"),
                progress=progress.progress if progress else None,
                elapsed=progress.time_elapsed if progress else None,
                latest_value=progress.latest.value if progress and progress.latest else None,
                latest_label=_observation_label(progress.latest) if progress and progress.latest else "",
                goal=progress.goal if progress and progress.goal == progress.goal else None,  # NaN → None
                name_en=row.target.name_en,
            )
        )
    return tiles


@dataclass
class Cockpit:
    filters: CockpitFilters
    indicator: Indicator
    period: Period | None
    periods: list[Period]
    tiles: list[TargetTile]
    status_counts: list[tuple[str, str, int]]
    parks: list[ParkValue]  # every filtered park, ranked on the indicator
    monthly: list[Trend]
    annual: list[Trend]
    cases: CaseSummary
    freshness: list[Freshness]
    districts: list[District]
    chains: list[IndustryChain]
    indicators: list[Indicator]
    trend_year: int | None
    coverage: dict[dt.date, Coverage] = field(default_factory=dict)
    complete_share: float = 1.0
    # 规上工业增加值: the latest month's growth over the same firms, at comparable and current prices.
    comparable: ValueAddedGrowth | None = None

    def coverage_of(self, period: Period | None) -> Coverage | None:
        """A month's coverage where it is not complete; None for a complete month or a year."""
        if period is None or period.frequency != Frequency.MONTH:
            return None
        found = self.coverage.get(period.end)
        return found if found is not None and not found.complete else None

    @property
    def period_choices(self) -> list[tuple[Period, Coverage | None]]:
        """The periods to choose from, each with its coverage where it is not reported in full."""
        return [(period, self.coverage_of(period)) for period in self.periods]

    @property
    def partial(self) -> Coverage | None:
        """The shown period's coverage when it is not reported in full."""
        return self.coverage_of(self.period)

    @property
    def newer_partial(self) -> list[tuple[Period, Coverage]]:
        """Months newer than the shown period that are not reported in full (the cockpit opened on an
        older, complete one)."""
        if self.period is None:
            return []
        return [
            (period, found)
            for period in self.periods
            if period.end > self.period.end and (found := self.coverage_of(period)) is not None
        ]

    @property
    def comparable_code(self) -> str:
        """The trend whose 同比 is also given at comparable prices over the same firms."""
        return VALUE_ADDED_INDICATOR

    @property
    def top(self) -> list[ParkValue]:
        return [item for item in self.parks if item.rank is not None][:RANK_LIMIT]

    @property
    def bottom(self) -> list[ParkValue]:
        present = [item for item in self.parks if item.rank is not None]
        if len(present) <= RANK_LIMIT:
            return []
        return list(reversed(present[-RANK_LIMIT:]))

    @property
    def missing(self) -> int:
        return sum(1 for item in self.parks if item.value is None)

    @property
    def freshness_summary(self) -> str:
        return freshness_summary(self.freshness)

    def as_json(self, profile_prefix: str) -> dict[str, Any]:
        return {
            "indicator": {
                "code": self.indicator.code,
                "name": indicator_name(self.indicator),
                "unit": self.indicator.unit,
                "direction": self.indicator.direction,
            },
            "period": period_label(self.period.end, self.period.frequency) if self.period else "",
            "colour": self.filters.colour,
            "parks": [item.as_json() for item in self.parks],
            "monthly": [trend.as_json() for trend in self.monthly],
            "annual": [trend.as_json() for trend in self.annual],
            "profile": profile_prefix,
            "labels": chart_labels(),
        }


def _status_counts(tiles: Sequence[TargetTile]) -> list[tuple[str, str, int]]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for tile in tiles:
        counts[(tile.status_code, tile.status_name)] += 1
    order = [rule.code for rule in catalogue.policy_pack().section(TARGETS).status_rules.rules] + ["none"]
    return sorted(
        ((code, name, n) for (code, name), n in counts.items()),
        key=lambda item: order.index(item[0]) if item[0] in order else len(order),
    )


def cockpit(user: User, filters: CockpitFilters, today: dt.date | None = None) -> Cockpit:
    """Everything the cockpit shows, within the user's scope and the filters."""
    indicator = indicator_or_default(filters.indicator)
    districts = list(visible_districts(user))
    chains = list(IndustryChain.objects.visible_to(user))
    filters = replace(
        filters,
        indicator=indicator.code,
        district_label=next((d.name for d in districts if d.code == filters.district), ""),
        chain_label=next((c.name for c in chains if c.code == filters.chain), ""),
        reader_label=gettext("全市") if user.is_city_wide else user.scope_label,
    )
    parks = list(
        filters.parks(user).select_related("district").only("pk", "code", "name", "park_type", "district__name")
    )
    park_codes = [park.code for park in parks]

    available = sorted(
        {
            Period(end, frequency)
            for end, frequency in IndicatorValue.objects.visible_to(user)
            .filter(indicator=indicator.code, scope_kind=ScopeKind.PARK)
            .values_list("period", "frequency")
            .distinct()
        },
        reverse=True,
    )
    # Open on the newest period reported in full (a month whose report rate reaches the pack's share);
    # newer months stay on offer with their rate. A period asked for by name is shown as asked.
    coverage = month_coverage(user, park_codes)
    partial = frozenset(end for end, found in coverage.items() if not found.complete)

    def complete(candidate: Period) -> bool:
        return candidate.frequency != Frequency.MONTH or candidate.end not in partial

    asked = next((p for p in available if p.key == filters.period), None)
    period = asked or next((p for p in available if complete(p)), available[0] if available else None)
    values: dict[str, Decimal | None] = {}
    if period is not None:
        values = dict(
            IndicatorValue.objects.visible_to(user)
            .filter(
                indicator=indicator.code,
                scope_kind=ScopeKind.PARK,
                frequency=period.frequency,
                period=period.end,
                scope_code__in=park_codes,
            )
            .values_list("scope_code", "value")
        )
    type_labels = park_type_names()
    park_values = ranked(
        [
            ParkValue(
                park.code,
                park.name,
                park.district.name,
                park.park_type,
                _float(values.get(park.code)),
                type_label=type_labels.get(park.park_type, park.park_type),
            )
            for park in parks
        ],
        indicator.direction,
    )
    trend_year = period.end.year if period is not None else None
    until = period.end if period is not None and period.frequency == Frequency.MONTH else None
    monthly = monthly_trends(user, park_codes, trend_year, until=until, partial=partial) if trend_year else []
    comparable = _comparable(user, park_codes, monthly)
    tiles = target_tiles(target_rows(user))
    visible_for_freshness = [d for d in districts if not filters.district or d.code == filters.district]
    return Cockpit(
        filters=filters,
        indicator=indicator,
        period=period,
        periods=available,
        tiles=tiles,
        status_counts=_status_counts(tiles),
        parks=park_values,
        monthly=monthly,
        annual=annual_trends(user, park_codes),
        cases=case_summary(user, district=filters.district, park_type=filters.park_type, chain=filters.chain),
        freshness=freshness(user, visible_for_freshness, today),
        districts=districts,
        chains=chains,
        indicators=park_indicators(),
        trend_year=trend_year,
        coverage=coverage,
        complete_share=catalogue.indicator_catalogue().reporting.complete_share,
        comparable=comparable,
    )


def _comparable(user: User, park_codes: Sequence[str], monthly: Sequence[Trend]) -> ValueAddedGrowth | None:
    """The same-firm growth of 规上工业增加值 in the trend table's latest month (not for a month reported
    in part, whose 同比 is not given either)."""
    for trend in monthly:
        latest = trend.latest
        if trend.code == VALUE_ADDED_INDICATOR and latest is not None and not latest.partial:
            return value_added_growth(user, park_codes, latest.end)
    return None
