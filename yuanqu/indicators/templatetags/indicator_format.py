"""Number formatting for indicator values on pages: thousands separators, decimals by size, counts
as integers, and a dash for a missing value; units and period labels (kept in Chinese with the data)
in the active language."""

from __future__ import annotations

import re

from django import template
from django.utils.translation import gettext, pgettext_lazy

from yuanqu.core.language import english
from yuanqu.core.periods import MONTH_ABBREVIATIONS

register = template.Library()

COUNT_UNITS = frozenset({"家", "个", "块", "起", "种", "人"})

# The units of the catalogue (yuanqu.indicators.pack), as shown after a value.
UNIT_LABELS = {
    "万元": pgettext_lazy("unit", "万元"),
    "亿元": pgettext_lazy("unit", "亿元"),
    "元": pgettext_lazy("unit", "元"),
    "亩": pgettext_lazy("unit", "亩"),
    "平方公里": pgettext_lazy("unit", "平方公里"),
    "吨标准煤": pgettext_lazy("unit", "吨标准煤"),
    "吨CO₂": pgettext_lazy("unit", "吨CO₂"),
    "人": pgettext_lazy("unit", "人"),
    "家": pgettext_lazy("unit", "家"),
    "个": pgettext_lazy("unit", "个"),
    "块": pgettext_lazy("unit", "块"),
    "起": pgettext_lazy("unit", "起"),
    "种": pgettext_lazy("unit", "种"),
}
YEAR = re.compile(r"^(\d{4})年$")
JAN_FEB = re.compile(r"^(\d{4})年1-2月$")
YEAR_TO_DATE = re.compile(r"^(\d{4})年1-(\d{1,2})月$")
QUARTER = re.compile(r"^(\d{4})年第([1-4])季度$")


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


def unit_label(unit: str) -> str:
    """万元 → 10,000 yuan on an English page; a compound unit (万元/亩) part by part."""
    if not unit:
        return ""
    return "/".join(str(UNIT_LABELS.get(part, part)) for part in unit.split("/"))


def period_label(label: str) -> str:
    """A period label as the engine and the supervision write it (2025年, 2026年1-6月, 2026年第2季度)
    in the active language; anything else unchanged."""
    text = str(label)
    if match := YEAR.match(text):
        return gettext("%(year)s年") % {"year": match.group(1)}
    if match := JAN_FEB.match(text):
        return gettext("%(year)s年1-2月") % {"year": match.group(1)}
    if match := YEAR_TO_DATE.match(text):
        month = int(match.group(2))
        shown = MONTH_ABBREVIATIONS[month] if english() else str(month)
        return gettext("%(year)s年1-%(month)s月") % {"year": match.group(1), "month": shown}
    if match := QUARTER.match(text):
        return gettext("%(year)s年第%(quarter)s季度") % {"year": match.group(1), "quarter": match.group(2)}
    return text


@register.filter
def num(value: object, unit: str = "") -> str:
    return format_number(value, unit)


@register.filter
def pct(value: object, digits: int = 1) -> str:
    """A fraction (0.25) as a percentage (25.0%)."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"  # type: ignore[arg-type]


@register.filter
def unit(value: str) -> str:
    return unit_label(value)


@register.filter
def period(value: str) -> str:
    return period_label(value)


def chart_labels() -> dict[str, str]:
    """The series names of the trend chart (targets/series.js) in the active language."""
    return {
        "years": gettext("年度值"),
        "months": gettext("月度值（累计/月末）"),
        "trend": gettext("趋势与预测"),
        "projection": gettext("2027年预测"),
        "interval": gettext("预测区间（90%）"),
        "goal": gettext("目标"),
    }
