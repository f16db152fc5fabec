"""一园一档: one park's file — chain coverage, indicator lines with the rank in its type, the latest
evaluation, land, facilities, labels and what the file still lacks.

One exception is stated where it is made: a park's rank within its park type is computed over all
parks of the type, as the evaluation ranks parks, and only the rank and the number ranked leave this
module — never another park's name or value."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from yuanqu.core.language import localised
from yuanqu.core.models import User
from yuanqu.dashboard.pack import dashboard_policy
from yuanqu.dashboard.selectors.cases import CaseSummary, case_summary
from yuanqu.dashboard.selectors.common import (
    ParkValue,
    _float,
    _items,
    chart_labels,
    indicator_name,
    ranked,
)
from yuanqu.dashboard.selectors.trends import Trend, monthly_trends
from yuanqu.evaluation.models import EvaluationRun, ParkResult
from yuanqu.indicators.models import Frequency, IndicatorValue, ScopeKind
from yuanqu.registry.models import (
    ChainNode,
    Enterprise,
    EnterpriseLabel,
    LabelKind,
    LabelLevel,
    LandParcel,
    Park,
    ParkFacility,
)
from yuanqu.stats.models import AnnualStat, MonthlyStat, ParkAnnualStat


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
    items = _items(dashboard_policy().profile_indicators)
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
            indicator__in=dashboard_policy().monthly_trends,
            scope_kind=ScopeKind.PARK,
            scope_code=park.code,
            frequency=Frequency.MONTH,
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
