"""Small template filters of the evaluation pages: dictionary lookup, number formats, and the wording
of labels that arrive in Chinese from the engine, the stored run or the pack (evaluation.labels)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import template
from django.utils.translation import gettext

from yuanqu.core.display import DASH, digits_or, finite_number, percent_text, score_text
from yuanqu.core.language import localised
from yuanqu.evaluation import labels
from yuanqu.evaluation.engine.coherence import COLLINEAR
from yuanqu.evaluation.runs import display_expected, display_observed

register = template.Library()


@register.filter
def lookup(mapping: Mapping[str, Any] | None, key: str) -> Any:
    if not mapping:
        return None
    return mapping.get(key)


# A dash for anything that is not a finite number (core.display), never an error page.
register.filter("score", score_text)
register.filter("percent", percent_text)


@register.filter
def at(items: Any, position: int) -> Any:
    """The item at a position of a list (a row of a stored matrix); None when out of range."""
    try:
        return items[int(position)]
    except (TypeError, ValueError, IndexError, KeyError):
        return None


@register.filter
def corr_class(value: Any) -> str:
    """The cell class of a correlation: collinear (|r| > 0.9), negative, strong, weak, or none."""
    number = finite_number(value)
    if number is None:
        return "r-none"
    if abs(number) > COLLINEAR:
        return "r-collinear"
    if number < 0:
        return "r-negative"
    return "r-strong" if number >= 0.5 else "r-weak"


@register.filter
def signed(value: Any, digits: Any = 2) -> str:
    number = finite_number(value)
    if number is None:
        return DASH
    if number == 0:
        return "0"
    if isinstance(value, int):
        return f"{value:+d}"
    return f"{number:+,.{digits_or(digits, 2)}f}"


@register.filter
def type_label(code: str) -> str:
    from yuanqu.evaluation.selectors import type_name

    return type_name(code)


_WEIGHT_SET_LABELS = {"entropy": "熵权", "critic": "CRITIC 权重"}


@register.filter
def method_labels(codes: list[str] | None) -> str:
    """Names of normalisation, aggregation, imputation methods and weight sets, in the page's language."""
    from yuanqu.evaluation.engine.aggregate import AGGREGATION_LABELS
    from yuanqu.evaluation.engine.framework import method_label
    from yuanqu.evaluation.engine.impute import IMPUTATION_LABELS

    if not codes:
        return gettext("无")
    names = [
        labels.label(
            AGGREGATION_LABELS.get(code)
            or IMPUTATION_LABELS.get(code)
            or _WEIGHT_SET_LABELS.get(code)
            or method_label(code)
        )
        for code in codes
    ]
    return gettext("、").join(names)


@register.filter
def method_name(code: str) -> str:
    """One normalisation method's name, in the page's language."""
    from yuanqu.evaluation.engine.framework import method_label

    return labels.label(method_label(code))


@register.filter
def named(item: Any) -> str:
    """An index system's dimension or indicator name: English when the page is and the pack has it."""
    return localised(item.name, getattr(item, "name_en", ""))


@register.filter
def labelled(system: Any, code: str) -> str:
    """The catalogue name of an indicator an index system reads, English where available."""
    return localised(system.label(code), system.labels_en.get(code, ""))


@register.filter
def indicator_name(code: str, name: str = "") -> str:
    """A catalogue indicator's name by its code, English where the page is and the catalogue has it."""
    return labels.indicator_name(str(code), str(name or code))


# Texts that arrive in Chinese, put into the page's language by evaluation.labels.
_TEXT_FILTERS: dict[str, Callable[[Any], str]] = {
    # An observed value and an expected one, as a condition's check shows them.
    "shown": lambda value: labels.observed(display_observed(value)),
    "expected_text": lambda text: labels.expected(display_expected(text)),
    # A fixed label (engine, verdict).
    "label": lambda text: labels.label(str(text)),
    # A sentence the run stored (reason, warning, tie).
    "stored": lambda text: labels.stored(str(text)),
    # A catalogue unit.
    "unit": lambda text: labels.unit(str(text or "")),
}
for _name, _filter in _TEXT_FILTERS.items():
    register.filter(_name, _filter)
