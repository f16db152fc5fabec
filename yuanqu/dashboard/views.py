"""Cockpit (驾驶舱), 一园一档 park profiles and district pages, with their .xlsx exports. Thin: read
through dashboard.selectors (always `visible_to`), 404 outside the user's scope, export through
core.exports (audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET

from yuanqu.casework import clock
from yuanqu.core.access import get_visible_or_404
from yuanqu.core.exports import xlsx_response
from yuanqu.core.language import localised
from yuanqu.core.listing import say_ignored
from yuanqu.core.models import User
from yuanqu.core.pageauth import page_user
from yuanqu.core.pagecache import cached_page
from yuanqu.core.readcache import cached_read
from yuanqu.dashboard import selectors
from yuanqu.dashboard.pack import dashboard_policy
from yuanqu.dashboard.selectors import screen as screen_selectors
from yuanqu.dashboard.tables import Sheet, cockpit_sheets, district_sheets, profile_sheets
from yuanqu.energy import selectors as energy_selectors
from yuanqu.factors.selectors import cockpit_section as factors_cockpit
from yuanqu.indicators import catalogue
from yuanqu.investment import selectors as investment_selectors
from yuanqu.registry.models import District, Park
from yuanqu.registry.park_types import park_type_names
from yuanqu.talent.queries import cockpit_talent, park_talent
from yuanqu.targets.models import quarter_start


def _reader(request: HttpRequest) -> User:
    user = page_user(request)
    if not selectors.may_read(user):
        raise PermissionDenied(gettext("驾驶舱和一园一档仅对市、区和园区用户开放"))
    return user


def _last_quarter() -> dict[str, str]:
    """The last finished quarter, which the quarterly report link offers."""
    start = quarter_start(quarter_start(timezone.localdate()) - dt.timedelta(days=1))
    quarter = (start.month - 1) // 3 + 1
    # The label is targets.models.quarter_label's, in the page's language.
    return {
        "key": f"{start.year}Q{quarter}",
        "label": gettext("%(year)s年第%(quarter)s季度") % {"year": start.year, "quarter": quarter},
    }


def _profile_prefix() -> str:
    # The profile URL of a park is this prefix plus its code and "/": the map links parks by code.
    return reverse("dashboard:park_profile", args=["_"]).removesuffix("_/")


def _cockpit_panels(
    user: User, filters: selectors.CockpitFilters, screen: bool, data: selectors.Cockpit
) -> dict[str, Any]:
    """The cockpit's read models besides the grid: the 大屏's charts, and the 能碳, 精准招商, 人才直通车
    and 要素保障 panels, for the same reader and filters (cached with the grid: `cached_read`)."""
    if screen:
        mujun = screen_selectors.mujun_summary(user, [park.code for park in data.parks])
        return {
            "mujun": mujun,
            "screen_charts": {
                "cases": screen_selectors.case_chart(data.cases),
                "mujun": mujun.as_json() if mujun is not None else None,
            },
            "investment": investment_selectors.cockpit_panel(user),
            "carbon": None,
            "talent": None,
            "factors": None,
        }
    return {
        "mujun": None,
        "screen_charts": None,
        # The 能碳 panel (energy app), for the parks of the same filters; not on the big screen.
        "carbon": energy_selectors.cockpit_panel(user, filters.parks(user)),
        # 精准招商 below the grid (on the 大屏 a one-line strip: investment/_screen_strip.html).
        "investment": investment_selectors.cockpit_panel(user),
        # 人才直通车 for the same filters: the parks of a district or park type, the openings' chain.
        "talent": cockpit_talent(
            user,
            on=timezone.localdate(),
            parks=filters.parks(user) if filters.district or filters.park_type else None,
            chain=filters.chain,
        ),
        "factors": factors_cockpit(user, clock.today()),
    }


@login_required
@require_GET
@cached_page("cockpit")
def cockpit(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    filters = selectors.CockpitFilters.from_query(request.GET, user)
    say_ignored(request, filters)
    screen = request.GET.get("screen") == "1"
    data = cached_read("cockpit", user, filters, lambda: selectors.cockpit(user, filters))
    # Every panel is a read model of its own app; together they cost far more than the grid (the
    # 人才直通车 panel alone reads every opening), so they are cached as one, beside it.
    panels = cached_read(
        "cockpit_panels", user, (filters, screen), lambda: _cockpit_panels(user, filters, screen, data)
    )
    policy = dashboard_policy()
    query = request.GET.copy()
    query.pop("screen", None)
    chart_data = data.as_json(_profile_prefix())
    if screen:
        # The 大屏 charts 诉求统计 by district and the 亩均 grades (not on the page, which has their pages).
        chart_data["screen"] = panels["screen_charts"]
    return render(
        request,
        "dashboard/cockpit.html",
        {
            "c": data,
            "screen": screen,
            "carbon": panels["carbon"],
            # A district's parks fill the map; the city's keep the whole city in view.
            "fit_parks": bool(filters.district) or not user.is_city_wide,
            "query": query.urlencode(),
            "park_types": list(park_type_names().items()),
            "cockpit_title": localised(policy.title, policy.title_en),
            "chart_data": chart_data,
            "mujun": panels["mujun"],
            "quarter": _last_quarter(),
            "investment": panels["investment"],
            "talent": panels["talent"],
            "factors": panels["factors"],
        },
    )


@login_required
@require_GET
def cockpit_export(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    data = selectors.cockpit(user, selectors.CockpitFilters.from_query(request.GET, user))
    return xlsx_response(
        actor=user,
        filename=gettext("驾驶舱"),
        object_type="dashboard.Cockpit",
        sheets=cockpit_sheets(data),
        detail=request.GET.urlencode(),
    )


def _park(request: HttpRequest, code: str) -> tuple[User, Park]:
    user = _reader(request)
    park = get_visible_or_404(Park.objects.select_related("district"), user, code=code)
    return user, park


@login_required
@require_GET
@cached_page("park_profile")
def park_profile(request: HttpRequest, code: str) -> HttpResponse:
    user, park = _park(request, code)
    profile = cached_read("park_profile", user, park.code, lambda: selectors.park_profile(user, park))
    # The 人才直通车 and 能碳 cards, read models of their apps, cached beside the profile.
    talent, carbon = cached_read(
        "park_profile_cards",
        user,
        park.code,
        lambda: (park_talent(user, park, on=timezone.localdate()), energy_selectors.park_latest(user, park)),
    )
    return render(
        request,
        "dashboard/park_profile.html",
        {
            "p": profile,
            "park": park,
            "chart_data": profile.chart_json(),
            "boundary_json": park.boundary,
            "talent": talent,
            "carbon": carbon,
        },
    )


@login_required
@require_GET
def park_export(request: HttpRequest, code: str) -> HttpResponse:
    return _profile_export(request, code, PARK_EXPORT)


def _district(request: HttpRequest, code: str) -> tuple[User, District]:
    user = _reader(request)
    district = get_visible_or_404(District.objects.all(), user, code=code)
    if not selectors.district_visible(user, district):
        raise Http404(gettext("对象不存在或不在您的权限范围内"))
    return user, district


@login_required
@require_GET
@cached_page("district_profile")
def district_profile(request: HttpRequest, code: str) -> HttpResponse:
    user, district = _district(request, code)
    page = cached_read("district_profile", user, district.code, lambda: selectors.district_page(user, district))
    revenue = catalogue.indicator(dashboard_policy().district_year_indicator)
    chart_data: dict[str, Any] = {
        "indicator": {
            "code": revenue.code,
            "name": selectors.indicator_name(revenue),
            "unit": revenue.unit,
            "direction": revenue.direction,
        },
        "colour": "type",
        "parks": page.parks_json,
        "monthly": [trend.as_json() for trend in page.monthly],
        "annual": [trend.as_json() for trend in page.annual],
        "profile": _profile_prefix(),
        "labels": selectors.chart_labels(),
    }
    return render(request, "dashboard/district.html", {"d": page, "chart_data": chart_data})


@login_required
@require_GET
def district_export(request: HttpRequest, code: str) -> HttpResponse:
    return _profile_export(request, code, DISTRICT_EXPORT)


@dataclass(frozen=True)
class ProfileExport:
    """A profile page as a spreadsheet: the page's row (read within the reader's scope, as the page
    reads it), its read model, the sheets made from it, and how the file and the audit entry name it."""

    find: Callable[[HttpRequest, str], tuple[User, Any]]
    read: Callable[[User, Any], Any]
    sheets: Callable[[Any], list[Sheet]]
    filename: str  # with the row's name as %(<place>)s
    place: str
    object_type: str
    detail: str  # the audit entry's detail, before the row's code; data, in the platform's language


PARK_EXPORT = ProfileExport(
    _park, selectors.park_profile, profile_sheets, gettext_noop("一园一档-%(park)s"), "park", "registry.Park", "园区"
)
DISTRICT_EXPORT = ProfileExport(
    _district,
    selectors.district_page,
    district_sheets,
    gettext_noop("区域园区档案-%(district)s"),
    "district",
    "registry.District",
    "区",
)


def _profile_export(request: HttpRequest, code: str, spec: ProfileExport) -> HttpResponse:
    user, row = spec.find(request, code)
    return xlsx_response(
        actor=user,
        filename=gettext(spec.filename) % {spec.place: row.name},
        object_type=spec.object_type,
        sheets=spec.sheets(spec.read(user, row)),
        detail=f"{spec.detail} {row.code}",
    )
