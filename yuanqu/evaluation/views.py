"""评价体系 pages: runs (start, list, ranking per type with rank intervals, delete), the 产业名园
selection list and its confirmation, two runs compared, a park's diagnosis (radar chart, .docx), the
index systems of the pack, and 亩均 grades. Thin: reads through selectors (always `visible_to`), writes
through services, exports through core.exports (xlsx, evaluation/exports.py) or audited here (docx)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.audit import audit_record
from yuanqu.core.confirm import NOT_CONFIRMED, confirmed, unconfirmed
from yuanqu.core.docx import DOCX_MIME
from yuanqu.core.exports import export_respond
from yuanqu.core.forms import PageForm, take_post
from yuanqu.core.jobposts import job_post
from yuanqu.core.language import english
from yuanqu.core.models import AuditLog, User
from yuanqu.core.pageauth import page_user
from yuanqu.core.pagecache import cached_page
from yuanqu.core.permissions import is_city_admin, require_role
from yuanqu.core.roles import Role
from yuanqu.evaluation import exports, selectors, services
from yuanqu.evaluation.diagnosis import park_diagnosis
from yuanqu.evaluation.forms import GradesComputeForm, RunStartForm
from yuanqu.evaluation.jobs import (
    DIAGNOSIS,
    DIAGNOSIS_TITLE,
    diagnosis_file_name,
    diagnosis_job_start,
    grades_job_start,
    run_job_start,
)
from yuanqu.evaluation.jobs import diagnosis_file as diagnosis_file_path
from yuanqu.evaluation.models import EvaluationRun
from yuanqu.evaluation.pack import installed_pack
from yuanqu.evaluation.runs import MAX_RUNS
from yuanqu.jobs.models import Job

# Roles that read runs and rankings (their own parks' rows, for district users and park operators).
RUN_READERS = frozenset({Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR})
GRADE_READERS = RUN_READERS | {Role.ENTERPRISE}


def _run_reader(request: HttpRequest) -> User:
    user = page_user(request)
    require_role(user, RUN_READERS, gettext("园区评价结果仅对市、区和园区用户开放"))
    return user


def _ranking_page(
    request: HttpRequest,
    pk: int,
    template: str,
    context: Callable[[User, EvaluationRun, list[selectors.TypeRanking]], dict[str, Any]],
) -> HttpResponse:
    """A page of the run a reader opened, with the run and, once it is done, its ranking per park
    type (`run`, `rankings`), and what `context` adds from the reader, the run and the ranking."""
    user = _run_reader(request)
    run = selectors.run(user, pk)
    rankings = selectors.ranking(user, run) if run.status == EvaluationRun.Status.DONE else []
    return render(request, template, {"run": run, "rankings": rankings, **context(user, run, rankings)})


# ── runs ───────────────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
@cached_page("evaluation_runs")
def run_list(request: HttpRequest) -> HttpResponse:
    if page_user(request).role == Role.ENTERPRISE:
        # The navigation offers 园区评价 to enterprises too; theirs is the 亩均 grade.
        return redirect("evaluation:grades")
    user = _run_reader(request)
    page = Paginator(selectors.runs(user), 20).get_page(request.GET.get("page"))
    pack = installed_pack()
    return render(
        request,
        "evaluation/run_list.html",
        {
            "page": page,
            "can_run": is_city_admin(user),
            "default_year": timezone.localdate().year - 1,
            "default_runs": pack.selection.uncertainty.runs,
            "max_runs": MAX_RUNS,
        },
    )


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    user = _run_reader(request)

    def start(data: dict[str, Any]) -> Job:
        params = {key: data[key] for key in ("runs", "seed") if data[key] is not None}
        # The run is computed by a background job; its page follows the progress and says the outcome.
        return run_job_start(actor=user, year=data["year"], params=params)

    return job_post(request, RunStartForm(request.POST), start, back="evaluation:run_list")


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _ranking_page(
        request,
        pk,
        "evaluation/run_detail.html",
        lambda user, _run, rankings: {
            "charts": {r.code: r.chart() for r in rankings},
            "is_city_wide": user.is_city_wide,
            "can_manage": is_city_admin(user),
        },
    )


def _run_step(
    request: HttpRequest, pk: int, act: Callable[[User, EvaluationRun], str], *, back: str, done: str = ""
) -> HttpResponse:
    """A step on a run that cannot be undone (delete it, confirm its list): taken only with the box
    ticked; a refusal comes back as a message on the `back` page, success goes to `done` (or back)."""
    user = _run_reader(request)
    run = selectors.run(user, pk)
    if unconfirmed(request):
        return redirect(back, pk=pk)
    if not take_post(request, PageForm(request.POST), lambda _data: act(user, run)):
        return redirect(back, pk=pk)
    return redirect(done) if done else redirect(back, pk=pk)


@login_required
@require_POST
def run_delete(request: HttpRequest, pk: int) -> HttpResponse:
    def delete(user: User, run: EvaluationRun) -> str:
        services.evaluation_run_delete(actor=user, run=run)
        return gettext("已删除评价 #%(pk)s") % {"pk": pk}

    return _run_step(request, pk, delete, back="evaluation:run_detail", done="evaluation:run_list")


@login_required
@require_GET
def run_export(request: HttpRequest, pk: int) -> HttpResponse:
    user = _run_reader(request)
    run = exports.finished_run(user, {"run": str(pk)})
    return export_respond(request, actor=user, code=exports.RANKING, params={"run": str(run.pk), "year": str(run.year)})


# ── selection ──────────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def selection(request: HttpRequest, pk: int) -> HttpResponse:
    return _ranking_page(
        request,
        pk,
        "evaluation/selection.html",
        lambda user, run, _rankings: {
            "can_confirm": is_city_admin(user) and run.status == EvaluationRun.Status.DONE and not run.is_confirmed
        },
    )


@login_required
@require_POST
def selection_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    def confirm(user: User, run: EvaluationRun) -> str:
        services.selection_confirm(actor=user, run=run)
        return gettext("%(year)s年度产业名园名单已确认，确认后不能更改") % {"year": run.year}

    return _run_step(request, pk, confirm, back="evaluation:selection")


@login_required
@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    user = _run_reader(request)
    choices = selectors.runs(user).filter(status=EvaluationRun.Status.DONE)[:50]
    a_id, b_id = request.GET.get("a"), request.GET.get("b")
    rows: list[selectors.ComparisonRow] = []
    first = second = None
    if a_id and b_id:
        try:
            first = selectors.run(user, int(a_id))
            second = selectors.run(user, int(b_id))
        except ValueError as exc:
            raise Http404(gettext("评价编号无效")) from exc
        rows = selectors.compare(user, first, second)
    return render(
        request,
        "evaluation/compare.html",
        {"choices": choices, "first": first, "second": second, "rows": rows, "type_name": selectors.type_name},
    )


# ── diagnosis ──────────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def diagnosis(request: HttpRequest, pk: int, park: str) -> HttpResponse:
    user = _run_reader(request)
    run = selectors.run(user, pk)
    result = selectors.result(user, run, park)
    found = park_diagnosis(run, result)
    return render(
        request,
        "evaluation/diagnosis.html",
        {
            "run": run,
            "result": result,
            "d": found,
            "radar": found.radar(),
            "type_name": selectors.type_name(result.park_type),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def diagnosis_docx(request: HttpRequest, pk: int, park: str) -> HttpResponse:
    """The .docx report is made by a background job, started by the page's button (POST); the page
    follows it to the file. A GET only shows the button, so a prefetching browser starts nothing."""
    user = _run_reader(request)
    run = selectors.run(user, pk)
    result = selectors.result(user, run, park)
    if request.method != "POST":
        title = gettext(DIAGNOSIS_TITLE).format(park=result.park.name, year=run.year)
        return render(request, "jobs/start.html", {"title": title})
    job = diagnosis_job_start(actor=user, result=result)
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_GET
def diagnosis_file(request: HttpRequest, job: int) -> HttpResponse:
    """The report a finished job kept, for whoever may see the job and the park's result; audited."""
    user = _run_reader(request)
    found = get_visible_or_404(Job.objects.filter(kind=DIAGNOSIS, status=Job.Status.SUCCEEDED), user, pk=job)
    try:
        run = selectors.run(user, int(found.arguments["run"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise Http404(gettext("评价编号无效")) from exc
    result = selectors.result(user, run, str(found.arguments.get("park", "")))
    try:
        content = diagnosis_file_path(result).read_bytes()
    except OSError as exc:
        raise Http404(gettext("报告文件已不在平台存储中，请在任务页点“重试”重新生成")) from exc
    name = diagnosis_file_name(result)
    audit_record(
        actor=user,
        action=AuditLog.Action.EXPORT,
        object_type="evaluation.ParkResult",
        object_id=str(result.pk),
        object_repr=name,
        detail=f"评价 #{run.pk} 园区 {result.park.code} 诊断报告",
    )
    response = HttpResponse(content, content_type=DOCX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _year_of(given: str | None, years: list[int]) -> int | None:
    """The year asked for when it has park values, else the latest one that has (None: no values)."""
    if given and given.isdigit() and int(given) in years:
        return int(given)
    return years[0] if years else None


def _system_title(code: str, name: str) -> str:
    """The index system's name from the pack (Chinese only), or in English one made from its park type."""
    if not english():
        return name
    return gettext("%(type)s综合评价指标体系") % {"type": selectors.type_name(code)}


@login_required
@require_GET
def index_systems(request: HttpRequest) -> HttpResponse:
    _run_reader(request)
    pack = installed_pack()
    years = selectors.value_years()
    year = _year_of(request.GET.get("year"), years)
    coherence = services.index_coherence(year=year) if year is not None else {}
    return render(
        request,
        "evaluation/index_systems.html",
        {
            "systems": [
                (selectors.type_name(code), system, _system_title(code, system.name), coherence.get(code))
                for code, system in pack.index_systems.items()
            ],
            "year": year,
            "years": years,
            "selection": pack.selection,
            "mujun": pack.mujun,
            "pack": pack,
        },
    )


# ── 亩均 grades ────────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def grades(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    require_role(user, GRADE_READERS, gettext("亩均效益评价结果仅对市、区、园区和企业用户开放"))
    years = selectors.grade_years(user)
    try:
        year = int(request.GET.get("year") or (years[0] if years else timezone.localdate().year - 1))
    except ValueError as exc:
        raise Http404(gettext("年度无效")) from exc
    rules = installed_pack().mujun
    context: dict[str, Any] = {
        "years": years,
        "year": year,
        "rules": rules,
        "codes": selectors.grade_codes(),
        "can_compute": is_city_admin(user),
        "is_enterprise": user.role == Role.ENTERPRISE,
    }
    rows = selectors.grades(user, year)
    if user.role == Role.ENTERPRISE:
        context["own"] = list(rows)
    else:
        context["distribution"] = selectors.grade_distribution(user, year)
        context["page"] = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "evaluation/grades.html", context)


@login_required
@require_POST
def grades_compute(request: HttpRequest) -> HttpResponse:
    """Start the grading job (it replaces the year's grades) and go to its page."""
    user = page_user(request)

    def start(data: dict[str, Any]) -> Job:
        if not confirmed(request):
            raise ValidationError(gettext(NOT_CONFIRMED))
        return grades_job_start(actor=user, year=data["year"])

    return job_post(request, GradesComputeForm(request.POST), start, back="evaluation:grades")


@login_required
@require_GET
def grades_export(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    require_role(user, GRADE_READERS, gettext("无权导出"))
    year = exports.grades_year(request.GET.dict())
    return export_respond(request, actor=user, code=exports.GRADES, params={"year": str(year)})
