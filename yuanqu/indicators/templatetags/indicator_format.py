"""Number formatting for indicator values on pages: thousands separators, decimals by size, counts
as integers, and a dash for a missing value."""

from __future__ import annotations

from django import template

register = template.Library()

COUNT_UNITS = frozenset({"家", "个", "块", "起", "种", "人"})


def format_number(value: object, unit: str = "") -> str:
    if value is None or value == "":
        return "—"
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if unit in COUNT_UNITS:
        return f"{number:,.0f}"
    size = abs(number)
    if size >= 1000:
        return f"{number:,.0f}"
    if size >= 100:
        return f"{number:,.1f}"
    return f"{number:,.2f}"


@register.filter
def num(value: object, unit: str = "") -> str:
    return format_number(value, unit)


@register.filter
def pct(value: object, digits: int = 1) -> str:
    """A fraction (0.25) as a percentage (25.0%)."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"  # type: ignore[arg-type]
