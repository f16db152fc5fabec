"""Template context every page needs: the user's role and scope, the navigation, the demo banner."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from yuanqu.core.models import PlatformFlag
from yuanqu.core.roles import Role
from yuanqu.navigation import navigation_for


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "demo_loaded": SimpleLazyObject(lambda: PlatformFlag.objects.filter(key=PlatformFlag.DEMO_LOADED).exists()),
    }
    if user is not None and user.is_authenticated:
        context["navigation"] = SimpleLazyObject(lambda: navigation_for(Role(user.role), user.is_superuser))
    return context
