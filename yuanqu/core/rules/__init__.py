"""The one rule engine for eligibility: declarative conditions from the pack (`spec`) evaluated over
attribute snapshots (`engine`), each condition answering pass, fail or not known with a Chinese
reason. See docs/service.md, "The rule engine". Pure Python, no Django."""

from __future__ import annotations

from yuanqu.core.rules.engine import (
    KIND_OPERATORS,
    OPERATORS,
    Attribute,
    AttributeKind,
    Check,
    Combination,
    Condition,
    HeldLabel,
    Leaf,
    Rule,
    Status,
    Verdict,
    describe,
    evaluate,
)
from yuanqu.core.rules.spec import read_rule

__all__ = [
    "KIND_OPERATORS",
    "OPERATORS",
    "Attribute",
    "AttributeKind",
    "Check",
    "Combination",
    "Condition",
    "HeldLabel",
    "Leaf",
    "Rule",
    "Status",
    "Verdict",
    "describe",
    "evaluate",
    "read_rule",
]
