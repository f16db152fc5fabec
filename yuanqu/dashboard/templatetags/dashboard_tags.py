"""Template filters of the cockpit and the profiles: names and periods in the page's language."""

from __future__ import annotations

from django import template

from yuanqu.core.periods import Period
from yuanqu.dashboard import selectors
from yuanqu.evaluation import labels
from yuanqu.indicators.pack import Indicator
from yuanqu.registry.park_types import park_type_name as registry_park_type_name

register = template.Library()


@register.filter
def period_label(period: Period | None) -> str:
    """A statistics period (2025年1-3月, or Jan–Mar 2025 in English)."""
    if period is None:
        return ""
    return selectors.period_label(period.end, period.frequency)


@register.filter
def indicator_name(item: Indicator) -> str:
    """A catalogue indicator's name, English where the page is and the catalogue has it."""
    return selectors.indicator_name(item)


@register.filter
def unit(text: str) -> str:
    """A catalogue unit in the page's language (the `num` filter still reads the Chinese unit)."""
    return labels.unit(str(text or ""))


@register.filter
def park_type_name(code: str) -> str:
    """A park type's name as the policy pack calls it (another city names its types its own way)."""
    return registry_park_type_name(str(code or ""))
