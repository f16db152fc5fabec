"""The indicator catalogue's section of the policy pack (indicators.yaml): each indicator as a formula
over named terms, where a term aggregates one base measure (or counts rows) of one data source under
filters on enterprise labels, industry classes and park attributes; named sets of industry classes;
and the rule that says when a month's statistics are complete. Read through the pack's one reader
(`yuanqu.core.pack`).

The loader checks measures (the statistics tables' own list, `yuanqu.stats.measures`), filters, the
formula and its unit (dimensional analysis). `Formula.evaluate` and `Dimension` are used by the
indicator engine, so that the check and the computation read the formula the same way.

Who calls this: `indicators.catalogue` (the catalogue of the installed pack), the engine, the
targets and evaluation sections (which link their indicators to this catalogue). Pure Python."""

from __future__ import annotations

import ast
import functools
import hashlib
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import Any

from yuanqu.core.pack import CODE_RE, LineMap, Obj, Ref, Section, SectionContext, Source, by_code, choice, register
from yuanqu.registry.pack import LAYOUT
from yuanqu.stats.measures import ANNUAL_EXTRA_MEASURES, ENTERPRISE_MEASURES, PARK_MEASURES

INDICATORS_FILE = "indicators.yaml"
PERCENT = "%"
# A month counts as reported in full when this share of the firms due to report have (indicators.yaml:
# reporting.complete_share), unless the pack says otherwise.
DEFAULT_COMPLETE_SHARE = 0.9


@dataclass(frozen=True, slots=True)
class ReportingRule:
    """When a month's statistics are complete (indicators.yaml: reporting): `indicator` is the report
    rate (unit %, firms that reported over firms due to report) and a month whose rate reaches
    `complete_share` is complete. None for `indicator` where the pack names no rate: every month
    then counts as complete."""

    indicator: str | None
    complete_share: float


# Where a term's rows come from. Enterprise sources: `annual` (all firms' annual data), `monthly` (规上
# monthly reports, 1–本月累计), `enterprises` (the registry, for counts under labels); `land` (parcels);
# `park_annual` (park-level annual inputs); `parks` (the registry's parks); `indicator` (the park
# values of another indicator, e.g. parks whose revenue is at least 100亿元).
INDICATOR_SOURCES = ("annual", "monthly", "enterprises", "land", "park_annual", "parks", "indicator")
ENTERPRISE_SOURCES = frozenset({"annual", "monthly", "enterprises"})
# An indicator whose values are entered by the city (no formula), until a module computes it.
REPORTED = "reported"
# An app above hands the values over (a provider registered in its AppConfig.ready(); see
# indicators/providers.py): 产业名园 selected, awards granted, land start-price ratio.
PROVIDED = "provided"
INDICATOR_LEVELS = ("enterprise", "park", "district", "city")
DIRECTIONS = ("higher", "lower")
# parks: district and city values count enterprises (land) inside parks only (园区口径);
# city: they count every enterprise (parcel) of the district or city (全市口径).
COVERAGES = ("parks", "city")
VALUE_OPS = ("gt", "ge", "lt", "le", "eq", "ne")
# Mirrors of registry.models choices (this module imports no Django); an indicators test keeps them equal.
LABEL_KINDS = (
    "above_scale",
    "high_tech",
    "srdi",
    "single_champion",
    "gazelle",
    "unicorn",
    "chain_leader",
    "listed",
    "top500",
    "green_factory",
    "green_supply_chain",
    "green_product",
    "digital",
)
LABEL_LEVELS = ("national", "provincial", "municipal")
LAND_USES = ("M1", "M2", "M3", "M0", "W", "other")
GREEN_LEVELS = ("provincial", "national")
# The registry's 智慧化平台 flag is the park's own description; whether a park runs a smart-management
# platform is read from its annual data (应用子系统数), the one source figures and conditions use.
SMART_PLATFORM_FLAG = "smart_platform"
ERR_SMART_PLATFORM_FLAG = (
    "不可用：是否建有智慧化平台以园区年度数据的应用子系统数为准（名录中的标志不作统计口径），"
    "请改用数据源 park_annual 的 values: {smart_subsystems: {ge: 1}}"
)
UNCLASSIFIED_PARK_TYPE = "unclassified"

_MEASURE_UNITS: dict[str, dict[str, str]] = {
    "annual": {m.code: m.unit for m in (*ENTERPRISE_MEASURES, *ANNUAL_EXTRA_MEASURES)},
    "monthly": {m.code: m.unit for m in ENTERPRISE_MEASURES},
    "enterprises": {},
    "land": {"area_mu": "亩"},
    "park_annual": {m.code: m.unit for m in PARK_MEASURES},
    "parks": {"planned_area_km2": "平方公里"},
    "indicator": {},
}
# What `count` counts in each source, and the unit of the count.
SOURCE_COUNTS = {
    "annual": "enterprises",
    "monthly": "enterprises",
    "enterprises": "enterprises",
    "land": "parcels",
    "park_annual": "parks",
    "parks": "parks",
    "indicator": "parks",
}
COUNT_UNITS = {"enterprises": "家", "parcels": "块", "parks": "个"}
_PREFIX_RE = re.compile(r"[A-T](\d{2}(\d{1,2})?)?\Z")


def source_measures(source: str) -> dict[str, str]:
    """The measures a source carries, code → unit."""
    return dict(_MEASURE_UNITS.get(source, {}))


# Units: each is a dimension (a product of base dimensions with exponents) and a scale to the base
# unit of that dimension: money in 万元, area in 亩, energy in 吨标准煤, CO₂ in 吨CO₂, people, counts.
_UNIT_TABLE: dict[str, tuple[str | None, Decimal]] = {
    "万元": ("money", Decimal(1)),
    "亿元": ("money", Decimal(10000)),
    "元": ("money", Decimal("0.0001")),
    "亩": ("area", Decimal(1)),
    "平方公里": ("area", Decimal(1500)),  # 1 km² = 1500 亩
    "吨标准煤": ("energy", Decimal(1)),
    "吨CO₂": ("co2", Decimal(1)),  # carbon dioxide (the energy app's figures)
    "人": ("person", Decimal(1)),
    "家": ("count", Decimal(1)),
    "个": ("count", Decimal(1)),
    "块": ("count", Decimal(1)),
    "起": ("count", Decimal(1)),
    "种": ("count", Decimal(1)),
    "分": ("score", Decimal(1)),  # an index on a 100-point scale (发展环境指数)
    "%": (None, Decimal("0.01")),
}
_BASE_NAMES = {
    "money": "万元",
    "area": "亩",
    "energy": "吨标准煤",
    "co2": "吨CO₂",
    "person": "人",
    "count": "个",
    "score": "分",
}


@dataclass(frozen=True, slots=True)
class Dimension:
    """A unit as base dimensions with exponents, and its size in base units (1 亿元 = 10000 万元)."""

    dims: tuple[tuple[str, int], ...]
    scale: Decimal

    @staticmethod
    def _combine(left: tuple[tuple[str, int], ...], right: tuple[tuple[str, int], ...], sign: int) -> Any:
        merged: dict[str, int] = dict(left)
        for name, power in right:
            merged[name] = merged.get(name, 0) + sign * power
        return tuple(sorted((name, power) for name, power in merged.items() if power))

    def __mul__(self, other: Dimension) -> Dimension:
        return Dimension(self._combine(self.dims, other.dims, 1), self.scale * other.scale)

    def __truediv__(self, other: Dimension) -> Dimension:
        return Dimension(self._combine(self.dims, other.dims, -1), self.scale / other.scale)

    def same_kind(self, other: Dimension) -> bool:
        return self.dims == other.dims

    def describe(self) -> str:
        """The dimension in base units, e.g. 万元/亩; 无量纲 for a pure number."""
        top = "·".join(
            _BASE_NAMES[name] + ("" if power == 1 else f"^{power}") for name, power in self.dims if power > 0
        )
        bottom = "·".join(
            _BASE_NAMES[name] + ("" if power == -1 else f"^{-power}") for name, power in self.dims if power < 0
        )
        if not top and not bottom:
            return "无量纲"
        return f"{top or '1'}/{bottom}" if bottom else top


DIMENSIONLESS = Dimension((), Decimal(1))


@functools.lru_cache(maxsize=1024)  # a full recompute asks twice per value for a few dozen units
def parse_unit(text: str) -> Dimension | None:
    """The dimension of a unit such as 万元, 平方公里, %, 万元/亩; None when it is not known."""
    text = text.strip()
    if text in _UNIT_TABLE:
        name, scale = _UNIT_TABLE[text]
        return Dimension(((name, 1),) if name else (), scale)
    if text.count("/") == 1:
        top, bottom = (parse_unit(part) for part in text.split("/"))
        if top is not None and bottom is not None and bottom.dims:
            return top / bottom
    return None


class FormulaError(ValueError):
    """A formula that cannot be read or whose units do not agree; the message is Chinese."""


_BINARY_OPS: dict[type[ast.operator], str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


def _to_tree(node: ast.AST, text: str) -> tuple[Any, ...]:
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY_OPS:
        return (_BINARY_OPS[type(node.op)], _to_tree(node.left, text), _to_tree(node.right, text))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _to_tree(node.operand, text)
        return ("neg", inner) if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return ("num", Decimal(str(node.value)))
    if isinstance(node, ast.Name):
        return ("term", node.id)
    snippet = ast.get_source_segment(text, node) or type(node).__name__
    raise FormulaError(f"不支持的写法“{snippet}”：只能使用项名、数字、+ - * / 和括号")


@dataclass(frozen=True, slots=True)
class Formula:
    """An arithmetic expression over term names, read once and evaluated many times."""

    text: str
    tree: tuple[Any, ...]

    @staticmethod
    def parse(text: str) -> Formula:
        try:
            parsed = ast.parse(text.strip(), mode="eval")
        except SyntaxError as error:
            raise FormulaError(f"公式语法错误：{error.msg}") from error
        return Formula(text.strip(), _to_tree(parsed.body, text.strip()))

    def names(self) -> tuple[str, ...]:
        """Term names in order of first appearance."""
        found: list[str] = []

        def walk(node: tuple[Any, ...]) -> None:
            if node[0] == "term":
                if node[1] not in found:
                    found.append(node[1])
            elif node[0] != "num":
                for child in node[1:]:
                    walk(child)

        walk(self.tree)
        return tuple(found)

    def dimension(self, terms: Mapping[str, Dimension]) -> Dimension:
        """The formula's unit from its terms' units; sums of unlike quantities raise FormulaError."""

        def walk(node: tuple[Any, ...]) -> Dimension:
            kind = node[0]
            if kind == "num":
                return DIMENSIONLESS
            if kind == "term":
                found = terms[node[1]]
                return Dimension(found.dims, Decimal(1))  # terms are converted to base units first
            if kind == "neg":
                return walk(node[1])
            left, right = walk(node[1]), walk(node[2])
            if kind in ("+", "-"):
                if not left.same_kind(right):
                    raise FormulaError(f"相加减的两项单位不一致：{left.describe()} 与 {right.describe()}")
                return left
            return left * right if kind == "*" else left / right

        return walk(self.tree)

    def fold(self, term: Callable[[str], Any], divide: Callable[[Any, Any], Any]) -> Any:
        """The formula over the values `term` gives for each term name: numbers, sums, differences,
        products and negations as the values' own operations, each quotient by `divide` (what a
        division by zero gives is the caller's to say). Scope by scope the values are Decimals; the
        engine's roll-up passes numpy arrays of Decimals, so both take the same operations in the
        same order."""

        def walk(node: tuple[Any, ...]) -> Any:
            kind = node[0]
            if kind == "num":
                return Decimal(node[1])
            if kind == "term":
                return term(node[1])
            if kind == "neg":
                return -walk(node[1])
            left, right = walk(node[1]), walk(node[2])
            if kind == "+":
                return left + right
            if kind == "-":
                return left - right
            if kind == "*":
                return left * right
            return divide(left, right)

        return walk(self.tree)

    def evaluate(self, values: Mapping[str, Decimal]) -> Decimal | None:
        """The value for the given term values (in base units); None where a division by zero occurs."""
        try:
            result: Decimal = self.fold(values.__getitem__, _quotient)
        except (DivisionByZero, InvalidOperation):
            return None
        return result


def _quotient(left: Decimal, right: Decimal) -> Decimal:
    if right == 0:
        raise DivisionByZero
    return left / right


@dataclass(frozen=True, slots=True)
class ClassSet:
    """A named set of industry codes by GB/T 4754-2017 prefix (门类 letter, 大类, 中类 or 小类)."""

    code: str
    name: str
    prefixes: tuple[str, ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class LabelCondition:
    """The enterprise holds a label of `kind` (at one of `levels`) valid at the period's end; with
    `new_since`, the label started on or after that day and no label of the kind was valid the day
    before it (a new entry, e.g. 新增规上)."""

    kind: str
    levels: tuple[str, ...]
    new_since: date | None
    # With `left_since`: the enterprise held the label the day before that day and holds none at the
    # period's end (an exit, e.g. 退出规上).
    left_since: date | None = None


@dataclass(frozen=True, slots=True)
class ValueCondition:
    """A condition on a measure of the same row (or on an indicator's value), in that field's unit."""

    field: str
    op: str
    value: Decimal


@dataclass(frozen=True, slots=True)
class TermFilter:
    labels: tuple[LabelCondition, ...] = ()
    class_set: str | None = None
    industry_prefixes: tuple[str, ...] = ()
    high_tech: bool | None = None
    lead_chains: bool | None = None
    park_types: tuple[str, ...] = ()
    recognised: bool | None = None
    green_levels: tuple[str, ...] = ()
    in_park: bool | None = None
    land_uses: tuple[str, ...] = ()
    values: tuple[ValueCondition, ...] = ()


@dataclass(frozen=True, slots=True)
class Term:
    """One aggregate of a source: the sum of a measure or the count of rows, under a filter. `key`
    identifies the same aggregate across indicators, so that the engine computes it once."""

    name: str
    source: str
    aggregate: str  # sum / count
    measure: str | None
    indicator: str | None
    where: TermFilter
    unit: str
    key: str


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    name: str
    name_en: str
    unit: str
    level: str
    direction: str
    coverage: str
    source: str  # "computed", "reported" or "provided"
    formula: Formula | None
    terms: tuple[Term, ...]
    standard: str
    note: str | None

    @property
    def reported(self) -> bool:
        """The city types the value in (source: reported)."""
        return self.source == REPORTED

    @property
    def provided(self) -> bool:
        """An app above hands the value over (source: provided; indicators/providers.py)."""
        return self.source == PROVIDED

    @property
    def external(self) -> bool:
        """The value does not come from the engine's terms (reported or provided): nothing to roll
        up or drill into."""
        return self.source in (REPORTED, PROVIDED)

    @property
    def sources(self) -> frozenset[str]:
        return frozenset(term.source for term in self.terms)

    @property
    def depends_on(self) -> tuple[str, ...]:
        return tuple(term.indicator for term in self.terms if term.indicator)

    @property
    def dimension(self) -> Dimension:
        found = parse_unit(self.unit)
        assert found is not None  # the loader refuses unknown units
        return found

    def evaluate(self, term_values: Mapping[str, Decimal]) -> Decimal | None:
        """The indicator's value from its terms' values (each in its term's unit), in `unit`."""
        if self.formula is None:
            return None
        base = {}
        for term in self.terms:
            dimension = parse_unit(term.unit)
            assert dimension is not None
            base[term.name] = term_values.get(term.name, Decimal(0)) * dimension.scale
        value = self.formula.evaluate(base)
        return None if value is None else value / self.dimension.scale


def _term_key(source: str, aggregate: str, measure: str | None, indicator: str | None, where: TermFilter) -> str:
    canonical = repr((source, aggregate, measure, indicator, where))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@dataclass
class _PendingValue:
    """A value condition whose unit is checked (and converted) once every indicator has been read."""

    obj: Obj
    term: str
    field: str
    op: str
    value: float
    unit: str | None
    line: int


class _IndicatorReader:
    def __init__(
        self,
        src: Source,
        industry_classes: Collection[str],
        type_codes: frozenset[str] | None,
    ) -> None:
        self.src = src
        self.industry_classes = industry_classes
        self.type_codes = None if type_codes is None else type_codes | {UNCLASSIFIED_PARK_TYPE}
        self.class_sets: dict[str, ClassSet] = {}

    def class_set(self, obj: Obj) -> ClassSet:
        prefixes = obj.refs("prefixes", codes=False)
        if obj.empty_list("prefixes"):
            obj.error("prefixes", "至少应有一个行业代码前缀")
        for ref in prefixes:
            if not _PREFIX_RE.match(ref.value):
                self.src.add(
                    ref.line,
                    f"{obj.prefix}行业代码前缀“{ref.value}”格式无效，"
                    "应为门类字母或门类字母加2至4位数字（如 C、C39、I65）",
                )
            elif not any(code.startswith(ref.value) for code in self.industry_classes):
                self.src.add(ref.line, f"{obj.prefix}“{ref.value}”不是 GB/T 4754-2017 中任何行业的代码前缀")
        return ClassSet(obj.code(), obj.text("name"), tuple(ref.value for ref in prefixes), obj.opt_text("note"))

    def _flag(self, obj: Obj, key: str) -> bool | None:
        return obj.boolean(key) if key in obj.data else None

    def _choices(self, obj: Obj, key: str, allowed: Collection[str] | None, what: str) -> tuple[str, ...]:
        refs = obj.refs(key, codes=False)
        if obj.empty_list(key):
            obj.error(key, "不能为空列表")
        if allowed is not None:
            for ref in refs:
                if ref.value not in allowed:
                    choices = "、".join(sorted(allowed))
                    self.src.add(ref.line, f"{obj.prefix}未知的{what}“{ref.value}”，应为：{choices}")
        return tuple(ref.value for ref in refs)

    def where(self, obj: Obj, source: str, measures: dict[str, str], pending: list[_PendingValue]) -> TermFilter:
        data = obj.mapping("where")
        if data is None:
            return TermFilter()
        where = Obj(
            self.src,
            data,
            f"{obj.prefix.rstrip('：')}的筛选条件",
            (),
            ("labels", "industry", "park", "in_park", "land_uses", "values"),
        )
        inner = where.prefix.rstrip("：")
        enterprise_only = ("labels", "industry")
        for key in enterprise_only:
            if key in data and source not in ENTERPRISE_SOURCES:
                where.error(key, f"只适用于企业类数据源（annual、monthly、enterprises），本项数据源为 {source}")
        if "land_uses" in data and source != "land":
            where.error("land_uses", f"只适用于数据源 land，本项数据源为 {source}")
        if "in_park" in data and source in ("park_annual", "parks", "indicator"):
            where.error("in_park", f"对数据源 {source} 没有意义（其记录都属于园区）")

        labels: list[LabelCondition] = []
        for label_data in where.objects("labels"):
            label = Obj(self.src, label_data, f"{inner}的称号条件", ("kind",), ("levels", "new_since", "left_since"))
            kind = choice(label, "kind", LABEL_KINDS, "称号")
            levels = self._choices(label, "levels", LABEL_LEVELS, "级别")
            new_since = label.day("new_since") if "new_since" in label_data else None
            left_since = label.day("left_since") if "left_since" in label_data else None
            if new_since is not None and left_since is not None:
                label.error("left_since", "不能与 new_since 同时使用（新进入与退出分别写成两个条件）")
            labels.append(
                LabelCondition(
                    kind,
                    levels,
                    None if new_since == date.min else new_since,
                    None if left_since == date.min else left_since,
                )
            )

        class_set: str | None = None
        prefixes: tuple[str, ...] = ()
        high_tech = lead_chains = None
        industry = where.mapping("industry")
        if industry is not None:
            ind = Obj(self.src, industry, f"{inner}的行业条件", (), ("class_set", "high_tech", "lead_chains"))
            if "class_set" in industry:
                class_set = ind.code("class_set")
                if class_set and class_set not in self.class_sets:
                    ind.error("class_set", f"为未定义的行业集合“{class_set}”")
                elif class_set:
                    prefixes = self.class_sets[class_set].prefixes
            high_tech = self._flag(ind, "high_tech")
            lead_chains = self._flag(ind, "lead_chains")
            if not industry:
                where.error("industry", "不能为空：应给出 class_set、high_tech 或 lead_chains")

        park_types: tuple[str, ...] = ()
        recognised = None
        green: tuple[str, ...] = ()
        park = where.mapping("park")
        if park is not None:
            park_obj = Obj(
                self.src, park, f"{inner}的园区条件", (), ("types", "recognised", SMART_PLATFORM_FLAG, "green_levels")
            )
            park_types = self._choices(park_obj, "types", self.type_codes, "园区类型")
            recognised = self._flag(park_obj, "recognised")
            if SMART_PLATFORM_FLAG in park:
                park_obj.error(SMART_PLATFORM_FLAG, ERR_SMART_PLATFORM_FLAG)
            green = self._choices(park_obj, "green_levels", GREEN_LEVELS, "绿色园区等级")

        uses = self._choices(where, "land_uses", LAND_USES, "用地类型") if "land_uses" in data else ()
        in_park = self._flag(where, "in_park")

        values: list[ValueCondition] = []
        value_data = where.mapping("values")
        if value_data is not None:
            allowed = {"value"} if source == "indicator" else set(measures)
            for field, condition in value_data.items():
                line = value_data.key_lines[field]
                if field not in allowed:
                    known = "、".join(sorted(allowed)) or "（无）"
                    self.src.add(line, f"{where.prefix}未知的度量“{field}”（数据源 {source} 可用：{known}）")
                    continue
                if not isinstance(condition, LineMap):
                    self.src.add(line, f"{where.prefix}“{field}”的条件应为映射，如 {{gt: 0}}")
                    continue
                cond = Obj(self.src, condition, f"{inner}的“{field}”的条件", (), (*VALUE_OPS, "unit"))
                ops = [op for op in VALUE_OPS if op in condition]
                if len(ops) != 1:
                    self.src.add(line, f"{where.prefix}“{field}”的条件应恰有一个比较（{'、'.join(VALUE_OPS)}）")
                    continue
                number = cond.number(ops[0])
                pending.append(_PendingValue(cond, "", field, ops[0], number, cond.opt_text("unit"), line))
                values.append(ValueCondition(field, ops[0], Decimal(str(number))))
        return TermFilter(
            labels=tuple(labels),
            class_set=class_set,
            industry_prefixes=prefixes,
            high_tech=high_tech,
            lead_chains=lead_chains,
            park_types=park_types,
            recognised=recognised,
            green_levels=green,
            in_park=in_park,
            land_uses=uses,
            values=tuple(values),
        )

    def term(self, name: str, data: object, line: int, label: str) -> tuple[Term | None, list[_PendingValue]]:
        if not isinstance(data, LineMap):
            self.src.add(line, f"{label}：项“{name}”应为映射（source、sum 或 count、where）")
            return None, []
        if not CODE_RE.match(name):
            self.src.add(line, f"{label}：项名“{name}”格式无效：只能用小写字母、数字和下划线，并以字母开头")
        obj = Obj(self.src, data, f"{label}的项“{name}”", ("source",), ("sum", "count", "indicator", "where"))
        source = choice(obj, "source", INDICATOR_SOURCES, "数据源")
        measures = _MEASURE_UNITS.get(source, {})
        pending: list[_PendingValue] = []
        aggregate, measure, unit = "count", None, ""
        if ("sum" in data) == ("count" in data):
            obj.error("source", "的项应恰有 sum（求和的度量）或 count（计数的对象）之一")
        elif "sum" in data:
            aggregate = "sum"
            measure = obj.text("sum")
            if source in _MEASURE_UNITS and measure and measure not in measures:
                known = "、".join(measures) or "（该数据源只能计数）"
                obj.error("sum", f"为未知的度量“{measure}”（数据源 {source} 可用：{known}）")
            unit = measures.get(measure or "", "")
        else:
            counted = obj.text("count")
            expected = SOURCE_COUNTS.get(source)
            if expected and counted and counted != expected:
                obj.error("count", f"对数据源 {source} 应为“{expected}”，实际为“{counted}”")
            unit = COUNT_UNITS.get(expected or "", "个")
        indicator: str | None = None
        if source == "indicator":
            indicator = obj.code("indicator")
            if "indicator" not in data:
                obj.error("source", "为 indicator 时必须给出 indicator（所依据的指标代码）")
        elif "indicator" in data:
            obj.error("indicator", "只用于数据源 indicator")
        where = self.where(obj, source, dict(measures), pending)
        for value in pending:
            value.term = name
        key = _term_key(source, aggregate, measure, indicator, where)
        return Term(name, source, aggregate, measure, indicator, where, unit, key), pending


def _read_indicators(
    top: Obj | None,
    industry_classes: Collection[str],
    type_codes: frozenset[str] | None,
) -> tuple[tuple[ClassSet, ...], tuple[Indicator, ...]]:
    if top is None:
        return (), ()
    src = top.src
    reader = _IndicatorReader(src, industry_classes, type_codes)
    for obj in top.items("class_sets", "行业集合", ("code", "name", "prefixes"), ("note",)):
        class_set = reader.class_set(obj)
        reader.class_sets.setdefault(class_set.code, class_set)

    indicators: list[Indicator] = []
    code_refs: list[Ref] = []
    pending: list[tuple[Indicator, Obj, list[_PendingValue], dict[str, int]]] = []
    required = ("code", "name", "name_en", "unit", "level", "direction", "standard")
    for obj in top.items("indicators", "指标", required, ("coverage", "formula", "terms", "source", "note")):
        data, label = obj.data, obj.label
        unit = obj.text("unit")
        dimension = parse_unit(unit) if unit else None
        if unit and dimension is None:
            obj.error("unit", f"为无法识别的单位“{unit}”（可用：{'、'.join(_UNIT_TABLE)}，或“甲/乙”形式）")
        level = choice(obj, "level", INDICATOR_LEVELS, "层级")
        coverage = choice(obj, "coverage", COVERAGES, "统计范围") if "coverage" in data else "parks"
        source = obj.text("source") if "source" in data else "computed"
        terms: list[Term] = []
        term_lines: dict[str, int] = {}
        values: list[_PendingValue] = []
        formula: Formula | None = None
        if "source" in data and source not in (REPORTED, PROVIDED):
            obj.error(
                "source", f"只能为 {REPORTED}（人工填报）或 {PROVIDED}（由业务模块提供）；计算类指标写 formula 和 terms"
            )
        elif source in (REPORTED, PROVIDED):
            for key in ("formula", "terms"):
                if key in data:
                    obj.error(key, f"不能与 source: {source} 同时出现")
        else:
            for key in ("formula", "terms"):
                if key not in data:
                    src.add(data.line, f"{label}：缺少必填项“{key}”（或写 source: {REPORTED} 表示人工填报）")
            term_map = obj.mapping("terms")
            for name, term_data in (term_map or {}).items():
                assert term_map is not None
                term_lines[name] = term_map.key_lines[name]
                term, found = reader.term(name, term_data, term_map.key_lines[name], label)
                if term is not None:
                    terms.append(term)
                    values.extend(found)
            if term_map is not None and not term_map:
                obj.error("terms", "至少应有一项")
            text = obj.text("formula")
            if text:
                try:
                    formula = Formula.parse(text)
                except FormulaError as error:
                    obj.error("formula", f"“{text}”无法解析：{error}")
            if formula is not None and term_map is not None:
                names = formula.names()
                for name in names:
                    if name not in term_map:
                        obj.error("formula", f"中的“{name}”不是本指标 terms 中定义的项")
                for name in term_map:
                    if name not in names:
                        src.add(term_lines[name], f"{label}：项“{name}”未在公式中使用")
                known = {term.name: parse_unit(term.unit) for term in terms}
                if all(name in known and known[name] is not None for name in names) and dimension is not None:
                    try:
                        derived = formula.dimension({name: dim for name, dim in known.items() if dim is not None})
                    except FormulaError as error:
                        obj.error("formula", f"“{formula.text}”单位不一致：{error}")
                    else:
                        if not derived.same_kind(dimension):
                            obj.error(
                                "unit",
                                f"“{unit}”与公式“{formula.text}”的单位（{derived.describe()}）不一致",
                            )
            if level == "enterprise":
                for term in terms:
                    if term.source not in ENTERPRISE_SOURCES:
                        obj.error("level", f"为 enterprise 时各项须来自企业类数据源，项“{term.name}”来自 {term.source}")
        indicator = Indicator(
            code=obj.code(),
            name=obj.text("name"),
            name_en=obj.text("name_en"),
            unit=unit,
            level=level,
            direction=choice(obj, "direction", DIRECTIONS, "方向"),
            coverage=coverage,
            source=source,
            formula=formula,
            terms=tuple(terms),
            standard=obj.text("standard"),
            note=obj.opt_text("note"),
        )
        indicators.append(indicator)
        code_refs.append(Ref(indicator.code, obj.line("code")))
        pending.append((indicator, obj, values, term_lines))

    by_code = {indicator.code: indicator for indicator in indicators}
    for position, (indicator, obj, values, term_lines) in enumerate(pending):
        for term in indicator.terms:
            if term.indicator is None:
                continue
            line = term_lines.get(term.name, obj.data.line)
            dependency = by_code.get(term.indicator)
            if dependency is None:
                src.add(line, f"{obj.prefix}项“{term.name}”引用了未知的指标代码“{term.indicator}”")
            elif dependency.level not in ("enterprise", "park"):
                src.add(
                    line,
                    f"{obj.prefix}项“{term.name}”所引用的指标“{term.indicator}”须有园区值（层级为 enterprise 或 park）",
                )
            elif dependency.external:
                src.add(line, f"{obj.prefix}项“{term.name}”不能引用人工填报或由业务模块提供的指标“{term.indicator}”")
        factors = {
            (value.term, value.field): factor
            for value in values
            if (factor := _value_factor(src, indicator, value, by_code)) is not None
        }
        if factors:
            indicators[position] = replace(indicator, terms=tuple(_convert(term, factors) for term in indicator.terms))
    _check_cycles(src, indicators, code_refs)
    return tuple(reader.class_sets.values()), tuple(indicators)


def _read_reporting(top: Obj | None, indicators: Sequence[Indicator]) -> ReportingRule:
    """indicators.yaml: reporting — the report-rate indicator and the share that makes a month complete."""
    data = top.mapping("reporting") if top is not None else None
    if top is None or data is None:
        return ReportingRule(None, DEFAULT_COMPLETE_SHARE)
    obj = Obj(top.src, data, "报送完整性规则", ("indicator", "complete_share"), ())
    code = obj.code("indicator")
    share = obj.number("complete_share")
    if "complete_share" in data and not 0 < share <= 1:
        obj.error("complete_share", f"应大于0且不大于1（如 0.9 表示90%），实际为{share:g}")
    item = next((indicator for indicator in indicators if indicator.code == code), None)
    if code and item is None:
        obj.error("indicator", f"“{code}”不是 indicators 中定义的指标")
    elif item is not None and (item.unit != PERCENT or "monthly" not in item.sources):
        obj.error("indicator", f"“{code}”应为单位 % 且读取月度报表（monthly）的报送率指标")
    return ReportingRule(code or None, share or DEFAULT_COMPLETE_SHARE)


def _value_factor(
    src: Source, indicator: Indicator, value: _PendingValue, by_code: dict[str, Indicator]
) -> Decimal | None:
    """A value condition stated in another unit (e.g. 1000 亿元 against revenue in 万元) must be of the
    same kind as its field; the factor converts it to the field's unit."""
    if value.unit is None:
        return None
    stated = parse_unit(value.unit)
    if stated is None:
        src.add(value.line, f"{value.obj.prefix}无法识别的单位“{value.unit}”")
        return None
    term = next((t for t in indicator.terms if t.name == value.term), None)
    if term is None:
        return None
    if term.source == "indicator":
        dependency = by_code.get(term.indicator or "")
        field_unit = dependency.unit if dependency is not None else None
    else:
        field_unit = _MEASURE_UNITS.get(term.source, {}).get(value.field)
    field_dimension = parse_unit(field_unit) if field_unit else None
    if field_dimension is None:
        return None
    if not stated.same_kind(field_dimension):
        src.add(value.line, f"{value.obj.prefix}单位“{value.unit}”与“{value.field}”的单位“{field_unit}”不一致")
        return None
    return stated.scale / field_dimension.scale


def _convert(term: Term, factors: Mapping[tuple[str, str], Decimal]) -> Term:
    values = tuple(
        ValueCondition(v.field, v.op, v.value * factors.get((term.name, v.field), Decimal(1)))
        for v in term.where.values
    )
    if values == term.where.values:
        return term
    where = replace(term.where, values=values)
    return replace(term, where=where, key=_term_key(term.source, term.aggregate, term.measure, term.indicator, where))


def _check_cycles(src: Source, indicators: Sequence[Indicator], refs: Sequence[Ref]) -> None:
    graph = {indicator.code: indicator.depends_on for indicator in indicators}
    lines = {ref.value: ref.line for ref in refs}
    state: dict[str, int] = {}  # 1 = on the path, 2 = done

    def visit(code: str, path: list[str]) -> None:
        state[code] = 1
        for dependency in graph.get(code, ()):
            if state.get(dependency) == 1:
                cycle = [*path[path.index(dependency) :], dependency] if dependency in path else [code, dependency]
                src.add(lines.get(code, 0), f"指标之间循环引用：{' → '.join(cycle)}")
            elif dependency in graph and state.get(dependency) is None:
                visit(dependency, [*path, dependency])
        state[code] = 2

    for indicator in indicators:
        if state.get(indicator.code) is None:
            visit(indicator.code, [indicator.code])


@dataclass(frozen=True)
class IndicatorCatalogue:
    """The section's value: the class sets, the indicators and the reporting rule."""

    class_sets: tuple[ClassSet, ...]
    indicators: tuple[Indicator, ...]
    reporting: ReportingRule

    def indicator(self, code: str) -> Indicator:
        return by_code(self.indicators, code)


def _read(ctx: SectionContext) -> IndicatorCatalogue:
    layout = ctx.get(LAYOUT)
    type_codes = layout.type_codes if layout is not None else None
    top = ctx.top(INDICATORS_FILE, ("indicators",), ("class_sets", "reporting"))
    class_sets, indicators = _read_indicators(top, ctx.industry_classes, type_codes)
    reporting = _read_reporting(top, indicators)
    return IndicatorCatalogue(class_sets, indicators, reporting)


INDICATORS: Section[IndicatorCatalogue] = register(Section("indicators", (INDICATORS_FILE,), _read, needs=(LAYOUT,)))
