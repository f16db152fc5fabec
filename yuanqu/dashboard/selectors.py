"""Reads behind the city cockpit (驾驶舱), the 一园一档 park profile and the district page, always
through `visible_to(user)`: the parks a user may see, their indicator values, the 2027 targets
(targets.selectors), casework statistics (casework.stats), evaluation results and data freshness.

Views, the .xlsx exports and the .docx reports (yuanqu.reports) call these; nothing here writes.

One exception is stated where it is made: a park's rank within its park type is computed over all
parks of the type, as the evaluation ranks parks, and only the rank and the number ranked leave this
module — never another park's name or value."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from yuanqu.casework.selectors import CaseFilters
from yuanqu.casework.stats import StatRow, case_statistics
from yuanqu.core.language import english, localised
from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.evaluation.labels import UNITS
from yuanqu.evaluation.models import EvaluationRun, ParkResult
from yuanqu.indicators import catalogue
from yuanqu.indicators.engine import Period
from yuanqu.indicators.models import Frequency, IndicatorCell, IndicatorValue, ScopeKind
from yuanqu.indicators.pack import Indicator
from yuanqu.indicators.templatetags.indicator_format import MONTHS
from yuanqu.registry.models import (
    ChainNode,
    District,
    Enterprise,
    EnterpriseLabel,
    IndustryChain,
    LabelKind,
    LabelLevel,
    LandParcel,
    Park,
    ParkFacility,
    ParkType,
)
from yuanqu.stats.models import AnnualStat, ImportBatch, MonthlyStat, ParkAnnualStat
from yuanqu.targets.pack import TARGETS
from yuanqu.targets.progress import Observation
from yuanqu.targets.selectors import TargetRow, target_rows

# Roles that open the cockpit and the profiles: the city, districts and park operators. Enterprises
# and handlers have their own pages; auditors read the audit log only.
COCKPIT_READER_ROLES = frozenset({Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR})

# The cockpit opens on the latest month: parks ranked and coloured by 规上 revenue, 1–本月累计.
DEFAULT_INDICATOR = "above_scale_revenue"
# The district page's year columns start with (and take their year from) annual revenue.
DISTRICT_YEAR_INDICATOR = "revenue"
# Monthly (1–本月累计) indicators whose trend the cockpit shows this year against last year.
MONTHLY_TRENDS = ("above_scale_value_added", "above_scale_revenue")
# Annual indicators whose trend over the years the cockpit shows.
ANNUAL_TRENDS = ("revenue", "tax", "value_added")
# Indicators shown on a park's profile, in this order (those the pack has).
PROFILE_INDICATORS = (
    "revenue",
    "value_added",
    "tax",
    "tax_per_mu",
    "value_added_per_mu",
    "value_added_per_energy",
    "labour_productivity",
    "rd_intensity",
    "lead_industry_share",
    "high_tech_manufacturing_va_share",
    "above_scale_enterprises",
    "high_tech_enterprises",
    "specialized_sme_provincial_plus",
    "digital_transformation_share",
    "industrial_investment",
    "new_project_investment_per_mu",
)
RANK_LIMIT = 10
# How many of the newest months the cockpit weighs for completeness (the period list shows their rate).
COVERAGE_MONTHS = 24
# Monthly data older than this many months before today's month counts as late (数据滞后).
FRESH_MONTHS = 2
PARK_TYPE_LABELS = dict(ParkType.choices)


# The pack's target status names, marked so that the pages can show them in English.
STATUS_NAMES = (gettext_noop("已达标"), gettext_noop("按进度"), gettext_noop("滞后"), gettext_noop("严重滞后"))


def may_read(user: User) -> bool:
    return user.is_active and (user.role in COCKPIT_READER_ROLES or user.is_superuser)


def indicator_name(item: Indicator) -> str:
    """A catalogue indicator's name in the page's language (its English `name_en` where it has one)."""
    return localised(item.name, item.name_en)


def period_label(end: dt.date, frequency: str, *, with_year: bool = True) -> str:
    """A statistics period as the pages show it: 2025年 / 2025年1-3月 (1–本月累计), or in English
    2025 / Jan–Mar 2025. The Chinese is Period.label's."""
    if not english():
        label = Period(end, frequency).label
        return label if with_year else label.removeprefix(f"{end.year}年")
    if frequency == Frequency.YEAR:
        return str(end.year)
    months = MONTHS[1] if end.month == 1 else f"{MONTHS[1]}–{MONTHS[end.month]}"
    return f"{months} {end.year}" if with_year else months


def chart_labels() -> dict[str, Any]:
    """The words of the cockpit's and the profile's charts (cockpit.js, profile.js), in the page's language."""
    return {
        "no_data": gettext("无数据"),
        "no_values": gettext("暂无指标值"),
        "no_monthly": gettext("暂无月度数据"),
        "no_annual": gettext("暂无年度数据"),
        "previous": gettext("上年同期"),
        "current": gettext("本年"),
        "yoy": gettext("{name}同比"),
        "yoy_axis": gettext("同比%"),
        "map_failed": gettext("地图数据加载失败："),
        "colon": gettext("："),
        "rank": gettext("（第{rank}名）"),
        "units": {name: gettext(name) for name in UNITS},
    }


# ── shared pieces ───────────────────────────────────────────────────────────────────────────


def park_indicators() -> list[Indicator]:
    """Catalogue indicators that have park values (enterprise- and park-level ones)."""
    return [item for item in catalogue.indicators() if item.level in ("enterprise", "park") and not item.reported]


def indicator_or_default(code: str) -> Indicator:
    items = {item.code: item for item in park_indicators()}
    return items.get(code) or items.get(DEFAULT_INDICATOR) or next(iter(items.values()))


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def visible_districts(user: User) -> QuerySet[District]:
    """The districts whose parks the user sees (all for city roles, its own for a district user)."""
    districts = District.objects.visible_to(user)
    if user.is_city_wide:
        return districts
    own = Q(pk=user.district_id) if user.district_id else Q(pk__in=[])
    return districts.filter(own | Q(pk__in=Park.objects.visible_to(user).values("district_id")))


@dataclass(frozen=True)
class CockpitFilters:
    period: str = ""
    district: str = ""
    park_type: str = ""
    chain: str = ""
    indicator: str = DEFAULT_INDICATOR
    colour: str = "type"  # "type" or "indicator"

    @classmethod
    def from_query(cls, query: Any) -> CockpitFilters:
        def text(key: str) -> str:
            return str(query.get(key) or "").strip()[:40]

        park_type = text("type")
        return cls(
            period=text("period"),
            district=text("district"),
            park_type=park_type if park_type in ParkType.values else "",
            chain=text("chain"),
            indicator=text("indicator") or DEFAULT_INDICATOR,
            colour="indicator" if text("colour") == "indicator" else "type",
        )

    def parks(self, user: User) -> QuerySet[Park]:
        parks = Park.objects.visible_to(user)
        if self.district:
            parks = parks.filter(district__code=self.district)
        if self.park_type:
            parks = parks.filter(park_type=self.park_type)
        if self.chain:
            parks = parks.filter(lead_chains__code=self.chain)
        return parks

    @property
    def scope_label(self) -> str:
        parts = [part for part in (self.district_label, self.type_label, self.chain_label) if part]
        return gettext("、").join(parts) or self.reader_label or gettext("全部")

    # Filled in by the cockpit once the names are known (district and chain names need a query).
    district_label: str = ""
    chain_label: str = ""
    reader_label: str = ""  # the reader's own scope (全市, a district, a park) when no filter is set

    @property
    def type_label(self) -> str:
        return str(PARK_TYPE_LABELS.get(self.park_type, "")) if self.park_type else ""


# ── cockpit ─────────────────────────────────────────────────────────────────────────────────


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
    """The goals of the target board (targets.selectors.target_rows) as the cockpit's tiles."""
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
                scope_name=row.scope_name,
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


@dataclass(frozen=True)
class ParkValue:
    code: str
    name: str
    district: str
    park_type: str
    value: float | None
    rank: int | None = None

    @property
    def park_type_label(self) -> str:
        return str(PARK_TYPE_LABELS.get(self.park_type, self.park_type))

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "district": self.district,
            "type": self.park_type,
            "type_label": self.park_type_label,
            "value": self.value,
            "rank": self.rank,
        }


def ranked(values: Sequence[ParkValue], direction: str) -> list[ParkValue]:
    """Parks with a value, best first (by the indicator's direction), ranked 1…n (ties share a rank);
    parks without a value follow, unranked."""
    present = [item for item in values if item.value is not None]
    higher = direction != "lower"
    present.sort(key=lambda item: (-(item.value or 0.0) if higher else (item.value or 0.0), item.code))
    result: list[ParkValue] = []
    previous: float | None = None
    rank = 0
    for position, item in enumerate(present, start=1):
        if item.value != previous:
            rank = position
            previous = item.value
        result.append(ParkValue(item.code, item.name, item.district, item.park_type, item.value, rank))
    missing = sorted((item for item in values if item.value is None), key=lambda item: item.code)
    return result + missing


@dataclass(frozen=True)
class TrendPoint:
    label: str
    end: dt.date
    value: float | None
    previous: float | None  # the same period a year before
    partial: bool = False  # the month is not reported in full (see month_coverage)

    @property
    def growth(self) -> float | None:
        """Year on year; not available for a month not reported in full, whose total holds only the
        firms that reported and so cannot be set against a complete year-before total."""
        if self.partial or self.value is None or not self.previous:
            return None
        return self.value / self.previous - 1


@dataclass(frozen=True)
class Trend:
    code: str
    name: str
    unit: str
    points: list[TrendPoint]

    @property
    def latest(self) -> TrendPoint | None:
        present = [point for point in self.points if point.value is not None]
        return present[-1] if present else None

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "unit": self.unit,
            "labels": [point.label for point in self.points],
            "values": [point.value for point in self.points],
            "previous": [point.previous for point in self.points],
            "growth": [None if point.growth is None else round(point.growth * 100, 2) for point in self.points],
        }


def _sums(
    user: User, park_codes: Sequence[str], codes: Sequence[str], frequency: str
) -> dict[tuple[str, dt.date], float | None]:
    """Sum of the park values of each indicator and period over the given parks (one query)."""
    rows = (
        IndicatorValue.objects.visible_to(user)
        .filter(indicator__in=codes, scope_kind=ScopeKind.PARK, frequency=frequency, scope_code__in=park_codes)
        .values("indicator", "period")
        .annotate(total=Sum("value"), n=Count("value"))
        .order_by()
    )
    return {(row["indicator"], row["period"]): _float(row["total"]) if row["n"] else None for row in rows}


def _same_period_last_year(end: dt.date) -> dt.date:
    from yuanqu.indicators.engine import month_end

    if end.month == 12 and end.day == 31:
        return dt.date(end.year - 1, 12, 31)
    return month_end(end.year - 1, end.month)


def monthly_trends(
    user: User,
    park_codes: Sequence[str],
    year: int,
    codes: Sequence[str] = MONTHLY_TRENDS,
    until: dt.date | None = None,
    partial: Collection[dt.date] | None = None,
) -> list[Trend]:
    """1–本月累计 values of `year` (up to `until`) summed over the parks, each month with the same
    month of the year before (year on year). Months not reported in full over these parks (`partial`,
    month ends; worked out here when not given) get no growth."""
    if partial is None:
        partial = {end for end, found in month_coverage(user, park_codes).items() if not found.complete}
    items = _items(codes)
    sums = _sums(user, park_codes, [item.code for item in items], Frequency.MONTH)
    trends = []
    for item in items:
        ends = sorted(
            end for code, end in sums if code == item.code and end.year == year and (until is None or end <= until)
        )
        points = [
            TrendPoint(
                label=period_label(end, Frequency.MONTH, with_year=False),
                end=end,
                value=sums.get((item.code, end)),
                previous=sums.get((item.code, _same_period_last_year(end))),
                partial=end in partial,
            )
            for end in ends
        ]
        trends.append(Trend(item.code, indicator_name(item), item.unit, points))
    return trends


@dataclass(frozen=True)
class Coverage:
    """How fully a month is reported over a set of parks: the pack's report rate (firms that reported
    over firms due to report, indicators.yaml: reporting) with its terms summed over the parks."""

    share: float | None  # 0–1; None when no firm was due to report
    complete: bool


def month_coverage(user: User, park_codes: Sequence[str], limit: int = COVERAGE_MONTHS) -> dict[dt.date, Coverage]:
    """The coverage of the newest `limit` months that have a report rate for the parks, by month end.
    Empty when the pack names no report rate: every month then counts as complete."""
    pack = catalogue.indicator_catalogue()
    rule = pack.reporting
    if rule.indicator is None or not park_codes:
        return {}
    item = pack.indicator(rule.indicator)
    values = IndicatorValue.objects.visible_to(user).filter(
        indicator=item.code, scope_kind=ScopeKind.PARK, frequency=Frequency.MONTH, scope_code__in=park_codes
    )
    # One query: at most one row per park and month, newest first; a month cut off by the limit is dropped.
    most = len(park_codes) * limit
    rows = list(values.order_by("-period", "scope_code").values_list("period", "terms")[:most])
    totals: dict[dt.date, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for end, terms in rows:
        for name, amount in terms.items():
            totals[end][name] += Decimal(amount)
    ends = sorted(totals, reverse=True)
    if len(rows) == most and len(ends) > 1:
        ends.pop()
    found: dict[dt.date, Coverage] = {}
    for end in ends[:limit]:
        rate = item.evaluate(totals[end])
        share = None if rate is None else float(rate) / 100  # the loader holds the rate to unit %
        found[end] = Coverage(share, share is None or share >= rule.complete_share)
    return found


def annual_trends(user: User, park_codes: Sequence[str], codes: Sequence[str] = ANNUAL_TRENDS) -> list[Trend]:
    items = _items(codes)
    sums = _sums(user, park_codes, [item.code for item in items], Frequency.YEAR)
    trends = []
    for item in items:
        ends = sorted(end for code, end in sums if code == item.code)
        points = [
            TrendPoint(
                period_label(end, Frequency.YEAR),
                end,
                sums.get((item.code, end)),
                sums.get((item.code, _same_period_last_year(end))),
            )
            for end in ends
        ]
        trends.append(Trend(item.code, indicator_name(item), item.unit, points))
    return trends


def _items(codes: Iterable[str]) -> list[Indicator]:
    pack = catalogue.indicator_catalogue()
    found = []
    for code in codes:
        try:
            found.append(pack.indicator(code))
        except KeyError:
            continue  # another pack may not have it
    return found


@dataclass(frozen=True)
class Freshness:
    district: str
    code: str
    last_import: dt.datetime | None
    last_import_kind: str
    monthly_until: dt.date | None
    annual_until: int | None
    late: bool


def freshness(user: User, districts: Sequence[District], today: dt.date | None = None) -> list[Freshness]:
    """Per district: the last applied import the user may see (batches carry the uploader's
    district), and the latest month and year of statistics the indicator engine has for it."""
    today = today or timezone.localdate()
    ids = [district.pk for district in districts]
    latest_data: dict[tuple[int, str], dt.date] = {}
    cells = (
        IndicatorCell.objects.filter(district_id__in=ids)
        .filter(Q(source="monthly", frequency=Frequency.MONTH) | Q(source="annual", frequency=Frequency.YEAR))
        .values("district_id", "source")
        .annotate(latest=Max("period"))
        .order_by()
    )
    for row in cells:
        latest_data[(row["district_id"], row["source"])] = row["latest"]
    imports: dict[int | None, tuple[dt.datetime, str]] = {}
    kinds = dict(ImportBatch.Kind.choices)
    batches = (
        ImportBatch.objects.visible_to(user)
        .filter(status=ImportBatch.Status.APPLIED)
        .values("district_id", "kind")
        .annotate(last=Max("created_at"))
        .order_by()
    )
    for row in batches:
        known = imports.get(row["district_id"])
        if known is None or row["last"] > known[0]:
            imports[row["district_id"]] = (row["last"], str(kinds.get(row["kind"], row["kind"])))
    city = imports.get(None)
    threshold = _months_before(today, FRESH_MONTHS)
    rows = []
    for district in districts:
        own = imports.get(district.pk)
        last = own if own and (city is None or own[0] >= city[0]) else city
        monthly = latest_data.get((district.pk, "monthly"))
        annual = latest_data.get((district.pk, "annual"))
        rows.append(
            Freshness(
                district=district.name,
                code=district.code,
                last_import=last[0] if last else None,
                last_import_kind=last[1] if last else "",
                monthly_until=monthly,
                annual_until=annual.year if annual else None,
                late=monthly is None or monthly < threshold,
            )
        )
    return rows


def freshness_summary(rows: Sequence[Freshness]) -> str:
    """One line: the latest month any district has, and which districts lag behind."""
    months = [row.monthly_until for row in rows if row.monthly_until]
    if not rows:
        return ""
    if months:
        newest = max(months)
        latest = gettext("月度数据最新至%(year)s年%(month)02d月") % {"year": newest.year, "month": newest.month}
    else:
        latest = gettext("尚无月度数据")
    late = [row.district for row in rows if row.late]
    if not late:
        return gettext("%(latest)s；各区均已更新") % {"latest": latest}
    return gettext("%(latest)s；%(count)s 个区滞后（%(districts)s）") % {
        "latest": latest,
        "count": len(late),
        "districts": gettext("、").join(late),
    }


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class CaseSummary:
    total: StatRow
    scope_label: str

    @property
    def rates(self) -> list[tuple[str, float | None]]:
        return [
            (gettext("响应率"), self.total.response_rate),
            (gettext("按期办结率"), self.total.on_time_rate),
            (gettext("解决率"), self.total.resolution_rate),
            (gettext("满意率"), self.total.satisfaction_rate),
        ]


def case_summary(
    user: User, *, district: str = "", park: str = "", park_type: str = "", chain: str = ""
) -> CaseSummary:
    """三率 of the cases the user may see, narrowed like the page: a district, a park, or the parks of
    a type or a lead chain (cases outside every park then drop out)."""
    filters = CaseFilters(district=district, park=park, park_type=park_type, chain=chain)
    _, total = case_statistics(user, by="district", filters=filters)
    return CaseSummary(total, park or district or "")


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
    names = {
        "district_label": next((d.name for d in districts if d.code == filters.district), ""),
        "chain_label": next((c.name for c in chains if c.code == filters.chain), ""),
        "reader_label": gettext("全市") if user.is_city_wide else user.scope_label,
    }
    filters = replace(filters, indicator=indicator.code, **names)
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
    park_values = ranked(
        [
            ParkValue(park.code, park.name, park.district.name, park.park_type, _float(values.get(park.code)))
            for park in parks
        ],
        indicator.direction,
    )
    trend_year = period.end.year if period is not None else None
    until = period.end if period is not None and period.frequency == Frequency.MONTH else None
    monthly = monthly_trends(user, park_codes, trend_year, until=until, partial=partial) if trend_year else []
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
    )


# ── 一园一档 ───────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class NodeCoverage:
    stage: str
    name: str
    enterprises: int


@dataclass(frozen=True)
class ChainCoverage:
    code: str
    name: str
    illustrative: bool
    nodes: list[NodeCoverage]

    @property
    def covered(self) -> int:
        return sum(1 for node in self.nodes if node.enterprises)

    @property
    def share(self) -> float | None:
        return self.covered / len(self.nodes) if self.nodes else None


def chain_coverage(park: Park, enterprises: QuerySet[Enterprise]) -> list[ChainCoverage]:
    """The park's lead chains, each node with how many of the (visible) enterprises of the park work
    in one of the node's industry classes."""
    chains = list(park.lead_chains.all().order_by("kind", "sort_order", "code"))
    if not chains:
        return []
    per_class = dict(
        enterprises.order_by().values("industry_id").annotate(n=Count("pk")).values_list("industry_id", "n")
    )
    nodes = (
        ChainNode.objects.filter(chain__in=chains)
        .prefetch_related("industry_classes")
        .order_by("chain_id", "position", "id")
    )
    by_chain: dict[int, list[NodeCoverage]] = defaultdict(list)
    for node in nodes:
        count = sum(per_class.get(item.code, 0) for item in node.industry_classes.all())
        by_chain[node.chain_id].append(NodeCoverage(node.get_stage_display(), node.name, count))
    return [ChainCoverage(chain.code, chain.name, chain.illustrative, by_chain.get(chain.pk, [])) for chain in chains]


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    unit: str
    direction: str
    years: list[tuple[int, float | None]]
    rank: int | None
    ranked: int
    type_value: float | None  # the park type's aggregate value in the latest year

    @property
    def latest(self) -> tuple[int, float | None] | None:
        present = [item for item in self.years if item[1] is not None]
        return present[-1] if present else None

    @property
    def previous(self) -> float | None:
        latest = self.latest
        if latest is None:
            return None
        return next((value for year, value in self.years if year == latest[0] - 1), None)

    @property
    def change(self) -> float | None:
        latest, previous = self.latest, self.previous
        if latest is None or latest[1] is None or not previous:
            return None
        return latest[1] / previous - 1

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "unit": self.unit,
            "years": [year for year, _ in self.years],
            "values": [value for _, value in self.years],
        }


def _type_ranks(
    park: Park, codes: Sequence[str], year_end: dt.date, directions: dict[str, str]
) -> dict[str, tuple[int, int]]:
    """(rank, number ranked) of the park within its park type on each indicator, in one query over
    all parks of the type. Only these two numbers leave this function (see the module docstring)."""
    rows = IndicatorValue.objects.filter(
        indicator__in=codes,
        scope_kind=ScopeKind.PARK,
        frequency=Frequency.YEAR,
        period=year_end,
        # By code through a subquery: SQLite then reads the unique (indicator, scope, period) index
        # instead of every value of each park of the type (ten times slower at city scale).
        scope_code__in=Park.objects.filter(park_type=park.park_type).values("code"),
        value__isnull=False,
    ).values_list("indicator", "scope_code", "value")
    by_code: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for code, scope_code, value in rows:
        if value is not None:
            by_code[code].append((scope_code, float(value)))
    found: dict[str, tuple[int, int]] = {}
    for code, items in by_code.items():
        values = [ParkValue(c, "", "", park.park_type, v) for c, v in items]
        for item in ranked(values, directions.get(code, "higher")):
            if item.code == park.code and item.rank is not None:
                found[code] = (item.rank, len(items))
    return found


def indicator_lines(user: User, park: Park) -> list[IndicatorLine]:
    """The profile's indicators: the park's year values (visible to the user), its rank within its
    type in the latest year with values, and the type's aggregate value that year."""
    items = _items(PROFILE_INDICATORS)
    codes = [item.code for item in items]
    rows = (
        IndicatorValue.objects.visible_to(user)
        # IN lists rather than an OR of the two scopes, so SQLite reads the unique index; a park's
        # code never equals a park type's code, so the cross product adds nothing.
        .filter(
            indicator__in=codes,
            scope_kind__in=(ScopeKind.PARK, ScopeKind.PARK_TYPE),
            scope_code__in=(park.code, park.park_type),
            frequency=Frequency.YEAR,
        )
        .values_list("indicator", "scope_kind", "period", "value")
    )
    own: dict[str, dict[int, float | None]] = defaultdict(dict)
    typed: dict[tuple[str, int], float | None] = {}
    for code, kind, end, value in rows:
        if kind == ScopeKind.PARK:
            own[code][end.year] = _float(value)
        else:
            typed[(code, end.year)] = _float(value)
    years = sorted({year for values in own.values() for year in values})
    latest_year = max((year for values in own.values() for year, v in values.items() if v is not None), default=None)
    ranks = (
        _type_ranks(park, codes, dt.date(latest_year, 12, 31), {i.code: i.direction for i in items})
        if latest_year
        else {}
    )
    lines = []
    for item in items:
        values = own.get(item.code, {})
        rank = ranks.get(item.code)
        lines.append(
            IndicatorLine(
                code=item.code,
                name=indicator_name(item),
                unit=item.unit,
                direction=item.direction,
                years=[(year, values.get(year)) for year in years],
                rank=rank[0] if rank else None,
                ranked=rank[1] if rank else 0,
                type_value=typed.get((item.code, latest_year)) if latest_year else None,
            )
        )
    return lines


@dataclass(frozen=True)
class EvaluationSummary:
    result: ParkResult
    run: EvaluationRun
    type_size: int
    dimensions: list[tuple[str, float | None, float | None]]  # name, score, type median

    @property
    def interval(self) -> str:
        r = self.result
        if r.rank_p05 is None or r.rank_p95 is None:
            return "—"
        return f"{r.rank_p05}–{r.rank_p95}"


def latest_result(user: User, park: Park) -> ParkResult | None:
    """The park's result in the most recent finished run the user may read."""
    return (
        ParkResult.objects.visible_to(user)
        .filter(park=park, run__in=EvaluationRun.objects.visible_to(user).filter(status=EvaluationRun.Status.DONE))
        .select_related("run")
        .order_by("-run__year", "-run__created_at", "-run_id")
        .first()
    )


def evaluation_summary(user: User, park: Park) -> EvaluationSummary | None:
    result = latest_result(user, park)
    if result is None:
        return None
    run = result.run
    # The type's median per dimension: every reader of a type's results may see it (evaluation selectors).
    peers = list(
        ParkResult.objects.filter(run=run, park_type=result.park_type, included=True).values_list(
            "dimension_scores", flat=True
        )
    )
    names = {}
    system = run.index_systems.get(result.park_type) or {}
    for dimension in system.get("dimensions", []):
        names[dimension.get("code")] = localised(dimension.get("name", dimension.get("code")), dimension.get("name_en"))
    dimensions = []
    for code, score in result.dimension_scores.items():
        scores = sorted(float(p[code]) for p in peers if p and p.get(code) is not None)
        median = _median(scores)
        dimensions.append((str(names.get(code, code)), _float(score), median))
    return EvaluationSummary(result, run, len(peers), dimensions)


def _median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


@dataclass(frozen=True)
class LandSummary:
    rows: list[tuple[str, int, float]]  # use, parcels, area (亩)
    supply: list[tuple[str, int, float]]  # supply method, parcels, area
    total_mu: float


def land_summary(user: User, park: Park) -> LandSummary:
    land = LandParcel.objects.visible_to(user).filter(park=park).order_by()
    uses = dict(LandParcel.Use.choices)
    methods = dict(LandParcel.SupplyMethod.choices)
    by_use = land.values("use").annotate(n=Count("pk"), area=Sum("area_mu")).order_by("use")
    by_method = land.values("supply_method").annotate(n=Count("pk"), area=Sum("area_mu")).order_by("supply_method")
    rows = [(str(uses.get(r["use"], r["use"])), r["n"], float(r["area"] or 0)) for r in by_use]
    supply = [
        (str(methods.get(r["supply_method"], r["supply_method"])), r["n"], float(r["area"] or 0)) for r in by_method
    ]
    return LandSummary(rows, supply, sum(area for _, _, area in rows))


@dataclass(frozen=True)
class Completeness:
    items: list[tuple[str, bool, str]]  # what, complete, detail

    @property
    def score(self) -> float:
        return sum(1 for _, ok, _ in self.items if ok) / len(self.items) if self.items else 0.0


def completeness(
    user: User,
    park: Park,
    *,
    enterprises: int,
    above_scale: int,
    lines: Sequence[IndicatorLine],
    chains: Sequence[ChainCoverage],
    land: LandSummary,
    facilities: int,
) -> Completeness:
    """What the park's file (档案) holds and what is missing: boundary, chains, land, facilities, the
    share of its enterprises with annual data, of its 规上 enterprises with the latest monthly report,
    park annual data, and the profile's indicators with a value."""
    total = enterprises
    annual_year = AnnualStat.objects.visible_to(user).filter(enterprise__park=park).aggregate(y=Max("year"))["y"]
    with_annual = (
        AnnualStat.objects.visible_to(user).filter(enterprise__park=park, year=annual_year).count()
        if annual_year
        else 0
    )
    latest_month = MonthlyStat.objects.visible_to(user).filter(enterprise__park=park).aggregate(m=Max("period"))["m"]
    reported = (
        MonthlyStat.objects.visible_to(user).filter(enterprise__park=park, period=latest_month).count()
        if latest_month
        else 0
    )
    park_years = set(ParkAnnualStat.objects.visible_to(user).filter(park=park).values_list("year", flat=True))
    with_value = sum(1 for line in lines if line.latest is not None)
    parcels = sum(n for _, n, _ in land.rows)
    items = [
        (gettext("园区边界"), bool(park.boundary), gettext("已登记") if park.boundary else gettext("未登记边界")),
        (
            gettext("主导产业链"),
            bool(chains),
            gettext("%(n)s 条") % {"n": len(chains)} if chains else gettext("未设定"),
        ),
        (
            gettext("用地"),
            bool(land.rows),
            gettext("%(n)s 个地块") % {"n": parcels} if land.rows else gettext("未登记地块"),
        ),
        (
            gettext("园区设施"),
            facilities > 0,
            gettext("%(n)s 项") % {"n": facilities} if facilities else gettext("未登记设施"),
        ),
        (
            gettext("企业年度数据"),
            bool(total) and with_annual >= total,
            gettext("%(year)s年 %(done)s/%(total)s 家") % {"year": annual_year, "done": with_annual, "total": total}
            if annual_year
            else gettext("%(done)s/%(total)s 家") % {"done": 0, "total": total},
        ),
        (
            gettext("规上企业月度报表"),
            bool(latest_month) and reported >= above_scale,
            gettext("%(year)s年%(month)02d月 %(done)s/%(total)s 家")
            % {"year": latest_month.year, "month": latest_month.month, "done": reported, "total": above_scale}
            if latest_month
            else gettext("无月度报表"),
        ),
        (
            gettext("园区年度数据"),
            bool(park_years),
            gettext("、").join(gettext("%(year)s年") % {"year": y} for y in sorted(park_years))
            if park_years
            else gettext("未填报"),
        ),
        (
            gettext("画像指标"),
            with_value == len(lines) and bool(lines),
            gettext("%(done)s/%(total)s 项有值") % {"done": with_value, "total": len(lines)},
        ),
    ]
    return Completeness(items)


@dataclass
class Profile:
    park: Park
    chains: list[ChainCoverage]
    lines: list[IndicatorLine]
    monthly: list[Trend]
    evaluation: EvaluationSummary | None
    enterprise_count: int
    labels: list[tuple[str, int]]
    top_enterprises: list[Enterprise]
    facilities: list[ParkFacility]
    land: LandSummary
    cases: CaseSummary
    completeness: Completeness

    def chart_json(self) -> dict[str, Any]:
        return {
            "lines": [line.as_json() for line in self.lines if line.latest is not None],
            "monthly": [trend.as_json() for trend in self.monthly],
            "labels": chart_labels(),
        }


LABEL_COUNTS = (
    ("above_scale", gettext_noop("规上工业企业"), Q(kind=LabelKind.ABOVE_SCALE)),
    ("high_tech", gettext_noop("高新技术企业"), Q(kind=LabelKind.HIGH_TECH)),
    (
        "srdi",
        gettext_noop("省级以上专精特新"),
        Q(kind=LabelKind.SRDI, level__in=(LabelLevel.NATIONAL, LabelLevel.PROVINCIAL)),
    ),
)


def label_counts(enterprises: QuerySet[Enterprise], today: dt.date) -> list[tuple[str, str, int]]:
    """(kind, label, number of the enterprises holding a label valid today), in one query."""
    totals = (
        EnterpriseLabel.objects.valid_on(today)  # type: ignore[attr-defined]
        .filter(enterprise_id__in=enterprises.values("pk"))
        .aggregate(**{key: Count("enterprise_id", distinct=True, filter=q) for key, _, q in LABEL_COUNTS})
    )
    return [(key, gettext(label), totals[key] or 0) for key, label, _ in LABEL_COUNTS]


def park_profile(user: User, park: Park, today: dt.date | None = None) -> Profile:
    """一园一档 of a park the caller already fetched through `get_visible_or_404`."""
    today = today or timezone.localdate()
    enterprises = Enterprise.objects.visible_to(user).filter(park=park)
    chains = chain_coverage(park, enterprises)
    lines = indicator_lines(user, park)
    latest_month = (
        IndicatorValue.objects.visible_to(user)
        .filter(
            indicator__in=MONTHLY_TRENDS, scope_kind=ScopeKind.PARK, scope_code=park.code, frequency=Frequency.MONTH
        )
        .aggregate(m=Max("period"))["m"]
    )
    monthly = monthly_trends(user, [park.code], latest_month.year) if latest_month else []
    land = land_summary(user, park)
    facilities = list(ParkFacility.objects.visible_to(user).filter(park=park))
    labels = label_counts(enterprises, today)
    count = enterprises.count()
    return Profile(
        park=park,
        chains=chains,
        lines=lines,
        monthly=monthly,
        evaluation=evaluation_summary(user, park),
        enterprise_count=count,
        labels=[(label, n) for _, label, n in labels],
        top_enterprises=list(enterprises.select_related("industry").order_by("name", "id")[:20]),
        facilities=facilities,
        land=land,
        cases=case_summary(user, park=park.code),
        completeness=completeness(
            user,
            park,
            enterprises=count,
            above_scale=labels[0][2],
            lines=lines,
            chains=chains,
            land=land,
            facilities=len(facilities),
        ),
    )


# ── district page ───────────────────────────────────────────────────────────────────────────


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


DISTRICT_COLUMNS = (
    DISTRICT_YEAR_INDICATOR,
    "tax",
    "tax_per_mu",
    "value_added_per_mu",
    "rd_intensity",
    "above_scale_enterprises",
)


def district_page(user: User, district: District, today: dt.date | None = None) -> DistrictPage:
    """The profile across the district's parks the user may see."""
    parks = list(Park.objects.visible_to(user).filter(district=district).order_by("code"))
    codes = [park.code for park in parks]
    columns = _items(DISTRICT_COLUMNS)
    park_values = IndicatorValue.objects.visible_to(user).filter(scope_kind=ScopeKind.PARK, scope_code__in=codes)
    year_end = park_values.filter(frequency=Frequency.YEAR, indicator=DISTRICT_YEAR_INDICATOR).aggregate(
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
    case_rows = {row.label: row for row in by_park}
    rows = [
        DistrictParkRow(
            park=park,
            enterprises=enterprise_counts.get(park.pk, 0),
            values={c.code: values.get((park.code, c.code)) for c in columns},
            cells=[(values.get((park.code, c.code)), c.unit) for c in columns],
            result=results.get(park.pk),
            cases=case_rows[park.name].submitted if park.name in case_rows else 0,
            overdue=case_rows[park.name].open_overdue if park.name in case_rows else 0,
        )
        for park in parks
    ]
    latest_month = park_values.filter(indicator__in=MONTHLY_TRENDS, frequency=Frequency.MONTH).aggregate(
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
        type_counts=[(code, str(label), counts[code]) for code, label in ParkType.choices if counts.get(code)],
        parks_json=[
            ParkValue(
                p.code, p.name, district.name, p.park_type, values.get((p.code, DISTRICT_YEAR_INDICATOR))
            ).as_json()
            for p in parks
        ],
    )
