"""Uncertainty and sensitivity: how much do the ranks depend on the modelling choices?

Monte Carlo over four assumptions (OECD/JRC Handbook step 7, as in COINr): the weights (each
node's weight times U(1 − δ, 1 + δ), renormalised within its group; optionally also a choice
among alternative weight sets such as entropy or CRITIC), the normalisation method, the
aggregation method and the imputation method. Every run ranks the units within their groups.

For each unit the result gives the nominal rank, the median rank, the 5th–95th percentile
interval (ranks actually attained: numpy's ``inverted_cdf`` quantiles) and the probability of
being in the top k of its group. The sensitivity table varies one assumption at a time with
the others nominal and reports the mean absolute rank shift it causes.

Speed: the data-dependent steps run once per (imputation, normalisation, aggregation)
combination; each run then only needs its weights. With complete data the composite is linear
in the indicator weights (in log space for the geometric mean), so a batch of runs is one
matrix product ``W_eff @ T.T``; only runs without imputation take the tree-by-tree path.
Same inputs and seed (and batch size) give identical numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal, cast

import numpy as np
import numpy.typing as npt

from yuanqu.evaluation.engine._arrays import BoolArray, FloatArray, IntArray, frozen
from yuanqu.evaluation.engine.aggregate import (
    AGGREGATION_LABELS,
    AggregationMethod,
    geometric_shift,
    to_aggregation_space,
    tree_means,
)
from yuanqu.evaluation.engine.data import Dataset
from yuanqu.evaluation.engine.framework import Framework, NormalisationMethod, method_label
from yuanqu.evaluation.engine.impute import IMPUTATION_LABELS, ImputationMethod
from yuanqu.evaluation.engine.pipeline import Params, Result, normalise_stage, run, treat
from yuanqu.evaluation.engine.rank import GroupLayout, group_layout, rank_batch

RankArray = npt.NDArray[np.int32]
Assumption = Literal["weights", "weight_set", "normalisation", "aggregation", "imputation"]
ASSUMPTION_LABELS: dict[str, str] = {
    "weights": "权重扰动",
    "weight_set": "权重方案",
    "normalisation": "标准化方法",
    "aggregation": "聚合方法",
    "imputation": "缺失值处理",
}
PERCENTILES = (5.0, 50.0, 95.0)


class UncertaintyError(ValueError):
    """The uncertainty analysis is mis-specified; the message is Chinese."""


@dataclass(frozen=True)
class UncertaintySpec:
    """What the Monte Carlo varies. The nominal choice (from ``Params``) is always included;
    the tuples list the alternatives sampled with it, each with equal probability."""

    n_runs: int = 2000
    seed: int = 0
    weight_spread: float = 0.25
    weight_sets: tuple[Mapping[str, float], ...] = ()
    normalisations: tuple[NormalisationMethod | None, ...] = ("minmax", "zscore", "percentile")
    aggregations: tuple[AggregationMethod, ...] = ("arithmetic", "geometric")
    imputations: tuple[ImputationMethod, ...] = ("group_median", "none")
    # Selection size per unit group (or one size for all): P(rank <= k) is reported.
    top_k: int | Mapping[str, int] = 1
    sensitivity_weight_runs: int = 200
    batch_size: int = 500


@dataclass(frozen=True, eq=False)
class RunDesign:
    """The sampled assumptions: per run, an index into each tuple of ``choices``."""

    weight_set: IntArray
    normalisation: IntArray
    aggregation: IntArray
    imputation: IntArray
    weight_factors: FloatArray
    choices: Mapping[str, tuple[str, ...]]

    @property
    def size(self) -> int:
        return int(self.weight_set.size)


@dataclass(frozen=True)
class SensitivityRow:
    """Ranks moved by varying one assumption alone: over included units and its variants."""

    assumption: Assumption
    label: str
    variants: int
    mean_abs_rank_shift: float
    max_abs_rank_shift: int
    share_moved: float


@dataclass(frozen=True, eq=False)
class UncertaintyResult:
    """Per-unit arrays follow ``unit_ids``; excluded units have rank 0 and NaN probability."""

    nominal: Result
    spec: UncertaintySpec
    unit_ids: tuple[str, ...]
    unit_groups: tuple[str, ...]
    included: BoolArray
    top_k: IntArray
    nominal_rank: IntArray
    median_rank: IntArray
    rank_p05: IntArray
    rank_p95: IntArray
    p_top_k: FloatArray
    ranks: RankArray
    design: RunDesign
    sensitivity: tuple[SensitivityRow, ...]

    @property
    def most_influential(self) -> SensitivityRow | None:
        return self.sensitivity[0] if self.sensitivity else None


def monte_carlo(
    framework: Framework,
    data: Dataset,
    params: Params | None = None,
    spec: UncertaintySpec | None = None,
    draws: Callable[[int, int], None] | None = None,
) -> UncertaintyResult:
    """Rank distributions under the sampled assumptions, plus the one-at-a-time sensitivity.
    `draws(done, total)` is told after each batch of draws (a job's progress bar)."""
    params = params or Params()
    spec = spec or UncertaintySpec()
    _check_spec(spec)
    nominal = run(framework, data, params)
    included = nominal.stages.included
    top_k = _top_k_per_unit(spec.top_k, data.unit_groups, included)
    evaluator = _Evaluator(nominal, spec)
    main_seed, sensitivity_seed = np.random.SeedSequence(spec.seed).spawn(2)
    design = evaluator.sample(np.random.default_rng(main_seed), spec.n_runs)
    ranks_included = evaluator.ranks(design, draws)

    low, middle, high = np.quantile(ranks_included, np.array(PERCENTILES) / 100.0, axis=0, method="inverted_cdf")
    rows = np.flatnonzero(included)
    per_unit = {name: np.zeros(data.size, dtype=np.int64) for name in ("p05", "median", "p95")}
    per_unit["p05"][rows] = low
    per_unit["median"][rows] = middle
    per_unit["p95"][rows] = high
    p_top_k = np.full(data.size, np.nan)
    p_top_k[rows] = (ranks_included <= top_k[rows][None, :]).mean(axis=0)
    ranks = np.zeros((design.size, data.size), dtype=np.int32)
    ranks[:, rows] = ranks_included

    return UncertaintyResult(
        nominal=nominal,
        spec=spec,
        unit_ids=data.unit_ids,
        unit_groups=data.unit_groups,
        included=included,
        top_k=frozen(top_k),
        nominal_rank=nominal.stages.ranks,
        median_rank=frozen(per_unit["median"]),
        rank_p05=frozen(per_unit["p05"]),
        rank_p95=frozen(per_unit["p95"]),
        p_top_k=frozen(p_top_k),
        ranks=frozen(ranks),
        design=design,
        sensitivity=_sensitivity(evaluator, spec, np.random.default_rng(sensitivity_seed)),
    )


def effective_weights(result: UncertaintyResult) -> FloatArray:
    """(runs, indicators): the weight each run gave each indicator (path products).

    For audits ("which weights produced run 17?") and for the benchmark's floor.
    """
    framework = result.nominal.framework
    design = result.design
    node_weights = _node_weights(
        _weight_set_matrix(framework, result.spec),
        _sibling_matrix(framework),
        design.weight_set,
        design.weight_factors,
    )
    weights: FloatArray = np.prod(node_weights[:, framework.paths()], axis=1)
    return weights


def _weight_set_matrix(framework: Framework, spec: UncertaintySpec) -> FloatArray:
    """(sets, nodes): the policy weights, then each alternative set (validated)."""
    return np.vstack(
        [framework.node_weight_vector()]
        + [framework.with_weights(weights).node_weight_vector() for weights in spec.weight_sets]
    )


def _sibling_matrix(framework: Framework) -> FloatArray:
    """siblings[i, j] = 1 when nodes i and j share a parent, so W @ siblings sums each family.

    The root forms a family of its own.
    """
    parents = framework.parent_index()
    parents[framework.node_codes.index(framework.root)] = -1
    siblings: FloatArray = (parents[:, None] == parents[None, :]).astype(np.float64)
    return siblings


def _node_weights(
    weight_sets: FloatArray, siblings: FloatArray, weight_set: IntArray, factors: FloatArray
) -> FloatArray:
    """Perturbed node weights, renormalised to sum to 1 within every group."""
    weights = weight_sets[weight_set] * factors
    result: FloatArray = weights / (weights @ siblings)
    return result


def _check_spec(spec: UncertaintySpec) -> None:
    if spec.n_runs < 1:
        raise UncertaintyError(f"蒙特卡洛运行次数应至少为 1，实际为 {spec.n_runs}")
    if not 0.0 <= spec.weight_spread < 1.0:
        raise UncertaintyError(f"权重扰动幅度应在 [0, 1) 之间，实际为 {spec.weight_spread}")
    if spec.batch_size < 1 or spec.sensitivity_weight_runs < 0:
        raise UncertaintyError("批大小应至少为 1，敏感性分析的权重运行次数不能为负")


def _top_k_per_unit(top_k: int | Mapping[str, int], unit_groups: Sequence[str], included: BoolArray) -> IntArray:
    groups = sorted({group for group, kept in zip(unit_groups, included.tolist(), strict=True) if kept})
    sizes = dict.fromkeys(groups, top_k) if isinstance(top_k, int) else dict(top_k)
    missing = [group for group in groups if group not in sizes]
    if missing:
        raise UncertaintyError(f"未给出以下分组的入选名额：{'、'.join(missing)}")
    bad = [group for group in groups if sizes[group] < 1]
    if bad:
        raise UncertaintyError(f"分组“{bad[0]}”的入选名额应至少为 1")
    return np.array([sizes.get(group, 0) for group in unit_groups], dtype=np.int64)


def _unique(first: object, alternatives: Sequence[object]) -> tuple[object, ...]:
    return tuple(dict.fromkeys((first, *alternatives)))


class ChoiceBlocks:
    """For each combination of a Monte Carlo run's choices (imputation, normalisation, aggregation,
    by index into the given tuples): the included rows of the normalised matrix in aggregation space,
    with the geometric shift used. Treated data is built once per imputation, each block once. The
    uncertainty analysis and the evaluation's final scores (`evaluation/scoring.py`) both read here."""

    def __init__(
        self,
        framework: Framework,
        data: Dataset,
        params: Params,
        *,
        imputations: Sequence[ImputationMethod],
        normalisations: Sequence[NormalisationMethod | None],
        aggregations: Sequence[AggregationMethod],
        rows: IntArray,
        treated: dict[int, FloatArray] | None = None,
    ) -> None:
        self.framework = framework
        self.data = data
        self.params = params
        self.imputations = tuple(imputations)
        self.normalisations = tuple(normalisations)
        self.aggregations = tuple(aggregations)
        self.rows = rows
        self._treated: dict[int, FloatArray] = dict(treated or {})
        self._blocks: dict[tuple[int, int, int], tuple[FloatArray, float]] = {}

    def block(self, key: tuple[int, int, int]) -> tuple[FloatArray, float]:
        if key not in self._blocks:
            imputation, normalisation, aggregation = key
            params = replace(
                self.params,
                imputation=self.imputations[imputation],
                normalisation=self.normalisations[normalisation],
            )
            if imputation not in self._treated:
                self._treated[imputation] = treat(self.framework, self.data, params)[1].values
            block = normalise_stage(self.framework, self._treated[imputation], params)[self.rows]
            method = self.aggregations[aggregation]
            shift = geometric_shift(block, offset=params.geometric_offset) if method == "geometric" else 0.0
            self._blocks[key] = (np.ascontiguousarray(to_aggregation_space(block, method, shift)), shift)
        return self._blocks[key]


class _Evaluator:
    """Scores and ranks batches of runs; the data-dependent matrices are built once each."""

    def __init__(self, nominal: Result, spec: UncertaintySpec) -> None:
        framework = nominal.framework
        data = nominal.data
        params = nominal.params
        self.framework = framework
        self.data = data
        self.params = params
        self.spec = spec
        self.weight_sets = _weight_set_matrix(framework, spec)
        self.normalisations = cast(
            tuple[NormalisationMethod | None, ...], _unique(params.normalisation, spec.normalisations)
        )
        self.aggregations = cast(tuple[AggregationMethod, ...], _unique(params.aggregation, spec.aggregations))
        self.imputations = cast(tuple[ImputationMethod, ...], _unique(params.imputation, spec.imputations))
        self.siblings = _sibling_matrix(framework)
        self.paths = framework.paths()
        self.rows = np.flatnonzero(nominal.stages.included)
        ids = [data.unit_ids[row] for row in self.rows]
        groups = [data.unit_groups[row] for row in self.rows]
        self.layout: GroupLayout = group_layout(groups, ids, np.ones(len(ids), dtype=np.bool_))
        self._matrices: dict[tuple[int, int, int], tuple[FloatArray, bool]] = {}
        # Treatment depends on the imputation only; the nominal run already holds index 0's.
        self.blocks = ChoiceBlocks(
            framework,
            data,
            params,
            imputations=self.imputations,
            normalisations=self.normalisations,
            aggregations=self.aggregations,
            rows=self.rows,
            treated={0: nominal.stages.treated},
        )
        self.baseline = self.ranks(self.design(np.zeros((1, self.weight_sets.shape[1])) + 1.0))[0]

    @property
    def choices(self) -> dict[str, tuple[str, ...]]:
        return {
            "weight_set": tuple("政策权重" if i == 0 else f"备选权重 {i}" for i in range(self.weight_sets.shape[0])),
            "normalisation": tuple(
                "各指标预设方法" if method is None else method_label(method) for method in self.normalisations
            ),
            "aggregation": tuple(AGGREGATION_LABELS[method] for method in self.aggregations),
            "imputation": tuple(IMPUTATION_LABELS[method] for method in self.imputations),
        }

    def design(
        self,
        factors: FloatArray,
        *,
        weight_set: IntArray | None = None,
        normalisation: IntArray | None = None,
        aggregation: IntArray | None = None,
        imputation: IntArray | None = None,
    ) -> RunDesign:
        """A design with the given weight factors; unspecified choices stay nominal (index 0)."""
        runs = factors.shape[0]
        nominal = np.zeros(runs, dtype=np.int64)
        return RunDesign(
            weight_set=nominal if weight_set is None else weight_set,
            normalisation=nominal if normalisation is None else normalisation,
            aggregation=nominal if aggregation is None else aggregation,
            imputation=nominal if imputation is None else imputation,
            weight_factors=factors,
            choices=self.choices,
        )

    def weight_factors(self, rng: np.random.Generator, runs: int) -> FloatArray:
        spread = self.spec.weight_spread
        factors: FloatArray = rng.uniform(1.0 - spread, 1.0 + spread, size=(runs, self.weight_sets.shape[1]))
        return factors

    def sample(self, rng: np.random.Generator, runs: int) -> RunDesign:
        # Draw order is fixed so that a seed always means the same design.
        weight_set = rng.integers(0, self.weight_sets.shape[0], size=runs)
        normalisation = rng.integers(0, len(self.normalisations), size=runs)
        aggregation = rng.integers(0, len(self.aggregations), size=runs)
        imputation = rng.integers(0, len(self.imputations), size=runs)
        return self.design(
            self.weight_factors(rng, runs),
            weight_set=weight_set.astype(np.int64),
            normalisation=normalisation.astype(np.int64),
            aggregation=aggregation.astype(np.int64),
            imputation=imputation.astype(np.int64),
        )

    def ranks(self, design: RunDesign, draws: Callable[[int, int], None] | None = None) -> RankArray:
        """(runs, included units) ranks within groups; `draws(done, total)` after each batch."""
        result = np.empty((design.size, self.rows.size), dtype=np.int32)
        combos = (design.imputation * len(self.normalisations) + design.normalisation) * len(
            self.aggregations
        ) + design.aggregation
        for start in range(0, design.size, self.spec.batch_size):
            batch = slice(start, min(start + self.spec.batch_size, design.size))
            node_weights = _node_weights(
                self.weight_sets, self.siblings, design.weight_set[batch], design.weight_factors[batch]
            )
            effective = np.prod(node_weights[:, self.paths], axis=1)
            scores = np.empty((node_weights.shape[0], self.rows.size))
            batch_combos = combos[batch]
            for combo in np.unique(batch_combos):
                runs = np.flatnonzero(batch_combos == combo)
                key = self._key(design, start + int(runs[0]))
                matrix, complete = self._matrix(key)
                if complete:
                    scores[runs] = effective[runs] @ matrix.T
                else:
                    means = tree_means(matrix, self.framework, node_weights[runs])
                    scores[runs] = means[self.framework.root].T
            result[batch] = rank_batch(scores, self.layout)
            if draws is not None:
                draws(batch.stop, design.size)
        return result

    def _key(self, design: RunDesign, run_index: int) -> tuple[int, int, int]:
        return (
            int(design.imputation[run_index]),
            int(design.normalisation[run_index]),
            int(design.aggregation[run_index]),
        )

    def _matrix(self, key: tuple[int, int, int]) -> tuple[FloatArray, bool]:
        """Included rows of the normalised matrix in aggregation space, and whether complete."""
        if key not in self._matrices:
            matrix, _shift = self.blocks.block(key)
            self._matrices[key] = (matrix, not bool(np.isnan(matrix).any()))
        return self._matrices[key]


def _sensitivity(evaluator: _Evaluator, spec: UncertaintySpec, rng: np.random.Generator) -> tuple[SensitivityRow, ...]:
    """One assumption at a time, the others nominal; sorted by mean absolute rank shift."""
    nodes = evaluator.weight_sets.shape[1]
    plans: list[tuple[Assumption, RunDesign]] = []
    if spec.weight_spread > 0 and spec.sensitivity_weight_runs > 0:
        factors = evaluator.weight_factors(rng, spec.sensitivity_weight_runs)
        plans.append(("weights", evaluator.design(factors)))
    variants: dict[Assumption, int] = {
        "weight_set": evaluator.weight_sets.shape[0],
        "normalisation": len(evaluator.normalisations),
        "aggregation": len(evaluator.aggregations),
        "imputation": len(evaluator.imputations),
    }
    for assumption, count in variants.items():
        if count < 2:
            continue
        alternatives = np.arange(1, count, dtype=np.int64)
        factors = np.ones((alternatives.size, nodes))
        varied: dict[str, IntArray] = {assumption: alternatives}
        plans.append((assumption, evaluator.design(factors, **varied)))
    rows: list[SensitivityRow] = []
    for assumption, design in plans:
        shifts = np.abs(evaluator.ranks(design).astype(np.int64) - evaluator.baseline[None, :])
        rows.append(
            SensitivityRow(
                assumption=assumption,
                label=ASSUMPTION_LABELS[assumption],
                variants=design.size,
                mean_abs_rank_shift=float(shifts.mean()) if shifts.size else 0.0,
                max_abs_rank_shift=int(shifts.max()) if shifts.size else 0,
                share_moved=float((shifts > 0).mean()) if shifts.size else 0.0,
            )
        )
    return tuple(sorted(rows, key=lambda row: (-row.mean_abs_rank_shift, row.assumption)))
