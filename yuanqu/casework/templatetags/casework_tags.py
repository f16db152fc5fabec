"""Small display helpers for the casework pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def days_left(value: int | None) -> str:
    if value is None:
        return "—"
    if value < 0:
        return f"超期{-value}个工作日"
    if value == 0:
        return "今日到期"
    return f"剩余{value}个工作日"


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def filesize(value: int) -> str:
    if value >= 1024 * 1024:
        return f"{value / 1024 / 1024:.1f} MB"
    return f"{max(1, value // 1024)} KB"
