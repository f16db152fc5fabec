"""Small display helpers for the casework pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from yuanqu.casework import selectors
from yuanqu.core.display import percent_text

register = template.Library()


register.filter("percent", percent_text)


@register.simple_tag(takes_context=True)
def casework_unread(context: dict[str, Any]) -> int:
    """The reader's unread casework notices (the subnavigation's badge, rendered per request)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return selectors.unread_count(user)


@register.filter
def days_left(value: int | None) -> str:
    if value is None:
        return "—"
    if value < 0:
        return ngettext("超期%(days)s个工作日", "超期%(days)s个工作日", -value) % {"days": -value}
    if value == 0:
        return _("今日到期")
    return ngettext("剩余%(days)s个工作日", "剩余%(days)s个工作日", value) % {"days": value}


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def filesize(value: int) -> str:
    if value >= 1024 * 1024:
        return f"{value / 1024 / 1024:.1f} MB"
    return f"{max(1, value // 1024)} KB"
