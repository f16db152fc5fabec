"""陪跑 pages: a specialist's 工作台, the specialists of the firms (assign, bulk, hand over), the
visit schedule with plans and the visit history, recording a visit, and one firm's 陪跑 record.
Thin: read through the selectors (`visible_to`), write through `actions` (the services), answer 404
outside the user's scope and 403 for a role that has no part in 陪跑."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from yuanqu.casework import clock
from yuanqu.core.access import get_visible_or_404
from yuanqu.core.exports import xlsx_response
from yuanqu.core.forms import PageForm, take_chosen, take_post
from yuanqu.core.listing import page_of
from yuanqu.core.models import User
from yuanqu.core.pageauth import page_user, role_reader
from yuanqu.core.permissions import is_city_admin, is_enterprise_user, serves_firms
from yuanqu.core.roles import Role
from yuanqu.core.rowposts import RowPosts, row_post
from yuanqu.registry.models import Enterprise, IndustryChain, Park
from yuanqu.service import actions, fee_totals, forms, matching, selectors, services
from yuanqu.service import standards as service_standards
from yuanqu.service.config import config
from yuanqu.service.models import (
    AssignmentRule,
    CompanionProject,
    CompanionStage,
    Disbursement,
    FeePeriod,
    FeeReview,
    FeeUnit,
    MatchRun,
    ParkFee,
    PlannedVisit,
    PolicyBatch,
    ServiceRequest,
    SpecialistAssignment,
    SurveyReceipt,
    SurveyWave,
)
from yuanqu.service.services import SPECIALIST_ROLES
from yuanqu.service.services.fees import REPORT_NOT_ALLOWED, REVIEW_NOT_ALLOWED
from yuanqu.service.services.policies import CONFIRM_NOT_ALLOWED
from yuanqu.service.services.requests import REQUEST_NOT_ALLOWED
from yuanqu.service.services.surveys import ANSWER_NOT_ALLOWED, WAVE_NOT_ALLOWED
from yuanqu.service.survey_results import TOO_FEW
from yuanqu.service.survey_results import wave_results as survey_results_for

# Who reads the 陪跑 pages: the roles that serve firms, and the city's viewers.
READER_ROLES = SPECIALIST_ROLES | {Role.CITY_VIEWER}
NO_ACCESS = gettext_noop("您的角色没有陪跑服务页面的权限")
# The visit history under the schedule shows fewer rows a page than a list of its own.
VISIT_HISTORY_PER_PAGE = 30
ENTERPRISE_ONLY = gettext_noop("该页面供企业用户查看本企业可享受的政策")


_reader = role_reader(READER_ROLES, NO_ACCESS)


def _serving(user: User) -> User:
    """The user, if its role serves firms (writes 陪跑 records); else 403."""
    if not serves_firms(user):
        raise PermissionDenied(_(NO_ACCESS))
    return user


def _city_admin(user: User, refusal: str) -> User:
    """The user, if a city administrator; else 403 with the step's own refusal."""
    if not is_city_admin(user):
        raise PermissionDenied(_(refusal))
    return user


def _fee_reporter(request: HttpRequest) -> User:
    """An enterprise user, who reports a fee of its park; any other role 403."""
    user = page_user(request)
    if not is_enterprise_user(user):
        raise PermissionDenied(_(REPORT_NOT_ALLOWED))
    return user


def _take(request: HttpRequest, form: PageForm, call: Callable[[Any], object], done: str) -> bool:
    """A posted form through `take_post`: its cleaned values made into the API's input (the form's
    schema) and handed to `call` (the service); `done` is the message when the step was taken."""

    def step(cleaned: dict[str, Any]) -> str:
        assert form.schema is not None
        call(form.schema.model_validate(form.schema_data()))
        return done

    return take_post(request, form, step)


def _writes(request: HttpRequest, user: User, form: PageForm, act: Any, done: str) -> bool:
    """A specialist's post: refused (403) for a role that does not serve firms, else through `_take`
    with the service's `actor` and `data`."""
    _serving(user)
    return _take(request, form, lambda data: act(actor=user, data=data), done)


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    bench = selectors.workbench(user, on=clock.today())
    return render(request, "service/workbench.html", {"bench": bench, "drop": config().revenue_drop_alert})


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    if request.method == "POST":
        steps: dict[str, tuple[type[PageForm], Any, str]] = {
            "assign": (forms.AssignForm, actions.assign, _("已指派服务专员")),
            "bulk": (forms.BulkAssignForm, actions.assign_bulk, _("已批量指派服务专员")),
            "handover": (forms.HandoverForm, actions.handover, _("已完成移交")),
            "rule": (forms.BulkAssignForm, actions.rule_add, _("指派规则已保存")),
            "apply": (forms.ApplyRulesForm, actions.rules_apply, _("已按指派规则为尚无服务专员的企业指派")),
        }
        takes = {
            choice: partial(_writes, request, user, form_class(request.POST), act, done)
            for choice, (form_class, act, done) in steps.items()
        }
        # The chooser names the form posted; an unknown one is its refusal (操作不是可选的值).
        if take_chosen(request, forms.AssignmentActionForm(request.POST), takes):
            return redirect("service:assignments")
    rows = (
        SpecialistAssignment.objects.visible_to(user)
        .current()
        .select_related("enterprise", "enterprise__park", "specialist")
        .order_by("enterprise__name")
    )
    page = page_of(request, rows)
    return render(
        request,
        "service/assignments.html",
        {
            "page": page,
            "form": request.POST,
            "can_write": serves_firms(user),
            "candidates": actions.specialist_candidates(user) if serves_firms(user) else [],
            "parks": Park.objects.visible_to(user).order_by("code"),
            "chains": IndustryChain.objects.order_by("sort_order", "code"),
            "tiers": config().tiers,
            "rules": AssignmentRule.objects.visible_to(user).select_related("specialist"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visits(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    today = clock.today()
    if request.method == "POST" and _writes(
        request,
        user,
        forms.PlanForm(request.POST),
        actions.plan,
        _("走访计划已保存"),
    ):
        return redirect("service:visits")
    schedule = selectors.visit_schedule(user, Enterprise.objects.all(), on=today)
    state = request.GET.get("state")
    if state in ("overdue", "due_soon", "ok"):
        schedule = [row for row in schedule if row.state == state]
    history = page_of(request, selectors.visit_history(user), per_page=VISIT_HISTORY_PER_PAGE)
    return render(
        request,
        "service/visits.html",
        {
            "schedule": schedule[:200],
            "schedule_count": len(schedule),
            "state": state or "",
            "page": history,
            "form": request.POST,
            "can_write": serves_firms(user),
            "today": today,
            "plans": PlannedVisit.objects.visible_to(user)
            .filter(status=PlannedVisit.Status.PLANNED)
            .select_related("enterprise", "specialist")[:100],
        },
    )


plan_cancel = row_post(
    reader=_reader,
    rows=PlannedVisit.objects.select_related("enterprise"),
    check=lambda user, _row: _serving(user),
    step=lambda user, row, _data: services.visit_plan_cancel(actor=user, plan=row),
    done=gettext_noop("走访计划已取消"),
    back="service:visits",
)


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    user = _serving(_reader(request))
    if request.method == "POST":
        form = forms.VisitForm(request.POST)
        if _writes(request, user, form, actions.visit, _("走访记录已保存")):
            return redirect("service:enterprise", uscc=str(form.cleaned_data["enterprise"]).strip().upper())
    initial = {"enterprise": request.GET.get("enterprise", ""), "plan": request.GET.get("plan", "")}
    return render(request, "service/visit_new.html", {"form": request.POST or initial, "today": clock.today()})


@login_required
def enterprise(request: HttpRequest, uscc: str) -> HttpResponse:
    user = _reader(request)
    firm = get_visible_or_404(Enterprise.objects.select_related("park", "district"), user, uscc=uscc)
    return render(
        request,
        "service/enterprise.html",
        {
            "firm": firm,
            "assignments": SpecialistAssignment.objects.visible_to(user)
            .filter(enterprise=firm)
            .select_related("specialist", "assigned_by"),
            "schedule": selectors.visit_schedule(user, Enterprise.objects.filter(pk=firm.pk), on=clock.today()),
            "visits": selectors.visit_history(user, firm)[:100],
            "can_write": serves_firms(user),
        },
    )


# ── 惠企政策直达 ─────────────────────────────────────────────────────────────────────────────


@login_required
def policies(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    if is_enterprise_user(user):
        return redirect("service:my_policies")
    user = _reader(request)
    today = clock.today()
    runs = list(MatchRun.objects.visible_to(user).select_related("batch")[:5])
    codes = {code for run in runs for row in run.results for code in row["new"] + row["gone"]}
    names = dict(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", "name"))
    return render(
        request,
        "service/policies.html",
        {"matches": matching.all_matches(user, on=today), "today": today, "runs": runs, "names": names},
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _reader(request)
    try:
        policy = config().policy(code)
    except KeyError:
        raise Http404(_("政策不存在")) from None
    today = clock.today()
    match = matching.policy_match(user, policy, on=today)
    may_confirm = is_city_admin(user)
    if request.method == "POST":
        if not may_confirm:
            raise PermissionDenied(_(CONFIRM_NOT_ALLOWED))
        firms = [(row.enterprise.uscc, row.enterprise.name) for row in match.qualifying]
        form = forms.ConfirmForm(request.POST, firms=firms)
        if _writes(request, user, form, actions.confirm, _("免申即享名单已确认，已通知企业")):
            return redirect("service:policy", code=code)
    batches = PolicyBatch.objects.visible_to(user).filter(policy_code=code)
    disbursements = (
        Disbursement.objects.visible_to(user).filter(policy_code=code).select_related("enterprise", "batch")[:500]
    )
    granted = set(Disbursement.objects.filter(policy_code=code).values_list("enterprise_id", flat=True))
    return render(
        request,
        "service/policy.html",
        {
            "policy": policy,
            "match": match,
            "open": matching.is_open(policy, today),
            "may_confirm": may_confirm,
            "granted": granted,
            "batches": batches,
            "disbursements": disbursements,
        },
    )


disbursement_pay = row_post(
    reader=_reader,
    rows=Disbursement.objects.all(),
    check=lambda user, _row: _city_admin(user, CONFIRM_NOT_ALLOWED),
    form=forms.PayForm,
    schema=True,
    step=lambda user, row, data: actions.pay(actor=user, disbursement=row, data=data),
    done=gettext_noop("已登记拨付"),
    back="service:policy",
    back_args=lambda row: {"code": row.policy_code},
)


@login_required
def my_policies(request: HttpRequest) -> HttpResponse:
    """The enterprise portal: the firm's policies with the reason for each condition."""
    user = page_user(request)
    if not is_enterprise_user(user) or user.enterprise is None:
        raise PermissionDenied(_(ENTERPRISE_ONLY))
    today = clock.today()
    return render(
        request,
        "service/my_policies.html",
        {
            "firm": user.enterprise,
            "rows": matching.firm_policies(user.enterprise, on=today),
            "disbursements": Disbursement.objects.visible_to(user).select_related("batch"),
        },
    )


# ── 发展环境动态评估 ─────────────────────────────────────────────────────────────────────────


def _wave(user: User, code: str) -> SurveyWave:
    return get_visible_or_404(SurveyWave.objects.all(), user, code=code)


@login_required
@require_http_methods(["GET", "POST"])
def surveys(request: HttpRequest) -> HttpResponse:
    """The waves: the city opens one; an enterprise sees which it can still answer."""
    user = page_user(request)
    if not is_enterprise_user(user):
        user = _reader(request)
    may_open = is_city_admin(user)
    if request.method == "POST":
        if not may_open:
            raise PermissionDenied(_(WAVE_NOT_ALLOWED))
        if _writes(request, user, forms.WaveForm(request.POST), actions.wave_open, _("问卷期次已发起")):
            return redirect("service:surveys")
    answered = set(SurveyReceipt.objects.visible_to(user).values_list("wave_id", flat=True))
    return render(
        request,
        "service/surveys.html",
        {
            "waves": SurveyWave.objects.visible_to(user),
            "answered": answered,
            "may_open": may_open,
            "form": request.POST,
            "today": clock.today(),
            "minimum": config().min_group_size,
        },
    )


@login_required
def survey_results(request: HttpRequest, code: str) -> HttpResponse:
    user = _reader(request)
    wave = _wave(user, code)
    rows, total = survey_results_for(user, wave)
    cfg = config()
    return render(
        request,
        "service/survey_results.html",
        {
            "wave": wave,
            "rows": rows,
            "total": total,
            "survey": cfg.survey,
            "minimum": cfg.min_group_size,
            "may_close": is_city_admin(user) and wave.status == SurveyWave.Status.OPEN,
        },
    )


def _score(value: float | Decimal | None) -> float | None:
    return round(float(value), 1) if value is not None else None


@login_required
def survey_results_export(request: HttpRequest, code: str) -> HttpResponse:
    """The wave's results per park as a spreadsheet, under the page's rule: a group below the minimum
    size shows its count and 样本不足, nothing else; the total adds only the groups shown. Audited."""
    user = _reader(request)
    wave = _wave(user, code)
    rows, total = survey_results_for(user, wave)
    survey = config().survey
    headers = [
        _("园区"),
        _("园区编码"),
        _("答卷数"),
        _("企业数"),
        _("答卷率"),
        *(dimension.name for dimension in survey.dimensions),
        _("问卷得分"),
        _("较上期"),
        _("诉求三率得分"),
        _("发展环境指数"),
    ]
    lines = []
    for row in [*rows, total]:
        head = [row.label, row.park_code, row.responses, row.firms or None]
        if not row.shown:
            lines.append([*head, _(TOO_FEW)])
            continue
        rate = round(row.response_rate * 100, 1) if row.response_rate is not None else None
        dimensions = [_score(row.dimensions.get(dimension.code)) for dimension in survey.dimensions]
        figures = [row.survey_score, row.change, row.casework_score, row.index]
        lines.append([*head, rate, *dimensions, *(_score(value) for value in figures)])
    return xlsx_response(
        actor=user,
        filename=wave.name,
        object_type="service.SurveyWave",
        sheets=[(wave.code, headers, lines)],
        detail=_("发展环境问卷结果：%(wave)s") % {"wave": wave.code},
    )


survey_close = row_post(
    reader=_reader,
    rows=SurveyWave.objects.all(),
    check=lambda user, _row: _city_admin(user, WAVE_NOT_ALLOWED),
    step=lambda user, row, _data: services.survey_wave_close(actor=user, wave=row),
    done=gettext_noop("问卷期次已结束，发展环境指数已计算"),
    back="service:survey",
    back_args=lambda row: {"code": row.code},
)


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, code: str) -> HttpResponse:
    """The enterprise portal's questionnaire: one answer per firm and wave, kept anonymous."""
    user = page_user(request)
    if not is_enterprise_user(user) or user.enterprise_id is None:
        raise PermissionDenied(_(ANSWER_NOT_ALLOWED))
    wave = _wave(user, code)
    survey = config().survey
    form = forms.AnswerForm(request.POST or None, survey=survey)
    if request.method == "POST":
        done = _("问卷已提交，感谢参与。答卷匿名保存，园区只能看到汇总结果。")
        if _take(request, form, lambda data: actions.answer(actor=user, wave=wave, data=data), done):
            return redirect("service:surveys")
    return render(
        request,
        "service/survey_answer.html",
        {
            "wave": wave,
            "form": form,
            "answered": SurveyReceipt.objects.visible_to(user).filter(wave=wave).exists(),
        },
    )


# ── 服务标准清单 ─────────────────────────────────────────────────────────────────────────────


@login_required
def standards(request: HttpRequest) -> HttpResponse:
    """Coverage of the parks' service lists by type, with the gaps; an enterprise goes to its park's list."""
    user = page_user(request)
    if is_enterprise_user(user) and user.enterprise is not None and user.enterprise.park is not None:
        return redirect("service:park_services", code=user.enterprise.park.code)
    user = _reader(request)
    return render(
        request,
        "service/standards.html",
        {"rows": service_standards.coverage(user), "types": config().service_types},
    )


@login_required
@require_http_methods(["GET", "POST"])
def park_services(request: HttpRequest, code: str) -> HttpResponse:
    """One park's published list; its operator, its district and the city maintain it."""
    user = page_user(request)
    if not is_enterprise_user(user):
        user = _reader(request)
    park = Park.objects.filter(code=code).first()
    if park is None:
        raise Http404(_("园区不存在"))
    if request.method == "POST" and _writes(
        request,
        user,
        forms.ParkServiceForm(request.POST),
        lambda *, actor, data: actions.park_service(actor=actor, park=park, data=data),
        _("服务清单已更新"),
    ):
        return redirect("service:park_services", code=park.code)
    lines = service_standards.park_lines(user, park)
    may_edit = serves_firms(user) and Park.objects.visible_to(user).filter(pk=park.pk).exists()
    return render(
        request,
        "service/park_services.html",
        {
            "park": park,
            "lines": lines,
            "types": config().service_types,
            "gaps": service_standards.Coverage(park, lines).gaps,
            "retired": service_standards.retired_lines(user, park),
            "may_request": is_enterprise_user(user)
            and user.enterprise is not None
            and user.enterprise.park_id == park.pk,
            "may_edit": may_edit,
            "form": request.POST,
        },
    )


# ── 涉企收费 ────────────────────────────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def fees(request: HttpRequest) -> HttpResponse:
    """The fee register of the user's parks with the totals per park; an enterprise sees its park's
    fees and may report one."""
    user = page_user(request)
    if not is_enterprise_user(user):
        user = _reader(request)
    if request.method == "POST" and _writes(
        request,
        user,
        forms.FeeForm(request.POST),
        actions.fee_add,
        _("收费已登记"),
    ):
        return redirect("service:fees")
    rows = (
        ParkFee.objects.visible_to(user)
        .select_related("park", "reviewed_by", "retired_by")
        .annotate(report_count=Count("reports"))
    )
    by = request.GET.get("by") or "park"
    if by not in fee_totals.GROUPINGS:
        by = "park"
    parks = Park.objects.visible_to(user)
    return render(
        request,
        "service/fees.html",
        {
            "rows": rows.filter(retired_at__isnull=True)[:500],
            "retired": rows.filter(retired_at__isnull=False).order_by("-retired_at")[:100],
            "totals": fee_totals.fee_totals(user, by=by),
            "by": by,
            "can_write": serves_firms(user),
            "may_review": is_city_admin(user),
            "writable_parks": set(parks.values_list("pk", flat=True)) if serves_firms(user) else set(),
            "parks": parks.order_by("code") if serves_firms(user) else [],
            "units": FeeUnit.choices,
            "periods": FeePeriod.choices,
            "decisions": FeeReview.choices,
            "form": request.POST,
        },
    )


_on_fee = RowPosts(ParkFee.objects.select_related("park"), "service:fees")
fee_review = _on_fee.post(
    lambda request: _city_admin(_reader(request), REVIEW_NOT_ALLOWED),
    gettext_noop("核查结论已记录"),
    lambda user, row, data: actions.fee_review(actor=user, fee=row, data=data),
    forms.FeeReviewForm,
    schema=True,
)


fee_retire = _on_fee.post(
    lambda request: _serving(_reader(request)),
    gettext_noop("收费已撤销，记录保留"),
    lambda user, row, data: actions.fee_retire(actor=user, fee=row, data=data),
    forms.RetireForm,
    schema=True,
)


@login_required
@require_http_methods(["POST"])
def park_service_retire(request: HttpRequest, code: str, service_type: str) -> HttpResponse:
    user = _serving(_reader(request))
    park = get_visible_or_404(Park.objects.all(), user, code=code)
    _take(
        request,
        forms.RetireForm(request.POST),
        lambda data: actions.park_service_retire(actor=user, park=park, service_type=service_type, data=data),
        _("服务清单项已撤下，记录保留"),
    )
    return redirect("service:park_services", code=park.code)


fee_report = _on_fee.post(
    _fee_reporter,
    gettext_noop("举报已提交，已转为“啄木鸟”诉求"),
    lambda user, row, data: actions.fee_report(actor=user, fee=row, data=data),
    forms.FeeReportForm,
    schema=True,
)


# ── service requests against the list's promise ──────────────────────────────────────────


@login_required
@require_http_methods(["POST"])
def service_request_new(request: HttpRequest, code: str, service_type: str) -> HttpResponse:
    """A firm of the park asks for a service of its list."""
    user = page_user(request)
    if not is_enterprise_user(user):
        raise PermissionDenied(_(REQUEST_NOT_ALLOWED))
    park = Park.objects.filter(code=code).first()
    line = service_standards.park_lines(user, park).get(service_type) if park is not None else None
    if park is None or line is None:
        raise Http404(_("园区服务清单中没有该项服务"))
    _take(
        request,
        forms.ServiceRequestForm(request.POST),
        lambda data: actions.service_request(actor=user, line=line, data=data),
        _("服务申请已提交，请留意承诺办结日期"),
    )
    return redirect("service:requests")


@login_required
def service_requests(request: HttpRequest) -> HttpResponse:
    """The service requests of the user's scope (a firm: its own), open first, each against its
    promised day."""
    user = page_user(request)
    if not is_enterprise_user(user):
        user = _reader(request)
    state = request.GET.get("state")
    rows: QuerySet[ServiceRequest] = (
        selectors.overdue_requests(user, on=clock.today())
        if state == "overdue"
        else ServiceRequest.objects.visible_to(user)
        .select_related("enterprise", "park", "line", "done_by")
        .order_by("-status", "due_on", "pk")
    )
    page = page_of(request, rows)
    writable = set(Park.objects.visible_to(user).values_list("pk", flat=True)) if serves_firms(user) else set()
    return render(
        request,
        "service/requests.html",
        {"page": page, "today": clock.today(), "writable_parks": writable, "state": state or ""},
    )


service_request_done = row_post(
    reader=lambda request: _serving(_reader(request)),
    rows=ServiceRequest.objects.all(),
    form=forms.ServiceRequestDoneForm,
    schema=True,
    step=lambda user, row, data: actions.service_request_done(actor=user, request=row, data=data),
    done=gettext_noop("服务申请已办结"),
    back="service:requests",
)


# ── project 陪跑 ────────────────────────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def companions(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    if request.method == "POST" and _writes(
        request,
        user,
        forms.CompanionForm(request.POST),
        actions.companion_open,
        _("陪跑项目已建立"),
    ):
        return redirect("service:companions")
    rows = CompanionProject.objects.visible_to(user).select_related("park", "specialist", "investment_project")
    return render(
        request,
        "service/companions.html",
        {
            "rows": rows[:300],
            "can_write": serves_firms(user),
            "parks": Park.objects.visible_to(user).order_by("code") if serves_firms(user) else [],
            "candidates": actions.specialist_candidates(user) if serves_firms(user) else [],
            "form": request.POST,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def companion(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    project = get_visible_or_404(
        CompanionProject.objects.select_related("park", "specialist", "investment_project"), user, pk=pk
    )
    if request.method == "POST" and _writes(
        request,
        user,
        forms.CompanionNoteForm(request.POST),
        lambda *, actor, data: actions.companion_note(actor=actor, project=project, data=data),
        _("陪跑记录已保存"),
    ):
        return redirect("service:companion", pk=project.pk)
    return render(
        request,
        "service/companion.html",
        {
            "project": project,
            "notes": project.notes.select_related("written_by"),
            "stages": CompanionStage.choices,
            "proposed": services.companion_stage_proposed(project),
            "can_write": serves_firms(user),
        },
    )
