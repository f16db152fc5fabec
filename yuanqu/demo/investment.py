"""Synthetic 精准招商 data for the demo: projects spread over every stage with dated histories that
respect the pack's transitions (and a few 首谈/首报 conflicts), and 载体 (land parcels and building
floors) in the parks. Deterministic for a seed; written in bulk (one insert per table), since the
rows are made up and the services' checks and audit entries say nothing about them.

Who calls this: the `demo` management command, after the registry and casework demo data."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.investment.matching import investor_key
from yuanqu.investment.models import (
    PIPELINE,
    Candidate,
    ClaimConflict,
    Project,
    ProjectSequence,
    Site,
    Stage,
    StageChange,
    SupplyLink,
)
from yuanqu.investment.rules import rules
from yuanqu.registry.models import ChainNode, Enterprise, Park

_PREFIXES = ("华", "联", "启", "博", "瑞", "恒", "中", "新", "科", "汇", "正", "远", "泰", "天", "德", "信")
_CORES = ("光", "芯", "智", "能", "航", "医", "材", "达", "创", "凯", "晟", "安", "源", "驰", "微", "磁")
_KINDS = ("科技", "电子", "新材料", "智能装备", "生物医药", "汽车零部件", "光电", "半导体", "储能", "精密制造")
_HOMES = ("深圳", "上海", "北京", "苏州", "杭州", "广州", "合肥", "成都", "东莞", "宁波", "香港", "新加坡")
_PROJECTS = ("生产基地", "研发中心", "总部及制造基地", "二期扩产", "智能工厂", "区域总部", "中试基地")


def _investor(rng: random.Random) -> str:
    return f"{rng.choice(_HOMES)}{rng.choice(_PREFIXES)}{rng.choice(_CORES)}{rng.choice(_KINDS)}有限公司"


def _stage_weights() -> list[tuple[Stage, float]]:
    # Most registers hold many leads and fewer projects at each later stage.
    shares = (0.22, 0.14, 0.14, 0.12, 0.09, 0.1, 0.09, 0.05)
    return list(zip(PIPELINE, shares, strict=True))


@transaction.atomic
def investment_demo_generate(*, seed: int, projects: int = 400, sites: int = 500) -> tuple[int, int]:
    """Create `projects` projects and `sites` 载体; returns how many of each were created."""
    rng = random.Random(seed)
    config = rules()
    parks = list(Park.objects.select_related("district").prefetch_related("lead_chains").order_by("pk"))
    if not parks:
        return 0, 0
    nodes = list(ChainNode.objects.select_related("chain").order_by("pk"))
    owners: dict[int, User] = {
        user.district_id: user
        for user in User.objects.filter(role=Role.DISTRICT, district_id__isnull=False).order_by("pk")
        if user.district_id is not None
    }
    firms: dict[int, list[Enterprise]] = {}
    for firm in Enterprise.objects.filter(park__isnull=False).only("pk", "district_id").order_by("pk")[:5000]:
        firms.setdefault(firm.district_id, []).append(firm)
    today = timezone.localdate()
    sources = [source.code for source in config.sources]
    stages = _stage_weights()
    stay = {rule.code: rule.max_days or 365 for rule in config.stages}
    rows: list[Project] = []
    histories: list[list[tuple[str, str, dt.date]]] = []
    year_counts: dict[int, int] = {}
    for _index in range(projects):
        park = rng.choice(parks)
        target = rng.choices([s for s, _w in stages], weights=[w for _s, w in stages])[0]
        terminated = rng.random() < 0.08
        reach = PIPELINE.index(target)
        # Walk back from today: each stage lasted a believable share of its allowed stay.
        durations = [int(stay[PIPELINE[i].value] * rng.uniform(0.2, 0.9)) for i in range(reach)]
        start = today - dt.timedelta(days=sum(durations) + rng.randint(5, 60))
        history: list[tuple[str, str, dt.date]] = [("", Stage.LEAD.value, start)]
        day = start
        for i, days in enumerate(durations):
            day = day + dt.timedelta(days=max(days, 1))
            history.append((PIPELINE[i].value, PIPELINE[i + 1].value, day))
        if terminated:
            day = day + dt.timedelta(days=rng.randint(5, 40))
            history.append((history[-1][1], Stage.TERMINATED.value, min(day, today)))
        dates = {to: on for _from, to, on in history}
        chains = list(park.lead_chains.all())
        chain_nodes = [n for n in nodes if n.chain_id in {c.pk for c in chains}] or nodes
        investor = _investor(rng)
        year_counts[start.year] = year_counts.get(start.year, 0) + 1
        amount = Decimal(rng.choice((1, 2, 3, 5, 8, 10, 15, 20, 30, 50, 100))) + Decimal(rng.randint(0, 99)) / 100
        district_firms = firms.get(park.district_id, [])
        producing = PIPELINE.index(Stage.PRODUCING) <= reach
        rows.append(
            Project(
                number=f"ZS-{start.year}-{year_counts[start.year]:05d}",
                name=f"{investor[2:6]}{rng.choice(_PROJECTS)}项目",
                investor_name=investor,
                investor_key=investor_key(investor),
                chain_node=rng.choice(chain_nodes) if chain_nodes else None,
                planned_investment=amount,
                fixed_asset_investment=(amount * Decimal("0.7")).quantize(Decimal("0.01")),
                expected_output=(amount * Decimal(rng.choice(("1.2", "1.5", "2.0", "3.0")))).quantize(Decimal("0.01")),
                expected_tax=(amount * Decimal("0.08")).quantize(Decimal("0.01")),
                land_need_mu=Decimal(rng.choice((0, 20, 50, 80, 120, 200))) or None,
                floor_need_m2=rng.choice((None, 2000, 5000, 10000, 20000)),
                jobs=rng.choice((50, 100, 200, 500, 1000)),
                source=rng.choice(sources),
                district=park.district,
                park=park,
                owner=owners.get(park.district_id),
                stage=history[-1][1],
                stage_since=history[-1][2],
                registered_on=start,
                signed_on=dates.get(Stage.SIGNED.value),
                started_on=dates.get(Stage.STARTED.value),
                producing_on=dates.get(Stage.PRODUCING.value),
                full_on=dates.get(Stage.FULL.value),
                terminated_reason="投资方调整投资布局" if terminated else "",
                enterprise=rng.choice(district_firms) if producing and district_firms else None,
                synthetic=True,
            )
        )
        histories.append(history)
    Project.objects.bulk_create(rows, batch_size=500)
    for year, count in year_counts.items():
        sequence, _created = ProjectSequence.objects.get_or_create(year=year)
        sequence.last = max(sequence.last, count)
        sequence.save(update_fields=["last"])
    StageChange.objects.bulk_create(
        [
            StageChange(project=project, from_stage=source, to_stage=target, on=on, note="示例数据")
            for project, history in zip(rows, histories, strict=True)
            for source, target, on in history
        ],
        batch_size=1000,
    )
    # A few investors claimed by a second district, for the city to arbitrate.
    leads = [p for p in rows if p.stage in (Stage.LEAD, Stage.CONTACT)]
    for first in leads[:6]:
        other = next((p for p in leads if p.district_id != first.district_id and p.pk != first.pk), None)
        if other is None:
            continue
        Project.objects.filter(pk=other.pk).update(investor_name=first.investor_name, investor_key=first.investor_key)
        earlier, later = sorted((first, other), key=lambda p: (p.registered_on, p.pk))
        ClaimConflict.objects.get_or_create(
            first=earlier, second=later, defaults={"matched_by": ClaimConflict.MatchedBy.NAME}
        )
        leads.remove(other)
    return len(rows), _sites(rng, parks, sites, today)


def investment_demo_generate_all(*, seed: int, scale: float = 1.0) -> tuple[int, int, int]:
    """The demo's whole 招商 data at a scale: (projects, sites, candidates)."""
    projects, sites = investment_demo_generate(
        seed=seed, projects=max(20, round(400 * scale)), sites=max(20, round(500 * scale))
    )
    candidates = candidates_demo_generate(seed=seed, count=max(50, round(2000 * scale)))
    supply_links_demo_generate(seed=seed)
    return projects, sites, candidates


def supply_links_demo_generate(*, seed: int) -> int:
    """Each firm labelled 链主 buys from two or three nodes upstream of its own in each chain it is in
    (the nodes before its node in the pack's order); none when its node is the first."""
    from django.db.models import Q

    from yuanqu.registry.models import EnterpriseLabel

    rng = random.Random(seed + 31)
    today = timezone.localdate()
    leaders = Enterprise.objects.filter(
        pk__in=EnterpriseLabel.objects.filter(kind="chain_leader", valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .values("enterprise_id")
    ).exclude(industry__isnull=True)
    nodes = list(ChainNode.objects.prefetch_related("industry_classes").order_by("chain_id", "position", "id"))
    links: list[SupplyLink] = []
    for leader in leaders.order_by("pk"):
        for node in nodes:
            if leader.industry_id not in {c.pk for c in node.industry_classes.all()}:
                continue
            upstream = [n for n in nodes if n.chain_id == node.chain_id and n.position < node.position]
            links.extend(
                SupplyLink(leader=leader, node=supplier, source="示例：链主走访记录", synthetic=True)
                for supplier in rng.sample(upstream, min(len(upstream), rng.randint(2, 3)))
            )
    SupplyLink.objects.bulk_create(links, ignore_conflicts=True)
    return len(links)


def _point_in(rng: random.Random, shape: Any) -> tuple[float, float] | None:
    """A random point inside the park's outline (a few tries), to seven places."""
    from shapely.geometry import Point

    min_lon, min_lat, max_lon, max_lat = shape.bounds
    for _try in range(20):
        lon, lat = round(rng.uniform(min_lon, max_lon), 7), round(rng.uniform(min_lat, max_lat), 7)
        if shape.contains(Point(lon, lat)):
            return lon, lat
    return None


def _sites(rng: random.Random, parks: list[Park], count: int, today: dt.date) -> int:
    from yuanqu.registry import geo

    stale = rules().site_stale_days
    shapes = {park.pk: geo.parse_boundary(park.boundary) for park in parks if park.boundary}
    rows = []
    for index in range(count):
        park = rng.choice(parks)
        land = rng.random() < 0.4
        # Nine in ten 载体 have their own coordinates inside the park; the rest show the fallback.
        point = _point_in(rng, shapes[park.pk]) if park.pk in shapes and rng.random() < 0.9 else None
        confirmed = today - dt.timedelta(days=rng.randint(0, stale * 2))
        rows.append(
            Site(
                code=f"ZT-{park.code}-{index + 1:04d}"[:40],
                name=f"{park.name[:20]}{'地块' if land else '标准厂房'}{index + 1}号",
                kind=Site.Kind.LAND if land else Site.Kind.FLOOR,
                district=park.district,
                park=park,
                planned_use="M1 一类工业用地" if land else "标准厂房",
                area_mu=Decimal(rng.choice((15, 30, 50, 80, 120, 200, 300))) if land else None,
                plot_ratio=Decimal(rng.choice(("1.2", "1.5", "2.0", "2.5"))) if land else None,
                floor_area_m2=None if land else rng.choice((1500, 3000, 5000, 8000, 12000)),
                floor_load_kn=None if land else Decimal(rng.choice(("5.0", "8.0", "10.0", "15.0"))),
                clear_height_m=None if land else Decimal(rng.choice(("4.5", "6.0", "8.0", "10.0"))),
                power_kva=rng.choice((315, 630, 1000, 2000, 5000)),
                price="基准地价的70%起" if land else f"{rng.choice((18, 22, 25, 30))}元/㎡·月",
                available_on=today + dt.timedelta(days=rng.randint(-180, 270)),
                owner_name=park.operator_name or park.name,
                confirmed_on=confirmed,
                lon=point[0] if point else None,
                lat=point[1] if point else None,
                synthetic=True,
            )
        )
    Site.objects.bulk_create(rows, batch_size=500)
    return len(rows)


_LISTS = ("世界500强", "中国500强", "中国民营500强")


def candidates_demo_generate(*, seed: int, count: int = 2000) -> int:
    """Create `count` library candidates with distinct names, spread over the chain nodes."""
    rng = random.Random(seed + 1)
    nodes = list(ChainNode.objects.order_by("pk"))
    if not nodes:
        return 0
    names: set[str] = set(Candidate.objects.values_list("name", flat=True))
    rows: list[Candidate] = []
    while len(rows) < count:
        name = _investor(rng)
        if name in names:
            name = name.replace("有限公司", f"{len(rows)}号有限公司")
        names.add(name)
        size = rng.choices(("large", "medium", "small"), weights=(0.2, 0.5, 0.3))[0]
        rows.append(
            Candidate(
                name=name,
                name_key=investor_key(name),
                hq_region=name[:2] + ("市" if name[:2] not in ("香港", "新加") else ""),
                size_band=size,
                listing=rng.choices(("", "a", "hk", "us"), weights=(0.7, 0.2, 0.06, 0.04))[0],
                top500=[{"list": rng.choice(_LISTS), "year": 2025}] if size == "large" and rng.random() < 0.3 else [],
                source=rng.choice(("行业协会名录", "展会对接", "以商招商推荐", "投资机构推荐")),
                source_date=timezone.localdate() - dt.timedelta(days=rng.randint(0, 700)),
                synthetic=True,
            )
        )
    Candidate.objects.bulk_create(rows, batch_size=500)
    through = Candidate.nodes.through
    through.objects.bulk_create(
        [
            through(candidate_id=row.pk, chainnode_id=node.pk)
            for row in rows
            for node in rng.sample(nodes, k=min(len(nodes), rng.choice((1, 1, 2))))
        ],
        batch_size=1000,
    )
    return len(rows)


def investment_demo_clear() -> None:
    SupplyLink.objects.filter(synthetic=True).delete()
    Candidate.objects.filter(synthetic=True).delete()
    Site.objects.filter(synthetic=True).delete()
    Project.objects.filter(synthetic=True).delete()
