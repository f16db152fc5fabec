"""The intake section of the policy pack (audit.yaml): the bureau's audit rules applied at import
(表内审核), read through the pack's one reader (`yuanqu.core.pack`).

- hard rules compare two measures of the same row (增加值 ≤ 总产值; 利润总额 ≤ 营业收入 where both are
  positive) or a measure with a number (从业人员 ≥ 0): a row that breaks one is refused, with the row,
  the column and the rule named;
- cumulative rules (hard) keep the 1–本月累计 of the listed flows from falling within a year;
- soft rules bound a measure's year-on-year change, and distribution rules a ratio (增加值率) within
  the percentiles of the firm's industry division: a row outside is accepted only with a written
  explanation from the importer (the upload's “说明”), kept on the batch.

Built into the validation (not data): 本月 agrees with the difference of cumulatives, and amounts
other than 利润总额 are not negative (the tables' storage bound).

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
# Measures that may be negative (a loss): their cumulatives may fall.
SIGNED_CODES = frozenset({"profit"})


@dataclass(frozen=True, slots=True)
class HardRule:
    """left <op> right, where right is another measure of the row or, with `value`, a number."""

    code: str
    name: str
    left: str
    op: str
    right: str  # empty when the rule compares with `value`
    both_positive: bool  # checked only where both values are positive
    kinds: tuple[str, ...]
    source: str
    value: float | None = None

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


@dataclass(frozen=True, slots=True)
class CumulativeRule:
    """1–本月累计 of each measure never falls within a year (flows that cannot fall)."""

    code: str
    name: str
    measures: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class DistributionRule:
    """A ratio of two measures of a firm's row (增加值率 = 增加值 / 总产值) outside the [low, high]
    percentiles of the same ratio over the firms of its industry division in the same year needs a
    written explanation; checked only where the division has at least `min_firms` such firms."""

    code: str
    name: str
    numerator: str
    denominator: str
    low: float  # percentile, 0–100
    high: float
    min_firms: int
    kinds: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class AuditRules:
    hard: tuple[HardRule, ...]
    soft: tuple[SoftRule, ...]
    cumulative: tuple[CumulativeRule, ...] = ()
    distribution: tuple[DistributionRule, ...] = ()
    # 规上工业企业 of year Y: industrial firms whose year Y−1 revenue reached this many 万元 (the list
    # the bureau publishes for Y rests on Y−1); the demo assigns labels by it and the consistency
    # report flags labels that contradict reported revenue.
    above_scale_revenue: float = 2000.0

    def hard_for(self, kind: str) -> tuple[HardRule, ...]:
        return tuple(rule for rule in self.hard if kind in rule.kinds)

    def soft_for(self, kind: str) -> tuple[SoftRule, ...]:
        return tuple(rule for rule in self.soft if kind in rule.kinds)

    def distribution_for(self, kind: str) -> tuple[DistributionRule, ...]:
        return tuple(rule for rule in self.distribution if kind in rule.kinds)

    def never_falling(self) -> dict[str, CumulativeRule]:
        """Per measure, the rule that keeps its 1–本月累计 from falling."""
        return {measure: rule for rule in self.cumulative for measure in rule.measures}

    def yoy_banded(self, kind: str) -> frozenset[str]:
        """The measures whose year-on-year change a soft rule bounds."""
        return frozenset(measure for rule in self.soft_for(kind) for measure in rule.measures)


def _measure(obj: Obj, key: str, kinds: tuple[str, ...]) -> str:
    code = obj.text(key)
    # A monthly report carries the flows (本月 and 累计) and the period-end headcount.
    known = set(ANNUAL_VALUE_FIELDS) if kinds == ("annual",) else {*FLOW_CODES, "employees"}
    if code and code not in known:
        obj.error(key, f"的度量“{code}”不是{'、'.join(kinds)}数据的可比度量（可选：{'、'.join(sorted(known))}）")
    return code


def _kinds(obj: Obj) -> tuple[str, ...]:
    kinds = obj.choices("kinds", AUDIT_KINDS)
    if not kinds:
        obj.error("kinds", "至少应有一种数据类别（annual、monthly）")
    return kinds


def _read(ctx: SectionContext) -> AuditRules | None:
    top = ctx.top(AUDIT_FILE, ("hard", "soft"), ("above_scale", "cumulative", "distribution"))
    if top is None:
        return None
    hard: list[HardRule] = []
    for obj in top.items(
        "hard", "硬性审核规则", ("code", "name", "left", "op", "kinds", "source"), ("right", "value", "both_positive")
    ):
        kinds = _kinds(obj)
        left = _measure(obj, "left", kinds)
        right, value = "", None
        if obj.has("value") == obj.has("right"):
            obj.error("right", "right（另一度量）和 value（数值）须有且只有一项")
        elif obj.has("value"):
            value = obj.number("value")
        else:
            right = _measure(obj, "right", kinds)
            if left and left == right:
                obj.error("right", "不能与 left 相同")
        both = obj.data.get("both_positive", False)
        if not isinstance(both, bool):
            obj.error("both_positive", "应为 true 或 false")
            both = False
        hard.append(
            HardRule(
                obj.code(), obj.text("name"), left, choice(obj, "op", AUDIT_OPS, "比较方式"), right, both, kinds,
                obj.text("source"), value,
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
    cumulative: list[CumulativeRule] = []
    for obj in top.items("cumulative", "累计值审核规则", ("code", "name", "measures", "source")):
        measures = obj.texts("measures")
        for code in measures:
            if code not in FLOW_CODES:
                obj.error("measures", f"中的度量“{code}”不是月报的流量度量（可选：{'、'.join(sorted(FLOW_CODES))}）")
            elif code in SIGNED_CODES:
                obj.error("measures", f"中的“{measure_name(code)}”可为负数，其累计值可以减少，不能用此规则")
        cumulative.append(CumulativeRule(obj.code(), obj.text("name"), measures, obj.text("source")))
    distribution: list[DistributionRule] = []
    for obj in top.items(
        "distribution",
        "行业分布审核规则",
        ("code", "name", "numerator", "denominator", "low", "high", "min_firms", "kinds", "source"),
    ):
        kinds = _kinds(obj)
        if kinds != ("annual",):
            obj.error("kinds", "行业分布目前只适用于企业年度数据（annual）")
        numerator, denominator = _measure(obj, "numerator", kinds), _measure(obj, "denominator", kinds)
        if numerator and numerator == denominator:
            obj.error("denominator", "不能与 numerator 相同")
        low, high = obj.number("low"), obj.number("high")
        if not 0 <= low < high <= 100:
            obj.error("low", f"百分位应满足 0 ≤ low < high ≤ 100（实际 low={low:g}，high={high:g}）")
        distribution.append(
            DistributionRule(
                obj.code(), obj.text("name"), numerator, denominator, low, high, obj.integer("min_firms", minimum=3),
                kinds, obj.text("source"),
            )
        )  # fmt: skip
    threshold = 2000.0
    above = top.mapping("above_scale")
    if above is not None:
        obj = Obj(top.src, above, "规上标准：", ("revenue",), ("note",))
        obj.opt_text("note")
        threshold = obj.number("revenue")
        if threshold <= 0:
            obj.error("revenue", f"应为正数（万元），实际为{threshold:g}")
    return AuditRules(tuple(hard), tuple(soft), tuple(cumulative), tuple(distribution), threshold)


def measure_name(code: str) -> str:
    measure = MEASURE_BY_CODE.get(code)
    if measure is not None:
        return measure.name
    return {"land_mu": "用地面积", "rd_staff": "研发人员数"}.get(code, code)


AUDIT: Section[AuditRules] = register(Section("audit", (AUDIT_FILE,), _read))
