"""Registry pages: overview, parks, enterprises, districts, chains, land, and the map. Thin: read
through selectors, 404 outside the user's scope, export through core.exports (registry/exports.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuanqu.core.access import ScopedQuerySet, get_visible_or_404
from yuanqu.core.forms import take_chosen, take_post
from yuanqu.core.listing import FilteredList, filtered_list_page, list_page
from yuanqu.core.models import User
from yuanqu.core.pageauth import page_user
from yuanqu.core.pagecache import cached_page
from yuanqu.core.permissions import CHANGE_REQUEST_ROLES, get_writable_or_403, has_role, is_city_admin, may_write
from yuanqu.registry import change_requests, exports, history, selectors
from yuanqu.registry.forms import (
    CHANGE_REQUEST_INPUTS,
    GREEN_NONE,
    OUTSIDE_PARKS,
    ChangeRequestActionForm,
    ChangeRequestDecisionForm,
    ChangeRequestFileForm,
    EnterpriseStateForm,
    ParkStateForm,
    VersionCorrectForm,
)
from yuanqu.registry.models import (
    District,
    Enterprise,
    EnterpriseVersion,
    IndustryChain,
    LabelKind,
    LandParcel,
    Park,
    ParkChangeRequest,
    ParkVersion,
)
from yuanqu.registry.park_types import park_type_choices, park_type_filter_choices
from yuanqu.registry.region import basemap_path, region_name


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    return render(
        request,
        "registry/overview.html",
        {"overview": selectors.overview(user), "change_requests_link": _may_see_change_requests(user)},
    )


@login_required
@require_GET
@cached_page("park_list")
def park_list(request: HttpRequest) -> HttpResponse:
    return filtered_list_page(request, PARK_LIST, actor=page_user(request))


def _park_choices(user: User) -> dict[str, Any]:
    return {
        "park_types": park_type_filter_choices(),
        "statuses": Park.Status.choices,
        "districts": selectors.districts_in_scope(user).values_list("code", "name"),
        "chains": IndustryChain.objects.visible_to(user).values_list("code", "name"),
    }


PARK_LIST = FilteredList(
    "registry/park_list.html", selectors.ParkFilters, selectors.park_list, exports.PARKS, _park_choices
)


@login_required
@require_GET
def park_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = page_user(request)
    park = get_visible_or_404(Park.objects.select_related("district"), user, code=code)
    enterprises = Enterprise.objects.visible_to(user).filter(park=park)
    today = timezone.localdate()
    label_counts = [
        (label, enterprises.with_label(kind, on=today).count())  # type: ignore[attr-defined]
        for kind, label in (
            (LabelKind.ABOVE_SCALE, "规上工业企业"),
            (LabelKind.HIGH_TECH, "高新技术企业"),
            (LabelKind.SRDI, "专精特新企业"),
        )
    ]
    land = LandParcel.objects.visible_to(user).filter(park=park)
    land_summary = land.values("use").annotate(area=Sum("area_mu"), n=Count("pk")).order_by("use")
    uses = dict(LandParcel.Use.choices)
    return render(
        request,
        "registry/park_detail.html",
        {
            "park": park,
            "chains": park.lead_chains.prefetch_related("nodes"),
            "enterprise_count": enterprises.count(),
            "top_enterprises": enterprises.select_related("industry").order_by("name")[:20],
            "label_counts": label_counts,
            "facilities": park.facilities.all(),
            "land_summary": [(uses.get(row["use"], row["use"]), row["n"], row["area"]) for row in land_summary],
            "boundary_json": park.boundary,
            "change_requests": _change_request_link(user, park),
            "history": selectors.park_history(user, park),
            "state_form": ParkStateForm(park_types=park_type_choices()) if _may_record_park(user, park) else None,
            "correct_form": VersionCorrectForm() if _may_record_park(user, park) else None,
        },
    )


def _may_see_change_requests(user: User) -> bool:
    """Those who file change requests (a park's operator, its district) and those who decide them."""
    return is_city_admin(user) or has_role(user, CHANGE_REQUEST_ROLES["registry.Park"])


def _change_request_link(user: User, park: Park) -> dict[str, int] | None:
    """What the park page says about change requests: shown to those who file or decide them."""
    if not _may_see_change_requests(user):
        return None
    pending = ParkChangeRequest.objects.visible_to(user).filter(park=park, status=ParkChangeRequest.Status.PROPOSED)
    return {"pending": pending.count()}


# The fields a change request may ask for on the page, with the input each takes (the boundary is
# asked for through the API, as GeoJSON).
ERR_CHANGE_REQUEST_ROLE = gettext_noop("您的角色不能查看或提交园区信息变更申请")


def _shown(name: str, value: Any) -> str:
    """A requested or former value as people read it: a choice by its label, yes or no, a dash."""
    if value is None or value == "":
        return "—"
    field = change_requests.park_field(name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)[:200]
    return str(value)


def _change_request_take(request: HttpRequest, user: User, park: Park, filed: ChangeRequestFileForm) -> list[str]:
    """The page's post: the chosen action decides which form is read (a request filed, or a
    decision on one); the refusals, for the page to show in place."""
    refusals: list[str] = []

    def file_request(cleaned: dict[str, Any]) -> str:
        change_requests.park_change_request_file(
            actor=user, park=park, changes=filed.changes(), reason=cleaned["reason"]
        )
        return _("变更申请已提交，待市级管理员审核")

    def decide(cleaned: dict[str, Any]) -> str:
        target = get_visible_or_404(ParkChangeRequest.objects.filter(park=park), user, pk=cleaned["request"])
        if cleaned["action"] == "approve":
            change_requests.park_change_request_approve(actor=user, request=target, note=cleaned["note"])
            return _("已批准，园区信息已更新")
        if cleaned["action"] == "reject":
            change_requests.park_change_request_reject(actor=user, request=target, note=cleaned["note"])
            return _("已驳回")
        change_requests.park_change_request_withdraw(actor=user, request=target)
        return _("已撤回")

    def take_decision() -> bool:
        return take_post(request, ChangeRequestDecisionForm(request.POST), decide, refused=refusals.extend, denied=True)

    takes = {
        "file": lambda: take_post(request, filed, file_request, refused=refusals.extend, denied=True),
        "approve": take_decision,
        "reject": take_decision,
        "withdraw": take_decision,
    }
    take_chosen(request, ChangeRequestActionForm(request.POST), takes, refused=refusals.extend)
    return refusals


@login_required
@require_GET
def change_request_list(request: HttpRequest) -> HttpResponse:
    """Every change request the user may see (the city: all), newest first, by status; each leads to
    its park's page of requests, where it is decided."""
    user = page_user(request)
    if not _may_see_change_requests(user):
        raise PermissionDenied(_(ERR_CHANGE_REQUEST_ROLE))
    status = request.GET.get("status", ParkChangeRequest.Status.PROPOSED)
    rows = ParkChangeRequest.objects.visible_to(user).select_related("park", "proposed_by").order_by("-proposed_at")
    if status in ParkChangeRequest.Status.values:
        rows = rows.filter(status=status)
    return list_page(
        request,
        "registry/change_request_list.html",
        rows,
        actor=user,
        context={"status": status, "statuses": ParkChangeRequest.Status.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def park_change_requests(request: HttpRequest, code: str) -> HttpResponse:
    """One park's change requests: the park's operator and district file and withdraw them, a city
    administrator approves or rejects them (each decision confirmed by a tick)."""
    user = page_user(request)
    park = get_visible_or_404(Park.objects.select_related("district"), user, code=code)
    may_file = has_role(user, CHANGE_REQUEST_ROLES["registry.Park"])
    may_decide = is_city_admin(user)
    if not _may_see_change_requests(user):
        raise PermissionDenied(_(ERR_CHANGE_REQUEST_ROLE))
    errors: list[str] = []
    filed = ChangeRequestFileForm(request.POST if request.method == "POST" else None, park=park)
    if request.method == "POST":
        errors = _change_request_take(request, user, park, filed)
        if not errors:
            return redirect("registry:park_change_requests", code=park.code)
    rows = (
        ParkChangeRequest.objects.visible_to(user)
        .filter(park=park)
        .select_related("proposed_by", "decided_by")
        .order_by("-proposed_at", "-id")
    )
    labels = {name: str(change_requests.park_field(name).verbose_name) for name, _kind in CHANGE_REQUEST_INPUTS}
    labels["boundary"] = str(change_requests.park_field("boundary").verbose_name)
    inputs = []
    for name, kind in CHANGE_REQUEST_INPUTS:
        field = change_requests.park_field(name)
        current = getattr(park, name)
        shown = getattr(park, f"get_{name}_display")() if field.choices else current
        inputs.append(
            {
                "name": name,
                "label": labels[name],
                "kind": kind,
                "choices": list(field.choices or []),
                "current": "—" if shown in (None, "") else shown,
                "value": filed.data.get(f"change_{name}", "") if errors else "",
            }
        )
    return render(
        request,
        "registry/park_change_requests.html",
        {
            "park": park,
            "rows": [
                {
                    "obj": row,
                    "changes": [
                        (labels.get(name, name), _shown(name, change["before"]), _shown(name, change["after"]))
                        for name, change in row.changes.items()
                    ],
                    "may_withdraw": row.status == ParkChangeRequest.Status.PROPOSED and row.proposed_by_id == user.pk,
                    "may_decide": may_decide and row.status == ParkChangeRequest.Status.PROPOSED,
                }
                for row in rows
            ],
            "may_file": may_file,
            "inputs": inputs,
            "errors": errors,
            "reason": filed.data.get("reason", "") if errors else "",
        },
    )


@login_required
@require_GET
def enterprise_list(request: HttpRequest) -> HttpResponse:
    return filtered_list_page(request, ENTERPRISE_LIST, actor=page_user(request))


def _enterprise_choices(user: User) -> dict[str, Any]:
    return {
        "districts": selectors.districts_in_scope(user).values_list("code", "name"),
        "parks": selectors.parks_in_scope(user).values_list("code", "name"),
        "labels": LabelKind.choices,
    }


ENTERPRISE_LIST = FilteredList(
    "registry/enterprise_list.html",
    selectors.EnterpriseFilters,
    selectors.enterprise_list,
    exports.ENTERPRISES,
    _enterprise_choices,
)


def _visible_park_choices(user: User) -> list[tuple[str, str]]:
    return [(code, name) for code, name in Park.objects.visible_to(user).values_list("code", "name")]


@login_required
@require_GET
def enterprise_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    user = page_user(request)
    enterprise = get_visible_or_404(
        Enterprise.objects.select_related("district", "park", "industry__parent"), user, uscc=uscc
    )
    may_record = any(may_write(user, enterprise, name) for name in ("park", "registration_status", "industry"))
    return render(
        request,
        "registry/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "state_form": EnterpriseStateForm(parks=_visible_park_choices(user)) if may_record else None,
            "correct_form": VersionCorrectForm() if may_record else None,
            "history": selectors.enterprise_history(user, enterprise),
            "labels": enterprise.labels.all(),
            "today": timezone.localdate(),
            "land": LandParcel.objects.visible_to(user).filter(enterprise=enterprise),
        },
    )


@login_required
@require_GET
def district_list(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/district_list.html", {"districts": selectors.district_list(page_user(request))})


@login_required
@require_GET
def district_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = page_user(request)
    district = get_visible_or_404(District.objects.all(), user, code=code)
    parks = selectors.park_list(user, selectors.ParkFilters(district=code))
    return render(request, "registry/district_detail.html", {"district": district, "parks": parks})


@login_required
@require_GET
def chain_list(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/chain_list.html", {"chains": selectors.chain_list(page_user(request))})


@login_required
@require_GET
def land_list(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    parcels = selectors.land_list(user)
    park = request.GET.get("park", "")
    if park == "outside":
        parcels = parcels.filter(park__isnull=True)
    elif park:
        parcels = parcels.filter(park__code=park)
    return list_page(request, "registry/land_list.html", parcels, actor=user, context={"park": park})


@login_required
@require_GET
def park_map(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registry/map.html",
        {"park_types": park_type_filter_choices(), "region": region_name()},
    )


@login_required
@require_GET
def map_parks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(selectors.map_features(page_user(request)))


@login_required
@require_GET
def basemap(request: HttpRequest) -> HttpResponseBase:
    path = basemap_path()
    if path is None:  # a pack without a basemap: an empty map under the parks
        return JsonResponse({"type": "FeatureCollection", "features": []})
    response = FileResponse(open(path, "rb"), content_type="application/geo+json")  # noqa: SIM115
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def enterprise_state_record(request: HttpRequest, uscc: str) -> HttpResponse:
    """Record a change of the enterprise's park or registration status from a day (迁园, 注销, 迁出),
    posted from its page; the periods that ended before keep the old state."""
    user = page_user(request)
    enterprise = get_writable_or_403(Enterprise.objects.all(), user, uscc=uscc)

    def record(data: dict[str, Any]) -> str:
        changes: dict[str, Any] = {}
        if data.get("park") == OUTSIDE_PARKS:
            changes["park_id"] = None
        elif data.get("park"):
            changes["park_id"] = get_visible_or_404(Park.objects.all(), user, code=data["park"]).pk
        if data.get("industry"):
            changes["industry_id"] = data["industry"].strip().upper()
        if data.get("registration_status"):
            changes["registration_status"] = data["registration_status"]
        history.enterprise_state_change(actor=user, enterprise=enterprise, valid_from=data["valid_from"], **changes)
        return _("已记录自%(day)s起的状态变更") % {"day": data["valid_from"].isoformat()}

    take_post(request, EnterpriseStateForm(request.POST, parks=_visible_park_choices(user)), record)
    return redirect("registry:enterprise_detail", uscc=enterprise.uscc)


def _version_correct(
    request: HttpRequest,
    owners: type[Park | Enterprise],
    versions: type[ParkVersion | EnterpriseVersion],
    correct: Callable[..., Any],
    *,
    version_id: int,
    **key: str,
) -> HttpResponse:
    """The post that corrects the first day of one version of a history: the park or enterprise
    named by `key` (which the reader must be able to write), its version `version_id` (404 for
    another's), the correction through `correct` (the park's or the enterprise's service), then back
    to its page."""
    user = page_user(request)
    writable: ScopedQuerySet[Any] = owners.objects.all()
    owner: Park | Enterprise = get_writable_or_403(writable, user, **key)
    owner_field = str(owners._meta.model_name)  # "park" or "enterprise": the version's key and the page's name
    version = get_visible_or_404(versions.objects.all(), user, pk=version_id, **{owner_field: owner})

    def act(data: dict[str, Any]) -> str:
        correct(actor=user, version=version, valid_from=data["valid_from"])
        return _("已将该段历史的起始日期更正为%(day)s") % {"day": data["valid_from"].isoformat()}

    take_post(request, VersionCorrectForm(request.POST), act)
    page: HttpResponse = redirect(f"registry:{owner_field}_detail", **{name: getattr(owner, name) for name in key})
    return page


@login_required
@require_POST
def enterprise_version_correct(request: HttpRequest, uscc: str, version_id: int) -> HttpResponse:
    """Correct the first day of one version of the enterprise's history (a move or 注销 dated wrong)."""
    return _version_correct(
        request, Enterprise, EnterpriseVersion, history.enterprise_version_correct, version_id=version_id, uscc=uscc
    )


def _may_record_park(user: User, park: Park) -> bool:
    return any(may_write(user, park, name) for name in ("park_type", "status", "recognised_on", "green_level"))


@login_required
@require_POST
def park_state_record(request: HttpRequest, code: str) -> HttpResponse:
    """Record a change of the park's type, recognition status or green level from a day, posted from
    its page; the periods that ended before keep the old state."""
    user = page_user(request)
    park = get_writable_or_403(Park.objects.all(), user, code=code)

    def record(data: dict[str, Any]) -> str:
        changes: dict[str, Any] = {
            name: data[name] for name in ("park_type", "status", "recognised_on") if data.get(name)
        }
        if data.get("green_level"):
            changes["green_level"] = "" if data["green_level"] == GREEN_NONE else data["green_level"]
        history.park_state_change(actor=user, park=park, valid_from=data["valid_from"], **changes)
        return _("已记录自%(day)s起的状态变更") % {"day": data["valid_from"].isoformat()}

    take_post(request, ParkStateForm(request.POST, park_types=park_type_choices()), record)
    return redirect("registry:park_detail", code=park.code)


@login_required
@require_POST
def park_version_correct(request: HttpRequest, code: str, version_id: int) -> HttpResponse:
    """Correct the first day of one version of the park's history."""
    return _version_correct(request, Park, ParkVersion, history.park_version_correct, version_id=version_id, code=code)
