"""Small template filters of the evaluation pages: dictionary lookup and number formats."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django import template

from yuanqu.evaluation.runs import display_expected, display_observed

register = template.Library()


@register.filter
def lookup(mapping: Mapping[str, Any] | None, key: str) -> Any:
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def score(value: float | None, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{value:,.{int(digits)}f}"


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{value * 100:.{int(digits)}f}%"


@register.filter
def signed(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    if value == 0:
        return "0"
    if isinstance(value, int):
        return f"{value:+d}"
    return f"{value:+,.{int(digits)}f}"


@register.filter
def type_label(code: str) -> str:
    from yuanqu.evaluation.selectors import type_name

    return type_name(code)


_WEIGHT_SET_LABELS = {"entropy": "熵权", "critic": "CRITIC 权重"}


@register.filter
def method_labels(codes: list[str] | None) -> str:
    """Chinese names of normalisation, aggregation, imputation methods and weight sets."""
    from yuanqu.evaluation.engine.aggregate import AGGREGATION_LABELS
    from yuanqu.evaluation.engine.framework import method_label
    from yuanqu.evaluation.engine.impute import IMPUTATION_LABELS

    if not codes:
        return "无"
    names = [
        AGGREGATION_LABELS.get(code)
        or IMPUTATION_LABELS.get(code)
        or _WEIGHT_SET_LABELS.get(code)
        or method_label(code)
        for code in codes
    ]
    return "、".join(names)


@register.filter
def shown(value: object) -> str:
    return display_observed(value)


@register.filter
def expected_text(text: str) -> str:
    return display_expected(text)
