"""How a page names a rule's condition: the rule engine's own words (`yuanqu.core.rules.describe`)."""

from __future__ import annotations

from typing import Any

from django import template

from yuanqu.core.rules import Condition, describe

register = template.Library()


@register.filter
def describe_condition(condition: Condition) -> str:
    return describe(condition)


@register.filter
def survey_item_text(code: str) -> str:
    """The questionnaire's wording of an item (the pack's), or its code when the pack dropped it."""
    from yuanqu.service.config import config

    for item in config().survey.items:
        if item.code == code:
            return item.text
    return code


@register.filter
def get_line(lines: dict[str, Any], code: str) -> Any:
    """A park's line of one service type, or None."""
    return lines.get(code)
