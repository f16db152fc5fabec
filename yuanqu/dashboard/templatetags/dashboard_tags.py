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


# The 大屏's ranking column holds about ten characters. Parks of one kind share their head
# ("江岸都市工业园·堤角", "江岸都市工业园·后湖", "…二期"): the registry has no short name, so a long
# name keeps its head and its distinguishing tail, and the link's title carries the full name.
SHORT_NAME_HEAD = 4
SHORT_NAME_TAIL = 5


@register.filter
def short_park_name(name: str) -> str:
    """A park's name shortened in the middle, so that parks with a common head stay apart."""
    name = str(name or "")
    if len(name) <= SHORT_NAME_HEAD + SHORT_NAME_TAIL + 1:
        return name
    return f"{name[:SHORT_NAME_HEAD]}…{name[-SHORT_NAME_TAIL:]}"
