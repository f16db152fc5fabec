"""Casework pages: the enterprise portal, the handler queue, the supervision board, the case page with
its action forms, statistics, notifications, visits and the published categories. Thin: read through
selectors (always `visible_to`), write through services, export through core.exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuanqu.casework import clock, selectors, services, stats
from yuanqu.casework.models import ApprovalRequest, Case, CaseKind, Category, SatisfactionLevel, Visit
from yuanqu.casework.rules import rules
from yuanqu.core.access import get_visible_or_404
from yuanqu.core.audit import audit_download
from yuanqu.core.confirm import NOT_CONFIRMED, confirmed
from yuanqu.core.exports import xlsx_response
from yuanqu.core.models import User
from yuanqu.core.roles import HOLIDAY_TABLE_KEEPERS, Role
from yuanqu.registry.models import District, Park, ResponsibleUnit

STATS_READER_ROLES = frozenset(
    {Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR, Role.HANDLER}
)


def _member(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _deny_auditor(user: User) -> None:
    # 审计员 reads the audit log only (DESIGN.md, Access).
    if user.role == Role.AUDITOR and not user.is_superuser:
        raise PermissionDenied(_("审计员只能查看审计日志"))


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
        "unread": selectors.unread_count(user),
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
    user = _member(request)
    _deny_auditor(user)
    if user.role == Role.ENTERPRISE:
        return portal(request)
    if user.role == Role.HANDLER:
        return queue(request)
    return board(request)


@login_required
@require_GET
def portal(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    if user.role != Role.ENTERPRISE:
        return redirect("casework:board")
    today = clock.today()
    cases = selectors.case_list(user)
    waiting = cases.filter(status__in=(Case.Status.AWAITING_SUPPLEMENT, Case.Status.REPLIED))
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
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
def queue(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    _deny_auditor(user)
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
def board(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    _deny_auditor(user)
    if user.role == Role.ENTERPRISE:
        return redirect("casework:portal")
    today = clock.today()
    filters = selectors.CaseFilters.from_query(request.GET)
    cases = selectors.case_list(user, filters)
    if request.GET.get("export") == "xlsx":
        return _export_cases(user, cases, today, request.GET.urlencode())
    visible = selectors.case_list(user)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
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


EXPORT_HEADERS = [
    gettext_noop("编号"),
    gettext_noop("类型"),
    gettext_noop("类别"),
    gettext_noop("标题"),
    gettext_noop("企业"),
    gettext_noop("园区"),
    gettext_noop("所属区"),
    gettext_noop("来源"),
    gettext_noop("状态"),
    gettext_noop("提交时间"),
    gettext_noop("受理时间"),
    gettext_noop("首问负责人"),
    gettext_noop("牵头单位"),
    gettext_noop("办理期限"),
    gettext_noop("超期"),
    gettext_noop("答复时间"),
    gettext_noop("按期办结"),
    gettext_noop("评价"),
    gettext_noop("已解决"),
    gettext_noop("重复诉求"),
]


def _export_cases(user: User, cases: Any, today: dt.date, detail: str) -> HttpResponse:
    headers = [_(header) for header in EXPORT_HEADERS]
    rows = (
        [
            c.number,
            c.get_kind_display(),
            c.category.name,
            c.title,
            c.enterprise.name if c.enterprise else "",
            c.park.name if c.park else "",
            c.district.name,
            c.get_channel_display(),
            c.get_status_display(),
            c.submitted_at,
            c.accepted_at,
            str(c.first_responder or ""),
            c.lead_unit.name if c.lead_unit else "",
            c.deadline,
            c.is_overdue(today),
            c.replied_at,
            c.finished_on_time,
            SatisfactionLevel(c.rating_level).label if c.rating_level else "",
            c.resolved,
            c.repeat_of.number if c.repeat_of else "",
        ]
        for c in cases.select_related("repeat_of").iterator(chunk_size=1000)
    )
    # The file name is also the audit log's object_repr, so it stays in the platform's language.
    return xlsx_response(
        actor=user,
        filename="啄木鸟诉求",
        object_type="casework.Case",
        sheets=[(pgettext("plural", "诉求"), headers, rows)],
        detail=detail,
    )


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
    user = _member(request)
    if not services.may_enter(user):
        raise PermissionDenied(_(services.SUBMIT_NOT_ALLOWED))
    categories = _submit_categories(user)
    category = categories.filter(code=request.POST.get("category") or request.GET.get("category") or "").first()
    errors: list[str] = []
    if request.method == "POST":
        answers = {key[len("answer_") :]: value for key, value in request.POST.items() if key.startswith("answer_")}
        try:
            if category is None:
                raise ValidationError({"category": _("请选择诉求类别")})
            enterprise = None
            uscc = (request.POST.get("enterprise") or "").strip().upper()
            if uscc and user.role != Role.ENTERPRISE:
                enterprise = services.enterprise_for_entry(actor=user, uscc=uscc)
            park = Park.objects.visible_to(user).filter(code=request.POST.get("park") or "").first()
            case = services.case_submit(
                actor=user,
                category=category,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                enterprise=enterprise,
                park=park,
                answers=answers,
                channel=request.POST.get("channel") or None,
                contact_name=request.POST.get("contact_name", ""),
                contact_phone=request.POST.get("contact_phone", ""),
                files=request.FILES.getlist("files"),
            )
        except PermissionDenied as exc:
            errors = [str(exc)]
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("已提交，编号 %(number)s") % {"number": case.number})
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
    user = _member(request)
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
    user = _member(request)
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


def _items(request: HttpRequest) -> list[str]:
    raw = request.POST.get("items", "")
    return [line.strip(" 　;；、") for line in raw.splitlines() if line.strip(" 　;；、")]


def _unit(request: HttpRequest, key: str) -> ResponsibleUnit | None:
    code = request.POST.get(key) or ""
    return ResponsibleUnit.objects.filter(code=code).first() if code else None


def _bool(request: HttpRequest, key: str) -> bool:
    return request.POST.get(key) in {"1", "true", "on", "yes"}


def _answer(request: HttpRequest, key: str) -> bool | None:
    """A yes/no question answered explicitly (two radio buttons): None when not answered."""
    value = request.POST.get(key)
    return True if value == "1" else False if value == "0" else None


def _approval(request: HttpRequest, case: Case) -> ApprovalRequest:
    approval = case.approvals.filter(pk=request.POST.get("approval") or 0).first()
    if approval is None:
        raise Http404(_("审批事项不存在"))
    approval.case = case
    return approval


def _handover_target(request: HttpRequest) -> User:
    raw = request.POST.get("to_user") or ""
    target = User.objects.filter(pk=int(raw), is_active=True).first() if raw.isdigit() else None
    if target is None:
        raise ValidationError({"to_user": _(services.HANDOVER_TARGET)})
    return target


Action = Callable[[HttpRequest, User, Case, int], Any]
ACTIONS: dict[str, tuple[str, Action]] = {
    "accept": (
        gettext_noop("已受理"),
        lambda r, u, c, v: services.case_accept(actor=u, case=c, version=v, note=r.POST.get("note", "")),
    ),
    "reject": (
        gettext_noop("已不予受理"),
        lambda r, u, c, v: services.case_reject(actor=u, case=c, version=v, reason=r.POST.get("reason", "")),
    ),
    "notice": (
        gettext_noop("已发出一次性告知"),
        lambda r, u, c, v: services.case_notify_missing(
            actor=u, case=c, version=v, items=_items(r), text=r.POST.get("text", "")
        ),
    ),
    "supplement": (
        gettext_noop("已提交补正材料"),
        lambda r, u, c, v: services.case_supplement(
            actor=u, case=c, version=v, text=r.POST.get("text", ""), files=r.FILES.getlist("files")
        ),
    ),
    "assign": (
        gettext_noop("已交办"),
        lambda r, u, c, v: services.case_assign(
            actor=u,
            case=c,
            version=v,
            lead_unit=_unit(r, "lead_unit"),
            co_units=list(ResponsibleUnit.objects.filter(code__in=r.POST.getlist("co_units"))),
            note=r.POST.get("note", ""),
        ),
    ),
    "start": (gettext_noop("已签收"), lambda r, u, c, v: services.case_start(actor=u, case=c, version=v)),
    "transfer": (
        gettext_noop("已转办"),
        lambda r, u, c, v: services.case_transfer(
            actor=u, case=c, version=v, to_unit=_unit(r, "to_unit"), reason=r.POST.get("reason", "")
        ),
    ),
    "reply": (
        gettext_noop("已答复"),
        lambda r, u, c, v: services.case_reply(
            actor=u, case=c, version=v, text=r.POST.get("text", ""), files=r.FILES.getlist("files")
        ),
    ),
    "rate": (
        gettext_noop("感谢您的评价"),
        lambda r, u, c, v: services.case_rate(
            actor=u,
            case=c,
            version=v,
            level=r.POST.get("level", ""),
            resolved=_answer(r, "resolved"),
            comment=r.POST.get("comment", ""),
            next_step=r.POST.get("next_step") or "close",
        ),
    ),
    "decide_appeal": (
        gettext_noop("申诉已处理"),
        lambda r, u, c, v: services.case_decide_appeal(
            actor=u, case=c, version=v, upheld=_bool(r, "upheld"), text=r.POST.get("text", "")
        ),
    ),
    "close": (
        gettext_noop("已办结"),
        lambda r, u, c, v: services.case_close(actor=u, case=c, version=v, note=r.POST.get("note", "")),
    ),
    "withdraw": (
        gettext_noop("已撤回"),
        lambda r, u, c, v: services.case_withdraw(actor=u, case=c, version=v, reason=r.POST.get("reason", "")),
    ),
    "request_extension": (
        gettext_noop("延期申请已提交"),
        lambda r, u, c, v: services.case_request_extension(
            actor=u, case=c, days=int(r.POST.get("days") or 0), reason=r.POST.get("reason", "")
        ),
    ),
    "request_clarification": (
        gettext_noop("再次补正申请已提交"),
        lambda r, u, c, v: services.case_request_clarification(
            actor=u, case=c, items=_items(r), reason=r.POST.get("reason", "")
        ),
    ),
    "decide_approval": (
        gettext_noop("审批已完成"),
        lambda r, u, c, v: services.case_decide_approval(
            actor=u, approval=_approval(r, c), version=v, approve=_bool(r, "approve"), note=r.POST.get("note", "")
        ),
    ),
    "remind": (
        gettext_noop("已催办"),
        lambda r, u, c, v: services.case_remind(actor=u, case=c, note=r.POST.get("note", "")),
    ),
    "comment": (
        gettext_noop("留言已发送"),
        lambda r, u, c, v: services.case_comment(
            actor=u,
            case=c,
            text=r.POST.get("text", ""),
            to_enterprise=_bool(r, "to_enterprise"),
            files=r.FILES.getlist("files"),
        ),
    ),
    "handover": (
        gettext_noop("首问负责人已移交"),
        lambda r, u, c, v: services.case_hand_over(
            actor=u, case=c, version=v, to_user=_handover_target(r), reason=r.POST.get("reason", "")
        ),
    ),
    "follow_up": (
        gettext_noop("已记录回访"),
        lambda r, u, c, v: services.case_follow_up(actor=u, case=c, note=r.POST.get("note", "")),
    ),
    "attach": (
        gettext_noop("附件已上传"),
        lambda r, u, c, v: services.case_attach(
            actor=u, case=c, files=r.FILES.getlist("files"), visible_to_enterprise=_bool(r, "visible_to_enterprise")
        ),
    ),
}


# Actions that end a case for good: the page asks for the ticked confirmation box (core.confirm).
CONFIRMED_ACTIONS = frozenset({"reject", "close", "withdraw"})


@login_required
@require_POST
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    user = _member(request)
    case = _get_case(user, number)
    if action not in ACTIONS:
        raise Http404(_("未知操作"))
    done, run = ACTIONS[action]
    if action in CONFIRMED_ACTIONS and not confirmed(request):
        messages.error(request, _(NOT_CONFIRMED))
        return redirect("casework:case_detail", number=case.number)
    try:
        version = int(request.POST.get("version") or 0)
    except ValueError:
        version = 0
    try:
        run(request, user, case, version)
    except services.CaseConflictError:
        messages.error(request, _(services.CONFLICT))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("无权操作"))
    except (ValidationError, ValueError) as exc:
        messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else _("输入有误"))
    else:
        messages.success(request, _(done))
    return redirect("casework:case_detail", number=case.number)


@login_required
@require_GET
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = selectors.attachment_for_download(_member(request), attachment_id)
    if attachment is None:
        raise Http404(_("附件不存在或不在您的权限范围内"))
    audit_download(actor=_member(request), obj=attachment, name=attachment.original_name)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# ── statistics ──────────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    if user.role not in STATS_READER_ROLES and not user.is_superuser:
        raise PermissionDenied(_("无统计查看权限"))
    by = request.GET.get("by", "unit")
    if by not in stats.GROUPINGS:
        by = "unit"
    filters = selectors.CaseFilters.from_query(request.GET)
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
    user = _member(request)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
        services.notifications_mark_read(user=user, ids=ids)
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse("")
        return redirect("casework:notifications")
    page = Paginator(selectors.notifications_for(user), 50).get_page(request.GET.get("page"))
    return render(request, "casework/notifications.html", {**_common(user), "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def visits(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    if user.role not in services.STAFF_ROLES and not user.is_city_wide:
        raise PermissionDenied(_("无走访记录权限"))
    errors: list[str] = []
    if request.method == "POST":
        uscc = (request.POST.get("enterprise") or "").strip().upper()
        try:
            if not services.may_enter(user, Visit):
                raise PermissionDenied(_(services.VISIT_NOT_ALLOWED))
            enterprise = services.enterprise_for_entry(actor=user, uscc=uscc)
            visited_on = dt.date.fromisoformat(request.POST.get("visited_on") or "")
            services.visit_log(
                actor=user, enterprise=enterprise, visited_on=visited_on, summary=request.POST.get("summary", "")
            )
        except PermissionDenied as exc:
            errors = [str(exc)]
        except ValidationError as exc:
            errors = exc.messages
        except ValueError:
            errors = [_("走访日期格式应为 YYYY-MM-DD")]
        else:
            messages.success(request, _("走访记录已保存"))
            if request.POST.get("then") == "case":
                return redirect(f"{reverse('casework:case_new')}?enterprise={uscc}")
            return redirect("casework:visits")
    page = Paginator(Visit.objects.visible_to(user).select_related("enterprise", "visited_by"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "casework/visits.html",
        {
            **_common(user),
            "page": page,
            "errors": errors,
            "form": request.POST,
            "today": clock.today(),
        },
    )


@login_required
@require_GET
def categories(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    _deny_auditor(user)
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
