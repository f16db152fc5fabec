"""Final scores and rank intervals of one park type: the engine's composite plus the pack's bonus and
penalty points, with the selection probability counted among eligible parks only.

Why not the engine's ranks as they are: the engine ranks the composite index, while the 产业名园
ranking adds capped bonus/penalty points and the selection skips parks that are vetoed, below the
entry conditions or whose 必达 indicators fell. So each sampled run of the engine's Monte Carlo
design (`UncertaintyResult.design`: weight set, weight factors, normalisation, aggregation,
imputation per run) is scored again here with the engine's own public steps (treat → normalise →
tree means), the fixed points are added, and the parks are ranked. With no points and every park
eligible this reproduces the engine's rank matrix exactly (tested), so the two cannot drift apart.

Pure numpy over the engine; the evaluation services call `score_type`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from yuanqu.evaluation.engine import UncertaintyResult
from yuanqu.evaluation.engine._arrays import BoolArray, FloatArray, IntArray
from yuanqu.evaluation.engine.aggregate import (
    from_aggregation_space,
    tree_means,
)
from yuanqu.evaluation.engine.rank import Tie, group_layout, rank_batch, rank_within_groups
from yuanqu.evaluation.engine.uncertainty import PERCENTILES, ChoiceBlocks


@dataclass(frozen=True, eq=False)
class TypeScores:
    """Per-unit arrays in the Monte Carlo's unit order; excluded units have NaN scores and rank 0."""

    index_scores: FloatArray
    final_scores: FloatArray
    ranks: IntArray
    ties: tuple[Tie, ...]
    median_rank: IntArray
    rank_p05: IntArray
    rank_p95: IntArray
    p_selected: FloatArray
    run_ranks: npt.NDArray[np.int32]


BATCH_RUNS = 500


class _Composites:
    """Scores sampled runs of a Monte Carlo design in batches; the data-dependent blocks (treated,
    normalised, in aggregation space) are built once per combination of choices, as in the engine."""

    def __init__(self, mc: UncertaintyResult) -> None:
        nominal = mc.nominal
        self.framework = nominal.framework
        self.data = nominal.data
        self.params = nominal.params
        spec = mc.spec
        design = mc.design
        sets = np.vstack(
            [self.framework.node_weight_vector()]
            + [self.framework.with_weights(weights).node_weight_vector() for weights in spec.weight_sets]
        )
        parents = self.framework.parent_index()
        parents[self.framework.node_codes.index(self.framework.root)] = -1
        siblings = (parents[:, None] == parents[None, :]).astype(np.float64)
        raw = sets[design.weight_set] * design.weight_factors
        self.node_weights: FloatArray = raw / (raw @ siblings)
        # The engine's choice tuples: the nominal choice first, then the alternatives, without repeats.
        self.normalisations = tuple(dict.fromkeys((self.params.normalisation, *spec.normalisations)))
        self.aggregations = tuple(dict.fromkeys((self.params.aggregation, *spec.aggregations)))
        self.imputations = tuple(dict.fromkeys((self.params.imputation, *spec.imputations)))
        self.keys = np.stack([design.imputation, design.normalisation, design.aggregation], axis=1)
        self.rows = np.flatnonzero(nominal.stages.included)
        self.paths = self.framework.paths()
        self._blocks = ChoiceBlocks(
            self.framework,
            self.data,
            self.params,
            imputations=self.imputations,
            normalisations=self.normalisations,
            aggregations=self.aggregations,
            rows=self.rows,
        )

    def _block(self, key: tuple[int, int, int]) -> tuple[FloatArray, float]:
        return self._blocks.block(key)

    def scores(self, runs: slice) -> FloatArray:
        """(runs in the slice, included units): composite scores on the original scale."""
        keys = self.keys[runs]
        weights = self.node_weights[runs]
        out = np.empty((keys.shape[0], self.rows.size))
        for key in np.unique(keys, axis=0):
            chosen = np.flatnonzero((keys == key).all(axis=1))
            combo = (int(key[0]), int(key[1]), int(key[2]))
            space, shift = self._block(combo)
            if np.isnan(space).any():
                means = tree_means(space, self.framework, weights[chosen])[self.framework.root].T
            else:
                # Complete data: the composite is linear in the effective (path-product) weights.
                effective = np.prod(weights[chosen][:, self.paths], axis=1)
                means = effective @ space.T
            out[chosen] = from_aggregation_space(means, self.aggregations[combo[2]], shift)
        return out


def run_composites(mc: UncertaintyResult) -> FloatArray:
    """(runs, units): each sampled run's composite score, NaN for units the screening excluded."""
    composites = _Composites(mc)
    scores = np.full((mc.design.size, mc.nominal.data.size), np.nan)
    if composites.rows.size:
        scores[:, composites.rows] = composites.scores(slice(0, mc.design.size))
    return scores


def ranks_of(scores: FloatArray, unit_ids: tuple[str, ...], unit_groups: tuple[str, ...]) -> IntArray:
    """(runs, units) ranks within groups, highest score first; NaN scores rank last (exact ties go
    to the smaller unit id, as in the engine)."""
    columns = scores.shape[1]
    layout = group_layout(list(unit_groups), list(unit_ids), np.ones(columns, dtype=np.bool_))
    return rank_batch(scores, layout)


def score_type(
    mc: UncertaintyResult,
    *,
    points: FloatArray,
    eligible: BoolArray,
    quota: int,
) -> TypeScores:
    """Final scores, nominal ranks, rank intervals and P(selected) for the units of one Monte Carlo.

    `points` are each unit's bonus minus penalty; `eligible` marks the units that may be selected;
    `quota` is the number of places of the type.
    """
    nominal = mc.nominal
    data = nominal.data
    included = nominal.stages.included
    rows = np.flatnonzero(included)
    index_scores = np.where(included, nominal.stages.scores, np.nan)
    final_scores = index_scores + points
    ranking = rank_within_groups(
        final_scores, data.unit_groups, data.unit_ids, included=included, tolerance=nominal.params.tie_tolerance
    )
    size = data.size
    median = np.zeros(size, dtype=np.int64)
    low = np.zeros(size, dtype=np.int64)
    high = np.zeros(size, dtype=np.int64)
    p_selected = np.full(size, np.nan)
    run_ranks = np.zeros((mc.design.size, size), dtype=np.int32)
    if rows.size:
        ids = tuple(data.unit_ids[i] for i in rows)
        groups = tuple(data.unit_groups[i] for i in rows)
        composites = _Composites(mc)
        selected_count = np.zeros(rows.size, dtype=np.int64)
        mask = eligible[rows][None, :]
        for start in range(0, mc.design.size, BATCH_RUNS):
            batch = slice(start, min(start + BATCH_RUNS, mc.design.size))
            scores = composites.scores(batch) + points[rows][None, :]
            run_ranks[batch, rows] = ranks_of(scores, ids, groups)
            among_eligible = ranks_of(np.where(mask, scores, np.nan), ids, groups)
            selected_count += ((among_eligible <= quota) & mask).sum(axis=0)
        ranked = run_ranks[:, rows]
        quantiles = np.quantile(ranked, np.array(PERCENTILES) / 100.0, axis=0, method="inverted_cdf")
        low[rows], median[rows], high[rows] = quantiles
        p_selected[rows] = selected_count / mc.design.size
    return TypeScores(
        index_scores=index_scores,
        final_scores=final_scores,
        ranks=ranking.ranks,
        ties=ranking.ties,
        median_rank=median,
        rank_p05=low,
        rank_p95=high,
        p_selected=p_selected,
        run_ranks=run_ranks,
    )
