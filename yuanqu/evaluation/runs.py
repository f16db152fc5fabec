"""One year's park evaluation from plain facts: conditions (门槛, 必达, 一票否决, bonus and penalty),
the engine's nominal run and Monte Carlo per park type, final scores and rank intervals, and the
产业名园 proposal with awards.

No Django here: the services read the database into `ParkFacts`, call `evaluate_type` per park type, and store the
`ParkOutcome`s. Tests drive it directly with hand-made facts. Every modelling choice is in
`RunParams`, which the run stores in full, so a run can be repeated number for number.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from yuanqu.evaluation.engine import Dataset, Params, UncertaintySpec, monte_carlo
from yuanqu.evaluation.engine import run as engine_run
from yuanqu.evaluation.engine.coherence import coherence
from yuanqu.evaluation.engine.data import without_empty_indicators
from yuanqu.evaluation.engine.framework import NORMALISATION_METHODS, Framework, NormalisationMethod
from yuanqu.evaluation.engine.impute import IMPUTATION_METHODS, ImputationMethod
from yuanqu.evaluation.engine.pipeline import diagnostic_weight_set
from yuanqu.evaluation.engine.sensitivity import SobolSpec, drop_one, sobol_ranks
from yuanqu.evaluation.pack import (
    AGGREGATIONS,
    ALTERNATIVE_WEIGHTS,
    COMPARISONS,
    MONTE_CARLO_NORMALISATIONS,
    Condition,
    IndexSystem,
    SelectionRules,
    UncertaintyDefaults,
    compare,
)
from yuanqu.evaluation.scoring import score_type

Progress = Callable[[str, int, int], None]
MAX_RUNS = 20000
ERR_MONTE_CARLO_NORMALISATION = "标准化方法“{method}”需要每个指标的目标值，不能用于蒙特卡洛比较；可选：{choices}"
# Monte Carlo batches: the engine gives the same numbers whatever the batch size (test_uncertainty_pinned.py);
# this one only sets the memory per batch.
BATCH_SIZE = 500
SENSITIVITY_WEIGHT_RUNS = 200
MAX_SOBOL_SAMPLES = 4096
CRITIC_CONSTANT = "{names}在该类型参评园区中取值相同，CRITIC 备选权重已将其排除（权重为 0，不计入其他指标的冲突度）"
ERR_SOBOL_SAMPLES = "方差分解的基础样本数应在 0 到 {limit} 之间，自助抽样次数不能为负"


class RunParamsError(ValueError):
    """The parameters of a run are invalid; the message is Chinese."""


@dataclass(frozen=True)
class RunParams:
    """Every modelling choice of a run (stored with it). Defaults come from selection.yaml."""

    runs: int
    seed: int
    weight_spread: float
    normalisations: tuple[str, ...]
    aggregations: tuple[str, ...]
    imputations: tuple[str, ...]
    alternative_weights: tuple[str, ...]
    min_availability: float = 0.66
    imputation: str = "group_median"
    aggregation: str = "arithmetic"
    winsorise: bool = False
    sobol_samples: int = 0
    sobol_bootstrap: int = 200
    vary_winsorisation: bool = True
    availability_thresholds: tuple[float, ...] = ()

    @classmethod
    def resolve(cls, given: Mapping[str, Any] | None, defaults: UncertaintyDefaults, *, seed: int) -> RunParams:
        """The defaults overridden by `given` (keys as the field names), validated."""
        values: dict[str, Any] = {
            "runs": defaults.runs,
            "seed": seed,
            "weight_spread": defaults.weight_spread,
            "normalisations": defaults.normalisations,
            "aggregations": defaults.aggregations,
            "imputations": defaults.imputations,
            "alternative_weights": defaults.alternative_weights,
            "sobol_samples": defaults.sobol_samples,
            "sobol_bootstrap": defaults.sobol_bootstrap,
            "vary_winsorisation": defaults.vary_winsorisation,
            "availability_thresholds": defaults.availability_thresholds,
        }
        given = dict(given or {})
        unknown = sorted(set(given) - set(cls.__dataclass_fields__))
        if unknown:
            raise RunParamsError(f"未知的评价参数：{'、'.join(unknown)}")
        values.update({key: value for key, value in given.items() if value is not None})
        try:
            params = cls(
                runs=int(values["runs"]),
                seed=int(values["seed"]),
                weight_spread=float(values["weight_spread"]),
                normalisations=_normalisations(values["normalisations"]),
                aggregations=_choices(values["aggregations"], AGGREGATIONS, "聚合方法"),
                imputations=_choices(values["imputations"], IMPUTATION_METHODS, "缺失值处理方法"),
                alternative_weights=_choices(values["alternative_weights"], ALTERNATIVE_WEIGHTS, "备选权重"),
                min_availability=float(values.get("min_availability", 0.66)),
                imputation=str(values.get("imputation", "group_median")),
                aggregation=str(values.get("aggregation", "arithmetic")),
                winsorise=bool(values.get("winsorise", False)),
                sobol_samples=int(values["sobol_samples"]),
                sobol_bootstrap=int(values["sobol_bootstrap"]),
                vary_winsorisation=bool(values["vary_winsorisation"]),
                availability_thresholds=tuple(float(value) for value in values["availability_thresholds"]),
            )
        except (TypeError, ValueError) as exc:
            if isinstance(exc, RunParamsError):
                raise
            raise RunParamsError(f"评价参数格式错误：{exc}") from exc
        if not 1 <= params.runs <= MAX_RUNS:
            raise RunParamsError(f"蒙特卡洛运行次数应在 1 到 {MAX_RUNS} 之间，实际为 {params.runs}")
        if params.seed < 0:
            raise RunParamsError(f"随机种子应为非负整数，实际为 {params.seed}")
        if not 0.0 <= params.weight_spread < 1.0:
            raise RunParamsError(f"权重扰动幅度应在 [0, 1) 之间，实际为 {params.weight_spread}")
        if not 0.0 <= params.min_availability <= 1.0:
            raise RunParamsError(f"数据可得率门槛应在 0 到 1 之间，实际为 {params.min_availability}")
        if params.imputation not in IMPUTATION_METHODS:
            raise RunParamsError(f"缺失值处理方法“{params.imputation}”未知，可选：{'、'.join(IMPUTATION_METHODS)}")
        if not 0 <= params.sobol_samples <= MAX_SOBOL_SAMPLES or params.sobol_bootstrap < 0:
            raise RunParamsError(ERR_SOBOL_SAMPLES.format(limit=MAX_SOBOL_SAMPLES))
        if any(not 0.0 <= value <= 1.0 for value in params.availability_thresholds):
            raise RunParamsError(f"数据可得率门槛应在 0 到 1 之间，实际为 {list(params.availability_thresholds)}")
        if params.aggregation not in AGGREGATIONS:
            raise RunParamsError(f"聚合方法“{params.aggregation}”未知，可选：{'、'.join(AGGREGATIONS)}")
        return params

    def to_json(self) -> dict[str, Any]:
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}

    def engine_params(self, system: IndexSystem | None = None) -> Params:
        """The engine's parameters; with the index system, its dimensions' own availability thresholds."""
        return Params(
            min_availability=self.min_availability,
            imputation=_imputation(self.imputation),
            winsorise=self.winsorise,
            aggregation="geometric" if self.aggregation == "geometric" else "arithmetic",
            dimension_availability=system.dimension_availability() if system is not None else (),
        )


def _choices(value: Any, allowed: Sequence[str], what: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else list(value)
    bad = [str(item) for item in items if item not in allowed]
    if bad:
        raise RunParamsError(f"{what}“{bad[0]}”未知，可选：{'、'.join(allowed)}")
    return tuple(dict.fromkeys(str(item) for item in items))


def _normalisations(value: Any) -> tuple[str, ...]:
    chosen = _choices(value, NORMALISATION_METHODS, "标准化方法")
    for method in chosen:
        if method not in MONTE_CARLO_NORMALISATIONS:
            raise RunParamsError(
                ERR_MONTE_CARLO_NORMALISATION.format(method=method, choices="、".join(MONTE_CARLO_NORMALISATIONS))
            )
    return chosen


def _imputation(value: str) -> ImputationMethod:
    for method in IMPUTATION_METHODS:
        if method == value:
            return method
    raise RunParamsError(f"缺失值处理方法“{value}”未知")


def _normalisation(value: str) -> NormalisationMethod:
    for method in NORMALISATION_METHODS:
        if method == value:
            return method
    raise RunParamsError(f"标准化方法“{value}”未知")


# ── facts and outcomes ─────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ParkFacts:
    """What a run knows about one park: registry attributes, the year's park statistics (None when
    not reported), indicator values of the year and of the year before (None = missing)."""

    code: str
    name: str
    park_type: str
    recognised: bool
    fields: Mapping[str, float | str | bool | None]
    stats: Mapping[str, float | None] | None
    values: Mapping[str, float | None]
    previous: Mapping[str, float | None]
    # Earlier years' values, the year before first: earlier[code][0] is previous[code]. Read for 必达
    # indicators judged on a several-year average.
    earlier: Mapping[str, tuple[float | None, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    code: str
    text: str
    met: bool | None  # None: could not be checked (no data, or a manual condition)
    observed: float | str | None
    expected: str
    points: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ParkOutcome:
    code: str
    park_type: str
    included: bool
    availability: float
    imputed_count: int
    index_score: float | None = None
    bonus: float = 0.0
    penalty: float = 0.0
    score: float | None = None
    dimension_scores: dict[str, float] = field(default_factory=dict)
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    rank: int | None = None
    median_rank: int | None = None
    rank_p05: int | None = None
    rank_p95: int | None = None
    topsis_rank: int | None = None
    p_selected: float | None = None
    veto: bool = False
    entry_ok: bool = True
    must_improve_ok: bool | None = None
    checks: dict[str, Any] = field(default_factory=dict)
    eligible: bool = False
    ineligible_reasons: list[str] = field(default_factory=list)
    selected: bool = False
    selection_order: int | None = None
    unstable: bool = False
    award_wan_yuan: int | None = None
    # indicator code → (used value after imputation/treatment, imputed?, normalised score)
    used: dict[str, tuple[float | None, bool, float | None]] = field(default_factory=dict)


@dataclass
class TypeOutcome:
    park_type: str
    parks: list[ParkOutcome]
    sensitivity: list[dict[str, Any]]
    ties: list[str]
    warnings: list[str]
    quota: int
    # Sobol indices of the ranks (`engine.sensitivity.sobol_ranks`) and the drop-one table, JSON-ready.
    sobol: dict[str, Any] = field(default_factory=dict)
    drop_one: list[dict[str, Any]] = field(default_factory=list)


# Codes that conditions compare registry values with, as people read them.
VALUE_LABELS = {"national": "国家级", "provincial": "省级", "recognised": "已认定", "creating": "创建中"}


def display_observed(value: object) -> str:
    """An observed value of a condition: numbers to at most four decimals, codes in Chinese."""
    if value is None:
        return "无数据"
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    if isinstance(value, str):
        return VALUE_LABELS.get(value, value) or "无"
    return str(value)


def display_expected(text: str) -> str:
    """A condition's requirement with value codes in Chinese (等于 national → 等于 国家级)."""
    for code, label in VALUE_LABELS.items():
        if text == f"等于 {code}":
            return f"等于 {label}"
    return text


def describe_expected(condition: Condition) -> str:
    if condition.kind == "manual":
        return "人工核验"
    if condition.kind == "missing_indicators":
        return f"每缺一项 {condition.points:g} 分"
    if condition.comparison == "eq":
        return f"等于 {condition.value}"
    value = condition.value
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{COMPARISONS[condition.comparison]} {shown}"


def check(condition: Condition, facts: ParkFacts) -> CheckResult:
    """Test one condition on one park; unknown (None) when its data is missing or it is manual."""
    observed: float | str | bool | None
    if condition.kind == "indicator":
        observed = facts.values.get(condition.subject)
    elif condition.kind == "park_field":
        observed = facts.fields.get(condition.subject)
    elif condition.kind == "park_stat":
        observed = None if facts.stats is None else facts.stats.get(condition.subject)
    else:
        observed = None
    met: bool | None = None
    if observed is not None:
        if condition.comparison == "eq":
            text = str(observed).lower() if isinstance(observed, bool) else str(observed)
            met = text == str(condition.value)
        elif isinstance(observed, int | float) and not isinstance(observed, bool):
            met = compare(float(observed), condition.comparison, float(condition.value or 0.0))
    shown: float | str | None = observed if not isinstance(observed, bool) else ("是" if observed else "否")
    return CheckResult(
        code=condition.code,
        text=condition.text,
        met=met,
        observed=shown,
        expected=describe_expected(condition),
        points=condition.points if met else 0.0,
    )


def _adjustment_total(items: list[CheckResult], cap: float) -> float:
    return min(cap, math.fsum(item.points for item in items))


def _missing_points(condition: Condition, facts: ParkFacts, system: IndexSystem) -> CheckResult:
    missing = [code for code in system.indicator_codes if facts.values.get(code) is None]
    return CheckResult(
        code=condition.code,
        text=condition.text,
        met=bool(missing),
        observed=len(missing),
        expected=describe_expected(condition),
        points=condition.points * len(missing),
    )


def _averages(facts: ParkFacts, code: str, years: int) -> tuple[float | None, float | None]:
    """The mean of the last `years` years (this one included) and of the `years` before the last:
    a one-year fall of a volatile flow then counts for a fraction of itself. This year's value must be
    there; each mean is over the years present (at least one)."""
    series = [facts.values.get(code), *facts.earlier.get(code, (facts.previous.get(code),))]
    series += [None] * (years + 1 - len(series))
    if series[0] is None:
        return None, None
    recent = [value for value in series[:years] if value is not None]
    before = [value for value in series[1 : years + 1] if value is not None]
    return math.fsum(recent) / len(recent), (math.fsum(before) / len(before) if before else None)


def park_checks(system: IndexSystem, facts: ParkFacts) -> dict[str, Any]:
    """Entry conditions, 必达, veto, bonus and penalty of one park, as stored in `ParkResult.checks`."""
    entry = [check(c, facts) for c in system.entry_conditions]
    veto = [check(c, facts) for c in system.veto]
    must: list[dict[str, Any]] = []
    for code in system.must_improve:
        years = system.must_improve_years.get(code, 1)
        current, before = facts.values.get(code), facts.previous.get(code)
        if years > 1:
            current, before = _averages(facts, code, years)
        ok = None if current is None or before is None else current >= before - 1e-9 * max(1.0, abs(before))
        must.append(
            {
                "indicator": code,
                "name": system.label(code),
                "current": current,
                "previous": before,
                "ok": ok,
                "years": years,
            }
        )
    bonus = [
        _missing_points(c, facts, system) if c.kind == "missing_indicators" else check(c, facts)
        for c in system.bonus.items
    ]
    penalty = [
        _missing_points(c, facts, system) if c.kind == "missing_indicators" else check(c, facts)
        for c in system.penalty.items
    ]
    return {
        "entry": [item.to_json() for item in entry],
        "veto": [item.to_json() for item in veto],
        "must_improve": must,
        "bonus": [item.to_json() for item in bonus],
        "penalty": [item.to_json() for item in penalty],
        "bonus_total": _adjustment_total(bonus, system.bonus.cap),
        "penalty_total": _adjustment_total(penalty, system.penalty.cap),
        "bonus_cap": system.bonus.cap,
        "penalty_cap": system.penalty.cap,
    }


def _eligibility(outcome: ParkOutcome, facts: ParkFacts, rules: SelectionRules) -> list[str]:
    reasons: list[str] = []
    if not outcome.included:
        reasons.append("数据可得率不足，未参评")
    if rules.require_recognised and not facts.recognised:
        reasons.append("园区尚未认定")
    if rules.exclude_veto and outcome.veto:
        texts = "、".join(item["text"] for item in outcome.checks["veto"] if item["met"])
        reasons.append(f"一票否决：{texts}")
    if rules.exclude_entry_failure and not outcome.entry_ok:
        failed = [
            f"{item['text']}（{'无数据' if item['met'] is None else '实际 ' + _shown(item['observed'])}）"
            for item in outcome.checks["entry"]
            if item["met"] is not True and item["expected"] != "人工核验"
        ]
        reasons.append(f"未达门槛：{'；'.join(failed)}")
    if rules.exclude_must_improve_failure and outcome.must_improve_ok is False:
        fell = "、".join(item["name"] for item in outcome.checks["must_improve"] if item["ok"] is False)
        reasons.append(f"必达指标较上年下降：{fell}")
    if rules.max_imputed_indicators is not None and outcome.imputed_count > rules.max_imputed_indicators:
        reasons.append(f"缺报指标 {outcome.imputed_count} 项，超过 {rules.max_imputed_indicators} 项")
    return reasons


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _dimension_name(system: IndexSystem, code: str) -> str:
    return next((d.name for d in system.dimensions if d.code == code), code)


def type_dataset(system: IndexSystem, facts: Sequence[ParkFacts]) -> tuple[Framework, Dataset, list[str]]:
    """The engine's framework and data for one park type (facts sorted by park code); indicators no
    park has a value for are left out, with a warning saying so."""
    framework = system.framework()
    codes = framework.indicator_codes
    matrix = np.array(
        [[np.nan if f.values.get(code) is None else float(f.values[code] or 0.0) for code in codes] for f in facts],
        dtype=np.float64,
    ).reshape(len(facts), len(codes))
    previous = np.array(
        [[np.nan if f.previous.get(code) is None else float(f.previous[code] or 0.0) for code in codes] for f in facts],
        dtype=np.float64,
    ).reshape(len(facts), len(codes))
    data = Dataset(
        unit_ids=tuple(f.code for f in facts),
        unit_groups=tuple(system.park_type for _ in facts),
        indicator_codes=codes,
        values=matrix,
        previous=previous,
    )
    warnings: list[str] = []
    framework, empty = without_empty_indicators(framework, data)
    if empty:
        names = "、".join(f"“{item.name}”" for item in system.indicators if item.code in empty)
        warnings.append(f"{names}在该类型所有园区均无数据，本次评价未计入，其权重由同组其他指标按比例分摊")
        kept = [codes.index(code) for code in framework.indicator_codes]
        codes, matrix = framework.indicator_codes, matrix[:, kept]
        data = Dataset(
            unit_ids=data.unit_ids,
            unit_groups=data.unit_groups,
            indicator_codes=codes,
            values=matrix,
            previous=previous[:, kept],
        )
    return framework, data, warnings


def type_coherence(system: IndexSystem, facts: Sequence[ParkFacts], params: RunParams) -> dict[str, Any] | None:
    """The statistical coherence of one type's index system on its parks' data (`engine.coherence`),
    JSON-ready with the indicators' and dimensions' names; None without 3 evaluable parks."""
    if not facts:
        return None
    try:
        framework, data, _warnings = type_dataset(system, facts)
        nominal = engine_run(framework, data, params.engine_params(system))
    except ValueError:  # the engine's errors (nothing left to impute from, say): no checks to show
        return None
    if int(nominal.stages.included.sum()) < 3:
        return None
    found = coherence(framework, nominal.stages.normalised, nominal.stages.aggregated, nominal.stages.included)

    def number(value: float | None) -> float | None:
        return None if value is None or not math.isfinite(value) else float(value)

    names = {d.code: d.name for d in system.dimensions}
    return {
        "units": found.units,
        "parks": int(nominal.stages.included.sum()),
        "indicators": [
            {"code": code, "name": system.label(code), "dimension": names.get(found.dimension_of[code], "")}
            for code in found.codes
        ],
        "dimensions": [{"code": code, "name": names.get(code, code)} for code in found.dimensions],
        "correlation": [[number(value) for value in row] for row in found.correlation.tolist()],
        "dimension_correlation": [[number(value) for value in row] for row in found.dimension_correlation.tolist()],
        "flags": [
            {
                "kind": flag.kind,
                "first": system.label(flag.first),
                "second": system.label(flag.second),
                "r": flag.r,
                "same_dimension": flag.same_dimension,
            }
            for flag in found.flags
        ],
        "alpha": [
            {
                "name": names.get(code, code),
                "alpha": number(found.alpha[code]),
                "first_share": number(found.first_component_share[code]),
            }
            for code in found.dimensions
        ],
        "explained": [number(value) for value in found.explained.tolist()],
        "loadings": [[number(value) for value in row] for row in found.loadings.tolist()],
    }


def evaluate_type(
    system: IndexSystem,
    facts: Sequence[ParkFacts],
    params: RunParams,
    rules: SelectionRules,
    draws: Callable[[int, int], None] | None = None,
) -> TypeOutcome:
    """Score, rank and check the parks of one type (facts sorted by park code); `draws(done, total)`
    follows the Monte Carlo draws."""
    quota = rules.quotas.get(system.park_type, 0)
    framework, data, warnings = type_dataset(system, facts)
    codes, matrix = data.indicator_codes, np.asarray(data.values)
    outcomes: list[ParkOutcome] = []
    for f, row in zip(facts, matrix, strict=True):
        checks = park_checks(system, f)
        missing = int(np.isnan(row).sum())
        outcome = ParkOutcome(
            code=f.code,
            park_type=system.park_type,
            included=False,
            availability=float(1.0 - missing / len(codes)) if codes else 0.0,
            imputed_count=missing,
            checks=checks,
            bonus=checks["bonus_total"],
            penalty=checks["penalty_total"],
            adjustments=[*checks["bonus"], *checks["penalty"]],
            veto=any(item["met"] is True for item in checks["veto"]),
            entry_ok=all(item["met"] is True for item in checks["entry"] if item["expected"] != "人工核验"),
        )
        flags = [item["ok"] for item in checks["must_improve"]]
        outcome.must_improve_ok = False if False in flags else (True if flags and all(flags) else None)
        outcomes.append(outcome)
    sensitivity: list[dict[str, Any]] = []
    ties: list[str] = []
    if not facts:
        return TypeOutcome(system.park_type, outcomes, sensitivity, ties, [*warnings, "没有该类型的园区"], quota)
    engine_params = params.engine_params(system)
    nominal = engine_run(framework, data, engine_params)
    included = nominal.stages.included
    for outcome, keep in zip(outcomes, included.tolist(), strict=True):
        outcome.included = bool(keep)
    if not included.any():
        warnings.append("所有园区的数据可得率均低于门槛，未能评价")
        for outcome, f in zip(outcomes, facts, strict=True):
            outcome.ineligible_reasons = _eligibility(outcome, f, rules)
        return TypeOutcome(system.park_type, outcomes, sensitivity, ties, warnings, quota)
    weight_sets = tuple(diagnostic_weight_set(nominal, method) for method in params.alternative_weights)  # type: ignore[arg-type]
    if "critic" in params.alternative_weights:
        constant = [code for d in nominal.stages.weight_diagnostics for code in d.constant]
        if constant:
            names = "、".join(
                f"“{system.label(code) if code in system.labels else _dimension_name(system, code)}”"
                for code in constant
            )
            warnings.append(CRITIC_CONSTANT.format(names=names))
    spec = UncertaintySpec(
        n_runs=params.runs,
        seed=params.seed,
        weight_spread=params.weight_spread,
        weight_sets=weight_sets,
        normalisations=tuple(_normalisation(n) for n in params.normalisations),
        aggregations=tuple("geometric" if a == "geometric" else "arithmetic" for a in params.aggregations),
        imputations=tuple(_imputation(i) for i in params.imputations),
        top_k=max(1, quota),
        sensitivity_weight_runs=SENSITIVITY_WEIGHT_RUNS,
        batch_size=BATCH_SIZE,
    )
    mc = monte_carlo(framework, data, engine_params, spec, draws=draws)
    sobol = _sobol(framework, data, engine_params, spec, params)
    dropped = [
        {
            "code": row.code,
            "label": system.label(row.code),
            "mean_abs_rank_shift": row.mean_abs_rank_shift,
            "max_abs_rank_shift": row.max_abs_rank_shift,
            "units_moved": row.units_moved,
            "units": row.units,
        }
        for row in drop_one(framework, data, engine_params)
    ]
    for outcome, f in zip(outcomes, facts, strict=True):
        outcome.ineligible_reasons = _eligibility(outcome, f, rules)
        outcome.eligible = not outcome.ineligible_reasons
    points = np.array([o.bonus - o.penalty for o in outcomes])
    eligible = np.array([o.eligible for o in outcomes], dtype=np.bool_)
    scores = score_type(mc, points=points, eligible=eligible, quota=quota)
    stages = nominal.stages
    for i, outcome in enumerate(outcomes):
        outcome.used = {
            code: (
                None if np.isnan(stages.treated[i, j]) else float(stages.treated[i, j]),
                bool(stages.imputed_mask[i, j]),
                None if np.isnan(stages.normalised[i, j]) else float(stages.normalised[i, j]),
            )
            for j, code in enumerate(codes)
        }
        if not outcome.included:
            continue
        outcome.index_score = float(scores.index_scores[i])
        outcome.score = float(scores.final_scores[i])
        outcome.dimension_scores = {
            d.code: float(stages.aggregated[d.code][i]) for d in system.dimensions if d.code in stages.aggregated
        }
        outcome.rank = int(scores.ranks[i])
        outcome.median_rank = int(scores.median_rank[i])
        outcome.rank_p05 = int(scores.rank_p05[i])
        outcome.rank_p95 = int(scores.rank_p95[i])
        outcome.p_selected = float(scores.p_selected[i])
        if stages.topsis_ranks is not None and stages.topsis_ranks[i] > 0:
            outcome.topsis_rank = int(stages.topsis_ranks[i])
    _select(outcomes, quota, rules)
    sensitivity = [
        {
            "assumption": row.assumption,
            "label": row.label,
            "variants": row.variants,
            "mean_abs_rank_shift": row.mean_abs_rank_shift,
            "max_abs_rank_shift": row.max_abs_rank_shift,
            "share_moved": row.share_moved,
        }
        for row in mc.sensitivity
    ]
    ties = [tie.describe() for tie in scores.ties]
    eligible_count = sum(o.eligible for o in outcomes)
    if eligible_count < quota:
        warnings.append(f"名额 {quota} 个，具备入选资格的园区仅 {eligible_count} 个")
    excluded = [o.code for o in outcomes if not o.included]
    if excluded:
        warnings.append(f"数据可得率低于 {params.min_availability:.0%}、未参评的园区：{'、'.join(excluded)}")
    return TypeOutcome(system.park_type, outcomes, sensitivity, ties, warnings, quota, sobol, dropped)


def _sobol(
    framework: Framework, data: Dataset, engine_params: Params, spec: UncertaintySpec, params: RunParams
) -> dict[str, Any]:
    """Sobol indices of the ranks for every varied input, JSON-ready; empty when the run asks for none."""
    if params.sobol_samples < 2:
        return {}
    result = sobol_ranks(
        framework,
        data,
        engine_params,
        spec,
        SobolSpec(
            base_samples=params.sobol_samples,
            bootstrap=params.sobol_bootstrap,
            seed=params.seed,
            winsorisation=params.vary_winsorisation,
            availability_thresholds=params.availability_thresholds,
        ),
    )
    return {
        "base_samples": result.base_samples,
        "runs": result.runs,
        "variance": result.variance,
        "indices": [
            {
                "factor": index.factor,
                "label": index.label,
                "first": index.first,
                "first_low": index.first_low,
                "first_high": index.first_high,
                "total": index.total,
                "total_low": index.total_low,
                "total_high": index.total_high,
            }
            for index in result.indices
        ],
    }


def _select(outcomes: list[ParkOutcome], quota: int, rules: SelectionRules) -> None:
    """The top `quota` eligible parks by nominal rank, with their awards and robustness flags."""
    ranked = sorted((o for o in outcomes if o.eligible and o.rank), key=lambda o: o.rank or 0)
    chosen = ranked[:quota]
    cap = rules.award_caps.get(chosen[0].park_type, 0) if chosen else 0
    top = max((o.score or 0.0) for o in chosen) if chosen else 0.0
    for order, outcome in enumerate(chosen, start=1):
        outcome.selected = True
        outcome.selection_order = order
        outcome.unstable = (outcome.p_selected or 0.0) < rules.min_probability
        outcome.award_wan_yuan = award(rules, cap=cap, order=order, score=outcome.score or 0.0, top_score=top)


def award(rules: SelectionRules, *, cap: int, order: int, score: float, top_score: float) -> int:
    """The award of the park in selection position `order` of its type, in 万元, never above the cap."""
    if rules.award_rule == "proportional":
        share = 1.0 if top_score <= 0 else max(rules.award_min_share, min(1.0, score / top_score))
    else:
        share = next(tier.share for tier in rules.award_tiers if tier.upto is None or order <= tier.upto)
    step = rules.award_round_wan_yuan
    amount = round(cap * share / step) * step
    return max(0, min(cap, amount))
