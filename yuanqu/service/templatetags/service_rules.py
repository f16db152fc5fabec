"""How a page names a rule's condition: the rule engine's own words (`yuanqu.core.rules.describe`)."""

from __future__ import annotations

from django import template

from yuanqu.core.rules import Condition, describe

register = template.Library()


@register.filter
def describe_condition(condition: Condition) -> str:
    return describe(condition)
