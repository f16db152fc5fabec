"""Reads of 精准招商, always through `visible_to`: a project's detail (the read is audited), what a
district may know of a conflict, the pipeline figures and funnel, and the ranked sites for a project.

Who calls this: the pages (`views.py`) and the API (`api.py`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.audit import audit_record
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import may_read_investment, operator_park_id
from yuanqu.core.roles import Role
from yuanqu.investment.matching import Needs, SiteFacts, Verdict, median, rank_sites
from yuanqu.investment.models import (
    PIPELINE,
    Candidate,
    ClaimConflict,
    PlanItem,
    Project,
    Site,
    SiteReservation,
    Stage,
    StageChange,
)
from yuanqu.investment.rules import rules, source_name
from yuanqu.registry.models import ChainNode, District, Park
from yuanqu.stats.models import AnnualStat

FIGURE_GROUPS = ("district", "park", "chain", "source")


def investment_reader(user: User) -> User:
    """The user if its role works with 招商; any other role finds nothing here (404), as if it did not exist."""
    if may_read_investment(user):
        return user
    raise Http404("对象不存在或不在您的权限范围内")


def project_districts(user: User) -> QuerySet[District]:
    """The districts the user may register a project in: all for the city, its own for a district,
    its park's for a park operator."""
    districts = District.objects.all()
    if user.is_city_wide:
        return districts
    park_id = operator_park_id(user)
    if park_id is not None:
        return districts.filter(parks__id=park_id)
    return districts.filter(pk=user.district_id) if user.district_id is not None else districts.none()


def project_for_read(user: User, number: str) -> Project:
    """A project's detail for the user (404 outside the scope); the read is in the audit log, since
    project details are commercially sensitive."""
    project = get_visible_or_404(
        Project.objects.select_related("district", "park", "chain_node__chain", "owner", "enterprise"),
        user,
        number=number,
    )
    audit_record(actor=user, action=AuditLog.Action.READ, obj=project, detail="查看招商项目详情")
    return project


@dataclass(frozen=True)
class ConflictView:
    """A conflict as a user may see it: the other side's project only for the city."""

    conflict: ClaimConflict
    mine: Project | None
    other: Project | None


def conflicts_for(user: User, project: Project | None = None) -> list[ConflictView]:
    """The conflicts the user may know of. A district or park sees that its project is in conflict,
    never the other district's project (`other` is None) until the city decides, and not after."""
    rows = ClaimConflict.objects.visible_to(user).select_related(
        "first__district", "second__district", "first__park", "second__park"
    )
    if project is not None:
        rows = rows.filter(Q(first=project) | Q(second=project))
    visible = set(
        Project.objects.visible_to(user)
        .filter(pk__in=[p for c in rows for p in (c.first_id, c.second_id)])
        .values_list("pk", flat=True)
    )
    views = []
    for conflict in rows:
        if user.is_city_wide:
            views.append(ConflictView(conflict, conflict.first, conflict.second))
            continue
        mine = conflict.first if conflict.first_id in visible else conflict.second
        other = conflict.second if mine is conflict.first else conflict.first
        views.append(ConflictView(conflict, mine, other if other.pk in visible else None))
    return views


# ── figures ──────────────────────────────────────────────────────────────────────────────────


@dataclass
class Figures:
    label: str
    projects: int = 0
    signed: int = 0
    signed_amount: Decimal = Decimal("0")
    started: int = 0
    producing: int = 0
    full: int = 0
    terminated: int = 0
    # 兑现率: over the projects in production whose firm has reported a year, what was promised at
    # signing for full production (亿元) against what the firm reported.
    delivering: int = 0
    promised_output: Decimal = Decimal("0")
    reported_output: Decimal = Decimal("0")
    promised_tax: Decimal = Decimal("0")
    reported_tax: Decimal = Decimal("0")

    def rate(self, part: int) -> float | None:
        return round(part / self.signed, 4) if self.signed else None

    def add_delivery(self, delivery: Delivery) -> None:
        self.delivering += 1
        if delivery.promised_output and delivery.reported_output is not None:
            self.promised_output += delivery.promised_output
            self.reported_output += delivery.reported_output
        if delivery.promised_tax and delivery.reported_tax is not None:
            self.promised_tax += delivery.promised_tax
            self.reported_tax += delivery.reported_tax

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "projects": self.projects,
            "signed": self.signed,
            "signed_amount": float(self.signed_amount),
            "started": self.started,
            "producing": self.producing,
            "full": self.full,
            "terminated": self.terminated,
            "start_rate": self.rate(self.started),
            "production_rate": self.rate(self.producing),
            "full_rate": self.rate(self.full),
            "delivering": self.delivering,
            "output_delivery_rate": ratio(self.reported_output, self.promised_output),
            "tax_delivery_rate": ratio(self.reported_tax, self.promised_tax),
        }


def ratio(part: Decimal | None, whole: Decimal | None) -> float | None:
    return round(float(part / whole), 4) if part is not None and whole else None


WAN_PER_YI = Decimal("10000")


@dataclass(frozen=True)
class Delivery:
    """A project in production against its promise (兑现): the latest year its firm reported, not
    before the year it went into production, in 亿元 (the firm reports 万元); the 亩均 output on the
    land it needed against the land the firm reports."""

    year: int
    promised_output: Decimal | None
    reported_output: Decimal | None
    promised_tax: Decimal | None
    reported_tax: Decimal | None
    promised_output_per_mu: Decimal | None
    reported_output_per_mu: Decimal | None

    @property
    def output_rate(self) -> float | None:
        return ratio(self.reported_output, self.promised_output)

    @property
    def tax_rate(self) -> float | None:
        return ratio(self.reported_tax, self.promised_tax)

    @property
    def output_per_mu_rate(self) -> float | None:
        return ratio(self.reported_output_per_mu, self.promised_output_per_mu)


def _per_mu(amount: Decimal | None, mu: Decimal | None) -> Decimal | None:
    return (amount / mu).quantize(Decimal("0.0001")) if amount is not None and mu else None


def deliveries(projects: Iterable[Project]) -> dict[int, Delivery]:
    """兑现 of every project in production with a linked firm that has reported a year since (one
    query for all of them), by project id."""
    producing = [p for p in projects if p.enterprise_id is not None and p.producing_on is not None]
    if not producing:
        return {}
    reports: dict[int, list[AnnualStat]] = defaultdict(list)
    for stat in AnnualStat.objects.filter(enterprise_id__in={p.enterprise_id for p in producing}).order_by("-year"):
        reports[stat.enterprise_id].append(stat)
    found = {}
    for project in producing:
        assert project.producing_on is not None
        since = project.producing_on.year
        latest = next((s for s in reports.get(project.enterprise_id or 0, []) if s.year >= since), None)
        if latest is None:
            continue
        stat = latest
        output = stat.output / WAN_PER_YI if stat.output is not None else None
        found[project.pk] = Delivery(
            year=stat.year,
            promised_output=project.expected_output,
            reported_output=output,
            promised_tax=project.expected_tax,
            reported_tax=stat.tax / WAN_PER_YI if stat.tax is not None else None,
            promised_output_per_mu=_per_mu(project.expected_output, project.land_need_mu),
            reported_output_per_mu=_per_mu(output, stat.land_mu),
        )
    return found


@dataclass(frozen=True)
class StageFlow:
    """One stage of a group's projects: how many reached it, the share of those that reached the next
    stage (conversion), and the median days of the completed stays in it, with their number."""

    stage: str
    label: str
    reached: int
    conversion: float | None
    median_days: float | None
    n: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "label": self.label,
            "reached": self.reached,
            "conversion": self.conversion,
            "median_days": self.median_days,
            "n": self.n,
        }


def stage_flows(furthest: Iterable[int], stays: Mapping[str, list[float]]) -> list[StageFlow]:
    """The stages but the last (达产 has no next stage) from the furthest stage index each project's
    history reached and the completed stays per stage."""
    reached = [0] * len(PIPELINE)
    for index in furthest:
        for stage in range(index + 1):
            reached[stage] += 1
    return [
        StageFlow(
            stage.value,
            str(stage.label),
            reached[i],
            round(reached[i + 1] / reached[i], 4) if reached[i] else None,
            median(stays.get(stage.value, [])),
            len(stays.get(stage.value, [])),
        )
        for i, stage in enumerate(PIPELINE[:-1])
    ]


@dataclass
class PipelineFigures:
    by: str
    rows: list[Figures]
    total: Figures
    funnel: list[tuple[str, str, int]]  # (stage code, label, projects that reached it)
    year: int | None = None  # the signing cohort, when one year
    median_days: list[tuple[str, str, float | None, int]] = field(default_factory=list)  # per stage, with n
    # Conversion and median days per stage, for each group (the rows' order) and then the total.
    flows: list[tuple[str, list[StageFlow]]] = field(default_factory=list)


def _group_key(project: Project, by: str) -> str:
    if by == "park":
        return project.park.name if project.park is not None else "园区外"
    if by == "chain":
        return project.chain_node.chain.name if project.chain_node is not None else "未标注产业链"
    if by == "source":
        return source_name(project.source)
    return project.district.name


def pipeline_figures(
    user: User, *, by: str = "district", year: int | None = None, latest_year: bool = False, park: Park | None = None
) -> PipelineFigures:
    """Signed projects and amounts, 开工率 = started ÷ signed, 投产率 = producing ÷ signed and 达产率 =
    full ÷ signed, all over the same signing cohort (projects signed in `year`, or all), by district,
    park, chain or source; the funnel of projects that reached each stage; the median days spent in
    each stage over the completed stays; 兑现率 (reported ÷ promised output and tax, summed over the
    projects in production whose firm has reported a year since: `deliveries`)."""
    base = Project.objects.visible_to(user)
    if park is not None:  # one park's projects (its 招商方案)
        base = base.filter(park=park)
    projects = list(base.select_related("district", "park", "chain_node__chain"))
    if latest_year:  # the cohort of the latest signing year in the user's scope
        year = max((p.signed_on.year for p in projects if p.signed_on is not None), default=None)
    groups: dict[str, Figures] = {}
    total = Figures("合计")
    for project in projects:
        key = _group_key(project, by)
        row = groups.setdefault(key, Figures(key))
        # The furthest pipeline stage reached, from the stage dates (a terminated project keeps them).
        for target in (row, total):
            target.projects += 1
            if project.stage == Stage.TERMINATED:
                target.terminated += 1
        cohort = project.signed_on is not None and (year is None or project.signed_on.year == year)
        if cohort:
            for target in (row, total):
                target.signed += 1
                target.signed_amount += project.planned_investment or Decimal("0")
                target.started += project.started_on is not None
                target.producing += project.producing_on is not None
                target.full += project.full_on is not None
    delivered = deliveries(projects)
    for project in projects:
        delivery = delivered.get(project.pk)
        if delivery is not None:
            for target in (groups[_group_key(project, by)], total):
                target.add_delivery(delivery)
    changes = (
        StageChange.objects.filter(project__in=base.values("pk")).order_by("project_id", "on", "id")
        if projects
        else StageChange.objects.none()
    )
    stays: dict[str, list[float]] = defaultdict(list)
    group_stays: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    group_of = {project.pk: _group_key(project, by) for project in projects}
    furthest: dict[int, int] = {}  # project id → index in PIPELINE of the furthest stage its history reaches
    order = {stage.value: index for index, stage in enumerate(PIPELINE)}
    previous: StageChange | None = None
    for change in changes:
        if previous is not None and previous.project_id == change.project_id and previous.to_stage in Stage.values:
            days = float((change.on - previous.on).days)
            stays[previous.to_stage].append(days)
            group_stays[group_of.get(change.project_id, "")][previous.to_stage].append(days)
        if change.to_stage in order:
            furthest[change.project_id] = max(order[change.to_stage], furthest.get(change.project_id, 0))
        previous = change
    # A project that skipped a stage has still passed it: the funnel counts a stage for every
    # project that reached it or any later stage.
    funnel = [
        (stage.value, str(stage.label), sum(1 for reached in furthest.values() if reached >= index))
        for index, stage in enumerate(PIPELINE)
    ]
    medians = [(s.value, str(s.label), median(stays[s.value]), len(stays[s.value])) for s in PIPELINE[:-1]]
    rows = sorted(groups.values(), key=lambda f: -f.signed_amount)
    reached_by: dict[str, list[int]] = defaultdict(list)
    for project_id, index in furthest.items():
        reached_by[group_of.get(project_id, "")].append(index)
    flows = [(row.label, stage_flows(reached_by[row.label], group_stays[row.label])) for row in rows]
    flows.append((total.label, stage_flows(furthest.values(), stays)))
    return PipelineFigures(
        by=by,
        year=year,
        rows=rows,
        total=total,
        funnel=funnel,
        median_days=medians,
        flows=flows,
    )


@dataclass(frozen=True)
class CockpitPanel:
    """The cockpit's 精准招商 panel: the latest signing cohort in the user's scope with its rates and
    兑现率, and the funnel of all the projects the user may see."""

    year: int | None
    total: Figures
    funnel: list[tuple[str, str, int, int]]  # stage code, label, projects that reached it, bar width %


def cockpit_panel(user: User) -> CockpitPanel | None:
    """None for a role that does not work with 招商 (the panel is not shown)."""
    if not may_read_investment(user):
        return None
    data = pipeline_figures(user, latest_year=True)
    widest = max((count for _code, _label, count in data.funnel), default=0)
    funnel = [(code, label, count, round(100 * count / widest) if widest else 0) for code, label, count in data.funnel]
    return CockpitPanel(year=data.year, total=data.total, funnel=funnel)


# ── 智慧选址 ─────────────────────────────────────────────────────────────────────────────────


def sites_for(user: User) -> Any:
    return Site.objects.visible_to(user).select_related("district", "park")


def _facts(sites: Iterable[Site], project: Project | None, today: dt.date) -> list[SiteFacts]:
    sites = list(sites)
    stale_days = rules().site_stale_days
    park_ids = {site.park_id for site in sites if site.park_id is not None}
    chains: dict[int, set[str]] = defaultdict(set)
    for park_id, code in Park.lead_chains.through.objects.filter(park_id__in=park_ids).values_list(
        "park_id", "industrychain__code"
    ):
        chains[park_id].add(code)
    held = dict(
        SiteReservation.objects.filter(site__in=sites, released_at__isnull=True, expires_on__gte=today).values_list(
            "site_id", "project_id"
        )
    )
    return [
        SiteFacts(
            id=site.pk,
            kind=site.kind,
            district_id=site.district_id,
            area_mu=site.area_mu,
            floor_area_m2=site.floor_area_m2,
            floor_load_kn=site.floor_load_kn,
            clear_height_m=site.clear_height_m,
            power_kva=site.power_kva,
            lead_chains=frozenset(chains.get(site.park_id or 0, set())),
            held=site.pk in held and (project is None or held[site.pk] != project.pk),
            stale=site.is_stale(today, stale_days),
        )
        for site in sites
    ]


@dataclass(frozen=True)
class SiteMatch:
    site: Site
    verdict: Verdict


def project_needs(
    project: Project,
    *,
    floor_load_kn: Decimal | None = None,
    clear_height_m: Decimal | None = None,
    power_kva: int | None = None,
    districts: tuple[int, ...] = (),
) -> Needs:
    return Needs(
        land_mu=project.land_need_mu,
        floor_m2=project.floor_need_m2,
        floor_load_kn=floor_load_kn,
        clear_height_m=clear_height_m,
        power_kva=power_kva,
        chain_code=project.chain_node.chain.code if project.chain_node is not None else None,
        districts=districts,
    )


def site_matches(user: User, project: Project, needs: Needs, *, today: dt.date | None = None) -> list[SiteMatch]:
    """Every site the user may see, ranked for the project's needs, with the reasons."""
    day = today or timezone.localdate()
    sites = {site.pk: site for site in sites_for(user).filter(available_on__lte=day + dt.timedelta(days=365))}
    verdicts = rank_sites(needs, _facts(sites.values(), project, day))
    return [SiteMatch(sites[v.site_id], v) for v in verdicts]


@dataclass
class MapPoint:
    """A point of the 智慧选址 map: one 载体 at its own coordinates (`own`), or the 载体 of one park
    that have none, drawn together at the park's centre."""

    name: str
    lon: float
    lat: float
    own: bool
    feasible: list[str] = field(default_factory=list)  # 载体 codes
    infeasible: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": [self.lon, self.lat, len(self.feasible)],
            "feasible": self.feasible[:20],
            "infeasible": len(self.infeasible),
            "own": self.own,
        }


@dataclass
class SiteMap:
    points: list[MapPoint]
    own: int  # 载体 drawn at their own coordinates
    at_park: int  # 载体 without coordinates, drawn at their park's centre
    unplaced: int  # neither: no coordinates, and outside a park or in a park with no boundary


def site_map_points(matches: Iterable[SiteMatch]) -> SiteMap:
    """Each matched 载体 at its own coordinates; one without them at its park's centre (grouped per
    park); the rest counted as not drawn."""
    own: list[MapPoint] = []
    parks: dict[int, MapPoint] = {}
    at_park = unplaced = 0
    for match in matches:
        site, feasible = match.site, match.verdict.feasible
        if site.lon is not None and site.lat is not None:
            point = MapPoint(f"{site.code} {site.name}", site.lon, site.lat, own=True)
            own.append(point)
        elif (
            (park := site.park) is not None
            and (lon := park.centroid_lon) is not None
            and (lat := park.centroid_lat) is not None
        ):
            point = parks.setdefault(park.pk, MapPoint(park.name, lon, lat, own=False))
            at_park += 1
        else:
            unplaced += 1
            continue
        (point.feasible if feasible else point.infeasible).append(site.code)
    return SiteMap([*own, *parks.values()], own=len(own), at_park=at_park, unplaced=unplaced)


def holding_reservation(site: Site, today: dt.date | None = None) -> SiteReservation | None:
    day = today or timezone.localdate()
    return SiteReservation.objects.filter(site=site).holding(day).select_related("project").first()


# ── chain maps and gaps ──────────────────────────────────────────────────────────────────────

# Labels shown beside a firm on the chain map.
MAP_LABELS = ("chain_leader", "srdi", "high_tech", "listed")


@dataclass
class NodeFirm:
    uscc: str
    name: str
    park: str | None
    revenue: float | None  # 亿元, the latest year with annual data
    employees: int | None
    labels: list[str]
    value_added: float | None = None  # 亿元 (工业增加值), the same year


@dataclass
class NodeMap:
    id: int
    name: str
    stage: str
    firms: list[NodeFirm]
    output: float  # 亿元
    status: str
    status_label: str
    value_added: float = 0.0  # 亿元, summed over the firms that report it
    candidates: int = 0  # firms of the target-company library at the node


@dataclass(frozen=True)
class SupplyEdge:
    """A 链主 in scope buys from a node of the chain: from the supplier node to the leader's node."""

    leader: str  # the 链主's name
    leader_uscc: str
    source: int  # the supplier node
    target: int  # the node the 链主 is at


@dataclass
class ChainMap:
    code: str
    name: str
    year: int | None
    scope: str
    nodes: list[NodeMap]
    supply: list[SupplyEdge] = field(default_factory=list)


def chain_map(user: User, chain: Any, *, park: Park | None = None, district_id: int | None = None) -> ChainMap:
    """The firms present at each node of a chain within the user's scope (narrowed to a park or a
    district when given), with their size and labels; each node's strength (firm count and revenue)
    and its gap status on the pack's thresholds."""
    from django.db.models import Max

    from yuanqu.investment.matching import GAP_LABELS, gap_status
    from yuanqu.registry.models import Enterprise, EnterpriseLabel
    from yuanqu.stats.models import AnnualStat

    thresholds = rules().gaps
    firms = Enterprise.objects.visible_to(user).select_related("park")
    scope = "全市" if user.is_city_wide else ""
    if park is not None:
        firms = firms.filter(park=park)
        scope = park.name
    elif district_id is not None:
        firms = firms.filter(district_id=district_id)
    nodes = list(chain.nodes.prefetch_related("industry_classes").order_by("position", "id"))
    classes = {node.pk: {c.pk for c in node.industry_classes.all()} for node in nodes}
    wanted = set().union(*classes.values()) if classes else set()
    present = list(firms.filter(industry_id__in=wanted))
    ids = [firm.pk for firm in present]
    year = AnnualStat.objects.filter(enterprise_id__in=ids).aggregate(year=Max("year"))["year"]
    sizes = {
        row.enterprise_id: row
        for row in AnnualStat.objects.filter(enterprise_id__in=ids, year=year).only(
            "enterprise_id", "revenue", "employees", "value_added"
        )
    }
    today = timezone.localdate()
    labels: dict[int, list[str]] = defaultdict(list)
    for enterprise_id, kind in (
        EnterpriseLabel.objects.filter(enterprise_id__in=ids, kind__in=MAP_LABELS, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .values_list("enterprise_id", "kind")
    ):
        labels[enterprise_id].append(kind)
    # The library's firms at each node (the library is shared by every 招商 role): a node opens them.
    from django.db.models import Count

    from yuanqu.investment.models import Candidate

    counted = (
        Candidate.nodes.through.objects.filter(chainnode_id__in=[node.pk for node in nodes])
        .values("chainnode_id")
        .annotate(n=Count("candidate_id"))
    )
    library: dict[int, int] = {row["chainnode_id"]: row["n"] for row in counted}
    result = []
    for node in nodes:
        rows = []
        output = added = 0.0
        for firm in present:
            if firm.industry_id not in classes[node.pk]:
                continue
            stat = sizes.get(firm.pk)
            revenue = float(stat.revenue) / 10000 if stat is not None and stat.revenue is not None else None
            value_added = float(stat.value_added) / 10000 if stat is not None and stat.value_added is not None else None
            output += revenue or 0.0
            added += value_added or 0.0
            rows.append(
                NodeFirm(
                    uscc=firm.uscc,
                    name=firm.name,
                    park=firm.park.name if firm.park is not None else None,
                    revenue=round(revenue, 4) if revenue is not None else None,
                    employees=stat.employees if stat is not None else None,
                    labels=sorted(labels.get(firm.pk, [])),
                    value_added=round(value_added, 4) if value_added is not None else None,
                )
            )
        status = gap_status(
            firms=len(rows),
            output=output,
            present_min_firms=thresholds.present_min_firms,
            strong_min_firms=thresholds.strong_min_firms,
            strong_min_output=thresholds.strong_min_output,
        )
        rows.sort(key=lambda f: -(f.revenue or 0))
        result.append(
            NodeMap(
                node.pk,
                node.name,
                node.stage,
                rows,
                round(output, 4),
                status,
                GAP_LABELS[status],
                value_added=round(added, 4),
                candidates=library.get(node.pk, 0),
            )
        )
    # The 链主 in scope at a node of this chain, and the nodes of the chain they buy from.
    leaders = {firm.pk: firm for firm in present if "chain_leader" in labels.get(firm.pk, [])}
    supply: list[SupplyEdge] = []
    if leaders:
        from yuanqu.investment.models import SupplyLink

        links = SupplyLink.objects.filter(leader_id__in=leaders, node__chain=chain).order_by("node__position", "id")
        for link in links:
            leader = leaders[link.leader_id]
            supply.extend(
                SupplyEdge(leader.name, leader.uscc, link.node_id, node.pk)
                for node in nodes
                if leader.industry_id in classes[node.pk] and node.pk != link.node_id
            )
    return ChainMap(code=chain.code, name=chain.name, year=year, scope=scope, nodes=result, supply=supply)


# ── 招商路径图 ────────────────────────────────────────────────────────────────────────────────

PATH_TOP = 5


@dataclass
class RankedCandidate:
    candidate: Any
    score: Any  # matching.Score


@dataclass
class GapTargets:
    chain: str
    node: NodeMap
    candidates: list[RankedCandidate]


@dataclass
class SupplySummary:
    """The 链主 of one chain in the reader's scope and the nodes they buy from (chain order)."""

    chain: str
    leaders: int
    links: int
    nodes: list[str]


def supply_summary(user: User) -> list[SupplySummary]:
    """Per chain, the 链主 (current label) the user may see with recorded purchases, and the nodes
    they buy from: the quarterly report's 以链招商 table."""
    from yuanqu.investment.models import SupplyLink
    from yuanqu.registry.models import EnterpriseLabel

    current = EnterpriseLabel.objects.filter(kind="chain_leader").valid_on(timezone.localdate())
    links = (
        SupplyLink.objects.visible_to(user)
        .filter(leader_id__in=current.values("enterprise_id"))
        .select_related("node__chain")
        .order_by("node__chain__sort_order", "node__chain__code", "node__position", "node_id")
    )
    rows: dict[int, tuple[SupplySummary, set[int]]] = {}
    for link in links:
        chain = link.node.chain
        row, leaders = rows.setdefault(chain.pk, (SupplySummary(chain.name, 0, 0, []), set()))
        row.links += 1
        leaders.add(link.leader_id)
        row.leaders = len(leaders)
        if link.node.name not in row.nodes:
            row.nodes.append(link.node.name)
    return [row for row, _leaders in rows.values()]


@dataclass
class ParkPath:
    park: Park
    chains: list[ChainMap]
    gaps: list[GapTargets]
    projects: list[Project]
    items: list[PlanItem] = field(default_factory=list)  # the 招商方案's events, visits and promotions
    staff: list[User] = field(default_factory=list)  # who carries them


def park_path(user: User, park: Park) -> ParkPath:
    """A park's 招商路径图: its lead chains with their gap nodes (缺失, 薄弱) and, for each gap, the
    library's candidates at that node ranked by their score against the park's gaps, with the
    explanation; and the park's open projects."""
    from yuanqu.core.pack import installed_pack
    from yuanqu.investment.matching import ABSENT, WEAK, CandidateFacts, candidate_score
    from yuanqu.investment.models import Candidate
    from yuanqu.registry.models import EnterpriseLabel

    config = rules()
    maps = [chain_map(user, chain, park=park) for chain in park.lead_chains.all()]
    gaps = {node.id: node.status for m in maps for node in m.nodes if node.status in (ABSENT, WEAK)}
    leaders = set(EnterpriseLabel.objects.filter(kind="chain_leader").values_list("enterprise__uscc", flat=True))
    home = installed_pack().region or ""
    candidates = list(
        Candidate.objects.visible_to(user).filter(nodes__in=list(gaps)).distinct().prefetch_related("nodes")
    )
    scored = []
    for candidate in candidates:
        facts = CandidateFacts(
            node_ids=frozenset(node.pk for node in candidate.nodes.all()),
            size_band=candidate.size_band,
            listed=bool(candidate.listing),
            top500=bool(candidate.top500),
            hq_region=candidate.hq_region,
            tied_to_chain_leader=bool(set(candidate.ties) & leaders),
        )
        scored.append(
            (
                facts,
                RankedCandidate(candidate, candidate_score(facts, gaps=gaps, home_region=home, weights=config.weights)),
            )
        )
    result = []
    for m in maps:
        for node in m.nodes:
            if node.id not in gaps:
                continue
            here = sorted(
                (ranked for facts, ranked in scored if node.id in facts.node_ids),
                key=lambda r: (-r.score.total, r.candidate.name),
            )
            result.append(GapTargets(chain=m.name, node=node, candidates=here[:PATH_TOP]))
    projects = list(Project.objects.visible_to(user).filter(park=park).active().order_by("stage", "number"))
    items = list(PlanItem.objects.visible_to(user).filter(park=park).select_related("staff", "candidate"))
    staff = sorted({item.staff for item in items if item.staff is not None}, key=lambda u: u.username)
    return ParkPath(park=park, chains=maps, gaps=result, projects=projects, items=items, staff=staff)


def plan_staff_choices(park: Park) -> list[User]:
    """Who may carry a park's plan items: the active city administrators, the users of the park's
    district and the park's operators."""
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(role__in=(Role.CITY_ADMIN, Role.SYSADMIN))
            | Q(role=Role.DISTRICT, district_id=park.district_id)
            | Q(role=Role.PARK_OPERATOR, park_id=park.pk)
        )
        .order_by("role", "username")
    )


def project_prefill(user: User, query: Mapping[str, str]) -> dict[str, str]:
    """The new-project form filled from where the user came from: a target firm of the library
    (`candidate`), the park whose 路径图 it was picked on (`park`) and the gap node (`node`). A value
    the user may not see, or that does not exist, is left out."""
    values: dict[str, str] = {}
    candidate_id, park_code, node_id = query.get("candidate", ""), query.get("park", ""), query.get("node", "")
    if candidate_id.isdigit():
        candidate = Candidate.objects.visible_to(user).filter(pk=int(candidate_id)).first()
        if candidate is not None:
            values.update(candidate=str(candidate.pk), investor_name=candidate.name, investor_uscc=candidate.uscc)
    park = Park.objects.visible_to(user).filter(code=park_code).first() if park_code else None
    if park is not None:
        values.update(park=park.code, district=park.district.code)
    if node_id.isdigit() and ChainNode.objects.filter(pk=int(node_id)).exists():
        values["chain_node"] = node_id
    return values


def candidates_for(user: User, *, query: str = "", node_id: int | None = None) -> Any:
    """The target-company library as the user may see it, by name (or credit code) and node."""
    rows = Candidate.objects.visible_to(user).select_related("industry").prefetch_related("nodes__chain")
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(uscc=query.upper()))
    if node_id is not None:
        rows = rows.filter(nodes__pk=node_id)
    return rows.order_by("name", "pk")
