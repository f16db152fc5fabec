"""Core pages: home and the 工作台, health check, the user's own page (API tokens), the audit log."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_POST

from yuanqu.core import audit_display
from yuanqu.core.audit import mask_personal
from yuanqu.core.forms import ERR_TOKEN_UNKNOWN, TokenCreateForm, TokenRevokeForm, take_post
from yuanqu.core.listing import page_of
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import may_hold_api_token
from yuanqu.core.platform import platform_names
from yuanqu.core.roles import Role
from yuanqu.core.services import api_token_create, api_token_revoke
from yuanqu.core.workbench import cards_for

logger = logging.getLogger(__name__)

ERR_NO_AUDIT = "审计日志仅审计员和系统管理员可查看"


def _member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # The error text may name hosts, users and paths: it goes to the log under an incident id,
        # never to whoever asks.
        incident = uuid.uuid4().hex[:12]
        logger.exception("health check: database unreachable (incident %s)", incident)
        return JsonResponse({"status": "error", "incident": incident}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    if user.role == Role.AUDITOR:
        return redirect("core:audit_log")
    if user.role == Role.TALENT:
        # A 人才用户 works only in 人才直通车 (by URL name: core imports no app).
        return redirect("talent:home")
    # Every other role starts the day at its 工作台.
    return redirect("core:workbench")


@login_required
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    """The 工作台: what needs the user today, as cards from every app that has some (core.workbench)."""
    user = _member(request)
    return render(request, "core/workbench.html", {"cards": cards_for(user, timezone.localdate())})


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest, so a phone can pin the platform to its home screen: the pack's names,
    the platform's own icon, the start page. Public, like the icon it names."""
    names = platform_names()
    body = {
        "name": names.title,
        "short_name": names.title[:12],
        "lang": get_language() or settings.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f5f7fa",
        "theme_color": "#1f4e79",
        "icons": [{"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


# What the service worker keeps (docs/ui.md, "Offline"): the platform's own static files, never a
# page that a signed-in user sees. These few are stored when it installs; any other file under
# STATIC_URL is stored as it is fetched. A page that cannot be reached offline answers the offline page.
OFFLINE_STATIC = (
    "css/yuanqu.css",
    "css/print.css",
    "js/escape.js",
    "js/menu.js",
    "js/offline.js",
    "img/favicon.svg",
    "django_htmx/htmx-2.min.js",
)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script, public like the files it stores. Served under /core/ but allowed to
    serve the whole site (`Service-Worker-Allowed: /`); its cache's name changes with the list and
    the platform's version, so a new list replaces the old cache."""
    files = [static(name) for name in OFFLINE_STATIC]
    offline = reverse("core:offline")
    version = hashlib.sha256(json.dumps([files, offline, settings.STATIC_URL]).encode()).hexdigest()[:12]
    body = render_to_string(
        "core/sw.js",
        {
            "version": version,
            "precache": json.dumps(files),
            "offline": json.dumps(offline),
            "static_prefix": json.dumps(settings.STATIC_URL),
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    patch_cache_control(response, no_cache=True)
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """The page a phone shows when the network is gone: no user's data, no navigation, only what to do."""
    return render(request, "core/offline.html", {"names": platform_names()})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    new_token: list[str] = []

    def revoke(data: dict[str, Any]) -> str:
        if not user.api_tokens.filter(pk=data["revoke"]).exists():
            raise ValidationError(gettext(ERR_TOKEN_UNKNOWN))
        api_token_revoke(actor=user, token_id=data["revoke"])
        return gettext("令牌已吊销")

    def create(data: dict[str, Any]) -> str:
        new_token.append(api_token_create(user=user, name=data["name"])[1])
        return ""  # the page shows the new token once

    if request.method == "POST":
        if "revoke" in request.POST:
            take_post(request, TokenRevokeForm(request.POST), revoke)
            return redirect("core:profile")
        take_post(request, TokenCreateForm(request.POST), create)
    context = {"tokens": user.api_tokens.all(), "new_token": next(iter(new_token), None)}
    return render(
        request,
        "core/profile.html",
        {**context, "token_days": settings.API_TOKEN_DAYS, "may_create_token": may_hold_api_token(user)},
    )


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    if not user.can_read_audit:
        raise PermissionDenied(ERR_NO_AUDIT)
    entries = AuditLog.objects.select_related("actor").order_by("-created_at", "-id")
    action = request.GET.get("action", "")
    if action in AuditLog.Action.values:
        entries = entries.filter(action=action)
    actor = request.GET.get("actor", "").strip()
    if actor:
        entries = entries.filter(actor_name=actor)
    object_type = request.GET.get("object_type", "").strip()
    if object_type:
        entries = entries.filter(object_type=object_type)
    page = page_of(request, entries)
    # Personal data (phones, contacts, ID numbers) is masked for whoever reads the log; objects and
    # changes are shown by their names, not as stored (core.audit_display).
    rows = [
        (
            entry,
            audit_display.object_type_label(entry.object_type),
            audit_display.changes(entry.object_type, mask_personal(entry.before), mask_personal(entry.after)),
        )
        for entry in page
    ]
    types = AuditLog.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    return render(
        request,
        "core/audit_log.html",
        {
            "page": page,
            "rows": rows,
            "actions": AuditLog.Action.choices,
            "filters": request.GET,
            "object_types": sorted(((t, audit_display.object_type_label(t)) for t in types), key=lambda t: t[1]),
        },
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import logout

    logout(request)
    return redirect("login")
