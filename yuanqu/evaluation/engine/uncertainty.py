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
combination; each run then only needs its weights. The runs are grouped by combination and taken
in batches of ``batch_size`` runs of one combination each: with complete data the composite is
linear in the indicator weights (in log space for the geometric mean), so a batch is one matrix
product ``W_eff @ T.T``; only runs without imputation take the tree-by-tree path. Each batch is
ranked within park types and only its rank histogram is kept (units × ranks), from which the
intervals and P(top k) are read, so the runs × units rank matrix is never held. Batches run on
``threads`` threads (numpy's sort and product release the GIL) with BLAS held to ``blas_threads``
(many small products on spinning BLAS threads cost more than they gain). Same inputs and seed give
identical numbers whatever the batch size and thread counts.
"""

from __future__ import annotations

import os
import queue
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import Literal, cast

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from yuanqu.evaluation.engine._arrays import BoolArray, FloatArray, IntArray, frozen
from yuanqu.evaluation.engine.aggregate import (
    AGGREGATION_LABELS,
    AggregationMethod,
    TreeBuffers,
    geometric_shift,
    to_aggregation_space,
    tree_means,
)
from yuanqu.evaluation.engine.data import Dataset
from yuanqu.evaluation.engine.framework import Framework, NormalisationMethod, method_label
from yuanqu.evaluation.engine.impute import IMPUTATION_LABELS, ImputationMethod
from yuanqu.evaluation.engine.pipeline import Params, Result, normalise_stage, run, treat
from yuanqu.evaluation.engine.rank import (
    GroupLayout,
    RankCounter,
    contiguous_layout,
    group_layout,
    rank_batch,
)

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
TREE_BATCH_DIVISOR = 4


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
    # Threads that score and rank batches (0: one per CPU core, at most 4), and the BLAS threads
    # each product may use. Neither changes a result.
    threads: int = 0
    blas_threads: int = 1


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
    """Per-unit arrays follow ``unit_ids``; excluded units have rank 0 and NaN probability.

    ``rank_counts[i, r]`` is the number of runs that ranked unit i at rank r (units × the largest
    group's size + 1; column 0 and the rows of excluded units stay empty).
    """

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
    rank_counts: IntArray
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
    with threadpool_limits(limits=spec.blas_threads, user_api="blas"):
        return _monte_carlo(framework, data, params, spec, draws)


def _monte_carlo(
    framework: Framework,
    data: Dataset,
    params: Params,
    spec: UncertaintySpec,
    draws: Callable[[int, int], None] | None,
) -> UncertaintyResult:
    nominal = run(framework, data, params)
    included = nominal.stages.included
    top_k = _top_k_per_unit(spec.top_k, data.unit_groups, included)
    evaluator = _Evaluator(nominal, spec)
    main_seed, sensitivity_seed = np.random.SeedSequence(spec.seed).spawn(2)
    design = evaluator.sample(np.random.default_rng(main_seed), spec.n_runs)
    counts = evaluator.rank_counts(design, draws)

    # The sorted positions numpy's inverted_cdf quantiles pick among n runs, read off each unit's
    # cumulative histogram: the rank at position p is the first rank whose count exceeds p.
    positions = np.quantile(np.arange(design.size), np.array(PERCENTILES) / 100.0, method="inverted_cdf")
    per_unit = {name: np.zeros(data.size, dtype=np.int64) for name in ("p05", "median", "p95")}
    p_top_k = np.full(data.size, np.nan)
    rows = np.flatnonzero(included)
    cumulative = np.cumsum(counts[rows], axis=1)
    for name, position in zip(("p05", "median", "p95"), positions.tolist(), strict=True):
        per_unit[name][rows] = (cumulative <= position).sum(axis=1)
    in_top = np.take_along_axis(cumulative, np.minimum(top_k[rows], cumulative.shape[1] - 1)[:, None], axis=1)[:, 0]
    p_top_k[rows] = in_top / design.size

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
        rank_counts=frozen(counts),
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
    if spec.threads < 0 or spec.blas_threads < 1:
        raise UncertaintyError("线程数不能为负，BLAS 线程数应至少为 1")


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
    with the geometric shift used. Treated data is built once per imputation, normalised data once
    per imputation and normalisation (the aggregations share it), each block once. ``treated`` and
    ``normalised`` may hand in stages already built (the nominal run's). The uncertainty analysis and
    the evaluation's final scores (`evaluation/scoring.py`) both read here."""

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
        normalised: dict[tuple[int, int], FloatArray] | None = None,
    ) -> None:
        self.framework = framework
        self.data = data
        self.params = params
        self.imputations = tuple(imputations)
        self.normalisations = tuple(normalisations)
        self.aggregations = tuple(aggregations)
        self.rows = rows
        self._treated: dict[int, FloatArray] = dict(treated or {})
        self._normalised: dict[tuple[int, int], FloatArray] = dict(normalised or {})
        self._blocks: dict[tuple[int, int, int], tuple[FloatArray, float]] = {}

    def block(self, key: tuple[int, int, int]) -> tuple[FloatArray, float]:
        if key not in self._blocks:
            imputation, normalisation, aggregation = key
            params = replace(
                self.params,
                imputation=self.imputations[imputation],
                normalisation=self.normalisations[normalisation],
            )
            if (imputation, normalisation) not in self._normalised:
                if imputation not in self._treated:
                    self._treated[imputation] = treat(self.framework, self.data, params)[1].values
                self._normalised[imputation, normalisation] = normalise_stage(
                    self.framework, self._treated[imputation], params
                )
            block = self._normalised[imputation, normalisation][self.rows]
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
        included = np.flatnonzero(nominal.stages.included)
        ids = [data.unit_ids[row] for row in included]
        groups = [data.unit_groups[row] for row in included]
        # The included units group after group (ids ascending within a group): a batch's scores
        # then hold each group in adjacent columns, ranked from a view instead of a gathered copy.
        self.layout: GroupLayout
        self.layout, placement = contiguous_layout(group_layout(groups, ids, np.ones(len(ids), dtype=np.bool_)))
        self.rows = included[placement]
        # Per combination: the matrix, whether it is complete, and (when complete) its negation,
        # whose product gives the negated scores the ranking sorts ascending (negation is exact).
        self._matrices: dict[tuple[int, int, int], tuple[FloatArray, bool, FloatArray | None]] = {}
        # Treatment depends on the imputation only, normalisation on both; the nominal run already
        # holds index 0's (the same calls with the same parameters).
        self.blocks = ChoiceBlocks(
            framework,
            data,
            params,
            imputations=self.imputations,
            normalisations=self.normalisations,
            aggregations=self.aggregations,
            rows=self.rows,
            treated={0: nominal.stages.treated},
            normalised={(0, 0): nominal.stages.normalised},
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

    def ranks(self, design: RunDesign) -> RankArray:
        """(runs, included units) ranks within groups, for the small designs of the sensitivity table."""
        result = np.empty((design.size, self.rows.size), dtype=np.int32)
        combos = self._combos(design)
        for combo in np.unique(combos):
            runs = np.flatnonzero(combos == combo)
            for start in range(0, runs.size, self.spec.batch_size):
                chosen = runs[start : start + self.spec.batch_size]
                result[chosen] = rank_batch(self._scores(design, chosen), self.layout)
        return result

    def rank_counts(self, design: RunDesign, draws: Callable[[int, int], None] | None = None) -> IntArray:
        """(units, largest group + 1) rank histograms of the runs; `draws(done, total)` after each batch.

        Runs are grouped by their combination of choices and scored in batches of one combination
        each (one product per batch). Batches run on the spec's threads; each thread has its own
        workspace (a batch's keys and the tree path's means), used batch after batch, and all count
        into one ``RankCounter``: integer counts, so the result does not depend on which thread took
        which batch or the order they finished in.
        """
        combos = self._combos(design)
        batches: list[IntArray] = []
        for combo in np.unique(combos):
            runs = np.flatnonzero(combos == combo)
            _matrix, complete, _negated = self._matrix(self._key(design, int(runs[0])))  # built before threads share it
            # The tree path holds every group's means of a batch (batch × units × groups): smaller
            # batches keep its memory near the product path's.
            size = self.spec.batch_size if complete else max(1, self.spec.batch_size // TREE_BATCH_DIVISOR)
            batches.extend(runs[start : start + size] for start in range(0, runs.size, size))
        threads = max(1, min(self.spec.threads or min(os.cpu_count() or 1, 4), len(batches)))
        widest_batch = max((int(runs.size) for runs in batches), default=0)
        counter = RankCounter(self.layout)
        idle: queue.SimpleQueue[_Workspace] = queue.SimpleQueue()
        for _ in range(threads):
            idle.put(_Workspace(widest_batch * self.rows.size))

        def count(runs: IntArray) -> int:
            workspace = idle.get()
            try:
                counter.add(self._keys(design, runs, workspace))
            finally:
                idle.put(workspace)
            return int(runs.size)

        done = 0
        for finished in self._finished(count, batches, threads):
            done += finished
            if draws is not None:
                draws(done, design.size)
        widest = max((block.size for block in self.layout.blocks), default=0)
        result = np.zeros((self.data.size, widest + 1), dtype=np.int64)
        for block, counts in zip(self.layout.blocks, counter.counts(), strict=True):
            result[self.rows[block], : block.size + 1] = counts
        return result

    @staticmethod
    def _finished(count: Callable[[IntArray], int], batches: list[IntArray], threads: int) -> Iterator[int]:
        """Runs per batch, as batches finish; at most two batches per thread in flight."""
        if threads == 1:
            yield from (count(runs) for runs in batches)
            return
        queue_ = iter(batches)
        with ThreadPoolExecutor(max_workers=threads) as pool:
            pending: set[Future[int]] = set()
            while True:
                for runs in queue_:
                    pending.add(pool.submit(count, runs))
                    if len(pending) >= 2 * threads:
                        break
                if not pending:
                    return
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()

    def _scores(self, design: RunDesign, runs: IntArray) -> FloatArray:
        """(runs, included units) composite scores of runs that share one combination of choices."""
        node_weights = _node_weights(
            self.weight_sets, self.siblings, design.weight_set[runs], design.weight_factors[runs]
        )
        matrix, complete, _negated = self._matrix(self._key(design, int(runs[0])))
        if complete:
            scores: FloatArray = np.prod(node_weights[:, self.paths], axis=1) @ matrix.T
            return scores
        means: FloatArray = tree_means(matrix, self.framework, node_weights)[self.framework.root].T
        return means

    def _keys(self, design: RunDesign, runs: IntArray, workspace: _Workspace) -> FloatArray:
        """The negated ``_scores``, to the bit, written into the workspace: the product with the negated
        matrix, or the tree path's means negated (negation is exact). Rows of the result are adjacent
        in memory, whichever path, so that the ranking sorts and gathers contiguous rows."""
        node_weights = _node_weights(
            self.weight_sets, self.siblings, design.weight_set[runs], design.weight_factors[runs]
        )
        matrix, _complete, negated = self._matrix(self._key(design, int(runs[0])))
        keys = workspace.keys[: runs.size * self.rows.size].reshape(runs.size, self.rows.size)
        if negated is None:
            means: FloatArray = tree_means(matrix, self.framework, node_weights, workspace.tree)[self.framework.root]
            return np.negative(means.T, out=keys)
        return np.matmul(np.prod(node_weights[:, self.paths], axis=1), negated.T, out=keys)

    def _combos(self, design: RunDesign) -> IntArray:
        combos: IntArray = (design.imputation * len(self.normalisations) + design.normalisation) * len(
            self.aggregations
        ) + design.aggregation
        return combos

    def _key(self, design: RunDesign, run_index: int) -> tuple[int, int, int]:
        return (
            int(design.imputation[run_index]),
            int(design.normalisation[run_index]),
            int(design.aggregation[run_index]),
        )

    def _matrix(self, key: tuple[int, int, int]) -> tuple[FloatArray, bool, FloatArray | None]:
        """Included rows of the normalised matrix in aggregation space, whether it is complete,
        and its negation when it is."""
        if key not in self._matrices:
            matrix, _shift = self.blocks.block(key)
            complete = not bool(np.isnan(matrix).any())
            self._matrices[key] = (matrix, complete, np.negative(matrix) if complete else None)
        return self._matrices[key]


class _Workspace:
    """One Monte Carlo thread's memory, reused batch after batch: a batch's keys and the tree
    path's group means."""

    def __init__(self, keys: int) -> None:
        self.keys = np.empty(keys)
        self.tree = TreeBuffers()


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
