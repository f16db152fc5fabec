"""Investment API (/api/v1/investment/): projects with their stage changes (and evidence), 首谈/首报
conflicts and the city's decision, the pipeline figures, 载体 with the ranked matches for a project,
and reservations. Reads go through `visible_to` (404 outside the scope; a project's detail read is
audited); writes through the services (403 for a role without the right, 422 for a broken rule, 409
for a project changed since the caller read its `version`). Enterprises see none of it (404).

Every endpoint takes its caller the one way: `core.apiauth.api_user` (auditors refused, 403), then
`selectors.investment_reader` (any other role than the city, district and park roles finds nothing,
404), as the pages do with `page_user`."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.apiauth import api_user
from yuanqu.core.contract.pagination import Mapped, Page
from yuanqu.core.contract.published import (
    From,
    RelatedDistrict,
    RelatedEnterpriseOrNone,
    RelatedPark,
    RelatedParkOrNone,
    published_values,
)
from yuanqu.core.contract.schemas import Code, CodePath, IdPath, InputSchema, OptionalYearParam
from yuanqu.core.models import User
from yuanqu.investment import forms, selectors, services
from yuanqu.investment.models import Candidate, ClaimConflict, PlanItem, Project, Site, Stage, StageChange
from yuanqu.investment.rules import rules, source_name
from yuanqu.registry.models import IndustryChain, Park

router = Router(tags=["精准招商"])


# ── projects ─────────────────────────────────────────────────────────────────────────────────


class ProjectOut(Schema):
    number: str
    name: str
    investor_name: str
    investor_uscc: str
    district: RelatedDistrict
    park: RelatedParkOrNone
    chain: str | None
    chain_node: str | None
    source: str
    source_name: str
    stage: str
    stage_label: str
    stage_since: dt.date
    registered_on: dt.date
    signed_on: dt.date | None
    planned_investment: float | None
    fixed_asset_investment: float | None
    expected_output: float | None
    expected_tax: float | None
    land_need_mu: float | None
    floor_need_m2: int | None
    jobs: int | None
    enterprise: RelatedEnterpriseOrNone
    terminated_reason: str
    in_conflict: bool
    version: int


def _project_out(project: Project, conflicted: set[int]) -> dict[str, Any]:
    # The amounts are decimals on the row; the schema publishes them as numbers (float).
    node = project.chain_node
    return published_values(
        project,
        ProjectOut,
        chain=node.chain.code if node is not None else None,
        chain_node=node.name if node is not None else None,
        source_name=source_name(project.source),
        stage_label=str(Stage(project.stage).label),
        in_conflict=project.pk in conflicted,
    )


def _conflicted() -> set[int]:
    rows = ClaimConflict.objects.filter(status=ClaimConflict.Status.OPEN).values_list("first_id", "second_id")
    return {pk for pair in rows for pk in pair}


def _projects(user: User) -> Any:
    return Project.objects.visible_to(user).select_related("district", "park", "chain_node__chain", "enterprise")


class ProjectQuery(InputSchema):
    stage: (
        Literal["lead", "contact", "negotiating", "signed", "land", "started", "producing", "full", "terminated"] | None
    ) = None


@router.get("/projects", response=list[ProjectOut], summary="招商项目列表")
@paginate(Page, page_size=50)
def list_projects(request: HttpRequest, query: Query[ProjectQuery]) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    rows = _projects(user)
    if query.stage:
        rows = rows.filter(stage=query.stage)
    conflicted = _conflicted()
    return Mapped(rows, lambda p: _project_out(p, conflicted))


@router.post("/projects", response={201: ProjectOut}, summary="登记招商项目")
def create_project(request: HttpRequest, payload: forms.ProjectIn) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    project = services.project_create(actor=user, **forms.project_values(user, payload))
    return Status(201, _project_out(project, _conflicted()))


class ChangeOut(Schema):
    from_stage: str
    to_stage: str
    on: dt.date
    note: str
    evidence: list[str]


def _change_out(change: StageChange) -> dict[str, Any]:
    return published_values(change, ChangeOut, evidence=[item.original_name for item in change.evidence.all()])


class ConflictOut(Schema):
    id: int
    status: str
    matched_by: str
    outcome: str
    decision_note: str
    first: str | None
    second: str | None
    mine: str | None
    # The other side's project: only for the city roles.
    other: str | None
    other_district: str | None


class ProjectDetailOut(ProjectOut):
    changes: list[ChangeOut]
    conflicts: list[ConflictOut]


def _conflict_out(view: selectors.ConflictView) -> dict[str, Any]:
    conflict = view.conflict
    both = view.other is not None and view.mine is not None
    return published_values(
        conflict,
        ConflictOut,
        first=conflict.first.number if both else None,
        second=conflict.second.number if both else None,
        mine=view.mine.number if view.mine is not None else None,
        other=view.other.number if view.other is not None else None,
        other_district=view.other.district.code if view.other is not None else None,
    )


@router.get("/projects/{number}", response=ProjectDetailOut, summary="招商项目详情（查看记入审计日志）")
def get_project(request: HttpRequest, number: CodePath) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    project = selectors.project_for_read(user, number)
    out = _project_out(project, _conflicted())
    out["changes"] = [_change_out(change) for change in project.changes.prefetch_related("evidence")]
    out["conflicts"] = [_conflict_out(view) for view in selectors.conflicts_for(user, project)]
    return out


@router.post("/projects/{number}/transitions", response={201: ChangeOut}, summary="推进项目阶段（可附佐证材料）")
def advance_project(
    request: HttpRequest,
    number: CodePath,
    payload: Form[forms.AdvanceIn],
    files: File[list[UploadedFile]] = [],  # noqa: B006 - Ninja reads the default, never mutates it
) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    project = get_visible_or_404(Project.objects.all(), user, number=number)
    change = services.project_advance(
        actor=user, project=project, files=list(files or []), **forms.advance_values(user, payload.dict())
    )
    return Status(201, _change_out(change))


@router.post("/projects/{number}/termination", response={201: ChangeOut}, summary="终止项目")
def terminate_project(request: HttpRequest, number: CodePath, payload: forms.TerminateIn) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    project = get_visible_or_404(Project.objects.all(), user, number=number)
    change = services.project_terminate(
        actor=user, project=project, on=payload.on, reason=payload.reason, version=payload.version
    )
    return Status(201, _change_out(change))


# ── conflicts ────────────────────────────────────────────────────────────────────────────────


@router.get("/conflicts", response=list[ConflictOut], summary="首谈首报冲突")
@paginate(Page, page_size=50)
def list_conflicts(request: HttpRequest) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    return [_conflict_out(view) for view in selectors.conflicts_for(user)]


@router.post("/conflicts/{conflict_id}/decision", response=ConflictOut, summary="裁决首谈首报冲突（市级管理员）")
def decide_conflict(request: HttpRequest, conflict_id: IdPath, payload: forms.ConflictDecisionIn) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    conflict = get_visible_or_404(ClaimConflict.objects.all(), user, pk=conflict_id)
    services.conflict_decide(actor=user, conflict=conflict, outcome=payload.outcome, note=payload.note)
    view = next(v for v in selectors.conflicts_for(user) if v.conflict.pk == conflict.pk)
    return _conflict_out(view)


# ── figures ──────────────────────────────────────────────────────────────────────────────────


class FigureOut(Schema):
    label: str
    projects: int
    signed: int
    signed_amount: float
    started: int
    producing: int
    full: int
    terminated: int
    start_rate: float | None
    production_rate: float | None
    full_rate: float | None
    delivering: int = Field(description="已投产且落地企业已报年度数据的项目数（兑现率的样本）")
    output_delivery_rate: float | None = Field(description="产值兑现率：企业报告的工业总产值 ÷ 签约承诺的达产年产值")
    tax_delivery_rate: float | None = Field(description="税收兑现率：企业报告的税金总额 ÷ 签约承诺的达产年税收")


class FunnelOut(Schema):
    stage: str
    label: str
    projects: int


class MedianOut(Schema):
    stage: str
    label: str
    median_days: float | None
    n: int


class FlowOut(Schema):
    stage: str
    label: str
    reached: int = Field(description="到达该阶段（或之后阶段）的项目数")
    conversion: float | None = Field(description="转化率：到达下一阶段的项目数 ÷ 到达该阶段的项目数")
    median_days: float | None = Field(description="该阶段已完成停留的天数中位数")
    n: int


class GroupFlowOut(Schema):
    label: str
    stages: list[FlowOut]


class FiguresOut(Schema):
    by: str
    rows: list[FigureOut]
    total: FigureOut
    funnel: list[FunnelOut]
    median_days: list[MedianOut]
    flows: list[GroupFlowOut] = Field(description="各组（最后为合计）各阶段的转化率与停留天数中位数")


class FiguresQuery(InputSchema):
    by: Literal["district", "park", "chain", "source"] = "district"


@router.get("/figures", response=FiguresOut, summary="招商指标：签约、开工率、投产率、达产率、阶段用时、漏斗")
def figures(request: HttpRequest, query: Query[FiguresQuery], year: OptionalYearParam = None) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    result = selectors.pipeline_figures(user, by=query.by, year=year)
    return {
        "by": result.by,
        "rows": [row.as_dict() for row in result.rows],
        "total": result.total.as_dict(),
        "funnel": [{"stage": s, "label": label, "projects": n} for s, label, n in result.funnel],
        "median_days": [
            {"stage": s, "label": label, "median_days": m, "n": n} for s, label, m, n in result.median_days
        ],
        "flows": [{"label": label, "stages": [f.as_dict() for f in flows]} for label, flows in result.flows],
    }


# ── sites ────────────────────────────────────────────────────────────────────────────────────


class SiteOut(Schema):
    code: str
    name: str
    kind: str
    district: RelatedDistrict
    park: RelatedParkOrNone
    planned_use: str
    area_mu: float | None
    plot_ratio: float | None
    floor_area_m2: int | None
    floor_load_kn: float | None
    clear_height_m: float | None
    power_kva: int | None
    price: str
    available_on: dt.date
    owner_name: str
    confirmed_on: dt.date
    stale: bool
    lon: float | None = Field(None, description="经度（WGS84）；没有坐标的载体为空")
    lat: float | None = Field(None, description="纬度（WGS84）")


def _site_out(site: Site, today: dt.date) -> dict[str, Any]:
    return published_values(site, SiteOut, stale=site.is_stale(today, rules().site_stale_days))


@router.get("/sites", response=list[SiteOut], summary="载体列表（土地与厂房楼层）")
@paginate(Page, page_size=100)
def list_sites(request: HttpRequest) -> Any:
    today = timezone.localdate()
    user = selectors.investment_reader(api_user(request, auditors=False))
    return Mapped(selectors.sites_for(user), lambda s: _site_out(s, today))


class MatchOut(Schema):
    site: SiteOut
    feasible: bool
    score: int
    fits: list[str]
    fails: list[str]


@router.get("/projects/{number}/site-matches", response=list[MatchOut], summary="智慧选址：为项目匹配载体")
@paginate(Page, page_size=50)
def match_sites(request: HttpRequest, number: CodePath, query: Query[forms.MatchQuery]) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    project = get_visible_or_404(Project.objects.select_related("chain_node__chain"), user, number=number)
    district_ids = tuple(forms.district_by_code(code).pk for code in query.districts)
    needs = selectors.project_needs(
        project,
        floor_load_kn=query.floor_load_kn,
        clear_height_m=query.clear_height_m,
        power_kva=query.power_kva,
        districts=district_ids,
    )
    today = timezone.localdate()
    return [
        {
            "site": _site_out(match.site, today),
            "feasible": match.verdict.feasible,
            "score": match.verdict.score,
            "fits": match.verdict.fits,
            "fails": match.verdict.fails,
        }
        for match in selectors.site_matches(user, project, needs)
    ]


class ReservationOut(Schema):
    site: str
    project: str = Field(description="项目编号；项目不在您的查看范围内时为空")
    reserved_on: dt.date
    expires_on: dt.date


@router.post("/sites/{code}/reservation", response={201: ReservationOut}, summary="为项目预留载体")
def reserve_site(request: HttpRequest, code: CodePath, payload: forms.ReserveIn) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    site = get_visible_or_404(Site.objects.all(), user, code=code)
    project = forms.project_by_number(user, payload.project)
    reservation = services.site_reserve(actor=user, site=site, project=project)
    return Status(201, published_values(reservation, ReservationOut, site=site.code, project=project.number))


@router.delete("/sites/{code}/reservation", response=ReservationOut, summary="释放载体预留")
def release_site(request: HttpRequest, code: CodePath) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    site = get_visible_or_404(Site.objects.all(), user, code=code)
    reservation = services.site_release(actor=user, site=site)
    # The site's district may release a hold the city placed for another district's project; it
    # learns that the site is free, not that project's number.
    shown = Project.objects.visible_to(user).filter(pk=reservation.project_id).exists()
    return published_values(
        reservation, ReservationOut, site=site.code, project=reservation.project.number if shown else ""
    )


# ── chain maps ───────────────────────────────────────────────────────────────────────────────


class FirmOut(Schema):
    uscc: str
    name: str
    park: str | None
    revenue: float | None
    employees: int | None
    labels: list[str]
    value_added: float | None = Field(None, description="工业增加值（亿元），与营业收入同一年度")


class NodeOut(Schema):
    id: int
    name: str
    stage: str
    firms: list[FirmOut]
    output: float
    status: str
    status_label: str
    value_added: float = Field(0.0, description="环节内企业工业增加值合计（亿元）")
    candidates: int = Field(0, description="目标企业库中该环节的企业数")


class SupplyOut(Schema):
    leader: str
    leader_uscc: str
    source: int = Field(description="链主采购的环节（id）")
    target: int = Field(description="链主所在的环节（id）")


class ChainMapOut(Schema):
    code: str
    name: str
    year: int | None
    scope: str
    nodes: list[NodeOut]
    supply: list[SupplyOut] = Field(description="范围内链主企业的采购环节")


class MapQuery(InputSchema):
    park: Code | None = None
    district: Code | None = None


@router.get("/chains/{code}/map", response=ChainMapOut, summary="产业链图谱：各环节企业与缺链状态")
def chain_map(request: HttpRequest, code: CodePath, query: Query[MapQuery]) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    chain = get_visible_or_404(IndustryChain.objects.all(), user, code=code)
    park = forms.park_by_code(user, query.park)
    district_id = forms.district_by_code(query.district).pk if query.district else None
    return selectors.chain_map(user, chain, park=park, district_id=district_id)


# ── 招商目标企业库 and 招商路径图 ──────────────────────────────────────────────────────────────


class CandidateOut(Schema):
    id: int
    uscc: str
    name: str
    industry: str | None
    nodes: list[int]
    hq_region: str
    size_band: str
    listing: str
    top500: list[dict[str, Any]]
    source: str
    source_date: dt.date | None


def _candidate_out(candidate: Candidate) -> dict[str, Any]:
    return published_values(
        candidate, CandidateOut, industry=candidate.industry_id, nodes=[node.pk for node in candidate.nodes.all()]
    )


@router.get("/candidates", response=list[CandidateOut], summary="招商目标企业库")
@paginate(Page, page_size=100)
def list_candidates(request: HttpRequest) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    rows = Candidate.objects.visible_to(user).prefetch_related("nodes")
    return Mapped(rows, _candidate_out)


@router.post("/candidates", response={201: CandidateOut}, summary="新增目标企业（信用代码重复拒绝；名称相近须确认）")
def create_candidate(request: HttpRequest, payload: forms.CandidateIn) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    candidate = services.candidate_create(actor=user, **forms.candidate_values(payload))
    return Status(201, _candidate_out(candidate))


class ScorePartOut(Schema):
    key: str
    value: float
    weight: float
    reason: str


class RankedOut(Schema):
    candidate: str
    score: float
    parts: list[ScorePartOut]


class GapOut(Schema):
    chain: str
    node: str
    status: str
    candidates: list[RankedOut]


class PathOut(Schema):
    park: str
    chains: list[str]
    gaps: list[GapOut]
    projects: list[str]


@router.get("/parks/{code}/path", response=PathOut, summary="园区招商路径图：缺链环节与排序的目标企业（含评分依据）")
def park_path(request: HttpRequest, code: CodePath) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    park = get_visible_or_404(Park.objects.all(), user, code=code)
    path = selectors.park_path(user, park)
    return {
        "park": park.code,
        "chains": [m.code for m in path.chains],
        "gaps": [
            {
                "chain": gap.chain,
                "node": gap.node.name,
                "status": gap.node.status,
                "candidates": [
                    {
                        "candidate": ranked.candidate.name,
                        "score": ranked.score.total,
                        "parts": [published_values(p, ScorePartOut) for p in ranked.score.parts],
                    }
                    for ranked in gap.candidates
                ],
            }
            for gap in path.gaps
        ],
        "projects": [p.number for p in path.projects],
    }


# ── the park's 招商方案 work plan ─────────────────────────────────────────────────────────────


class PlanItemOut(Schema):
    id: int
    park: RelatedPark
    kind: str
    kind_label: str
    title: str
    planned_on: dt.date
    staff: Annotated[int | None, From("staff_id")] = Field(description="负责人账号 id")
    staff_name: str
    candidate: Annotated[int | None, From("candidate_id")] = Field(description="目标企业库条目 id")
    candidate_name: str
    held_on: dt.date | None = Field(description="完成日期；未完成时为空")
    outcome: str


def _plan_item_out(item: PlanItem) -> dict[str, Any]:
    return published_values(
        item,
        PlanItemOut,
        kind_label=item.get_kind_display(),
        staff_name=str(item.staff) if item.staff is not None else "",
        candidate_name=item.candidate.name if item.candidate is not None else "",
    )


def _plan_item(user: User, item_id: int) -> PlanItem:
    return get_visible_or_404(PlanItem.objects.select_related("park", "staff", "candidate"), user, pk=item_id)


@router.get("/parks/{code}/plan-items", response=list[PlanItemOut], summary="园区招商方案事项（活动、拜访、推介）")
@paginate(Page, page_size=100)
def list_plan_items(request: HttpRequest, code: CodePath) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    park = get_visible_or_404(Park.objects.all(), user, code=code)
    rows = PlanItem.objects.visible_to(user).filter(park=park).select_related("park", "staff", "candidate")
    return Mapped(rows, _plan_item_out)


@router.post("/parks/{code}/plan-items", response={201: PlanItemOut}, summary="加入园区招商方案事项")
def create_plan_item(request: HttpRequest, code: CodePath, payload: forms.PlanItemIn) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    park = get_visible_or_404(Park.objects.all(), user, code=code)
    item = services.plan_item_create(actor=user, park=park, **forms.plan_item_values(user, payload.dict()))
    return Status(201, _plan_item_out(item))


@router.post("/plan-items/{item_id}/outcome", response=PlanItemOut, summary="记录招商方案事项的结果（仅一次）")
def record_plan_item(request: HttpRequest, item_id: IdPath, payload: forms.PlanOutcomeIn) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    item = services.plan_item_record(
        actor=user, item=_plan_item(user, item_id), held_on=payload.held_on, outcome=payload.outcome
    )
    return _plan_item_out(_plan_item(user, item.pk))


@router.delete("/plan-items/{item_id}", response={204: None}, summary="删除尚未完成的招商方案事项")
def delete_plan_item(request: HttpRequest, item_id: IdPath) -> Any:
    user = selectors.investment_reader(api_user(request, auditors=False))
    services.plan_item_delete(actor=user, item=_plan_item(user, item_id))
    return Status(204, None)
