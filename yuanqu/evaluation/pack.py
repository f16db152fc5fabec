"""The evaluation part of the policy pack: index systems per park type, 产业名园 selection rules and
亩均效益 grading rules, loaded from YAML and refused with `file:line: message` problems.

Files (in the pack directory): `index_modern.yaml`, `index_featured.yaml`, `index_urban.yaml` (one
index system per park type: dimensions → indicators with direction, normalisation and weight, or an
AHP matrix; entry conditions 门槛; 必达 indicators; the veto list 一票否决; bonus and penalty points
with caps), `selection.yaml` (total, per-type quotas, eligibility, award rule, Monte Carlo defaults)
and `mujun.yaml` (亩均 indicators, weights, benchmark rule, grade quantiles, not-rated rules).

Who calls this: the evaluation services (runs, grading), the `evaluate --check-pack` command and the
tests, through `installed_pack()`. The files are read by the pack's one reader (`yuanqu.core.pack`)
as the section `EVALUATION`, after the registry's park types (award caps) and the indicator catalogue
(every indicator an index system names). Pure Python and the evaluation engine; no Django import.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, TypeVar

from yuanqu.core.pack import (
    HAN_RE,
    LineMap,
    LineSeq,
    Obj,
    PackProblem,
    Ref,
    Section,
    SectionContext,
    Source,
    check_pack,
    check_unique,
    load_pack,
    pack_hash,
    register,
)
from yuanqu.core.pack import installed_pack as installed_policy_pack
from yuanqu.evaluation.engine import AHPInconsistentError, Framework, FrameworkError, Group, Indicator, WeightError
from yuanqu.evaluation.engine import ahp_weights as engine_ahp_weights
from yuanqu.evaluation.engine.framework import NORMALISATION_METHODS, WEIGHT_SUM_TOLERANCE, NormalisationMethod
from yuanqu.evaluation.engine.impute import IMPUTATION_METHODS
from yuanqu.evaluation.engine.outliers import TRANSFORMS
from yuanqu.indicators.pack import INDICATORS
from yuanqu.indicators.pack import Indicator as CatalogueIndicator
from yuanqu.registry.pack import LAYOUT
from yuanqu.stats.derived import derived_measures
from yuanqu.stats.measures import ANNUAL_EXTRA_MEASURES, ENTERPRISE_MEASURES, PARK_MEASURES

INDEX_FILES: dict[str, str] = {
    "modern": "index_modern.yaml",
    "featured": "index_featured.yaml",
    "urban": "index_urban.yaml",
}
SELECTION_FILE = "selection.yaml"
MUJUN_FILE = "mujun.yaml"
EVALUATION_FILES = (*INDEX_FILES.values(), SELECTION_FILE, MUJUN_FILE)

Comparison = Literal["gt", "ge", "lt", "le", "eq"]
COMPARISONS: dict[str, str] = {"gt": "大于", "ge": "不低于", "lt": "小于", "le": "不高于", "eq": "等于"}
# Park attributes (registry Park fields) an entry condition or a bonus may test. Whether a park runs a
# smart-management platform is not one of them: the platform's one source for it is the park's annual
# data (`park_stat: smart_subsystems`, 应用子系统数 ≥ 1), as for the 智慧化平台覆盖率 target; the
# registry's flag is the park's own description and no figure reads it.
PARK_FIELDS: dict[str, str] = {
    "planned_area_km2": "规划面积（平方公里）",
    "green_level": "绿色园区等级",
    "status": "认定状态",
}
PARK_STAT_FIELDS: dict[str, str] = {m.code: f"{m.name}（{m.unit}）" for m in PARK_MEASURES}
ANNUAL_MEASURES: dict[str, str] = {m.code: m.name for m in (*ENTERPRISE_MEASURES, *ANNUAL_EXTRA_MEASURES)}


def annual_measure_names() -> dict[str, str]:
    """The annual measures a 亩均 indicator may use: the annual data's, and those an app above
    keeps (`yuanqu.stats.derived`: the energy app's CO₂ emissions)."""
    return ANNUAL_MEASURES | {code: measure.name for code, measure in derived_measures().items()}


# Indicator levels whose catalogue entries have park values.
PARK_LEVELS = frozenset({"park", "enterprise"})
AGGREGATIONS = ("arithmetic", "geometric")
ALTERNATIVE_WEIGHTS = ("entropy", "critic")
AWARD_RULES = ("tiered", "proportional")
BENCHMARK_RULES = ("median", "mean", "fixed")

MAX_AVERAGE_YEARS = 5
ERR_DIMENSION_AVAILABILITY = "维度数据可得率门槛应在 0 到 1 之间，实际为 {value}"
ERR_AVERAGE_YEARS = "必达指标的平均年数应在 1 到 {limit} 之间，实际为 {value}"
ERR_MIN_GAIN = "诊断建议的最小增益应不小于 0，实际为 {value}"
ERR_AVAILABILITY_THRESHOLD = "备选数据可得率门槛应为 0 到 1 之间的数，实际为“{value}”"

_FRACTION_RE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*\Z")


def compare(value: float, comparison: str, threshold: float) -> bool:
    """`value <comparison> threshold`; the pack's comparison words, in one place."""
    if comparison == "gt":
        return value > threshold
    if comparison == "ge":
        return value >= threshold
    if comparison == "lt":
        return value < threshold
    if comparison == "le":
        return value <= threshold
    return value == threshold


# ── result types ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class CatalogueEntry:
    """What the loader needs to know about a catalogue indicator (indicators.yaml)."""

    code: str
    name: str
    unit: str
    direction: int
    level: str
    name_en: str = ""


@dataclass(frozen=True)
class IndexIndicator:
    code: str
    name: str
    unit: str
    weight: float
    direction: int
    normalisation: NormalisationMethod
    target: float | None = None
    floor: float | None = None
    # The catalogue's English name (shown when the page is in English); "" when it has none.
    name_en: str = ""
    # Second-stage transformation when still skewed after winsorising: "log", "boxcox" or "" (none).
    transform: str = ""


@dataclass(frozen=True)
class Dimension:
    code: str
    name: str
    weight: float
    indicators: tuple[IndexIndicator, ...]
    # Pairwise judgements when the weights were derived by AHP, with their consistency ratio.
    ahp: tuple[tuple[float, ...], ...] | None = None
    consistency_ratio: float | None = None
    # Optional English name (`name_en` in the pack), shown when the page is in English.
    name_en: str = ""
    # The dimension's own availability threshold (`min_availability`): a park with a smaller share of
    # this dimension's indicators is not evaluated. None: only the run's overall threshold.
    min_availability: float | None = None


@dataclass(frozen=True)
class Condition:
    """A test on one park: an indicator value, a registry attribute or a park annual statistic.
    `kind` "manual" is a condition the platform cannot check (listed for the reviewer)."""

    code: str
    text: str
    kind: Literal["indicator", "park_field", "park_stat", "manual", "missing_indicators"]
    subject: str = ""
    comparison: str = "ge"
    value: float | str | None = None
    points: float = 0.0
    source: str = ""


@dataclass(frozen=True)
class Adjustments:
    items: tuple[Condition, ...] = ()
    cap: float = 0.0


@dataclass(frozen=True)
class IndexSystem:
    park_type: str
    name: str
    file: str
    basis: tuple[str, ...]
    dimensions: tuple[Dimension, ...]
    entry_conditions: tuple[Condition, ...]
    must_improve: tuple[str, ...]
    veto: tuple[Condition, ...]
    bonus: Adjustments
    penalty: Adjustments
    dimension_ahp: tuple[tuple[float, ...], ...] | None = None
    dimension_consistency_ratio: float | None = None
    # Catalogue names of every indicator the system reads (for messages and pages).
    labels: Mapping[str, str] = field(default_factory=dict)
    # Their English catalogue names, where the catalogue has one.
    labels_en: Mapping[str, str] = field(default_factory=dict)
    # 必达 indicators judged on an average of several years (`average_years` in the pack; 1 = the year).
    must_improve_years: Mapping[str, int] = field(default_factory=dict)

    def label(self, code: str) -> str:
        return self.labels.get(code, code)

    @property
    def root(self) -> str:
        return "index"

    @property
    def indicators(self) -> tuple[IndexIndicator, ...]:
        return tuple(item for dimension in self.dimensions for item in dimension.indicators)

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.indicators)

    def framework(self) -> Framework:
        """The engine's view of this index system (validated again by the engine)."""
        return Framework(
            indicators=tuple(
                Indicator(
                    code=item.code,
                    name=item.name,
                    weight=item.weight,
                    direction=item.direction,
                    normalisation=item.normalisation,
                    target=item.target,
                    floor=item.floor,
                    transform=item.transform or None,
                )
                for item in self.indicators
            ),
            groups=(
                *(
                    Group(
                        code=dimension.code,
                        name=dimension.name,
                        weight=dimension.weight,
                        children=tuple(item.code for item in dimension.indicators),
                    )
                    for dimension in self.dimensions
                ),
                Group(code=self.root, name=self.name, children=tuple(d.code for d in self.dimensions)),
            ),
        )

    def dimension_availability(self) -> tuple[tuple[str, float], ...]:
        """The dimensions' own availability thresholds, for the engine's `Params`."""
        return tuple((d.code, d.min_availability) for d in self.dimensions if d.min_availability is not None)

    def to_json(self) -> dict[str, Any]:
        """A JSON snapshot, stored with each run so that its numbers can be recomputed later."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IndexSystem:
        def matrix(rows: Any) -> tuple[tuple[float, ...], ...] | None:
            return None if rows is None else tuple(tuple(float(x) for x in row) for row in rows)

        def adjustments(item: Mapping[str, Any]) -> Adjustments:
            return Adjustments(items=tuple(Condition(**c) for c in item["items"]), cap=float(item["cap"]))

        return cls(
            park_type=data["park_type"],
            name=data["name"],
            file=data["file"],
            basis=tuple(data["basis"]),
            dimensions=tuple(
                Dimension(
                    code=d["code"],
                    name=d["name"],
                    weight=float(d["weight"]),
                    indicators=tuple(IndexIndicator(**i) for i in d["indicators"]),
                    ahp=matrix(d["ahp"]),
                    consistency_ratio=d["consistency_ratio"],
                    name_en=str(d.get("name_en") or ""),
                    min_availability=d.get("min_availability"),
                )
                for d in data["dimensions"]
            ),
            entry_conditions=tuple(Condition(**c) for c in data["entry_conditions"]),
            must_improve=tuple(data["must_improve"]),
            veto=tuple(Condition(**c) for c in data["veto"]),
            bonus=adjustments(data["bonus"]),
            penalty=adjustments(data["penalty"]),
            dimension_ahp=matrix(data["dimension_ahp"]),
            dimension_consistency_ratio=data["dimension_consistency_ratio"],
            must_improve_years={str(k): int(v) for k, v in (data.get("must_improve_years") or {}).items()},
            labels=dict(data.get("labels", {})),
            labels_en=dict(data.get("labels_en", {})),
        )

    def codes_read(self) -> tuple[str, ...]:
        """Every catalogue indicator a run reads for this type: index, entry, 必达 and bonus ones."""
        codes = list(self.indicator_codes)
        codes += [c.subject for c in self.entry_conditions if c.kind == "indicator"]
        codes += list(self.must_improve)
        codes += [c.subject for c in (*self.bonus.items, *self.penalty.items) if c.kind == "indicator"]
        return tuple(dict.fromkeys(codes))


@dataclass(frozen=True)
class AwardTier:
    upto: int | None  # the last selection position of the tier; None = all remaining
    share: float


@dataclass(frozen=True)
class UncertaintyDefaults:
    runs: int = 2000
    weight_spread: float = 0.25
    normalisations: tuple[str, ...] = ("minmax", "zscore", "percentile")
    aggregations: tuple[str, ...] = AGGREGATIONS
    imputations: tuple[str, ...] = ("group_median", "none")
    alternative_weights: tuple[str, ...] = ALTERNATIVE_WEIGHTS
    # Variance-based sensitivity (Sobol indices of the ranks): N base samples (0 = not computed),
    # bootstrap resamples, whether winsorisation on/off is a factor, alternative availability thresholds.
    sobol_samples: int = 128
    sobol_bootstrap: int = 200
    vary_winsorisation: bool = True
    availability_thresholds: tuple[float, ...] = ()


@dataclass(frozen=True)
class SelectionRules:
    total: int
    quotas: Mapping[str, int]
    require_recognised: bool
    exclude_veto: bool
    exclude_entry_failure: bool
    exclude_must_improve_failure: bool
    max_imputed_indicators: int | None
    min_probability: float
    award_rule: str
    award_tiers: tuple[AwardTier, ...]
    award_min_share: float
    award_round_wan_yuan: int
    award_caps: Mapping[str, int]
    uncertainty: UncertaintyDefaults
    source: str
    # The park diagnosis lists an improvement only when it raises the index score by at least this
    # many points (selection.yaml `diagnosis.min_gain`).
    diagnosis_min_gain: float = 0.0


@dataclass(frozen=True)
class MujunIndicator:
    code: str
    name: str
    unit: str
    numerator: str
    denominator: str
    scale: float
    weight: float


@dataclass(frozen=True)
class Grade:
    code: str
    name: str
    upper_share: float
    policy: str


@dataclass(frozen=True)
class NotRatedRule:
    code: str
    text: str
    founded_within_years: int | None = None
    industry_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class MujunRules:
    scope_label: str
    scope_text: str
    indicators: tuple[MujunIndicator, ...]
    benchmark_rule: str
    benchmarks: Mapping[str, float]
    ratio_cap: float
    score_scale: float
    grades: tuple[Grade, ...]
    not_rated_code: str
    not_rated_name: str
    not_rated: tuple[NotRatedRule, ...]
    basis: tuple[str, ...]


@dataclass(frozen=True)
class EvaluationPack:
    index_systems: Mapping[str, IndexSystem]
    selection: SelectionRules
    mujun: MujunRules
    content_hash: str
    version: str
    park_type_names: Mapping[str, str] = field(default_factory=dict)

    def index_system(self, park_type: str) -> IndexSystem:
        return self.index_systems[park_type]


def _to_number(value: object) -> float | None:
    """A YAML number, or a fraction written as text ("1/3", for AHP judgements)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(float(value)) else None
    if isinstance(value, str):
        match = _FRACTION_RE.match(value)
        if match and float(match.group(2)) != 0:
            return float(Fraction(match.group(1)) / Fraction(match.group(2)))
    return None


# The Monte Carlo swaps one normalisation in for every indicator at once; goalposts and distance to
# target need each indicator's own target and floor, which an index system does not give them all.
# selection.yaml may offer only these, so a pack can never make every run fail.
MONTE_CARLO_NORMALISATIONS: tuple[NormalisationMethod, ...] = tuple(
    method for method in NORMALISATION_METHODS if method not in ("goalposts", "distance_to_target")
)


# ── index systems ──────────────────────────────────────────────────────────────────────────


def _direction(src: Source, obj: Obj, entry: CatalogueEntry | None) -> int:
    default = entry.direction if entry else 1
    if not obj.has("direction"):
        return default
    word = obj.choice("direction", ("higher", "lower"), default="higher" if default == 1 else "lower")
    direction = 1 if word == "higher" else -1
    if entry is not None and direction != entry.direction:
        obj.problem(
            "direction",
            f"指标“{entry.name}”的方向与指标目录不一致（目录为“{'越大越好' if entry.direction == 1 else '越小越好'}”）",
        )
    return direction


def _read_indicator(
    src: Source, data: LineMap, catalogue: Mapping[str, CatalogueEntry], with_weight: bool
) -> IndexIndicator:
    obj = Obj(src, data, "", ["code"], ["weight", "direction", "normalisation", "target", "floor", "transform", "note"])
    code = obj.text("code")
    entry = catalogue.get(code)
    if code and entry is None:
        obj.problem("code", f"指标“{code}”不在指标目录（indicators.yaml）中")
    elif entry is not None and entry.level not in PARK_LEVELS:
        obj.problem("code", f"指标“{entry.name}”是{entry.level}级指标，没有园区值，不能用于园区评价")
    obj.prefix = f"指标“{entry.name if entry else code}”："
    weight = _read_weight(
        obj,
        with_weight,
        missing="缺少权重“weight”（或在维度上给出判断矩阵“ahp”）",
        forbidden="所在维度已用判断矩阵（ahp）确定权重，不能再给出“weight”",
    )
    normalisation = obj.choice("normalisation", NORMALISATION_METHODS, default="minmax")
    transform = obj.choice("transform", TRANSFORMS, default="") if obj.has("transform") else ""
    target = obj.opt_number("target")
    floor = obj.opt_number("floor")
    if normalisation in ("goalposts", "distance_to_target") and target is None:
        obj.problem("normalisation", f"标准化方法“{normalisation}”须给出目标值“target”")
    if normalisation == "goalposts" and floor is None:
        obj.problem("normalisation", "目标值法（goalposts）须给出门槛值“floor”（得 0 分的值）")
    direction = _direction(src, obj, entry)
    if target is not None and floor is not None and (target - floor) * direction <= 0:
        obj.problem("target", f"目标值应{'高于' if direction == 1 else '低于'}门槛值")
    return IndexIndicator(
        code=code,
        name=entry.name if entry else code,
        unit=entry.unit if entry else "",
        weight=weight,
        direction=direction,
        normalisation=normalisation,  # type: ignore[arg-type]
        target=target,
        floor=floor,
        transform=transform,
        name_en=entry.name_en if entry else "",
    )


def _read_ahp(src: Source, obj: Obj, key: str, size: int, label: str) -> tuple[tuple[tuple[float, ...], ...], Any]:
    """The pairwise matrix under `key` and the engine's AHP result (None when refused)."""
    seq = obj.seq(key)
    rows: list[tuple[float, ...]] = []
    for row, line in zip(seq, seq.item_lines, strict=True):
        if not isinstance(row, LineSeq):
            src.add(line, f"{obj.prefix}判断矩阵“{key}”的每一行应为列表")
            return (), None
        values = [_to_number(cell) for cell in row]
        if any(value is None for value in values):
            src.add(line, f"{obj.prefix}判断矩阵“{key}”的元素应为数值或分数（如 1/3）")
            return (), None
        rows.append(tuple(float(value) for value in values if value is not None))
    if len(rows) != size or any(len(row) != size for row in rows):
        obj.problem(key, f"判断矩阵“{key}”应为 {size}×{size} 方阵（与下级项数一致）")
        return tuple(rows), None
    try:
        return tuple(rows), engine_ahp_weights(rows, label=label)
    except AHPInconsistentError as exc:
        obj.problem(key, str(exc))
    except WeightError as exc:
        obj.problem(key, str(exc))
    return tuple(rows), None


def _read_weight(obj: Obj, expected: bool, *, missing: str, forbidden: str) -> float:
    """A weight that is `expected` unless an AHP matrix above gives it (then `forbidden`); not
    negative. A missing one is reported on the item's code line with `missing`."""
    if expected and not obj.has("weight"):
        obj.problem("code", missing)
    if not expected and obj.has("weight"):
        obj.problem("weight", forbidden)
    weight = obj.number("weight")
    if weight < 0:
        obj.problem("weight", f"权重应不小于 0，实际为 {weight:g}")
    return weight


Weighted = TypeVar("Weighted", IndexIndicator, Dimension)


def _reweighted(items: Sequence[Weighted], weights: Sequence[float]) -> list[Weighted]:
    """The items with the weights an AHP matrix derived for them, in order."""
    return [replace(item, weight=float(weight)) for item, weight in zip(items, weights, strict=True)]


def _check_sum(obj: Obj, key: str, weights: Sequence[float], what: str) -> None:
    total = math.fsum(weights)
    if weights and abs(total - 1.0) > WEIGHT_SUM_TOLERANCE:
        obj.problem(key, f"{what}的权重之和为 {total:.6g}，应为 1")


def _weights(
    src: Source, obj: Obj, by_ahp: bool, key: str, items: list[Weighted], label: str, what: str
) -> tuple[list[Weighted], tuple[tuple[float, ...], ...] | None, float | None]:
    """The items under `key` with their weights, the judgement matrix and its consistency ratio:
    with `by_ahp` the weights are derived from `obj`'s matrix `ahp` (the items as read where it is
    refused), otherwise they are the items' own, which must add up to 1 (no matrix, no ratio)."""
    if not by_ahp:
        _check_sum(obj, key, [item.weight for item in items], what)
        return items, None, None
    rows, result = _read_ahp(src, obj, "ahp", len(items), label)
    if result is None:
        return items, rows, None
    return _reweighted(items, result.weights.tolist()), rows, result.consistency_ratio


def _read_condition(
    src: Source,
    data: LineMap,
    catalogue: Mapping[str, CatalogueEntry],
    *,
    allowed: Sequence[str],
    points: bool,
) -> Condition:
    optional = ["comparison", "value", "equals", "source", "note", "points", *allowed]
    obj = Obj(src, data, "", ["code", "text"], optional)
    code = obj.code()
    text = obj.text("text")
    obj.prefix = f"条件“{text or code}”："
    kinds = [key for key in allowed if key in data]
    if len(kinds) != 1:
        obj.problem("code", f"应给出且只给出以下一项：{'、'.join(allowed)}")
        return Condition(code=code, text=text, kind="manual")
    kind = kinds[0]
    value: float | str | None = None
    comparison = obj.choice("comparison", COMPARISONS, default="ge") if obj.has("comparison") else "ge"
    subject = ""
    if kind == "manual":
        if obj.data.get("manual") is not True:
            obj.problem("manual", "“manual”应为 true")
    elif kind == "missing_indicators":
        if obj.data.get("missing_indicators") is not True:
            obj.problem("missing_indicators", "“missing_indicators”应为 true")
    else:
        subject = obj.text(kind)
        known = {"indicator": catalogue, "park_field": PARK_FIELDS, "park_stat": PARK_STAT_FIELDS}[kind]
        if subject and subject not in known:
            what = {"indicator": "指标目录（indicators.yaml）", "park_field": "园区属性", "park_stat": "园区年度数据"}[
                kind
            ]
            obj.problem(
                kind, f"“{subject}”不在{what}中，可用：{'、'.join(known) if kind != 'indicator' else '见指标目录'}"
            )
        if kind == "indicator" and subject in catalogue and catalogue[subject].level not in PARK_LEVELS:
            obj.problem(kind, f"指标“{catalogue[subject].name}”没有园区值")
        if obj.has("equals"):
            raw = obj.data["equals"]
            if obj.has("value") or obj.has("comparison"):
                obj.problem("equals", "“equals”不能与“comparison”“value”同时使用")
            value = str(raw).lower() if isinstance(raw, bool) else str(raw)
            comparison = "eq"
        else:
            if not obj.has("value"):
                obj.problem("code", "缺少比较值“value”")
            value = obj.number("value")
    amount = 0.0
    if points:
        amount = obj.number("points")
        if not obj.has("points"):
            obj.problem("code", "缺少分值“points”")
        elif amount <= 0:
            obj.problem("points", f"分值应为正数，实际为 {amount:g}")
    elif obj.has("points"):
        obj.problem("points", "此处的条件不计分，不能给出“points”")
    return Condition(
        code=code,
        text=text,
        kind=kind,  # type: ignore[arg-type]
        subject=subject,
        comparison=comparison,
        value=value,
        points=amount,
        source=obj.text("source"),
    )


def _read_adjustments(
    src: Source, root: Obj, key: str, catalogue: Mapping[str, CatalogueEntry], what: str
) -> Adjustments:
    data = root.mapping(key)
    if data is None:
        return Adjustments()
    obj = Obj(src, data, what, ["cap", "items"], ["note"])
    cap = obj.number("cap")
    if cap < 0:
        obj.problem("cap", f"封顶分值应不小于 0，实际为 {cap:g}")
    items = tuple(
        _read_condition(
            src,
            item,
            catalogue,
            allowed=("indicator", "park_field", "park_stat", "missing_indicators"),
            points=True,
        )
        for item in obj.objects("items")
    )
    check_unique(src, what, [Ref(c.code, item.line) for c, item in zip(items, obj.objects("items"), strict=True)])
    return Adjustments(items=items, cap=cap)


def _read_index_system(
    src: Source, data: LineMap, park_type: str, catalogue: Mapping[str, CatalogueEntry]
) -> IndexSystem | None:
    before = len(src.problems)
    obj = Obj(
        src,
        data,
        "",
        ["park_type", "name", "basis", "dimensions"],
        ["note", "ahp", "entry_conditions", "must_improve", "veto", "bonus", "penalty", "version"],
    )
    declared = obj.text("park_type")
    if declared and declared != park_type:
        obj.problem("park_type", f"文件 {src.name} 应为园区类型“{park_type}”的指标体系，实际为“{declared}”")
    name = obj.text("name")
    basis = obj.texts("basis")
    dimension_maps = obj.objects("dimensions")
    with_dimension_weights = not obj.has("ahp")
    dimensions: list[Dimension] = []
    seen_indicators: dict[str, int] = {}
    for item in dimension_maps:
        dim = Obj(
            src, item, "", ["code", "name", "indicators"], ["name_en", "weight", "ahp", "min_availability", "note"]
        )
        code = dim.code()
        dim_name = dim.text("name")
        dim_name_en = dim.text("name_en")
        if HAN_RE.search(dim_name_en):
            dim.problem("name_en", f"英文名称“{dim_name_en}”不应含汉字")
        dim.prefix = f"维度“{dim_name or code}”："
        weight = _read_weight(
            dim,
            with_dimension_weights,
            missing="缺少权重“weight”（或在文件顶层给出维度判断矩阵“ahp”）",
            forbidden="已在文件顶层用判断矩阵（ahp）确定维度权重，不能再给出“weight”",
        )
        dim_availability = dim.opt_number("min_availability")
        if dim_availability is not None and not 0.0 <= dim_availability <= 1.0:
            dim.problem("min_availability", ERR_DIMENSION_AVAILABILITY.format(value=f"{dim_availability:g}"))
        uses_ahp = dim.has("ahp")
        indicator_maps = dim.objects("indicators")
        if not indicator_maps:
            dim.problem("indicators", "没有下级指标")
        indicators = [_read_indicator(src, ind, catalogue, not uses_ahp) for ind in indicator_maps]
        for indicator, ind in zip(indicators, indicator_maps, strict=True):
            if indicator.code in seen_indicators:
                src.add(
                    ind.line, f"指标“{indicator.name}”在本指标体系中重复（第{seen_indicators[indicator.code]}行已出现）"
                )
            elif indicator.code:
                seen_indicators[indicator.code] = ind.line
        indicators, ahp_rows, cr = _weights(
            src, dim, uses_ahp, "indicators", indicators, dim_name or code, f"维度“{dim_name or code}”下各指标"
        )
        dimensions.append(
            Dimension(
                code=code,
                name=dim_name,
                weight=weight,
                indicators=tuple(indicators),
                ahp=ahp_rows,
                consistency_ratio=cr,
                name_en=dim_name_en,
                min_availability=dim_availability,
            )
        )
    check_unique(src, "维度", [Ref(d.code, m.line) for d, m in zip(dimensions, dimension_maps, strict=True)])
    if not dimension_maps:
        obj.problem("dimensions", "指标体系没有维度")
    dimensions, dimension_ahp, dimension_cr = _weights(
        src,
        obj,
        not with_dimension_weights,
        "dimensions",
        dimensions,
        name or park_type,
        f"指标体系“{name or park_type}”各维度",
    )
    entry = tuple(
        _read_condition(src, item, catalogue, allowed=("indicator", "park_field", "manual"), points=False)
        for item in obj.objects("entry_conditions")
    )
    veto = tuple(
        _read_condition(src, item, catalogue, allowed=("park_stat", "indicator", "park_field"), points=False)
        for item in obj.objects("veto")
    )
    must_improve: list[str] = []
    must_improve_years: dict[str, int] = {}
    for item in obj.objects("must_improve"):
        rule = Obj(src, item, "必达指标", ["indicator"], ["average_years", "note"])
        code = rule.text("indicator")
        years = rule.integer("average_years", 1, minimum=1)
        if years > MAX_AVERAGE_YEARS:
            rule.problem("average_years", ERR_AVERAGE_YEARS.format(limit=MAX_AVERAGE_YEARS, value=years))
        elif code and years > 1:
            must_improve_years[code] = years
        if code and code not in catalogue:
            rule.problem("indicator", f"指标“{code}”不在指标目录（indicators.yaml）中")
        elif code in catalogue and catalogue[code].level not in PARK_LEVELS:
            rule.problem("indicator", f"指标“{catalogue[code].name}”没有园区值")
        elif code in must_improve:
            rule.problem("indicator", f"必达指标“{code}”重复")
        elif code:
            must_improve.append(code)
    bonus = _read_adjustments(src, obj, "bonus", catalogue, "加分项")
    penalty = _read_adjustments(src, obj, "penalty", catalogue, "扣分项")
    if len(src.problems) > before:
        return None
    system = IndexSystem(
        park_type=park_type,
        name=name,
        file=src.name,
        basis=basis,
        dimensions=tuple(dimensions),
        entry_conditions=entry,
        must_improve=tuple(must_improve),
        must_improve_years=must_improve_years,
        veto=veto,
        bonus=bonus,
        penalty=penalty,
        dimension_ahp=dimension_ahp,
        dimension_consistency_ratio=dimension_cr,
    )
    read = [code for code in system.codes_read() if code in catalogue]
    system = replace(
        system,
        labels={code: catalogue[code].name for code in read},
        labels_en={code: catalogue[code].name_en for code in read if catalogue[code].name_en},
    )
    try:
        system.framework()
    except FrameworkError as exc:
        src.add(data.line, f"指标体系未通过引擎校验：{exc}")
        return None
    return system


# ── selection and 亩均 rules ──────────────────────────────────────────────────────────────


def _read_selection(
    src: Source, data: LineMap, park_types: Mapping[str, int], index_types: Collection[str]
) -> SelectionRules | None:
    before = len(src.problems)
    obj = Obj(
        src,
        data,
        "",
        ["total", "quotas", "award"],
        ["source", "eligibility", "robustness", "uncertainty", "diagnosis", "note"],
    )
    total = obj.integer("total", minimum=1)
    quota_counts = obj.counts(
        "quotas",
        known=index_types,
        unknown=f"名额中的园区类型“{{key}}”没有指标体系（可用：{'、'.join(index_types)}）",
        wrong="园区类型“{key}”的名额应为不小于 0 的整数",
        minimum=0,
    )
    quotas = {code: count for code, (count, _line) in (quota_counts or {}).items()}
    if quota_counts is not None and sum(quotas.values()) != total:
        obj.problem("quotas", f"各类型名额之和为 {sum(quotas.values())}，应等于遴选总数 {total}")
    eligibility = obj.mapping("eligibility") or LineMap(obj.line("eligibility"))
    elig = Obj(
        src,
        eligibility,
        "入选资格",
        [],
        [
            "require_recognised",
            "exclude_veto",
            "exclude_entry_failure",
            "exclude_must_improve_failure",
            "max_imputed_indicators",
            "note",
        ],
    )
    max_imputed = elig.integer("max_imputed_indicators", minimum=0) if elig.has("max_imputed_indicators") else None
    robustness = obj.mapping("robustness") or LineMap(obj.line("robustness"))
    robust = Obj(src, robustness, "稳健性", [], ["min_probability", "note"])
    min_probability = robust.number("min_probability", 0.5)
    if not 0.0 < min_probability <= 1.0:
        robust.problem("min_probability", f"入选概率阈值应在 (0, 1] 之间，实际为 {min_probability:g}")
    uncertainty = _read_uncertainty(src, obj)
    diagnosis = Obj(
        src, obj.mapping("diagnosis") or LineMap(obj.line("diagnosis")), "园区诊断", [], ["min_gain", "note"]
    )
    min_gain = diagnosis.number("min_gain", 0.0)
    if min_gain < 0:
        diagnosis.problem("min_gain", ERR_MIN_GAIN.format(value=f"{min_gain:g}"))
    award = obj.mapping("award") or LineMap(obj.line("award"))
    aw = Obj(src, award, "奖励规则", ["rule"], ["tiers", "min_share", "round_to_wan_yuan", "caps_wan_yuan", "note"])
    rule = aw.choice("rule", AWARD_RULES, default="tiered")
    tiers: list[AwardTier] = []
    last_upto = 0
    for item in aw.objects("tiers"):
        tier = Obj(src, item, "奖励档次", ["share"], ["upto"])
        share = tier.number("share")
        if not 0.0 < share <= 1.0:
            tier.problem("share", f"奖励比例应在 (0, 1] 之间（按奖励上限计），实际为 {share:g}")
        upto = tier.integer("upto", minimum=1) if tier.has("upto") else None
        if tiers and tiers[-1].upto is None:
            tier.problem("share", "未写“upto”的档次（其余名次）应为最后一档")
        if upto is not None and upto <= last_upto:
            tier.problem("upto", "各档次的“upto”应逐档递增")
        last_upto = upto or last_upto
        tiers.append(AwardTier(upto=upto, share=share))
    if rule == "tiered" and (not tiers or tiers[-1].upto is not None):
        aw.problem("rule", "分档奖励（tiered）须以一条不写“upto”的档次收尾，覆盖其余名次")
    min_share = aw.number("min_share", 0.5)
    if not 0.0 < min_share <= 1.0:
        aw.problem("min_share", f"最低奖励比例应在 (0, 1] 之间，实际为 {min_share:g}")
    round_to = aw.integer("round_to_wan_yuan", 1, minimum=1)
    # Caps come from park_types.yaml (保障措施（四）); the rule may only lower them.
    caps = {code: cap for code, cap in park_types.items() if code in index_types}
    given_caps = aw.counts(
        "caps_wan_yuan",
        known=park_types,
        unknown="奖励上限中的园区类型“{key}”未知",
        wrong="园区类型“{key}”的奖励上限应为正整数（万元）",
        minimum=1,
    )
    for key, (value, line) in (given_caps or {}).items():
        limit = park_types[key]
        if value > limit:
            src.add(line, f"园区类型“{key}”的奖励上限 {value} 万元超过政策上限 {limit} 万元（park_types.yaml）")
        else:
            caps[key] = value
    if len(src.problems) > before:
        return None
    return SelectionRules(
        total=total,
        quotas=quotas,
        require_recognised=elig.boolean("require_recognised", True),
        exclude_veto=elig.boolean("exclude_veto", True),
        exclude_entry_failure=elig.boolean("exclude_entry_failure", True),
        exclude_must_improve_failure=elig.boolean("exclude_must_improve_failure", True),
        max_imputed_indicators=max_imputed,
        min_probability=min_probability,
        award_rule=rule,
        award_tiers=tuple(tiers),
        award_min_share=min_share,
        award_round_wan_yuan=round_to,
        award_caps=caps,
        uncertainty=uncertainty,
        source=obj.text("source"),
        diagnosis_min_gain=min_gain,
    )


def _read_uncertainty(src: Source, parent: Obj) -> UncertaintyDefaults:
    data = parent.mapping("uncertainty")
    if data is None:
        return UncertaintyDefaults()
    obj = Obj(
        src,
        data,
        "不确定性分析",
        [],
        [
            "runs",
            "weight_spread",
            "normalisations",
            "aggregations",
            "imputations",
            "alternative_weights",
            "sobol_samples",
            "sobol_bootstrap",
            "vary_winsorisation",
            "availability_thresholds",
            "note",
        ],
    )
    defaults = UncertaintyDefaults()
    thresholds: list[float] = []
    for item in obj.seq("availability_thresholds"):
        value = _to_number(item)
        if value is None or not 0.0 <= value <= 1.0:
            obj.problem("availability_thresholds", ERR_AVAILABILITY_THRESHOLD.format(value=item))
        else:
            thresholds.append(value)
    runs = obj.integer("runs", defaults.runs, minimum=1)
    spread = obj.number("weight_spread", defaults.weight_spread)
    if not 0.0 <= spread < 1.0:
        obj.problem("weight_spread", f"权重扰动幅度应在 [0, 1) 之间，实际为 {spread:g}")
    return UncertaintyDefaults(
        runs=runs,
        weight_spread=spread,
        normalisations=obj.choices("normalisations", MONTE_CARLO_NORMALISATIONS, defaults.normalisations),
        aggregations=obj.choices("aggregations", AGGREGATIONS, defaults.aggregations),
        imputations=obj.choices("imputations", IMPUTATION_METHODS, defaults.imputations),
        alternative_weights=obj.choices("alternative_weights", ALTERNATIVE_WEIGHTS, defaults.alternative_weights),
        sobol_samples=obj.integer("sobol_samples", defaults.sobol_samples, minimum=0),
        sobol_bootstrap=obj.integer("sobol_bootstrap", defaults.sobol_bootstrap, minimum=0),
        vary_winsorisation=obj.boolean("vary_winsorisation", defaults.vary_winsorisation),
        availability_thresholds=tuple(dict.fromkeys(thresholds)),
    )


def _read_mujun(src: Source, data: LineMap) -> MujunRules | None:
    before = len(src.problems)
    obj = Obj(
        src,
        data,
        "",
        ["scope_label", "scope", "indicators", "benchmark", "grades", "not_rated"],
        ["basis", "note", "score_scale"],
    )
    scope_label = obj.code("scope_label")
    indicators: list[MujunIndicator] = []
    maps = obj.objects("indicators")
    for item in maps:
        ind = Obj(src, item, "", ["code", "name", "unit", "numerator", "denominator", "weight"], ["scale", "note"])
        code = ind.code()
        ind.prefix = f"亩均指标“{ind.text('name') or code}”："
        for key in ("numerator", "denominator"):
            measure = ind.text(key)
            known = annual_measure_names()
            if measure and measure not in known:
                ind.problem(key, f"“{measure}”不是企业年度数据的度量，可用：{'、'.join(known)}")
        weight = ind.number("weight")
        if weight < 0:
            ind.problem("weight", f"权重应不小于 0，实际为 {weight:g}")
        indicators.append(
            MujunIndicator(
                code=code,
                name=ind.text("name"),
                unit=ind.text("unit"),
                numerator=ind.text("numerator"),
                denominator=ind.text("denominator"),
                scale=ind.number("scale", 1.0),
                weight=weight,
            )
        )
    check_unique(src, "亩均指标", [Ref(i.code, m.line) for i, m in zip(indicators, maps, strict=True)])
    _check_sum(obj, "indicators", [i.weight for i in indicators], "亩均效益评价各指标")
    bench_map = obj.mapping("benchmark") or LineMap(obj.line("benchmark"))
    bench = Obj(src, bench_map, "基准值", ["rule"], ["ratio_cap", "values", "note"])
    rule = bench.choice("rule", BENCHMARK_RULES, default="median")
    ratio_cap = bench.number("ratio_cap", 3.0)
    if ratio_cap <= 0:
        bench.problem("ratio_cap", f"单项得分上限倍数应为正数，实际为 {ratio_cap:g}")
    benchmarks: dict[str, float] = {}
    values = bench.mapping("values")
    if rule == "fixed":
        if values is None:
            bench.problem("rule", "固定基准值（fixed）须在“values”中给出每个指标的基准值")
        else:
            for indicator in indicators:
                raw = values.get(indicator.code)
                number = _to_number(raw)
                if number is None or number <= 0:
                    src.add(values.line, f"基准值：缺少指标“{indicator.code}”的正数基准值")
                else:
                    benchmarks[indicator.code] = number
    grades: list[Grade] = []
    last = 0.0
    grade_maps = obj.objects("grades")
    for item in grade_maps:
        grade = Obj(src, item, "等级", ["code", "name", "upper_share"], ["policy"])
        share = grade.number("upper_share")
        if not last < share <= 1.0:
            grade.problem("upper_share", f"累计比例应逐级递增且不超过 1，实际为 {share:g}")
        last = share
        grades.append(
            Grade(code=grade.text("code"), name=grade.text("name"), upper_share=share, policy=grade.text("policy"))
        )
    if grades and abs(grades[-1].upper_share - 1.0) > 1e-9:
        obj.problem("grades", "最后一个等级的累计比例应为 1（覆盖全部参评企业）")
    check_unique(src, "等级", [Ref(g.code, m.line) for g, m in zip(grades, grade_maps, strict=True)])
    nr_map = obj.mapping("not_rated") or LineMap(obj.line("not_rated"))
    nr = Obj(src, nr_map, "不参评（T类）", ["code", "name", "rules"], ["note"])
    not_rated_code = nr.text("code", "T")
    if not_rated_code in {g.code for g in grades}:
        nr.problem("code", f"不参评等级代码“{not_rated_code}”与参评等级重复")
    rules: list[NotRatedRule] = []
    for item in nr.objects("rules"):
        r = Obj(src, item, "不参评规则", ["code", "text"], ["founded_within_years", "industry_prefixes"])
        prefixes = r.texts("industry_prefixes")
        for prefix in prefixes:
            if not re.fullmatch(r"[A-T]\d{0,4}", prefix):
                r.problem("industry_prefixes", f"行业代码前缀“{prefix}”格式无效（如 D44）")
        years = r.integer("founded_within_years", minimum=1) if r.has("founded_within_years") else None
        if years is None and not prefixes:
            r.problem("code", "应给出“founded_within_years”或“industry_prefixes”")
        rules.append(
            NotRatedRule(code=r.code(), text=r.text("text"), founded_within_years=years, industry_prefixes=prefixes)
        )
    scale = obj.number("score_scale", 100.0)
    if len(src.problems) > before:
        return None
    return MujunRules(
        scope_label=scope_label,
        scope_text=obj.text("scope"),
        indicators=tuple(indicators),
        benchmark_rule=rule,
        benchmarks=benchmarks,
        ratio_cap=ratio_cap,
        score_scale=scale,
        grades=tuple(grades),
        not_rated_code=not_rated_code,
        not_rated_name=nr.text("name"),
        not_rated=tuple(rules),
        basis=obj.texts("basis"),
    )


# ── public functions ───────────────────────────────────────────────────────────────────────


def catalogue_of(indicators: Sequence[CatalogueIndicator]) -> dict[str, CatalogueEntry]:
    return {
        item.code: CatalogueEntry(
            code=item.code,
            name=item.name,
            unit=item.unit,
            direction=1 if item.direction == "higher" else -1,
            level=item.level,
            name_en=item.name_en,
        )
        for item in indicators
    }


def read_evaluation_pack(
    ctx: SectionContext,
    *,
    catalogue: Mapping[str, CatalogueEntry],
    award_caps: Mapping[str, int],
    park_type_names: Mapping[str, str] | None = None,
    version: str = "",
) -> EvaluationPack | None:
    """Read the evaluation files of the pack against a catalogue and the park types' award caps;
    None when any of them is refused (the problems are in the context's files)."""
    systems: dict[str, IndexSystem] = {}
    readable = True
    for park_type, name in INDEX_FILES.items():
        src, data = ctx.file(name)
        if data is None:
            readable = False
            continue
        system = _read_index_system(src, data, park_type, catalogue)
        if system is not None:
            systems[park_type] = system
    src, data = ctx.file(SELECTION_FILE)
    selection = _read_selection(src, data, award_caps, tuple(INDEX_FILES)) if data is not None else None
    src, data = ctx.file(MUJUN_FILE)
    mujun = _read_mujun(src, data) if data is not None else None
    if not readable or selection is None or mujun is None or len(systems) != len(INDEX_FILES):
        return None
    return EvaluationPack(
        index_systems=systems,
        selection=selection,
        mujun=mujun,
        content_hash=pack_hash(ctx.path),
        version=version,
        park_type_names=dict(park_type_names or {}),
    )


def _read(ctx: SectionContext) -> EvaluationPack | None:
    layout = ctx.get(LAYOUT)
    indicators = ctx.get(INDICATORS)
    if layout is None or indicators is None:
        return None
    return read_evaluation_pack(
        ctx,
        catalogue=catalogue_of(indicators.indicators),
        award_caps={t.code: t.award_cap_wan_yuan for t in layout.park_types},
        park_type_names={t.code: t.name for t in layout.park_types},
        version=ctx.head.version if ctx.head is not None else "",
    )


EVALUATION: Section[EvaluationPack] = register(
    Section("evaluation", EVALUATION_FILES, _read, needs=(LAYOUT, INDICATORS))
)


def load_evaluation_pack(path: Path) -> EvaluationPack:
    """Load the evaluation rules of the pack in `path` (the rest of the pack must be valid too);
    raise PolicyPackError listing every problem."""
    return load_pack(path).section(EVALUATION)


def check_evaluation_pack(path: Path) -> tuple[EvaluationPack | None, list[PackProblem]]:
    """The evaluation rules of the pack in `path` and every problem of the pack (empty when valid)."""
    problems = check_pack(path)
    if problems:
        return None, problems
    return load_evaluation_pack(path), []


def installed_pack() -> EvaluationPack:
    """The evaluation rules of the installed pack (settings.POLICY_PACK_DIR), loaded once per content."""
    return installed_policy_pack().section(EVALUATION)
