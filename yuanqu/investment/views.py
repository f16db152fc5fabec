"""精准招商 pages: the project register (项目库) with its export, a project's page (its detail read is
audited) with the stage, termination and evidence forms, the 首谈/首报 conflicts with the city's
decision, the figures with the funnel, the 载体 inventory and 智慧选址 for a project with reservation.
Thin: read through `selectors` (always `visible_to`; any other role than the city, district and park
roles is refused by the app gate, core/appgate.py, 403), write through `services`, input through
`forms`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.downloads import file_download
from yuanqu.core.exports import export_respond
from yuanqu.core.forms import take_post
from yuanqu.core.listing import export_asked, list_page, page_of
from yuanqu.core.models import User
from yuanqu.core.pageauth import page_user
from yuanqu.core.permissions import WriteDenied, is_city_admin, may_register_investment, operator_park_id
from yuanqu.investment import exports, forms, selectors, services
from yuanqu.investment.models import ClaimConflict, Evidence, PlanItem, Project, Site, Stage
from yuanqu.investment.rules import rules, source_name
from yuanqu.registry.models import ChainNode, District, IndustryChain, Park


def _reader(request: HttpRequest) -> User:
    """The signed-in user if its role works with 招商 (the API's endpoints ask the same two getters)."""
    return selectors.investment_reader(page_user(request))


def _common(user: User) -> dict[str, Any]:
    return {"can_write": may_register_investment(user), "is_city_admin": is_city_admin(user)}


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    rows = Project.objects.visible_to(user).select_related("district", "park", "chain_node__chain")
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        rows = rows.filter(stage=stage)
    if export_asked(request):
        return export_respond(request, actor=user, code=exports.PROJECTS, params={"stage": stage})
    page = page_of(request, rows)
    sources = {source.code: source.name for source in rules().sources}
    return render(
        request,
        "investment/project_list.html",
        {
            **_common(user),
            "page": page,
            "rows": [(project, sources.get(project.source, project.source)) for project in page],
            "stages": list(Stage),
            "stage": stage,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    if not may_register_investment(user):
        raise WriteDenied(_(services.ERR_ROLE), code="no_write")
    form = forms.ProjectForm(request.POST or None)
    if request.method == "POST":
        created: list[Project] = []

        def create(_data: dict[str, Any]) -> str:
            fields = forms.project_values(user, forms.ProjectIn.model_validate(form.schema_data()))
            created.append(services.project_create(actor=user, **fields))
            return _("已登记项目 %(number)s") % {"number": created[0].number}

        if take_post(request, form, create):
            return redirect("investment:project_detail", number=created[0].number)
    # A refused post shows the form again as it was typed, the refusals above it.
    shown: Mapping[str, Any] = form.data if form.is_bound else selectors.project_prefill(user, request.GET)
    return render(
        request,
        "investment/project_new.html",
        {
            **_common(user),
            "form": form,
            "values": shown,
            "districts": selectors.project_districts(user),
            "parks": Park.objects.visible_to(user),
            "nodes": ChainNode.objects.select_related("chain"),
            "sources": rules().sources,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def project_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = _reader(request)
    project = selectors.project_for_read(user, number)
    config = rules()
    allowed = [t for t in config.transitions if t.source == project.stage]
    changes = project.changes.prefetch_related("evidence").select_related("actor")
    return render(
        request,
        "investment/project_detail.html",
        {
            **_common(user),
            "project": project,
            "changes": changes,
            "transitions": [(t, Stage(t.target).label) for t in allowed],
            "conflicts": selectors.conflicts_for(user, project),
            "source": source_name(project.source),
            "finished": project.stage in (Stage.TERMINATED, Stage.FULL),
            "today": timezone.localdate(),
            "max_days": rule.max_days if (rule := config.stage(project.stage)) is not None else None,
            "delivery": selectors.deliveries([project]).get(project.pk),
        },
    )


@login_required
@require_POST
def project_advance(request: HttpRequest, number: str) -> HttpResponse:
    user = _reader(request)
    project = get_visible_or_404(Project.objects.all(), user, number=number)

    def advance(data: dict[str, Any]) -> str:
        services.project_advance(
            actor=user, project=project, files=request.FILES.getlist("files"), **forms.advance_values(user, data)
        )
        return _("项目阶段已变更为“%(stage)s”") % {"stage": Stage(data["to_stage"]).label}

    take_post(request, forms.AdvanceForm(request.POST), advance)
    return redirect("investment:project_detail", number=number)


@login_required
@require_POST
def project_terminate(request: HttpRequest, number: str) -> HttpResponse:
    user = _reader(request)
    project = get_visible_or_404(Project.objects.all(), user, number=number)

    def terminate(data: dict[str, Any]) -> str:
        services.project_terminate(
            actor=user, project=project, on=data["on"], reason=data["reason"], version=data["version"]
        )
        return _("项目已终止")

    take_post(request, forms.TerminateForm(request.POST), terminate)
    return redirect("investment:project_detail", number=number)


@login_required
@require_GET
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    user = _reader(request)
    evidence = get_visible_or_404(Evidence.objects.all(), user, pk=evidence_id)
    return file_download(
        actor=user,
        obj=evidence,
        file=evidence.file,
        name=evidence.original_name,
        content_type=evidence.content_type,
    )


# ── conflicts ────────────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def conflict_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    return render(request, "investment/conflicts.html", {**_common(user), "conflicts": selectors.conflicts_for(user)})


@login_required
@require_POST
def conflict_decide(request: HttpRequest, conflict_id: int) -> HttpResponse:
    user = _reader(request)
    conflict = get_visible_or_404(ClaimConflict.objects.all(), user, pk=conflict_id)

    def decide(data: dict[str, Any]) -> str:
        services.conflict_decide(actor=user, conflict=conflict, outcome=data["outcome"], note=data["note"])
        return _("已记录裁决")

    take_post(request, forms.DecisionForm(request.POST), decide)
    return redirect("investment:conflicts")


# ── figures ──────────────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    by = request.GET.get("by", "district")
    if by not in selectors.FIGURE_GROUPS:
        by = "district"
    result = selectors.pipeline_figures(user, by=by)
    funnel = [{"name": label, "value": n} for _code, label, n in result.funnel]
    return render(
        request,
        "investment/figures.html",
        {
            **_common(user),
            "result": result,
            "by": by,
            "groups": [
                ("district", _("按区")),
                ("park", _("按园区")),
                ("chain", _("按产业链")),
                ("source", _("按招商方式")),
            ],
            "funnel": funnel,
        },
    )


# ── 载体 and 智慧选址 ──────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def site_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    today = timezone.localdate()
    stale_days = rules().site_stale_days
    page = page_of(request, selectors.sites_for(user))
    rows = [(site, site.is_stale(today, stale_days)) for site in page]
    return render(
        request,
        "investment/sites.html",
        {**_common(user), "page": page, "rows": rows, "stale_days": stale_days},
    )


@login_required
@require_POST
def site_confirm(request: HttpRequest, code: str) -> HttpResponse:
    user = _reader(request)
    site = get_visible_or_404(Site.objects.all(), user, code=code)
    services.site_confirm(actor=user, site=site)
    messages.success(request, _("已确认载体信息"))
    return redirect("investment:sites")


def _decimal_param(value: str | None) -> Any:
    from decimal import Decimal, InvalidOperation

    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() and 0 <= number < 100000 else None


@login_required
@require_http_methods(["GET", "POST"])
def project_sites(request: HttpRequest, number: str) -> HttpResponse:
    user = _reader(request)
    project = get_visible_or_404(Project.objects.select_related("chain_node__chain"), user, number=number)
    if request.method == "POST":

        def reserve(data: dict[str, Any]) -> str:
            site = forms.site_by_code(user, data["site"])
            services.site_reserve(actor=user, site=site, project=project)
            return _("已为项目预留载体 %(site)s") % {"site": site.name}

        take_post(request, forms.SiteReserveForm(request.POST), reserve)
        return redirect("investment:project_sites", number=number)
    power = request.GET.get("power_kva", "")
    needs = selectors.project_needs(
        project,
        floor_load_kn=_decimal_param(request.GET.get("floor_load_kn")),
        clear_height_m=_decimal_param(request.GET.get("clear_height_m")),
        power_kva=int(power) if power.isdigit() and len(power) < 9 else None,
        districts=tuple(int(d) for d in request.GET.getlist("district") if d.isdigit() and len(d) < 9),
    )
    matches = selectors.site_matches(user, project, needs)
    site_map = selectors.site_map_points(matches)
    return render(
        request,
        "investment/project_sites.html",
        {
            **_common(user),
            "map_points": [point.as_dict() for point in site_map.points],
            "site_map": site_map,
            "project": project,
            "matches": matches[:100],
            "feasible": sum(1 for m in matches if m.verdict.feasible),
            "districts": District.objects.all(),
            "query": request.GET,
            "today": timezone.localdate(),
            "open": project.stage not in (Stage.TERMINATED, Stage.FULL),
        },
    )


# ── chain maps ───────────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def chain_list(request: HttpRequest) -> HttpResponse:
    """The chains to open: a park operator sees its park's lead chains only."""
    user = _reader(request)
    chains = IndustryChain.objects.visible_to(user)
    park_id = operator_park_id(user)
    park_code = ""
    if park_id is not None:
        chains = chains.filter(parks__id=park_id)
        park_code = Park.objects.filter(pk=park_id).values_list("code", flat=True).first() or ""
    return render(request, "investment/chains.html", {**_common(user), "chains": chains, "park_code": park_code})


@login_required
@require_GET
def chain_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _reader(request)
    chain = get_visible_or_404(IndustryChain.objects.all(), user, code=code)
    park = None
    park_id = operator_park_id(user)
    if park_id is not None:
        park = Park.objects.filter(pk=park_id).first()
    elif request.GET.get("park"):
        park = Park.objects.visible_to(user).filter(code=request.GET["park"]).first()
    result = selectors.chain_map(user, chain, park=park)
    colours = {"absent": "#d9534f", "weak": "#f0ad4e", "present": "#5bc0de", "strong": "#5cb85c"}
    graph = {
        "nodes": [
            {
                "id": str(node.id),
                "name": node.name,
                "value": len(node.firms),
                "status": node.status_label,
                "itemStyle": {"color": colours[node.status]},
            }
            for node in result.nodes
        ],
        "links": [
            {"source": str(a.id), "target": str(b.id)} for a, b in zip(result.nodes, result.nodes[1:], strict=False)
        ]
        # A 链主's purchases: dashed and curved, from the supplier node to the leader's node, named.
        + [
            {
                "source": str(edge.source),
                "target": str(edge.target),
                "value": edge.leader,
                "lineStyle": {"type": "dashed", "curveness": 0.3, "color": "#8e44ad"},
                "label": {"show": True, "formatter": _("%(leader)s采购") % {"leader": edge.leader}},
            }
            for edge in result.supply
        ],
    }
    names = {node.id: node.name for node in result.nodes}
    supply = [{"leader": e.leader, "source": names[e.source], "target": names[e.target]} for e in result.supply]
    return render(
        request,
        "investment/chain_detail.html",
        {
            **_common(user),
            "chain": chain,
            "supply": supply,
            "map": result,
            "park": park,
            "graph": graph,
            "parks": Park.objects.visible_to(user) if park_id is None else [],
        },
    )


# ── 招商路径图 and 招商方案 ─────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def park_path(request: HttpRequest, code: str) -> HttpResponse:
    user = _reader(request)
    park = get_visible_or_404(Park.objects.all(), user, code=code)
    path = selectors.park_path(user, park)
    if request.GET.get("format") == "docx":
        return _plan_docx(user, path)
    return render(
        request,
        "investment/park_path.html",
        {
            **_common(user),
            "path": path,
            "kinds": PlanItem.Kind.choices,
            "staff_choices": selectors.plan_staff_choices(park),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def plan_item_add(request: HttpRequest, code: str) -> HttpResponse:
    user = _reader(request)
    park = get_visible_or_404(Park.objects.all(), user, code=code)

    def add(data: dict[str, Any]) -> str:
        services.plan_item_create(actor=user, park=park, **forms.plan_item_values(user, data))
        return _("已加入招商方案")

    take_post(request, forms.PlanItemForm(request.POST), add)
    return redirect("investment:park_path", code=code)


@login_required
@require_POST
def plan_item_outcome(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _reader(request)
    item = get_visible_or_404(PlanItem.objects.select_related("park"), user, pk=item_id)

    def record(data: dict[str, Any]) -> str:
        services.plan_item_record(actor=user, item=item, held_on=data["held_on"], outcome=data["outcome"])
        return _("已记录事项结果")

    take_post(request, forms.PlanOutcomeForm(request.POST), record)
    return redirect("investment:park_path", code=item.park.code)


@login_required
@require_POST
def plan_item_delete(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _reader(request)
    item = get_visible_or_404(PlanItem.objects.select_related("park"), user, pk=item_id)

    def delete(_data: dict[str, Any]) -> str:
        services.plan_item_delete(actor=user, item=item)
        return _("已从招商方案删除该事项")

    take_post(request, forms.PlanItemDeleteForm(request.POST), delete)
    return redirect("investment:park_path", code=item.park.code)


def _plan_docx(user: User, path: selectors.ParkPath) -> HttpResponse:
    """The park's 招商方案 as a Word document: lead chains, gap nodes and ranked candidates."""
    from docx import Document

    from yuanqu.core.audit import audit_record
    from yuanqu.core.docx import add_table, document_bytes, set_body_font
    from yuanqu.core.models import AuditLog

    document = Document()
    set_body_font(document)
    document.add_heading(f"{path.park.name}招商方案", level=1)
    document.add_paragraph(
        f"主导产业链：{'、'.join(m.name for m in path.chains) or '未认定'}；缺链环节 {len(path.gaps)} 个；"
        f"在推进项目 {len(path.projects)} 个。生成日期：{timezone.localdate().isoformat()}。"
    )
    document.add_heading("一、产业链环节现状", level=2)
    rows = [
        [m.name, node.name, str(len(node.firms)), f"{node.output:.2f}", node.status_label]
        for m in path.chains
        for node in m.nodes
    ]
    add_table(document, ["产业链", "环节", "企业数", "营业收入（亿元）", "强弱"], rows, fit=True)
    document.add_heading("链主采购环节", level=3)
    supply = [
        [m.name, edge.leader, names[edge.target], names[edge.source], statuses[edge.source]]
        for m in path.chains
        for names, statuses in [({n.id: n.name for n in m.nodes}, {n.id: n.status_label for n in m.nodes})]
        for edge in m.supply
    ]
    if supply:
        document.add_paragraph(
            "园区链主企业向其采购的环节及该环节在本园区的强弱：缺失、薄弱的采购环节是以链招商的方向。"
        )
        add_table(document, ["产业链", "链主企业", "所在环节", "采购环节", "采购环节强弱"], supply, fit=True)
    else:
        document.add_paragraph("园区主导产业链上的链主企业尚无采购环节记录。")
    document.add_heading("二、缺链环节与目标企业", level=2)
    for gap in path.gaps:
        document.add_heading(f"{gap.chain}·{gap.node.name}（{gap.node.status_label}）", level=3)
        if not gap.candidates:
            document.add_paragraph("目标企业库中暂无该环节的企业。")
            continue
        add_table(
            document,
            ["目标企业", "总部", "得分", "评分依据"],
            [
                [
                    r.candidate.name,
                    r.candidate.hq_region,
                    f"{r.score.total:.1f}",
                    "；".join(p.reason for p in r.score.parts),
                ]
                for r in gap.candidates
            ],
        )
    document.add_heading("三、工作安排", level=2)
    if path.staff:
        document.add_paragraph("责任人员：" + "、".join(u.display_name or u.username for u in path.staff) + "。")
    if path.items:
        add_table(
            document,
            ["计划日期", "类型", "事项", "目标企业", "负责人", "完成日期", "结果"],
            [
                [
                    item.planned_on.isoformat(),
                    item.get_kind_display(),
                    item.title,
                    item.candidate.name if item.candidate else "",
                    (item.staff.display_name or item.staff.username) if item.staff else "",
                    item.held_on.isoformat() if item.held_on else "",
                    item.outcome,
                ]
                for item in path.items
            ],
            fit=True,
        )
    else:
        document.add_paragraph("尚未安排活动、拜访或推介。")
    document.add_heading("四、在推进项目", level=2)
    add_table(
        document,
        ["项目编号", "项目名称", "阶段", "进入本阶段日期"],
        [[p.number, p.name, p.get_stage_display(), p.stage_since.isoformat()] for p in path.projects],
    )
    _plan_figures(document, user, path.park)
    content = document_bytes(document)
    audit_record(
        actor=user,
        action=AuditLog.Action.EXPORT,
        obj=path.park,
        detail="导出招商方案",
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(path.park.name + '招商方案.docx')}"
    return response


def _plan_figures(document: Any, user: User, park: Park) -> None:
    """五、招商成效: the park's projects as the 招商指标 page counts them (docs/investment.md), over all
    signing years, and the latest signing cohort."""
    from yuanqu.core.docx import add_table

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value * 100:.1f}%"

    document.add_heading("五、招商成效", level=2)
    every = selectors.pipeline_figures(user, by="park", park=park)
    if not every.total.projects:
        document.add_paragraph("本园区尚无招商项目。")
        return
    latest = selectors.pipeline_figures(user, by="park", park=park, latest_year=True)
    rows = []
    for label, figures in (("历年签约", every), (f"{latest.year}年签约" if latest.year else "最近签约年度", latest)):
        d = figures.total.as_dict()
        rows.append(
            [
                label,
                str(d["projects"]),
                str(d["signed"]),
                f"{d['signed_amount']:.2f}",
                pct(d["start_rate"]),
                pct(d["production_rate"]),
                pct(d["full_rate"]),
                pct(d["output_delivery_rate"]),
            ]
        )
    document.add_paragraph(
        "开工率、投产率、达产率以同一批签约项目为分母；产值兑现率为已投产项目落地企业报告的产值占签约承诺（达产）的比例。"
    )
    add_table(
        document,
        ["口径", "项目数", "签约数", "签约金额（亿元）", "开工率", "投产率", "达产率", "产值兑现率"],
        rows,
        fit=True,
    )


# ── the target-company library ───────────────────────────────────────────────────────────────


@login_required
@require_GET
def candidate_list(request: HttpRequest) -> HttpResponse:
    """招商目标企业库: searchable by name or credit code and by chain node; each firm can be opened as
    a project (立项跟进) by those who register projects."""
    user = _reader(request)
    query = request.GET.get("q", "").strip()[:60]
    node = request.GET.get("node", "")
    rows = selectors.candidates_for(user, query=query, node_id=int(node) if node.isdigit() else None)
    return list_page(
        request,
        "investment/candidates.html",
        rows,
        actor=user,
        context={**_common(user), "q": query, "node": node, "nodes": ChainNode.objects.select_related("chain")},
    )
