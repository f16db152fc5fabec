"""Template context every page needs: the platform's names from the pack, the user's role and
scope, the navigation, the demo banner, and for the administrators who can fix it, the warning that
the holiday table lacks a year (once a session, and on the pages whose deadlines it concerns)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from yuanqu.core.models import CalendarYear, PlatformFlag
from yuanqu.core.pagecache import csrf_placeholder, page_marker
from yuanqu.core.platform import platform_names
from yuanqu.core.roles import HOLIDAY_TABLE_KEEPERS, Role
from yuanqu.navigation import navigation_for


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "demo_loaded": SimpleLazyObject(lambda: PlatformFlag.objects.filter(key=PlatformFlag.DEMO_LOADED).exists()),
        "platform_names": SimpleLazyObject(platform_names),
    }
    marker = page_marker(request)
    if marker is not None:
        # Rendered for the page cache: the requester's token is put in per answer (core/pagecache.py).
        context["csrf_token"] = csrf_placeholder(marker)
    if user is not None and user.is_authenticated:
        context["navigation"] = SimpleLazyObject(lambda: navigation_for(Role(user.role), user.is_superuser))
        if (user.is_superuser or user.role in HOLIDAY_TABLE_KEEPERS) and _holiday_warning_due(request):
            context["holiday_years_missing"] = SimpleLazyObject(lambda: _holiday_years_shown(request))
    return context


# The session remembers that the holiday warning was shown, so it is not repeated on every page.
HOLIDAY_WARNING_SHOWN = "holiday_warning_shown"
# Where the warning matters every time: the 工作台 and the 啄木鸟 pages, whose deadlines it concerns
# (by URL name: the shell names apps, it does not import their views).
HOLIDAY_WARNING_PAGES = ("core:workbench", "casework:")


def _holiday_warning_due(request: HttpRequest) -> bool:
    match = request.resolver_match
    view = match.view_name if match is not None else ""
    if any(view == page or (page.endswith(":") and view.startswith(page)) for page in HOLIDAY_WARNING_PAGES):
        return True
    session = getattr(request, "session", None)
    return session is None or not session.get(HOLIDAY_WARNING_SHOWN)


def _holiday_years_shown(request: HttpRequest) -> list[int]:
    """The years the holiday table lacks. Once a page has looked (and shown them, if any), the session
    has had the warning: other pages neither repeat it nor ask the table again."""
    missing = CalendarYear.missing_ahead(timezone.localdate())
    session = getattr(request, "session", None)
    if session is not None:
        session[HOLIDAY_WARNING_SHOWN] = True
    return missing
