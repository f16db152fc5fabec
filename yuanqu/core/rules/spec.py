"""Reading rules from the policy pack: declarative conditions checked at load, with file and line.

In a pack file a rule is a list of conditions under a key (for example `eligibility:`):

    eligibility:
      - {attribute: labels, op: has_label, value: high_tech}
      - {attribute: rd_intensity, op: gte, value: 0.03}
      - any:
          - {attribute: chains, op: in, value: [optoelectronics, health]}
          - {attribute: mujun_grade, op: in, value: [A, B]}
      - not: {attribute: district, op: eq, value: "420102"}
        label: 不在江岸区

Each condition is a mapping: either `attribute`, `op` (from the closed set of `engine.OPERATORS`),
`value` and for has_label optional `levels`; or exactly one of `all` / `any` (a list) or `not` (one
condition). Any condition may carry `label`, its own Chinese description. The attribute must be one
the caller offers, the operator one its kind accepts, the value of the right shape. There is no way to
write code: the pack can only combine these.

Who calls this: a section reader (`<app>/pack.py`) through the one pack reader (`yuanqu.core.pack`);
it imports only the reader's pure modules, so this stays free of Django."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import cast

from yuanqu.core.pack.lines import LineMap, LineSeq, describe
from yuanqu.core.pack.reader import Obj, Source
from yuanqu.core.rules.engine import (
    COMBINATIONS,
    KIND_OPERATORS,
    OPERATORS,
    Attribute,
    AttributeKind,
    Combination,
    Condition,
    Leaf,
    Rule,
)

# Messages (each follows the label of the condition: "政策“x”的条件：").
RULE_EMPTY = "至少应有一个条件"
UNKNOWN_ATTRIBUTE = "“attribute”为未知的企业属性“{value}”，可用：{allowed}"
UNKNOWN_OPERATOR = "“op”为未知的运算符“{value}”，可用：{allowed}"
OPERATOR_NOT_FOR_KIND = "“op”运算符“{op}”不适用于属性“{attribute}”，可用：{allowed}"
VALUE_NUMBER = "“value”应为数值，实际为{actual}"
VALUE_BETWEEN = "“value”应为两个数值的列表 [下限, 上限]，且下限不大于上限"
VALUE_LIST = "“value”应为非空的文本列表，实际为{actual}"
VALUE_TEXT = "“value”应为文本，实际为{actual}"
VALUE_BOOLEAN = "“value”应为布尔值（true 或 false），实际为{actual}"
VALUE_NOT_ALLOWED = "“value”中的“{value}”不是属性“{attribute}”的可选值，可用：{allowed}"
LEVELS_ONLY_LABELS = "“levels”只用于运算符 has_label"
COMBINATION_ONE = "应只有 all、any、not 中的一项"
COMBINATION_PARTS = "“{kind}”应为至少含一个条件的列表"
NOT_MAPPING = "“not”应为一个条件（映射）"
CONDITION_NOT_MAPPING = "每个条件应为映射（键: 值），实际为{actual}"


def read_rule(obj: Obj, key: str, attributes: Mapping[str, Attribute], label: str) -> Rule:
    """The rule under `obj[key]`; problems go to the object's source with their lines."""
    seq = obj.seq(key)
    if not seq:
        obj.problem(key, f"{label}：{RULE_EMPTY}")
    conditions = _read_list(obj.src, seq, attributes, label)
    return Rule(tuple(conditions))


def _read_list(src: Source, seq: LineSeq, attributes: Mapping[str, Attribute], label: str) -> list[Condition]:
    result: list[Condition] = []
    for item, line in zip(seq, seq.item_lines, strict=True):
        if not isinstance(item, LineMap):
            src.add(line, f"{label}：" + CONDITION_NOT_MAPPING.format(actual=describe(item)))
            continue
        condition = read_condition(src, item, attributes, label)
        if condition is not None:
            result.append(condition)
    return result


def read_condition(src: Source, data: LineMap, attributes: Mapping[str, Attribute], label: str) -> Condition | None:
    """One condition; None when it is too broken to evaluate (its problems are reported)."""
    kinds = [kind for kind in COMBINATIONS if kind in data]
    if kinds:
        obj = Obj(src, data, label, (), (*COMBINATIONS, "label"))
        if len(kinds) > 1:
            obj.problem(kinds[1], COMBINATION_ONE)
            return None
        kind = kinds[0]
        description = obj.opt_text("label") or ""
        if kind == "not":
            inner = data[kind]
            if not isinstance(inner, LineMap):
                obj.problem(kind, NOT_MAPPING)
                return None
            part = read_condition(src, inner, attributes, label)
            return Combination("not", (part,), description, data.line) if part is not None else None
        value = data[kind]
        if not isinstance(value, LineSeq) or not value:
            obj.problem(kind, COMBINATION_PARTS.format(kind=kind))
            return None
        parts = _read_list(src, value, attributes, label)
        return Combination(kind, tuple(parts), description, data.line)
    obj = Obj(src, data, label, ("attribute", "op", "value"), ("levels", "label"))
    code = obj.text("attribute")
    op = obj.text("op")
    attribute = attributes.get(code)
    if code and attribute is None:
        obj.problem("attribute", UNKNOWN_ATTRIBUTE.format(value=code, allowed="、".join(attributes)))
    if op and op not in OPERATORS:
        obj.problem("op", UNKNOWN_OPERATOR.format(value=op, allowed="、".join(OPERATORS)))
        return None
    if attribute is None or not op or "value" not in data:
        return None
    allowed = KIND_OPERATORS[attribute.kind]
    if op not in allowed:
        obj.problem("op", OPERATOR_NOT_FOR_KIND.format(op=op, attribute=code, allowed="、".join(allowed)))
        return None
    value = _read_value(obj, attribute, op, data["value"])
    levels: tuple[str, ...] = ()
    if "levels" in data:
        if op != "has_label":
            obj.problem("levels", LEVELS_ONLY_LABELS)
        levels = obj.texts("levels")
    if value is None:
        return None
    return Leaf(attribute, op, value, levels, obj.opt_text("label") or "", data.line)


def _is_number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def _check_choices(obj: Obj, attribute: Attribute, values: list[str]) -> bool:
    if not attribute.choices:
        return True
    for value in values:
        if value not in attribute.choices:
            obj.problem(
                "value",
                VALUE_NOT_ALLOWED.format(value=value, attribute=attribute.code, allowed="、".join(attribute.choices)),
            )
            return False
    return True


def _read_value(obj: Obj, attribute: Attribute, op: str, value: object) -> object | None:
    if attribute.kind is AttributeKind.NUMBER:
        if op == "between":
            if (
                isinstance(value, LineSeq)
                and len(value) == 2
                and all(_is_number(item) for item in value)
                and value[0] <= value[1]
            ):
                return (float(value[0]), float(value[1]))
            obj.problem("value", VALUE_BETWEEN)
            return None
        if not _is_number(value):
            obj.problem("value", VALUE_NUMBER.format(actual=describe(value)))
            return None
        return float(cast("float", value))
    if attribute.kind is AttributeKind.BOOLEAN:
        if not isinstance(value, bool):
            obj.problem("value", VALUE_BOOLEAN.format(actual=describe(value)))
            return None
        return value
    if op in ("in", "not_in"):
        if not isinstance(value, LineSeq) or not value or not all(isinstance(item, str) and item for item in value):
            obj.problem("value", VALUE_LIST.format(actual=describe(value)))
            return None
        items = [str(item) for item in value]
        return tuple(items) if _check_choices(obj, attribute, items) else None
    if not isinstance(value, str) or not value:
        obj.problem("value", VALUE_TEXT.format(actual=describe(value)))
        return None
    return value if _check_choices(obj, attribute, [value]) else None
