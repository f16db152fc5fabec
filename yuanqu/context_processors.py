"""Template context every page needs: the platform's names from the pack, the user's role and
scope, the navigation, the demo banner, and for the administrators who can fix it, the warning that
the holiday table lacks a year."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from yuanqu.core.models import CalendarYear, PlatformFlag
from yuanqu.core.platform import platform_names
from yuanqu.core.roles import HOLIDAY_TABLE_KEEPERS, Role
from yuanqu.navigation import navigation_for


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "demo_loaded": SimpleLazyObject(lambda: PlatformFlag.objects.filter(key=PlatformFlag.DEMO_LOADED).exists()),
        "platform_names": SimpleLazyObject(platform_names),
    }
    if user is not None and user.is_authenticated:
        context["navigation"] = SimpleLazyObject(lambda: navigation_for(Role(user.role), user.is_superuser))
        if user.is_superuser or user.role in HOLIDAY_TABLE_KEEPERS:
            context["holiday_years_missing"] = SimpleLazyObject(
                lambda: CalendarYear.missing_ahead(timezone.localdate())
            )
    return context
