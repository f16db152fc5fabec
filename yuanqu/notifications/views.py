"""The notification centre's pages: 我的通知 (unread first; mark one or all read), 通知设置 (the
channels per kind of event) and, for the city administrators, the dead-letter list to resend from."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yuanqu.core.forms import take_post
from yuanqu.core.listing import list_page
from yuanqu.core.models import User
from yuanqu.core.permissions import is_city_admin
from yuanqu.notifications import selectors, services
from yuanqu.notifications.forms import IdsForm, PreferenceForm


def _member(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _common(user: User) -> dict[str, Any]:
    return {"may_resend": is_city_admin(user)}


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    if request.method == "POST":

        def mark(data: dict[str, Any]) -> str:
            services.notifications_mark_read(user=user, ids=data["id"] or None)
            return ""  # the list shows them read

        take_post(request, IdsForm(request.POST), mark)
        if getattr(request, "htmx", False):
            return HttpResponse("")
        return redirect("notifications:inbox")
    return list_page(
        request, "notifications/inbox.html", selectors.notifications_for(user), actor=user, context=_common(user)
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    if request.method == "POST":

        def save(data: dict[str, Any]) -> str:
            services.preference_set(actor=user, **data)
            return _("通知设置已保存")

        take_post(request, PreferenceForm(request.POST), save)
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {**_common(user), "rows": selectors.preferences_for(user)})


@login_required
@require_http_methods(["GET", "POST"])
def dead_letters(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    if not is_city_admin(user):
        raise PermissionDenied(_(services.ERR_RESEND_FORBIDDEN))
    if request.method == "POST":

        def resend(data: dict[str, Any]) -> str:
            if not data["id"]:
                raise ValidationError(_("请选择要重发的通知"))
            count = services.deliveries_resend(actor=user, ids=data["id"])
            return _("已重新排队发送 %(count)s 条") % {"count": count}

        take_post(request, IdsForm(request.POST), resend)
        return redirect("notifications:dead_letters")
    return list_page(
        request, "notifications/dead_letters.html", selectors.dead_letters(user), actor=user, context=_common(user)
    )
