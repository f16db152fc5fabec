"""Casework pages: the enterprise portal, the handler queue, the supervision board, the case page with
its action forms, statistics, notifications, visits and the published categories. Thin: read through
selectors (always `visible_to`), write through services, export through core.exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuanqu.casework import actions, attachments, clock, exports, forms, selectors, services, stats
from yuanqu.casework.models import ApprovalRequest, Case, CaseKind, Category, Visit
from yuanqu.casework.rules import rules
from yuanqu.core.access import get_visible_or_404
from yuanqu.core.confirm import unconfirmed
from yuanqu.core.exports import export_respond, xlsx_response
from yuanqu.core.forms import one_message, take_post
from yuanqu.core.listing import export_asked, page_of, say_ignored
from yuanqu.core.models import User
from yuanqu.core.pageauth import page_user
from yuanqu.core.pagecache import cached_page
from yuanqu.core.permissions import has_role
from yuanqu.core.roles import HOLIDAY_TABLE_KEEPERS, Role
from yuanqu.notifications.views import notices_page
from yuanqu.registry.models import District, Park, ResponsibleUnit


def _case_rows(cases: Any, today: dt.date) -> list[dict[str, Any]]:
    calendar = selectors.work_calendar()
    return [
        {"case": case, "overdue": case.is_overdue(today), "left": services.working_days_left(case, calendar, today)}
        for case in cases
    ]


def _common(user: User) -> dict[str, Any]:
    staff = user.role in services.STAFF_ROLES or user.is_superuser or user.role == Role.CITY_VIEWER
    # The holiday table's keepers see the warning on every page (the platform's base template).
    keeper = user.is_superuser or user.role in HOLIDAY_TABLE_KEEPERS
    return {
        "uncovered_years": selectors.uncovered_years_ahead() if staff and not keeper else [],
        "is_enterprise": user.role == Role.ENTERPRISE,
        "can_submit": services.may_enter(user),
        "can_log_visit": services.may_enter(user, Visit),
    }


# ── landing pages ───────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """Each role's front page: the portal for enterprises, the queue for handlers, otherwise the
    supervision board."""
    user = page_user(request, auditors=False)
    if user.role == Role.ENTERPRISE:
        return portal(request)
    if user.role == Role.HANDLER:
        return queue(request)
    return board(request)


@login_required
@require_GET
@cached_page("case_portal")
def portal(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    if user.role != Role.ENTERPRISE:
        return redirect("casework:board")
    today = clock.today()
    cases = selectors.case_list(user)
    waiting = cases.filter(status__in=(Case.Status.AWAITING_SUPPLEMENT, Case.Status.REPLIED))
    page = page_of(request, cases, per_page=30)
    return render(
        request,
        "casework/portal.html",
        {
            **_common(user),
            "page": page,
            "rows": _case_rows(page, today),
            "waiting": waiting,
            "categories": Category.objects.visible_to(user).filter(active=True, kind=CaseKind.REQUEST),
        },
    )


@login_required
@require_GET
@cached_page("case_queue")
def queue(request: HttpRequest) -> HttpResponse:
    user = page_user(request, auditors=False)
    today = clock.today()
    cases = selectors.handler_queue(user)
    to_accept = _case_rows(cases.filter(status=Case.Status.SUBMITTED), today)
    working = _case_rows(cases.exclude(status=Case.Status.SUBMITTED), today)
    return render(
        request,
        "casework/queue.html",
        {
            **_common(user),
            "to_accept": to_accept,
            "working": working,
            "today": today,
            "overdue_count": sum(1 for row in working if row["overdue"]),
            "follow_ups": selectors.overdue_follow_ups(user, today)[:50],
        },
    )


@login_required
@require_GET
@cached_page("case_board")
def board(request: HttpRequest) -> HttpResponse:
    user = page_user(request, auditors=False)
    if user.role == Role.ENTERPRISE:
        return redirect("casework:portal")
    today = clock.today()
    filters = selectors.CaseFilters.from_query(request.GET, user)
    say_ignored(request, filters)
    cases = selectors.case_list(user, filters)
    if export_asked(request):
        return export_respond(request, actor=user, code=exports.CASES, params=request.GET.dict())
    visible = selectors.case_list(user)
    page = page_of(request, cases)
    context = {
        **_common(user),
        "filters": filters,
        "page": page,
        "rows": _case_rows(page, today),
        "overdue": _case_rows(visible.overdue(today).order_by("deadline")[:20], today),
        "tiles": {
            "open": visible.open().count(),
            "overdue": visible.overdue(today).count(),
            "unanswered": visible.unanswered(today).count(),
            "appealed": visible.filter(status=Case.Status.APPEALED).count(),
            "uncovered": visible.open().filter(deadline_uncovered=True).count(),
        },
        "approvals": selectors.pending_approvals(user)[:30],
        "statuses": Case.Status.choices,
        "categories": Category.objects.all(),
        "units": ResponsibleUnit.objects.all(),
        "parks": Park.objects.visible_to(user).only("code", "name"),
        "districts": District.objects.visible_to(user),
    }
    template = "casework/_board_table.html" if request.htmx else "casework/board.html"  # type: ignore[attr-defined]
    return render(request, template, context)


# ── submission ──────────────────────────────────────────────────────────────────────────────


def _submit_categories(user: User) -> Any:
    categories = Category.objects.visible_to(user) if not user.is_city_wide else Category.objects.all()
    categories = categories.filter(active=True)
    if user.role == Role.ENTERPRISE:
        categories = categories.filter(kind=CaseKind.REQUEST)
    return categories


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    if not services.may_enter(user):
        raise PermissionDenied(_(services.SUBMIT_NOT_ALLOWED))
    categories = _submit_categories(user)
    category = categories.filter(code=request.POST.get("category") or request.GET.get("category") or "").first()
    errors: list[str] = []
    if request.method == "POST":
        form = forms.PostedForm(forms.CaseIn, request.POST, names={"answers": "answer"})
        made: list[Case] = []

        def submit(_cleaned: dict[str, Any]) -> str:
            made.append(actions.submit(actor=user, data=form.cleaned, files=request.FILES.getlist("files")))
            return _("已提交，编号 %(number)s") % {"number": made[0].number}

        # The form is long: its refusals are shown in place, above what was typed.
        if take_post(request, form, submit, refused=errors.extend, denied=True):
            case = made[0]
            if case.repeat_of is not None:
                messages.info(
                    request,
                    _("系统发现您在近期提交过类似诉求（%(number)s），已一并提示办理人员")
                    % {"number": case.repeat_of.number},
                )
            return redirect("casework:case_detail", number=case.number)
    return render(
        request,
        "casework/case_new.html",
        {
            **_common(user),
            "categories": categories,
            "category": category,
            "errors": errors,
            "form": request.POST,
            "prefill_enterprise": request.POST.get("enterprise") or request.GET.get("enterprise", ""),
            "channels": [c for c in Case.Channel.choices if c[0] != Case.Channel.ONLINE],
            "parks": Park.objects.visible_to(user).only("code", "name"),
            "max_mb": 10,
        },
    )


@login_required
@require_GET
def category_fields(request: HttpRequest) -> HttpResponse:
    """htmx partial: the chosen category's time limit, materials checklist and extra questions."""
    user = page_user(request)
    category = _submit_categories(user).filter(code=request.GET.get("category", "")).first()
    return render(request, "casework/_category_fields.html", {"category": category, "form": {}})


# ── the case page and its actions ─────────────────────────────────────────────────────────────


def _get_case(user: User, number: str) -> Case:
    return get_visible_or_404(
        Case.objects.select_related(
            "category",
            "enterprise",
            "park",
            "district",
            "lead_unit",
            "first_responder",
            "receiving_unit",
            "repeat_of",
        ),
        user,
        number=number,
    )


@login_required
@require_GET
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = page_user(request)
    case = _get_case(user, number)
    today = clock.today()
    calendar = selectors.work_calendar()
    actions = services.available_actions(user, case)
    staff = user.role != Role.ENTERPRISE
    questions = {str(q.get("code")): q.get("label", q.get("code")) for q in case.category.questions or []}
    approvals = case.approvals.select_related("requested_by", "decided_by")
    if not staff:
        approvals = approvals.filter(kind=ApprovalRequest.Kind.EXTENSION)
    return render(
        request,
        "casework/case_detail.html",
        {
            **_common(user),
            "case": case,
            "today": today,
            "staff": staff,
            "actions": actions,
            "overdue": case.is_overdue(today),
            "left": services.working_days_left(case, calendar, today),
            "used": services.working_days_used(case, calendar, today) if case.is_open else None,
            "events": selectors.timeline(user, case),
            "answers": [(questions.get(code, code), value) for code, value in (case.answers or {}).items()],
            "co_units": case.co_units.all(),
            "approvals": approvals,
            "pending_approvals": [a for a in approvals if a.status == ApprovalRequest.Status.PENDING],
            "ratings": selectors.ratings_for(case),
            "transfers": case.transfers.select_related("from_unit", "to_unit") if staff else [],
            "units": ResponsibleUnit.objects.all() if actions & {"assign", "transfer"} else [],
            "levels": rules().levels,
            "follow_up_levels": rules().follow_up_levels,
            "handover_candidates": _handover_candidates(case) if "handover" in actions else [],
        },
    )


def _handover_candidates(case: Case) -> list[User]:
    staff = User.objects.filter(is_active=True, role__in=services.STAFF_ROLES)
    if case.first_responder_id is not None:
        staff = staff.exclude(pk=case.first_responder_id)
    return [user for user in staff[:200] if services.is_staff_on(user, case)]


@login_required
@require_POST
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Any action of the case page: its input read through the action's schema (the API's body), then
    its service; every refusal comes back as a message on the case page."""
    user = page_user(request)
    case = _get_case(user, number)
    spec = actions.ACTIONS.get(action)
    if spec is None:
        raise Http404(_("未知操作"))
    if spec.confirm and unconfirmed(request):
        return redirect("casework:case_detail", number=case.number)
    form = forms.PostedForm(spec.schema, request.POST)

    def perform(_cleaned: dict[str, Any]) -> str:
        actions.perform(
            spec,
            actor=user,
            case=case,
            data=form.cleaned,
            files=request.FILES.getlist("files") if spec.files else (),
            approval_id=forms.approval_named(request.POST) if spec.approval else None,
        )
        return _(spec.done)

    take_post(request, form, perform, refused=one_message(request), denied=True)
    return redirect("casework:case_detail", number=case.number)


@login_required
@require_GET
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    return attachments.attachment_download(actor=page_user(request), attachment_id=attachment_id)


# ── statistics ──────────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    if not stats.may_read_statistics(user):
        raise PermissionDenied(_(stats.ERR_NO_STATS))
    by = request.GET.get("by", "unit")
    if by not in stats.GROUPINGS:
        by = "unit"
    filters = selectors.CaseFilters.from_query(request.GET, user)
    say_ignored(request, filters)
    rows, total = stats.case_statistics(user, by=by, filters=filters)
    if request.GET.get("export") == "xlsx":
        headers = [_(header) for header in stats.STAT_HEADERS]
        headers[0] = _(stats.GROUPINGS[by][1])
        # The file name is also the audit log's object_repr, so it stays in the platform's language.
        return xlsx_response(
            actor=user,
            filename=f"啄木鸟诉求统计-按{stats.GROUPINGS[by][1]}",
            object_type="casework.Statistics",
            sheets=[(_("统计"), headers, stats.stat_rows_for_export(rows, total))],
            detail=request.GET.urlencode(),
        )
    if by == "category":
        # The rows are grouped by the stored (Chinese) name; the page shows each in its language.
        names = {category.name: category.display_name for category in Category.objects.exclude(name_en="")}
        rows = [replace(row, label=names.get(row.label, row.label)) for row in rows]
    return render(
        request,
        "casework/stats.html",
        {
            **_common(user),
            "rows": rows,
            "total": total,
            "by": by,
            "by_label": _(stats.GROUPINGS[by][1]),
            "groupings": [(key, _(label)) for key, label in stats.GROUPING_OPTIONS.items()],
            "filters": filters,
            "categories": Category.objects.all(),
            "districts": District.objects.visible_to(user),
        },
    )


# ── notifications, visits, categories ────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    return notices_page(
        request,
        "casework/notifications.html",
        selectors.notifications_for(user),
        user=user,
        context=_common(user),
        posted=lambda: forms.PostedForm(forms.ReadIn, request.POST, names={"ids": "id"}),
        mark_read=lambda form: services.notifications_mark_read(user=user, ids=form.cleaned.ids),
        after="casework:notifications",
        refused=one_message(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def visits(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    if not (has_role(user, services.STAFF_ROLES) or user.is_city_wide):
        raise PermissionDenied(_("无走访记录权限"))
    if request.method == "POST":
        form = forms.VisitForm(request.POST)
        logged: list[Visit] = []

        def log(cleaned: dict[str, Any]) -> str:
            logged.append(actions.visit(actor=user, data=form.visit()))
            return _("走访记录已保存")

        if take_post(request, form, log) and form.cleaned_data["then"] == "case":
            return redirect(f"{reverse('casework:case_new')}?enterprise={logged[0].enterprise.uscc}")
        return redirect("casework:visits")
    page = page_of(request, Visit.objects.visible_to(user).select_related("enterprise", "visited_by"))
    return render(request, "casework/visits.html", {**_common(user), "page": page, "today": clock.today()})


@login_required
@require_GET
def categories(request: HttpRequest) -> HttpResponse:
    user = page_user(request, auditors=False)
    policy = rules()
    return render(
        request,
        "casework/categories.html",
        {
            **_common(user),
            "categories": Category.objects.filter(active=True).select_related("default_unit"),
            "policy": policy,
        },
    )
