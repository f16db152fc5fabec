"""The nominal evaluation: framework + data + parameters → every stage, scores and ranks.

``run`` chains the pure steps (impute → treat outliers → normalise → aggregate → rank) and
keeps every intermediate stage, read-only, in ``Stages`` so that a diagnosis or an audit can
trace any number back to its inputs. It is deterministic: the same inputs give the same
numbers. The evaluation app calls ``run`` for the ranking and ``uncertainty.monte_carlo``
(which calls ``run`` for its nominal point) for rank intervals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from yuanqu.evaluation.engine._arrays import BoolArray, FloatArray, IntArray, frozen
from yuanqu.evaluation.engine.aggregate import (
    GEOMETRIC_OFFSET,
    AggregationMethod,
    TopsisNormalisation,
    aggregate_tree,
    topsis,
)
from yuanqu.evaluation.engine.data import Dataset
from yuanqu.evaluation.engine.framework import Framework, FrameworkError, NormalisationMethod
from yuanqu.evaluation.engine.impute import Imputation, ImputationMethod, dimension_screen, impute
from yuanqu.evaluation.engine.normalise import min_max, normalise
from yuanqu.evaluation.engine.outliers import (
    KURTOSIS_THRESHOLD,
    SKEW_THRESHOLD,
    WINSORISE_MAX_POINTS,
    OutlierCheck,
    Treatment,
    treat_outliers,
)
from yuanqu.evaluation.engine.rank import TIE_TOLERANCE, Tie, rank_within_groups
from yuanqu.evaluation.engine.weights import constant_columns, critic_weights, entropy_weights


@dataclass(frozen=True)
class Params:
    """Every modelling choice of a run; stored with the run so it can be repeated."""

    min_availability: float = 0.66
    imputation: ImputationMethod = "group_median"
    winsorise: bool = False
    winsorise_max_points: int = WINSORISE_MAX_POINTS
    skew_threshold: float = SKEW_THRESHOLD
    kurtosis_threshold: float = KURTOSIS_THRESHOLD
    # None: each indicator's own method from the framework.
    normalisation: NormalisationMethod | None = None
    zscore_centre: float = 50.0
    zscore_spread: float = 10.0
    aggregation: AggregationMethod = "arithmetic"
    geometric_offset: float = GEOMETRIC_OFFSET
    topsis: TopsisNormalisation | None = "vector"
    # Per-dimension availability thresholds (group code, share): a unit with a smaller share of
    # present indicators in that group is excluded like one below ``min_availability``.
    dimension_availability: tuple[tuple[str, float], ...] = ()
    # An indicator or group code whose score breaks ties in the nominal ranking.
    tie_break: str | None = None
    tie_tolerance: float = TIE_TOLERANCE


@dataclass(frozen=True)
class GroupWeights:
    """Nominal and data-driven weights of one group's children (empty when not computable)."""

    group: str
    children: tuple[str, ...]
    nominal: tuple[float, ...]
    entropy: tuple[float, ...]
    critic: tuple[float, ...]
    # Children with the same score for every unit: CRITIC leaves them out (weight 0, no conflict term).
    constant: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Stages:
    """All arrays have one row per unit in ``Dataset.unit_ids`` order and one column per
    indicator in framework order. From ``imputed`` on, rows of excluded units are NaN."""

    raw: FloatArray
    availability: FloatArray
    included: BoolArray
    imputed: FloatArray
    imputed_mask: BoolArray
    imputation_fallback_mask: BoolArray
    outliers: tuple[OutlierCheck, ...]
    treated: FloatArray
    winsorised_mask: BoolArray
    normalised: FloatArray
    aggregated: Mapping[str, FloatArray]
    scores: FloatArray
    ranks: IntArray
    ties: tuple[Tie, ...]
    topsis: FloatArray | None
    topsis_ranks: IntArray | None
    weight_diagnostics: tuple[GroupWeights, ...] = field(default=())


@dataclass(frozen=True, eq=False)
class Result:
    framework: Framework
    data: Dataset
    params: Params
    stages: Stages

    @property
    def excluded_unit_ids(self) -> tuple[str, ...]:
        """Units below the availability threshold: flagged, neither scored nor ranked."""
        kept = self.stages.included.tolist()
        return tuple(unit for unit, keep in zip(self.data.unit_ids, kept, strict=True) if not keep)


def treat(framework: Framework, data: Dataset, params: Params) -> tuple[Imputation, Treatment]:
    """The data-cleaning steps: the imputed stage, then the outlier-treated stage."""
    values = data.aligned(framework)
    exclude = None
    if params.dimension_availability:
        position = {code: j for j, code in enumerate(framework.indicator_codes)}
        known = [(code, share) for code, share in params.dimension_availability if code in framework.node_codes]
        exclude = dimension_screen(
            values,
            [[position[item] for item in framework.indicators_under(code)] for code, _share in known],
            [share for _code, share in known],
        )
    imputation = impute(
        values,
        data.unit_groups,
        method=params.imputation,
        min_availability=params.min_availability,
        previous=data.aligned_previous(framework),
        exclude=exclude,
        names=[indicator.label for indicator in framework.indicators],
    )
    treatment = treat_outliers(
        imputation.values,
        framework.indicator_codes,
        winsorise_flagged=params.winsorise,
        max_points=params.winsorise_max_points,
        skew_threshold=params.skew_threshold,
        kurtosis_threshold=params.kurtosis_threshold,
        transforms=[indicator.transform for indicator in framework.indicators],
    )
    return imputation, treatment


def normalise_stage(framework: Framework, treated: FloatArray, params: Params) -> FloatArray:
    """The normalised stage from the treated one, with the run's normalisation choices."""
    return normalise(
        treated,
        framework,
        method=params.normalisation,
        zscore_centre=params.zscore_centre,
        zscore_spread=params.zscore_spread,
    )


def run(framework: Framework, data: Dataset, params: Params | None = None) -> Result:
    """Evaluate every unit: the nominal scores, ranks within groups and all stages."""
    params = params or Params()
    raw = data.aligned(framework)
    imputation, treatment = treat(framework, data, params)
    normalised = normalise_stage(framework, treatment.values, params)
    aggregated = aggregate_tree(normalised, framework, method=params.aggregation, offset=params.geometric_offset)
    scores = aggregated[framework.root]
    included = imputation.included
    ranking = rank_within_groups(
        scores,
        data.unit_groups,
        data.unit_ids,
        included=included,
        secondary=_tie_break_values(params.tie_break, framework, normalised, aggregated),
        tolerance=params.tie_tolerance,
    )
    closeness, closeness_ranks = _topsis_view(framework, data, params, treatment.values, included)
    return Result(
        framework=framework,
        data=data,
        params=params,
        stages=Stages(
            raw=frozen(raw),
            availability=imputation.availability,
            included=included,
            imputed=imputation.values,
            imputed_mask=imputation.imputed_mask,
            imputation_fallback_mask=imputation.fallback_mask,
            outliers=treatment.checks,
            treated=treatment.values,
            winsorised_mask=treatment.winsorised_mask,
            normalised=frozen(normalised),
            aggregated={code: frozen(values) for code, values in aggregated.items()},
            scores=frozen(scores),
            ranks=ranking.ranks,
            ties=ranking.ties,
            topsis=closeness,
            topsis_ranks=closeness_ranks,
            weight_diagnostics=_weight_diagnostics(framework, normalised, aggregated, included),
        ),
    )


def diagnostic_weight_set(result: Result, method: Literal["entropy", "critic"]) -> dict[str, float]:
    """The entropy or CRITIC weights of a run as a node → weight mapping.

    Groups whose diagnostic could not be computed keep their nominal weights. The mapping
    plugs into ``Framework.with_weights`` or into the Monte Carlo as an alternative weight set.
    """
    weights = result.framework.weights()
    for diagnostic in result.stages.weight_diagnostics:
        values = diagnostic.entropy if method == "entropy" else diagnostic.critic
        if values:
            weights.update(zip(diagnostic.children, values, strict=True))
    weights.pop(result.framework.root, None)
    return weights


def _tie_break_values(
    code: str | None,
    framework: Framework,
    normalised: FloatArray,
    aggregated: Mapping[str, FloatArray],
) -> FloatArray | None:
    if code is None:
        return None
    if code in aggregated:
        return aggregated[code]
    if framework.is_indicator(code):
        column: FloatArray = normalised[:, framework.indicator_codes.index(code)]
        return column
    raise FrameworkError(f"并列排序依据“{code}”不是指标或指标组")


def _topsis_view(
    framework: Framework,
    data: Dataset,
    params: Params,
    treated: FloatArray,
    included: BoolArray,
) -> tuple[FloatArray | None, IntArray | None]:
    """TOPSIS closeness on the treated data with the effective weights (complete rows only)."""
    if params.topsis is None:
        return None, None
    rows = included & ~np.isnan(treated).any(axis=1)
    closeness = np.full(treated.shape[0], np.nan)
    if rows.sum() >= 2:
        result = topsis(
            treated[rows],
            framework.effective_weights(),
            framework.directions(),
            normalisation=params.topsis,
        )
        closeness[rows] = result.closeness
    ranking = rank_within_groups(closeness, data.unit_groups, data.unit_ids, included=rows)
    return frozen(closeness), ranking.ranks


def _weight_diagnostics(
    framework: Framework,
    normalised: FloatArray,
    aggregated: Mapping[str, FloatArray],
    included: BoolArray,
) -> tuple[GroupWeights, ...]:
    """Entropy and CRITIC weights of each group's children, on children rescaled to 0–100.

    Rescaling puts every child on the same oriented footing whatever its normalisation; it also
    fixes where zero sits, which entropy depends on (see ``weights.entropy_weights``).
    """
    diagnostics: list[GroupWeights] = []
    for code in framework.groups_bottom_up:
        children = framework.group(code).children
        columns = [
            normalised[:, framework.indicator_codes.index(child)]
            if framework.is_indicator(child)
            else aggregated[child]
            for child in children
        ]
        block = np.column_stack(columns)
        rows = included & ~np.isnan(block).any(axis=1)
        entropy: tuple[float, ...] = ()
        critic: tuple[float, ...] = ()
        constant: tuple[str, ...] = ()
        if len(children) == 1:
            entropy = critic = (1.0,)
        elif rows.sum() >= 3:
            rescaled = np.column_stack([min_max(column) for column in block[rows].T])
            entropy = tuple(entropy_weights(rescaled).tolist())
            critic = tuple(critic_weights(rescaled).tolist())
            constant = tuple(children[j] for j in constant_columns(block[rows]))
        diagnostics.append(
            GroupWeights(
                group=code,
                children=children,
                nominal=tuple(framework.node(child).weight for child in children),
                entropy=entropy,
                critic=critic,
                constant=constant,
            )
        )
    return tuple(diagnostics)
