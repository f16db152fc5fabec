"""要素保障 pages: the land supply register with the 弹性供地 share per district and year, the
start-price compliance and the record form; the award and subsidy ledger with its totals, the
产业名园 awards generated from a confirmed selection, and the reconciliation export (.xlsx); the
grants, payments and claw-backs recorded on the page; the 产业基金 register (funds, a fund's
portfolio, investments and exits, the capital invested by chain, park and stage); the 联席会议
meetings with their decisions (督办 tasks) and the escalated park problems on their agenda; the
用地计划 of each district against its projects' land needs, with the city's top-up. Thin: read
through the selectors (`visible_to`), write through `actions` (the services); 403 for a role that
has no part here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from yuanqu.casework import clock
from yuanqu.core.access import get_visible_or_404
from yuanqu.core.audit import audit_download
from yuanqu.core.exports import export_respond, xlsx_response
from yuanqu.core.forms import PageForm, take_post
from yuanqu.core.listing import list_page, page_of
from yuanqu.core.models import User
from yuanqu.core.pageauth import role_reader
from yuanqu.core.permissions import WriteDenied, has_role, is_city_admin
from yuanqu.core.roles import Role
from yuanqu.core.rowposts import RowPosts
from yuanqu.evaluation.models import EvaluationRun
from yuanqu.factors import actions, exports, forms, schemas, selectors, services
from yuanqu.factors.access import NO_ACCESS, READER_ROLES
from yuanqu.factors.config import config
from yuanqu.factors.models import (
    Fund,
    FundInvestment,
    FundKind,
    Instrument,
    InvestmentStage,
    LedgerEntry,
    LedgerKind,
    Meeting,
    MeetingMinutes,
    SupplyMethod,
)
from yuanqu.registry.models import District

_reader = role_reader(READER_ROLES, NO_ACCESS)
# A reader of the ledger and the funds: the 市财政局 too.
_ledger_reader = role_reader(READER_ROLES | {Role.FINANCE}, NO_ACCESS)


def _export(
    reader: Callable[[HttpRequest], User],
    code: str,
    params: Callable[..., dict[str, str]] = lambda _request, _user: {},
) -> Callable[..., HttpResponse]:
    """The page that hands over the registered export `code` as .xlsx (audited): the rows the user
    of `reader` sees, selected by `params(request, user, **url_keywords)`."""

    @login_required
    def view(request: HttpRequest, **keywords: Any) -> HttpResponse:
        user = reader(request)
        return export_respond(request, actor=user, code=code, params=params(request, user, **keywords))

    return view


def _may_record(user: User) -> bool:
    return has_role(user, services.LAND_WRITER_ROLES)


@login_required
def land(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    rows = selectors.land_supplies(user)
    if request.GET.get("flagged") == "1":
        rows = rows.filter(below_floor=True)
    page = page_of(request, rows)
    rules = config().land
    return render(
        request,
        "factors/land.html",
        {
            "page": page,
            "shares": selectors.flexible_shares(user),
            "methods": selectors.by_method(user),
            "compliance": selectors.price_compliance(user),
            "by_stage": selectors.by_project_stage(user),
            "rules": rules,
            "floor_percent": rules.start_price_floor * 100,
            "may_record": _may_record(user),
        },
    )


# The land supply register (`?flagged=1`: the sales below the line only), with the 弹性供地 share
# per district and year.
land_export = _export(
    _reader, exports.LAND, lambda request, _user: {"flagged": "1"} if request.GET.get("flagged") == "1" else {}
)


@login_required
@require_http_methods(["GET", "POST"])
def land_new(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    if not _may_record(user):
        raise PermissionDenied(_(NO_ACCESS))
    if request.method == "POST":
        form = forms.LandSupplyForm(request.POST)

        def record(data: dict[str, Any]) -> str:
            actions.land_supply(actor=user, data=schemas.LandSupplyIn.model_validate(form.schema_data()))
            return _("供地记录已登记")

        if take_post(request, form, record):
            return redirect("factors:land")
        # Refused: the form comes back with what was typed, the refusals shown as messages above it.
    return render(
        request,
        "factors/land_new.html",
        {"form": request.POST, "methods": SupplyMethod.choices, "rules": config().land},
    )


LEDGER_EXPORT_HEADERS = (
    gettext_noop("类别"),
    gettext_noop("支付方"),
    gettext_noop("所属区"),
    gettext_noop("园区"),
    gettext_noop("收款方"),
    gettext_noop("收款方统一社会信用代码"),
    gettext_noop("依据（政策）"),
    gettext_noop("决定文号"),
    gettext_noop("金额（万元）"),
    gettext_noop("年度"),
    gettext_noop("核定日期"),
    gettext_noop("状态"),
    gettext_noop("拨付日期"),
    gettext_noop("追回日期"),
)
RECONCILIATION_HEADERS = (
    gettext_noop("园区编码"),
    gettext_noop("园区"),
    gettext_noop("园区类型"),
    gettext_noop("名单核定奖励（万元）"),
    gettext_noop("台账金额（万元）"),
    gettext_noop("已拨付（万元）"),
    gettext_noop("差额（万元）"),
)


def _run_or_none(user: User, raw: str | None) -> EvaluationRun | None:
    runs = selectors.confirmed_runs(user)
    if raw and raw.isdigit():
        return runs.filter(pk=int(raw)).first()
    return runs.order_by("-year").first()


@login_required
@require_http_methods(["GET", "POST"])
def ledger(request: HttpRequest) -> HttpResponse:
    user = _ledger_reader(request)
    if request.method == "POST":
        form = forms.AwardsForm(request.POST)

        def generate(data: dict[str, Any]) -> str:
            actions.awards(actor=user, data=schemas.AwardsIn.model_validate(form.schema_data()))
            return _("产业名园奖励已按名单登记")

        take_post(request, form, generate)
        return redirect("factors:ledger")
    run = _run_or_none(user, request.GET.get("run"))
    asked = request.GET.get("by") or "year"
    by = asked if asked in selectors.LEDGER_GROUPS else "year"
    return render(
        request,
        "factors/ledger.html",
        {
            "page": page_of(request, selectors.ledger_entries(user)),
            "by": by,
            "groups": selectors.LEDGER_GROUPS,
            "totals": selectors.ledger_totals(user, by),
            "runs": selectors.confirmed_runs(user).order_by("-year"),
            "run": run,
            "reconciliation": selectors.award_reconciliation(user, run) if run is not None else [],
            "may_generate": is_city_admin(user),
            "may_write": _may_write_ledger(user),
            "grant_kinds": [(k, label) for k, label in LedgerKind.choices if k != LedgerKind.FAMOUS_PARK_AWARD],
            "today": clock.today(),
        },
    )


@login_required
def ledger_export(request: HttpRequest) -> HttpResponse:
    """The reconciliation for the finance bureau: the visible ledger and, for a confirmed selection,
    each selected park's award against the ledger; audited."""
    user = _ledger_reader(request)
    entries = selectors.ledger_entries(user)
    rows = (
        [
            e.get_kind_display(),
            e.payer,
            e.district.name,
            e.park.name if e.park else "",
            e.payee_name,
            e.payee_uscc,
            e.basis,
            e.decision_number,
            e.amount_wan_yuan,
            e.year,
            e.approved_on,
            e.get_status_display(),
            e.paid_on,
            e.clawed_back_on,
        ]
        for e in entries.iterator(chunk_size=1000)
    )
    sheets: list[tuple[str, Sequence[str], Iterable[Sequence[Any]]]] = [
        (_("奖补台账"), [_(h) for h in LEDGER_EXPORT_HEADERS], rows)
    ]
    run = _run_or_none(user, request.GET.get("run"))
    if run is not None:
        lines = selectors.award_reconciliation(user, run)
        sheets.append(
            (
                _("名单核对"),
                [_(h) for h in RECONCILIATION_HEADERS],
                [
                    [
                        line.park_code,
                        line.park_name,
                        line.park_type,
                        line.selection_wan_yuan,
                        line.ledger_wan_yuan,
                        line.paid_wan_yuan,
                        line.difference,
                    ]
                    for line in lines
                ],
            )
        )
    return xlsx_response(
        actor=user,
        filename="奖补台账对账",
        object_type="factors.LedgerEntry",
        sheets=sheets,
        detail="导出奖补台账对账表" + (f"（{run.year}年度名单）" if run is not None else ""),
    )


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    return list_page(request, "factors/meetings.html", selectors.meetings(user), actor=user)


# The 联席会议 register: the meetings and their decisions with the tasks' status.
meetings_export = _export(_reader, exports.MEETINGS)


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    row = get_visible_or_404(Meeting.objects.prefetch_related("units"), user, pk=pk)
    return render(
        request,
        "factors/meeting.html",
        {
            "meeting": row,
            "decisions": selectors.decisions(user, row, clock.today()),
            "problems": selectors.escalated_problems(user, row),
            "minutes": row.minutes.all(),
            "may_upload": is_city_admin(user),
        },
    )


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = _ledger_reader(request)
    return render(request, "factors/overview.html", {"o": selectors.overview(user, clock.today())})


@login_required
@require_http_methods(["POST"])
def minutes_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    row = get_visible_or_404(Meeting.objects.all(), user, pk=pk)

    def attach(data: dict[str, Any]) -> str:
        services.conference.minutes_attach(actor=user, meeting=row, files=request.FILES.getlist("files"))
        return _("会议纪要已保存")

    # The files are checked by core/attachments in the service; the form itself has no fields.
    take_post(request, PageForm(request.POST), attach)
    return redirect("factors:meeting", pk=row.pk)


@login_required
def minutes_download(request: HttpRequest, pk: int) -> FileResponse:
    user = _reader(request)
    found = MeetingMinutes.objects.filter(pk=pk).first()
    if found is None or not Meeting.objects.visible_to(user).filter(pk=found.meeting_id).exists():
        raise Http404("附件不存在或不在您的权限范围内")
    audit_download(actor=user, obj=found, name=found.original_name)
    response = FileResponse(
        found.file.open("rb"), content_type=found.content_type, as_attachment=True, filename=found.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ── 奖补台账: grants, payment and claw-back on the page ──────────────────────────────────────


def _may_write_ledger(user: User) -> bool:
    return has_role(user, services.LEDGER_WRITER_ROLES)


@login_required
@require_POST
def ledger_grant(request: HttpRequest) -> HttpResponse:
    user = _ledger_reader(request)
    if not _may_write_ledger(user):
        raise PermissionDenied(_(services.ledger.LEDGER_NOT_ALLOWED))
    form = forms.GrantForm(request.POST)

    def record(data: dict[str, Any]) -> str:
        actions.grant(actor=user, data=schemas.GrantIn.model_validate(form.schema_data()))
        return _("奖补已登记")

    take_post(request, form, record)
    return redirect("factors:ledger")


def _check_ledger_writer(user: User, row: LedgerEntry) -> None:
    if not _may_write_ledger(user):
        raise PermissionDenied(_(services.ledger.LEDGER_NOT_ALLOWED))


# A payment or a claw-back of one entry of the ledger, back to the ledger.
_on_entry = RowPosts(LedgerEntry.objects.select_related("district", "park"), "factors:ledger")
ledger_pay = _on_entry.post(
    _ledger_reader,
    gettext_noop("已登记拨付"),
    lambda user, row, data: actions.pay(actor=user, entry=row, data=data),
    forms.PayForm,
    schema=True,
    check=_check_ledger_writer,
)
ledger_claw_back = _on_entry.post(
    _ledger_reader,
    gettext_noop("已登记追回"),
    lambda user, row, data: actions.claw_back(actor=user, entry=row, data=data),
    forms.ClawBackForm,
    schema=True,
    check=_check_ledger_writer,
)


# ── 产业基金 ──────────────────────────────────────────────────────────────────────────────────


def _may_write_funds(user: User) -> bool:
    return has_role(user, services.funds.FUND_WRITER_ROLES)


def _fund_group(request: HttpRequest) -> str:
    asked = request.GET.get("by") or "chain"
    return asked if asked in selectors.FUND_GROUPS else "chain"


@login_required
@require_http_methods(["GET", "POST"])
def funds(request: HttpRequest) -> HttpResponse:
    """The register of funds with the capital invested by chain, park, district, stage, fund kind or
    year; the city (and a district, for its own funds) records a fund here."""
    user = _ledger_reader(request)
    if request.method == "POST":
        if not _may_write_funds(user):
            raise PermissionDenied(_(services.funds.FUND_NOT_ALLOWED))
        form = forms.FundForm(request.POST)

        def record(data: dict[str, Any]) -> str:
            row = actions.fund(actor=user, data=schemas.FundIn.model_validate(form.schema_data()))
            return _("产业基金“%(name)s”已登记") % {"name": row.name}

        take_post(request, form, record)
        return redirect("factors:funds")
    by = _fund_group(request)
    return render(
        request,
        "factors/funds.html",
        {
            "page": page_of(request, selectors.funds(user)),
            "by": by,
            "groups": selectors.FUND_GROUPS,
            "totals": selectors.fund_totals(user, by),
            "kinds": FundKind.choices,
            "may_record": _may_write_funds(user),
        },
    )


@login_required
def fund(request: HttpRequest, pk: int) -> HttpResponse:
    """A fund's portfolio: its investments the user may see, with their totals by chain and stage."""
    user = _ledger_reader(request)
    row = selectors.funds(user).get(pk=get_visible_or_404(Fund.objects.all(), user, pk=pk).pk)
    may_write = _may_write_funds(user) and (is_city_admin(user) or row.district_id == user.district_id)
    return render(
        request,
        "factors/fund.html",
        {
            "fund": row,
            "page": page_of(request, selectors.fund_investments(user, row)),
            "by_chain": selectors.fund_totals(user, "chain", row),
            "by_stage": selectors.fund_totals(user, "stage", row),
            "stages": InvestmentStage.choices,
            "instruments": Instrument.choices,
            "may_write": may_write,
            "today": clock.today(),
        },
    )


# The funds register: each fund, and the investments the user sees.
funds_export = _export(_ledger_reader, exports.FUNDS)
# A fund's portfolio: its investments the user sees, by chain and by stage (404 outside the scope).
fund_export = _export(
    _ledger_reader,
    exports.PORTFOLIO,
    lambda _request, user, pk: {"fund": str(get_visible_or_404(Fund.objects.all(), user, pk=pk).pk)},
)


@login_required
@require_POST
def fund_invest(request: HttpRequest, pk: int) -> HttpResponse:
    user = _ledger_reader(request)
    row = get_visible_or_404(Fund.objects.all(), user, pk=pk)
    form = forms.InvestmentForm(request.POST)

    def record(data: dict[str, Any]) -> str:
        actions.investment(actor=user, fund=row, data=schemas.InvestmentIn.model_validate(form.schema_data()))
        return _("基金投资已登记")

    try:
        services.funds.check_fund_scope(user, row)
    except WriteDenied as exc:
        raise PermissionDenied(str(exc)) from None
    take_post(request, form, record)
    return redirect("factors:fund", pk=row.pk)


@login_required
@require_POST
def investment_exit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _ledger_reader(request)
    row = get_visible_or_404(FundInvestment.objects.select_related("fund"), user, pk=pk)
    try:
        services.funds.check_fund_scope(user, row.fund)
    except WriteDenied as exc:
        raise PermissionDenied(str(exc)) from None
    form = forms.ExitForm(request.POST)

    def record(data: dict[str, Any]) -> str:
        actions.investment_exit(actor=user, row=row, data=schemas.ExitIn.model_validate(form.schema_data()))
        return _("投资退出已登记")

    take_post(request, form, record)
    return redirect("factors:fund", pk=row.fund_id)


# ── 用地计划 ──────────────────────────────────────────────────────────────────────────────────


def _may_plan(user: User) -> bool:
    return is_city_admin(user)


def _plan_year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or ""
    today = clock.today()
    return int(raw) if raw.isdigit() and services.plan.FIRST_YEAR <= int(raw) <= today.year + 1 else today.year


# The year's 用地计划, with the projects waiting for land.
land_plan_export = _export(_reader, exports.LAND_PLAN, lambda request, _user: {"year": str(_plan_year(request))})


@login_required
def land_plan(request: HttpRequest) -> HttpResponse:
    """Each district's plan of the year against the year's supply and the unmet land needs of its 招商
    projects signed or later; a shortfall, and the projects beyond the plan, shown before they wait."""
    user = _reader(request)
    today = clock.today()
    year = _plan_year(request)
    return render(
        request,
        "factors/land_plan.html",
        {
            "year": year,
            "years": range(today.year + 1, services.plan.FIRST_YEAR - 1, -1),
            "lines": selectors.land_plan(user, year),
            "districts": District.objects.order_by("code") if _may_plan(user) else [],
            "may_plan": _may_plan(user),
        },
    )


def _plan_post(request: HttpRequest, form: PageForm, act: Any) -> HttpResponse:
    user = _reader(request)
    if not _may_plan(user):
        raise PermissionDenied(_(services.plan.PLAN_CITY_ONLY))
    assert form.schema is not None
    schema = form.schema

    def record(data: dict[str, Any]) -> str:
        row = act(actor=user, data=schema.model_validate(form.schema_data()))
        return _("%(district)s%(year)s年度用地计划已登记") % {"district": row.district.name, "year": row.year}

    take_post(request, form, record)
    # Back to the year the form read (its cleaned value), or to the page's default year.
    year = form.cleaned_data.get("year")
    return redirect(f"{reverse('factors:land_plan')}?year={year}" if year else reverse("factors:land_plan"))


@login_required
@require_POST
def land_plan_quota(request: HttpRequest) -> HttpResponse:
    return _plan_post(request, forms.QuotaForm(request.POST), actions.quota)


@login_required
@require_POST
def land_plan_topup(request: HttpRequest) -> HttpResponse:
    return _plan_post(request, forms.TopUpForm(request.POST), actions.topup)
