"""能碳 pages: the overview of the parks' carbon accounts with their 零碳 standing, a park's carbon
account, a firm's energy page, and the city administrator's button that rebuilds every account
(a background job). Reads through `energy.selectors` (404 outside the scope)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from yuanqu.core.pageauth import page_user
from yuanqu.core.permissions import has_role, is_city_admin
from yuanqu.core.roles import Role
from yuanqu.energy import selectors
from yuanqu.energy.jobs import carbon_job_start
from yuanqu.energy.rules import config


def _year(request: HttpRequest) -> int | None:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


def _month(request: HttpRequest) -> int:
    text = request.GET.get("month", "")
    return int(text) if text.isdigit() and 1 <= int(text) <= 12 else 0


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = page_user(request, auditors=False)
    year = _year(request) or selectors.latest_year(user)
    rows = selectors.parks_overview(user, year) if year else []
    month = _month(request)  # the chain table's period: 0 the year, else the months 1 to this one
    return render(
        request,
        "energy/overview.html",
        {
            "year": year,
            "rows": rows,
            "qualifying": [row for row in rows if row.qualifies],
            "chains": selectors.chain_accounts(user, year, month) if year else [],
            "chain_month": month,
            "months": range(1, 13),
            "green": selectors.green_manufacturing(user, year or timezone.localdate().year),
            "city": selectors.accounts(user).filter(level="city", year=year or 0, month=0).first(),
            "own_firm": user.enterprise if has_role(user, (Role.ENTERPRISE,)) else None,
            "can_recompute": is_city_admin(user),
            "settings": config(),
        },
    )


@login_required
@require_GET
def park(request: HttpRequest, code: str) -> HttpResponse:
    user = page_user(request, auditors=False)
    carbon = selectors.park_carbon(user, selectors.carbon_park(user, code), _year(request))
    warnings = selectors.park_warnings(user, carbon.park)
    green = selectors.green_manufacturing(user, carbon.year or timezone.localdate().year, carbon.park)
    base = selectors.base_year()
    changes = selectors.account_changes(carbon.trend, carbon.year, base) if carbon.year else []
    return render(
        request,
        "energy/park.html",
        {
            "carbon": carbon,
            "settings": config(),
            "warnings": warnings,
            "green": green,
            "changes": changes,
            "base_year": base,
        },
    )


@login_required
@require_GET
def enterprise(request: HttpRequest, uscc: str) -> HttpResponse:
    user = page_user(request, auditors=False)
    energy = selectors.firm_energy(user, selectors.carbon_enterprise(user, uscc))
    warnings = selectors.firm_warnings(user, energy.enterprise, energy.months)
    return render(request, "energy/enterprise.html", {"energy": energy, "settings": config(), "warnings": warnings})


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    job = carbon_job_start(actor=page_user(request))  # 403 for anyone but a city administrator
    return redirect("jobs:detail", pk=job.pk)
