"""Template context every page needs: the platform's names from the pack, the user's role and
scope, the navigation and the demo banner. The header's own parts (the user's name and notices, the
holiday table's warning for its keepers) are page slots with a context of their own
(`core/pagecache.py`, `slot_context`): they are rendered per request, also around a cached page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from yuanqu.core.models import PlatformFlag
from yuanqu.core.pagecache import csrf_placeholder, page_marker
from yuanqu.core.platform import platform_names
from yuanqu.core.roles import Role
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
    return context
