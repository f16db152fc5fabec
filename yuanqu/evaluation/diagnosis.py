"""评估诊断 of one park in one run: dimension scores against the type's median and top quartile,
strengths and weaknesses, the three indicators whose rise to the type's top quartile would raise the
score most (with the gain, recomputed by the engine), and the change from last year.

Every number comes from the run's stored inputs (`RunInput`), its stored results and its snapshot of
the index system and parameters: the engine is run again on exactly those inputs, and the diagnosis
says whether that reproduces the stored index score (`reproduced`). Callers (views, API, the .docx
export) check access first, through `selectors`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext, gettext_noop

from yuanqu.core.language import localised
from yuanqu.evaluation.engine import Dataset, Result
from yuanqu.evaluation.engine import run as engine_run
from yuanqu.evaluation.engine.data import without_empty_indicators
from yuanqu.evaluation.models import EvaluationRun, ParkResult, RunInput
from yuanqu.evaluation.pack import IndexSystem, UncertaintyDefaults
from yuanqu.evaluation.runs import RunParams

IMPROVEMENTS = 3
# Recomputing the stored score from the stored inputs must agree to this (float round-off only).
REPRODUCE_TOLERANCE = 1e-6
# Verdicts stay these Chinese words in the data (the page's CSS classes and the .docx use them); the
# pages translate them when shown.
STRENGTH = gettext_noop("优势")
WEAKNESS = gettext_noop("短板")
MIDDLE = gettext_noop("中等")


@dataclass(frozen=True)
class DimensionRow:
    code: str
    name: str
    weight: float
    score: float | None
    type_median: float | None
    type_top_quartile: float | None
    previous: float | None
    verdict: str  # 优势 / 短板 / 中等 (STRENGTH / WEAKNESS / MIDDLE)


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str
    dimension: str
    effective_weight: float
    direction: int
    value: float | None  # as read by the run (None: missing)
    imputed: bool
    used_value: float | None
    normalised: float | None
    previous: float | None  # the year before, as read by the run
    change: float | None
    type_median: float | None
    type_top_quartile: float | None  # raw value at the type's top quartile (direction-aware)
    verdict: str


@dataclass(frozen=True)
class Improvement:
    code: str
    name: str
    unit: str
    current: float | None
    target: float
    gain: float
    new_score: float


@dataclass(frozen=True)
class LastYear:
    run_id: int
    year: int
    score: float | None
    rank: int | None
    score_change: float | None
    rank_change: int | None  # positive = moved up


@dataclass
class Diagnosis:
    run: EvaluationRun
    result: ParkResult
    system_name: str
    type_size: int
    dimensions: list[DimensionRow]
    indicators: list[IndicatorRow]
    strengths: list[str]
    weaknesses: list[str]
    improvements: list[Improvement]
    last_year: LastYear | None
    reproduced: bool
    recomputed_score: float | None
    notes: list[str] = field(default_factory=list)

    def radar(self) -> dict[str, Any]:
        """Data for the radar chart (json_script)."""
        values = [row.score for row in self.dimensions] + [row.type_top_quartile for row in self.dimensions]
        top = max([100.0, *[v for v in values if v is not None]])
        return {
            "indicators": [{"name": row.name, "max": math.ceil(top)} for row in self.dimensions],
            "series": [
                {"name": self.result.park.name, "value": [_round(row.score) for row in self.dimensions]},
                {"name": gettext("同类型中位数"), "value": [_round(row.type_median) for row in self.dimensions]},
                {
                    "name": gettext("同类型前25%分位"),
                    "value": [_round(row.type_top_quartile) for row in self.dimensions],
                },
            ],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _quantile(values: Sequence[float | None], q: float) -> float | None:
    present = [v for v in values if v is not None and math.isfinite(v)]
    return float(np.percentile(present, q)) if present else None


def run_params(run: EvaluationRun) -> RunParams:
    return RunParams.resolve(run.params, UncertaintyDefaults(), seed=run.seed)


@dataclass(frozen=True)
class StoredType:
    """A run's stored inputs of one park type, as the engine sees them."""

    system: IndexSystem
    data: Dataset
    previous: dict[str, dict[str, float | None]]
    imputed: dict[str, dict[str, bool]]
    used: dict[str, dict[str, tuple[float | None, float | None]]]


def stored_type(run: EvaluationRun, park_type: str) -> StoredType:
    system = IndexSystem.from_json(run.index_systems[park_type])
    codes = system.indicator_codes
    current: dict[str, dict[str, float | None]] = {}
    previous: dict[str, dict[str, float | None]] = {}
    imputed: dict[str, dict[str, bool]] = {}
    used: dict[str, dict[str, tuple[float | None, float | None]]] = {}
    rows = RunInput.objects.filter(run=run, park_type=park_type, indicator__in=codes).values_list(
        "park__code", "indicator", "year", "value", "imputed", "used_value", "normalised"
    )
    for park, code, year, value, was_imputed, used_value, normalised in rows:
        number = None if value is None else float(value)
        if year == run.year:
            current.setdefault(park, {})[code] = number
            imputed.setdefault(park, {})[code] = was_imputed
            used.setdefault(park, {})[code] = (used_value, normalised)
        else:
            previous.setdefault(park, {})[code] = number
    parks = sorted(current)
    matrix = np.array(
        [[np.nan if current[p].get(c) is None else current[p][c] for c in codes] for p in parks], dtype=np.float64
    ).reshape(len(parks), len(codes))
    earlier = np.array(
        [[np.nan if previous.get(p, {}).get(c) is None else previous[p][c] for c in codes] for p in parks],
        dtype=np.float64,
    ).reshape(len(parks), len(codes))
    data = Dataset(
        unit_ids=tuple(parks),
        unit_groups=tuple(park_type for _ in parks),
        indicator_codes=codes,
        values=matrix,
        previous=earlier,
    )
    return StoredType(system=system, data=data, previous=previous, imputed=imputed, used=used)


def recompute(run: EvaluationRun, stored: StoredType, values: np.ndarray | None = None) -> Result:
    """The engine's nominal run on the stored inputs (or on `values` in their place)."""
    data = stored.data
    if values is not None:
        data = Dataset(
            unit_ids=data.unit_ids,
            unit_groups=data.unit_groups,
            indicator_codes=data.indicator_codes,
            values=values,
            previous=data.previous,
        )
    framework, _empty = without_empty_indicators(stored.system.framework(), data)
    return engine_run(framework, data, run_params(run).engine_params(stored.system))


def _verdict(value: float | None, median: float | None, top: float | None) -> str:
    if value is None or median is None or top is None:
        return "—"
    if value >= top - 1e-9:
        return STRENGTH
    if value < median - 1e-9:
        return WEAKNESS
    return MIDDLE


def _dimension(name: str) -> str:
    return gettext("%(name)s（维度）") % {"name": name}


def park_diagnosis(run: EvaluationRun, result: ParkResult) -> Diagnosis:
    park_code = result.park.code
    stored = stored_type(run, result.park_type)
    system = stored.system
    framework, _empty = without_empty_indicators(system.framework(), stored.data)
    peers = list(ParkResult.objects.filter(run=run, park_type=result.park_type, included=True))
    notes: list[str] = []
    nominal = recompute(run, stored)
    unit_index = stored.data.unit_ids.index(park_code) if park_code in stored.data.unit_ids else None
    recomputed: float | None = None
    if unit_index is not None and nominal.stages.included[unit_index]:
        recomputed = float(nominal.stages.scores[unit_index])
    reproduced = (
        recomputed is not None
        and result.index_score is not None
        and abs(recomputed - result.index_score) <= REPRODUCE_TOLERANCE * max(1.0, abs(result.index_score))
    )
    last = _last_year(run, result)
    last_scores: dict[str, float] = {}
    if last is not None:
        before = ParkResult.objects.filter(run_id=last.run_id, park=result.park).first()
        last_scores = before.dimension_scores if before else {}

    dimensions: list[DimensionRow] = []
    for dimension in system.dimensions:
        scores = [p.dimension_scores.get(dimension.code) for p in peers]
        median, top = _quantile(scores, 50), _quantile(scores, 75)
        value = result.dimension_scores.get(dimension.code)
        previous = last_scores.get(dimension.code)
        dimensions.append(
            DimensionRow(
                code=dimension.code,
                name=localised(dimension.name, dimension.name_en),
                weight=dimension.weight,
                score=value,
                type_median=median,
                type_top_quartile=top,
                previous=previous,
                verdict=_verdict(value, median, top),
            )
        )

    effective = dict(zip(framework.indicator_codes, framework.effective_weights().tolist(), strict=True))
    dimension_of = {i.code: localised(d.name, d.name_en) for d in system.dimensions for i in d.indicators}
    indicators: list[IndicatorRow] = []
    targets: dict[str, float] = {}
    for j, item in enumerate(system.indicators):
        column = stored.data.values[:, j]
        present = [float(v) for v in column[~np.isnan(column)]]
        median = _quantile(present, 50)
        top = _quantile(present, 75 if item.direction == 1 else 25)
        if top is not None:
            targets[item.code] = top
        value = None
        if unit_index is not None and not math.isnan(stored.data.values[unit_index, j]):
            value = float(stored.data.values[unit_index, j])
        previous = stored.previous.get(park_code, {}).get(item.code)
        used_value, normalised = stored.used.get(park_code, {}).get(item.code, (None, None))
        normalised_peers: list[float | None] = [
            u[item.code][1] for u in stored.used.values() if item.code in u and u[item.code][1] is not None
        ]
        indicators.append(
            IndicatorRow(
                code=item.code,
                name=localised(item.name, item.name_en),
                unit=item.unit,
                dimension=dimension_of[item.code],
                effective_weight=effective.get(item.code, 0.0),
                direction=item.direction,
                value=value,
                imputed=stored.imputed.get(park_code, {}).get(item.code, False),
                used_value=used_value,
                normalised=normalised,
                previous=previous,
                change=None if value is None or previous is None else value - previous,
                type_median=median,
                type_top_quartile=top,
                verdict=_verdict(
                    normalised,
                    _quantile(normalised_peers, 50),
                    _quantile(normalised_peers, 75),
                ),
            )
        )

    improvements = _improvements(run, stored, unit_index, recomputed, targets) if reproduced else []
    if not reproduced:
        notes.append(gettext("按存储的输入值复算的指数得分与存储结果不一致，未计算提升建议；请检查该次评价的数据。"))
    if not result.included:
        notes.append(gettext("该园区数据可得率低于门槛，未参评。"))
    strengths = [_dimension(row.name) for row in dimensions if row.verdict == STRENGTH]
    strengths += [row.name for row in indicators if row.verdict == STRENGTH]
    weaknesses = [_dimension(row.name) for row in dimensions if row.verdict == WEAKNESS]
    weaknesses += [row.name for row in indicators if row.verdict == WEAKNESS]
    return Diagnosis(
        run=run,
        result=result,
        system_name=system.name,
        type_size=len(peers),
        dimensions=dimensions,
        indicators=indicators,
        strengths=strengths,
        weaknesses=weaknesses,
        improvements=improvements,
        last_year=last,
        reproduced=reproduced,
        recomputed_score=recomputed,
        notes=notes,
    )


def _improvements(
    run: EvaluationRun,
    stored: StoredType,
    unit_index: int | None,
    current_score: float | None,
    targets: dict[str, float],
) -> list[Improvement]:
    """Raise one indicator at a time to the type's top quartile and recompute the park's score; a
    raise worth less than the pack's minimum gain is not suggested."""
    if unit_index is None or current_score is None:
        return []
    # The pack's minimum gain (selection.yaml `diagnosis.min_gain`, kept with the run's rules).
    min_gain = float(run.selection_rules.get("diagnosis_min_gain", 0.0) or 0.0)
    found: list[Improvement] = []
    for j, item in enumerate(stored.system.indicators):
        target = targets.get(item.code)
        if target is None:
            continue
        raw = stored.data.values[unit_index, j]
        current = None if math.isnan(raw) else float(raw)
        if current is not None and (current - target) * item.direction >= 0:
            continue  # already at or beyond the top quartile
        values = np.array(stored.data.values, dtype=np.float64)
        values[unit_index, j] = target
        score = float(recompute(run, stored, values).stages.scores[unit_index])
        gain = score - current_score
        if gain > 1e-9 and gain >= min_gain:
            found.append(
                Improvement(
                    code=item.code,
                    name=localised(item.name, item.name_en),
                    unit=item.unit,
                    current=current,
                    target=target,
                    gain=gain,
                    new_score=score,
                )
            )
    found.sort(key=lambda item: (-item.gain, item.code))
    return found[:IMPROVEMENTS]


def _last_year(run: EvaluationRun, result: ParkResult) -> LastYear | None:
    """The park's result in the year before: the confirmed run of that year, else its latest run."""
    before = (
        EvaluationRun.objects.filter(year=run.year - 1, status=EvaluationRun.Status.DONE)
        .order_by("selection_status", "-created_at", "-id")  # "confirmed" sorts before "proposed"
        .first()
    )
    if before is None:
        return None
    previous = ParkResult.objects.filter(run=before, park=result.park).first()
    if previous is None:
        return None
    return LastYear(
        run_id=before.pk,
        year=before.year,
        score=previous.score,
        rank=previous.rank,
        score_change=None if previous.score is None or result.score is None else result.score - previous.score,
        rank_change=None if previous.rank is None or result.rank is None else previous.rank - result.rank,
    )
