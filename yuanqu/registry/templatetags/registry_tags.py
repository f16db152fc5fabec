"""Template filters of the registry: a park type's name as the pack gives it."""

from __future__ import annotations

from django import template

from yuanqu.registry.park_types import park_type_name as _park_type_name

register = template.Library()


@register.filter
def park_type_name(code: str) -> str:
    """The pack's name of a park type code, in the page's language."""
    return _park_type_name(str(code or ""))
