"""The intake section of the policy pack (audit.yaml): the bureau's audit rules applied at import
(表内审核), read through the pack's one reader (`yuanqu.core.pack`).

- hard rules compare two measures of the same row (增加值 ≤ 总产值; 利润总额 ≤ 营业收入 where both are
  positive): a row that breaks one is refused, with the row, the column and the rule named;
- soft rules bound a measure's year-on-year change: a row outside the band is accepted only with a
  written explanation from the importer (the upload's “说明”), kept on the batch.

Rules built into the validation (not data): cumulatives (1–本月累计) of flows that cannot fall never
decrease within a year, 本月 agrees with the difference of cumulatives, and measures other than
利润总额 are not negative (employees ≥ 0).

Who calls this: `intake.validation` (through the installed pack). Pure Python."""

from __future__ import annotations

from dataclasses import dataclass

from yuanqu.core.pack import Obj, Section, SectionContext, choice, register
from yuanqu.stats.measures import ANNUAL_VALUE_FIELDS, FLOW_MEASURES, MEASURE_BY_CODE

AUDIT_FILE = "audit.yaml"
AUDIT_KINDS = ("annual", "monthly")
# A hard rule states what must hold: left <op> right.
AUDIT_OPS = ("le", "lt", "ge", "gt")
OP_SIGNS = {"le": "≤", "lt": "<", "ge": "≥", "gt": ">"}
FLOW_CODES = frozenset(measure.code for measure in FLOW_MEASURES)


@dataclass(frozen=True, slots=True)
class HardRule:
    code: str
    name: str
    left: str
    op: str
    right: str
    both_positive: bool  # checked only where both values are positive
    kinds: tuple[str, ...]
    source: str

    def holds(self, left: float, right: float) -> bool:
        if self.op == "le":
            return left <= right
        if self.op == "lt":
            return left < right
        if self.op == "ge":
            return left >= right
        return left > right


@dataclass(frozen=True, slots=True)
class SoftRule:
    """A year-on-year band, in % change against the same firm's previous year: a change below `low`
    or above `high` needs a written explanation."""

    code: str
    name: str
    measures: tuple[str, ...]
    low: float
    high: float
    kinds: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class AuditRules:
    hard: tuple[HardRule, ...]
    soft: tuple[SoftRule, ...]
    # 规上工业企业 of year Y: industrial firms whose year Y−1 revenue reached this many 万元 (the list
    # the bureau publishes for Y rests on Y−1); the demo assigns labels by it and the consistency
    # report flags labels that contradict reported revenue.
    above_scale_revenue: float = 2000.0

    def hard_for(self, kind: str) -> tuple[HardRule, ...]:
        return tuple(rule for rule in self.hard if kind in rule.kinds)

    def soft_for(self, kind: str) -> tuple[SoftRule, ...]:
        return tuple(rule for rule in self.soft if kind in rule.kinds)


def _measure(obj: Obj, key: str, kinds: tuple[str, ...]) -> str:
    code = obj.text(key)
    known = set(ANNUAL_VALUE_FIELDS) if kinds == ("annual",) else set(FLOW_CODES)
    if code and code not in known:
        obj.error(key, f"的度量“{code}”不是{'、'.join(kinds)}数据的可比度量（可选：{'、'.join(sorted(known))}）")
    return code


def _kinds(obj: Obj) -> tuple[str, ...]:
    kinds = obj.choices("kinds", AUDIT_KINDS)
    if not kinds:
        obj.error("kinds", "至少应有一种数据类别（annual、monthly）")
    return kinds


def _read(ctx: SectionContext) -> AuditRules | None:
    top = ctx.top(AUDIT_FILE, ("hard", "soft"), ("above_scale",))
    if top is None:
        return None
    hard: list[HardRule] = []
    for obj in top.items(
        "hard", "硬性审核规则", ("code", "name", "left", "op", "right", "kinds", "source"), ("both_positive",)
    ):
        kinds = _kinds(obj)
        left, right = _measure(obj, "left", kinds), _measure(obj, "right", kinds)
        if left and left == right:
            obj.error("right", "不能与 left 相同")
        both = obj.data.get("both_positive", False)
        if not isinstance(both, bool):
            obj.error("both_positive", "应为 true 或 false")
            both = False
        hard.append(
            HardRule(
                obj.code(), obj.text("name"), left, choice(obj, "op", AUDIT_OPS, "比较方式"), right, both, kinds,
                obj.text("source"),
            )
        )  # fmt: skip
    soft: list[SoftRule] = []
    for obj in top.items("soft", "需说明的审核规则", ("code", "name", "measures", "low", "high", "kinds", "source")):
        kinds = _kinds(obj)
        if kinds != ("annual",):
            obj.error("kinds", "同比区间目前只适用于企业年度数据（annual）")
        measures = obj.texts("measures")
        for code in measures:
            if code not in ANNUAL_VALUE_FIELDS:
                obj.error("measures", f"中的度量“{code}”不是企业年度数据的度量")
        low, high = obj.number("low"), obj.number("high")
        if low >= high or low < -100:
            obj.error("low", f"应不小于-100且小于 high（实际 low={low:g}，high={high:g}）")
        soft.append(SoftRule(obj.code(), obj.text("name"), measures, low, high, kinds, obj.text("source")))
    threshold = 2000.0
    above = top.mapping("above_scale")
    if above is not None:
        obj = Obj(top.src, above, "规上标准：", ("revenue",), ("note",))
        obj.opt_text("note")
        threshold = obj.number("revenue")
        if threshold <= 0:
            obj.error("revenue", f"应为正数（万元），实际为{threshold:g}")
    return AuditRules(tuple(hard), tuple(soft), threshold)


def measure_name(code: str) -> str:
    measure = MEASURE_BY_CODE.get(code)
    if measure is not None:
        return measure.name
    return {"land_mu": "用地面积", "rd_staff": "研发人员数"}.get(code, code)


AUDIT: Section[AuditRules] = register(Section("audit", (AUDIT_FILE,), _read))
