"""The notification centre's pages: 我的通知 (unread first; mark one or all read), 通知设置 (the
channels per kind of event) and, for the city administrators, the dead-letter list to resend from.
`notices_page` is the one body of a notices list marked read by a post: the inbox's and casework's
notices page (`casework.views.notifications`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yuanqu.core.forms import Posted, Refused, take_post
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


PostedT = TypeVar("PostedT", bound=Posted)


def notices_page(
    request: HttpRequest,
    template: str,
    rows: Any,
    *,
    user: User,
    context: dict[str, Any],
    posted: Callable[[], PostedT],
    mark_read: Callable[[PostedT], object],
    after: str,
    refused: Refused | None = None,
) -> HttpResponse:
    """A page of `rows` (the reader's notices) whose post marks some or all of them read: the form
    `posted()` checked (its refusals shown as `take_post` shows them, or by `refused`), `mark_read`
    given the valid form, then an empty answer to htmx (the row marks itself) or a redirect to
    `after`."""
    if request.method == "POST":
        form = posted()

        def mark(_data: dict[str, Any]) -> str:
            mark_read(form)
            return ""  # the list shows them read

        take_post(request, form, mark, refused=refused)
        if getattr(request, "htmx", False):
            return HttpResponse("")
        return redirect(after)
    return list_page(request, template, rows, actor=user, context=context)


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    return notices_page(
        request,
        "notifications/inbox.html",
        selectors.notifications_for(user),
        user=user,
        context=_common(user),
        posted=lambda: IdsForm(request.POST),
        mark_read=lambda form: services.notifications_mark_read(user=user, ids=form.cleaned_data["id"] or None),
        after="notifications:inbox",
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
