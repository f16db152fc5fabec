"""Evaluating declarative conditions over an attribute snapshot: the one rule engine for eligibility.

A rule is a list of conditions that must all hold. A condition is a leaf (an attribute, an operator
from a closed set, a value) or a combination of conditions (`all`, `any`, `not`). A snapshot is a
plain dict from attribute code to value; a label-valued attribute holds `HeldLabel`s with their dates.

The logic has three values. An attribute that is missing (absent or None) is not known, which is not
the same as failing: the condition answers UNKNOWN and says so, `all` fails when any part fails and is
unknown when any part is unknown, `any` passes when any part passes, `not` swaps pass and fail.

Every leaf answers with a Chinese reason ("研发投入强度为3.5%，要求不低于3%"), so a page can show why a firm
qualifies and what it misses. `Verdict.failed` lists the top-level conditions that failed: one failed
condition and nothing unknown is a near miss.

Who calls this: the service app's policy matching (惠企政策直达); any later eligibility check (talent
policies, 零碳 standing) reads its rules from the pack through `rules.spec` and evaluates them here.
Pure Python, no Django."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

# The closed set of operators and what each reads as in a reason.
OPERATORS: dict[str, str] = {
    "eq": "等于",
    "ne": "不等于",
    "in": "属于",
    "not_in": "不属于",
    "gte": "不低于",
    "lte": "不高于",
    "gt": "高于",
    "lt": "低于",
    "between": "介于",
    "has_label": "持有",
}
COMBINATIONS = ("all", "any", "not")


class AttributeKind(enum.StrEnum):
    NUMBER = "number"
    TEXT = "text"
    TEXTS = "texts"  # a set of codes (the chains a firm belongs to): in = overlaps, not_in = no overlap
    LABELS = "labels"
    BOOLEAN = "boolean"


# Which operators each kind of attribute accepts.
KIND_OPERATORS: dict[AttributeKind, tuple[str, ...]] = {
    AttributeKind.NUMBER: ("eq", "ne", "gte", "lte", "gt", "lt", "between"),
    AttributeKind.TEXT: ("eq", "ne", "in", "not_in"),
    AttributeKind.TEXTS: ("in", "not_in"),
    AttributeKind.LABELS: ("has_label",),
    AttributeKind.BOOLEAN: ("eq",),
}

# Reasons. Tests assert on these.
REASON_UNKNOWN = "{name}无数据，无法判断（不视为不符合）"
REASON_COMPARE = "{name}为{actual}，要求{op}{expected}"
REASON_BETWEEN = "{name}为{actual}，要求介于{low}与{high}之间"
REASON_LABEL_HELD = "持有有效的{label}称号（{valid}）"
REASON_LABEL_EXPIRED = "{label}称号已于{day}失效"
REASON_LABEL_NOT_YET = "{label}称号自{day}起生效，评估日尚未生效"
REASON_LABEL_LEVEL = "持有{label}称号，但级别不是{levels}"
REASON_LABEL_MISSING = "未持有{label}称号"
REASON_ALL = "同时满足以下各项"
REASON_ANY = "满足以下任一项"
REASON_NOT = "不满足以下条件"
PASSED = "符合"
FAILED = "不符合"
UNKNOWN = "无法判断"
VALID_OPEN = "长期有效"
VALID_UNTIL = "有效期至{day}"


class Status(enum.StrEnum):
    PASS = "pass"  # noqa: S105 (a verdict, not a password)
    FAIL = "fail"
    UNKNOWN = "unknown"

    @property
    def text(self) -> str:
        return {Status.PASS: PASSED, Status.FAIL: FAILED, Status.UNKNOWN: UNKNOWN}[self]


@dataclass(frozen=True, slots=True)
class Attribute:
    """An attribute a rule may name: its code, Chinese name, kind, unit (shown after numbers) and, for
    codes, the Chinese names of the allowed values (used in reasons and checked at load)."""

    code: str
    name: str
    kind: AttributeKind
    unit: str = ""
    # A number stored as a fraction shown as a percentage (0.035 → 3.5%).
    percent: bool = False
    choices: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HeldLabel:
    """A label held by a firm: its code, level ("" when none) and validity (valid_to None: no end)."""

    kind: str
    level: str
    valid_from: dt.date
    valid_to: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Leaf:
    attribute: Attribute
    op: str
    value: object
    levels: tuple[str, ...] = ()  # has_label: the accepted levels (empty: any)
    label: str = ""  # the condition's own Chinese description, when the pack gives one
    line: int = 0


@dataclass(frozen=True, slots=True)
class Combination:
    kind: str  # all, any, not
    parts: tuple[Condition, ...]
    label: str = ""
    line: int = 0


Condition = Leaf | Combination


@dataclass(frozen=True, slots=True)
class Rule:
    """Conditions that must all hold."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Check:
    """The answer for one condition: its status, its reason and, for a combination, its parts."""

    condition: Condition
    status: Status
    reason: str
    parts: tuple[Check, ...] = ()

    @property
    def description(self) -> str:
        """What the condition asks, in words (its pack label, or the reason without the actual value)."""
        return describe(self.condition)


@dataclass(frozen=True, slots=True)
class Verdict:
    status: Status
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        return self.status is Status.PASS

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.status is Status.FAIL)

    @property
    def unknown(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.status is Status.UNKNOWN)

    @property
    def near_miss(self) -> bool:
        """Misses by exactly one condition, with every other one known to hold."""
        return len(self.failed) == 1 and not self.unknown


def _number(attribute: Attribute, value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if attribute.percent:
        return f"{value * 100:.4g}%"
    return f"{value:.6g}{attribute.unit}"


def _shown(attribute: Attribute, value: object) -> str:
    if attribute.kind is AttributeKind.NUMBER:
        return _number(attribute, value)
    if attribute.kind is AttributeKind.BOOLEAN:
        return "是" if value else "否"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(str(item) for item in value)
        return "、".join(attribute.choices.get(item, item) for item in items) or "（无）"
    return attribute.choices.get(str(value), str(value))


def describe(condition: Condition) -> str:
    """A condition in words, without any firm's value: "研发投入强度不低于3%"."""
    if condition.label:
        return condition.label
    if isinstance(condition, Combination):
        head = {"all": REASON_ALL, "any": REASON_ANY, "not": REASON_NOT}[condition.kind]
        return f"{head}：" + "；".join(describe(part) for part in condition.parts)
    attribute = condition.attribute
    if condition.op == "has_label":
        name = attribute.choices.get(str(condition.value), str(condition.value))
        return f"持有{name}称号" + (f"（{'、'.join(condition.levels)}）" if condition.levels else "")
    if condition.op == "between":
        low, high = _bounds(condition.value)
        return f"{attribute.name}介于{_shown(attribute, low)}与{_shown(attribute, high)}之间"
    return f"{attribute.name}{OPERATORS[condition.op]}{_shown(attribute, condition.value)}"


def _bounds(value: object) -> tuple[float, float]:
    low, high = cast("tuple[float, float]", value)
    return low, high


def _missing(value: object) -> bool:
    return value is None


def _compare(op: str, actual: float, expected: float) -> bool:
    return {
        "eq": actual == expected,
        "ne": actual != expected,
        "gte": actual >= expected,
        "lte": actual <= expected,
        "gt": actual > expected,
        "lt": actual < expected,
    }[op]


def _leaf(condition: Leaf, snapshot: Mapping[str, object], on: dt.date) -> Check:
    attribute = condition.attribute
    actual = snapshot.get(attribute.code)
    if _missing(actual):
        return Check(condition, Status.UNKNOWN, REASON_UNKNOWN.format(name=attribute.name))
    op = condition.op
    if op == "has_label":
        return _label(condition, actual, on)
    if attribute.kind is AttributeKind.NUMBER:
        if isinstance(actual, bool) or not isinstance(actual, int | float):
            return Check(condition, Status.UNKNOWN, REASON_UNKNOWN.format(name=attribute.name))
        if op == "between":
            low, high = _bounds(condition.value)
            ok = low <= actual <= high
            reason = REASON_BETWEEN.format(
                name=attribute.name,
                actual=_shown(attribute, actual),
                low=_shown(attribute, low),
                high=_shown(attribute, high),
            )
        else:
            ok = _compare(op, float(actual), cast("float", condition.value))
            reason = REASON_COMPARE.format(
                name=attribute.name,
                actual=_shown(attribute, actual),
                op=OPERATORS[op],
                expected=_shown(attribute, condition.value),
            )
    elif attribute.kind is AttributeKind.TEXTS:
        held = {str(item) for item in actual} if isinstance(actual, list | tuple | set | frozenset) else {str(actual)}
        wanted = {str(item) for item in cast("tuple[str, ...]", condition.value)}
        ok = bool(held & wanted) if op == "in" else not (held & wanted)
        reason = REASON_COMPARE.format(
            name=attribute.name,
            actual=_shown(attribute, held),
            op=OPERATORS[op],
            expected=_shown(attribute, wanted),
        )
    else:
        if op in ("in", "not_in"):
            wanted_values = {str(item) for item in cast("tuple[str, ...]", condition.value)}
            ok = (str(actual) in wanted_values) == (op == "in")
            expected = _shown(attribute, sorted(wanted_values))
        else:
            ok = (actual == condition.value) == (op == "eq")
            expected = _shown(attribute, condition.value)
        reason = REASON_COMPARE.format(
            name=attribute.name, actual=_shown(attribute, actual), op=OPERATORS[op], expected=expected
        )
    status = Status.PASS if ok else Status.FAIL
    return Check(condition, status, f"{reason}：{status.text}")


def _label(condition: Leaf, actual: object, on: dt.date) -> Check:
    attribute = condition.attribute
    code = str(condition.value)
    name = attribute.choices.get(code, code)
    held = (
        [item for item in actual if isinstance(item, HeldLabel) and item.kind == code]
        if isinstance(actual, list | tuple)
        else []
    )
    if not held:
        return Check(condition, Status.FAIL, REASON_LABEL_MISSING.format(label=name))
    levelled = [item for item in held if not condition.levels or item.level in condition.levels]
    if not levelled:
        return Check(condition, Status.FAIL, REASON_LABEL_LEVEL.format(label=name, levels="、".join(condition.levels)))
    for item in levelled:
        if item.valid_from <= on and (item.valid_to is None or item.valid_to >= on):
            valid = VALID_OPEN if item.valid_to is None else VALID_UNTIL.format(day=item.valid_to.isoformat())
            return Check(condition, Status.PASS, REASON_LABEL_HELD.format(label=name, valid=valid))
    latest = max(levelled, key=lambda item: item.valid_from)
    if latest.valid_from > on:
        return Check(condition, Status.FAIL, REASON_LABEL_NOT_YET.format(label=name, day=latest.valid_from.isoformat()))
    ended = max((item.valid_to for item in levelled if item.valid_to is not None), default=on)
    return Check(condition, Status.FAIL, REASON_LABEL_EXPIRED.format(label=name, day=ended.isoformat()))


def combine(kind: str, statuses: Sequence[Status]) -> Status:
    """Three-valued all / any / not."""
    if kind == "not":
        (inner,) = statuses
        return {Status.PASS: Status.FAIL, Status.FAIL: Status.PASS, Status.UNKNOWN: Status.UNKNOWN}[inner]
    if kind == "all":
        if Status.FAIL in statuses:
            return Status.FAIL
        return Status.UNKNOWN if Status.UNKNOWN in statuses else Status.PASS
    if Status.PASS in statuses:
        return Status.PASS
    return Status.UNKNOWN if Status.UNKNOWN in statuses else Status.FAIL


def check(condition: Condition, snapshot: Mapping[str, object], on: dt.date) -> Check:
    """One condition over a snapshot, on a day (the day label validity is judged on)."""
    if isinstance(condition, Leaf):
        return _leaf(condition, snapshot, on)
    parts = tuple(check(part, snapshot, on) for part in condition.parts)
    status = combine(condition.kind, [part.status for part in parts])
    return Check(condition, status, f"{describe(condition)}：{status.text}", parts)


def evaluate(rule: Rule, snapshot: Mapping[str, object], *, on: dt.date) -> Verdict:
    """Every condition of the rule over the snapshot; the rule passes when all of them pass."""
    checks = tuple(check(condition, snapshot, on) for condition in rule.conditions)
    return Verdict(combine("all", [item.status for item in checks]), checks)
