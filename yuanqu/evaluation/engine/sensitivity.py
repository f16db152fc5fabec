"""Variance-based sensitivity: first-order and total Sobol indices of the ranks, and the
"remove one indicator" table (OECD/JRC Handbook step 7; Saisana, Saltelli & Tarantola 2005).

Each uncertain input of the evaluation is one factor: the weights (every node weight times
U(1 − δ, 1 + δ), as in the Monte Carlo: one factor for the whole set of perturbations), the weight
set, the normalisation, the aggregation, the imputation, winsorisation on or off, and the
availability threshold. Saltelli's design draws two independent matrices A and B of N rows of
uniform numbers (one column per perturbed weight, one per categorical choice) and, for each factor
i, the matrix A_B^i: A with factor i's columns taken from B. Every row is decoded into a run and
ranked; with y the ranks (one column per unit):

- first order (Saltelli et al. 2010): S_i = mean(y_B · (y_{A_B^i} − y_A)) / V;
- total (Jansen 1999): S_Ti = mean((y_A − y_{A_B^i})²) / 2 / V;
- V is the variance of y over the rows of A and B together.

The ranks of many units are many outputs: the table gives each factor's indices for all units at
once, each unit's contribution weighted by the variance of its rank (Σ_u numerator_u / Σ_u V_u),
so a park whose rank never moves counts for nothing. Confidence intervals are percentile
bootstraps over the rows of the design (the same rows for A, B and every A_B^i).

The units ranked are the nominal ones (the Monte Carlo's convention). Under a stricter
availability threshold a unit may drop out: its score is then missing and it ranks last in its
group; under a looser one, units outside the nominal set enter the statistics of normalisation
and imputation but are not ranked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from yuanqu.evaluation.engine._arrays import FloatArray, IntArray
from yuanqu.evaluation.engine.aggregate import tree_means
from yuanqu.evaluation.engine.data import Dataset
from yuanqu.evaluation.engine.framework import Framework, FrameworkError
from yuanqu.evaluation.engine.pipeline import Params, run
from yuanqu.evaluation.engine.rank import group_layout, rank_batch
from yuanqu.evaluation.engine.uncertainty import (
    ChoiceBlocks,
    UncertaintyError,
    UncertaintySpec,
    _node_weights,
    _sibling_matrix,
    _unique,
    _weight_set_matrix,
)

FACTOR_LABELS: dict[str, str] = {
    "weights": "权重扰动",
    "weight_set": "权重方案",
    "normalisation": "标准化方法",
    "aggregation": "聚合方法",
    "imputation": "缺失值处理",
    "winsorisation": "极端值缩尾（开/关）",
    "availability": "数据可得率门槛",
}
CONFIDENCE = 0.95


@dataclass(frozen=True)
class SobolSpec:
    """The design: N base rows (N·(factors + 2) runs), bootstrap resamples, and the two factors the
    Monte Carlo does not vary: winsorisation on/off and the alternative availability thresholds."""

    base_samples: int = 256
    bootstrap: int = 200
    seed: int = 0
    winsorisation: bool = True
    availability_thresholds: tuple[float, ...] = ()


@dataclass(frozen=True)
class SobolIndex:
    """One factor's first-order and total indices, each with its bootstrap interval."""

    factor: str
    label: str
    first: float
    first_low: float
    first_high: float
    total: float
    total_low: float
    total_high: float


@dataclass(frozen=True)
class SobolResult:
    indices: tuple[SobolIndex, ...]
    base_samples: int
    runs: int
    # Σ over units of the variance of their rank; 0 when no rank moves (the indices are then 0).
    variance: float


@dataclass(frozen=True)
class DropRow:
    """Rank shifts when one indicator is left out (its weight shared by its siblings)."""

    code: str
    label: str
    mean_abs_rank_shift: float
    max_abs_rank_shift: int
    units_moved: int
    units: int


def saltelli_indices(
    y_a: FloatArray,
    y_b: FloatArray,
    y_ab: FloatArray,
    *,
    bootstrap: int = 200,
    rng: np.random.Generator | None = None,
    factors: Sequence[str] = (),
) -> tuple[tuple[SobolIndex, ...], float]:
    """First-order (Saltelli 2010) and total (Jansen) indices from model outputs.

    ``y_a``, ``y_b``: (N, m) outputs of A and B; ``y_ab``: (factors, N, m), row i from A_B^i.
    With m > 1 outputs the indices are variance-weighted over them. Intervals: percentile bootstrap
    over the N rows (``bootstrap`` resamples; 0 gives the point estimate as its own interval).
    Returns the indices and V (the summed output variance; indices are 0 when it is 0).
    """
    y_a = np.asarray(y_a, dtype=np.float64).reshape(y_a.shape[0], -1)
    y_b = np.asarray(y_b, dtype=np.float64).reshape(y_b.shape[0], -1)
    n, m = y_a.shape
    d = y_ab.shape[0]
    y_ab = np.asarray(y_ab, dtype=np.float64).reshape(d, n, m)
    if n < 2:
        raise UncertaintyError("方差分解至少需要 2 组基础样本")
    # Per row: the sums over outputs that every estimate needs, so a resample is a weighted mean.
    first_terms = np.einsum("jm,ijm->ij", y_b, y_ab - y_a[None]) if d else np.zeros((0, n))
    total_terms = 0.5 * ((y_a[None] - y_ab) ** 2).sum(axis=2) if d else np.zeros((0, n))
    squares = (y_a**2).sum(axis=1) + (y_b**2).sum(axis=1)
    pair_sums = y_a + y_b

    def estimate(counts: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """counts: (resamples, N) multiplicities of each row; returns S, ST (resamples, d) and V."""
        means = counts @ pair_sums / (2.0 * n)
        variance = counts @ squares / (2.0 * n) - (means**2).sum(axis=1)
        first = counts @ first_terms.T / n
        total = counts @ total_terms.T / n
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.where(variance > 1e-12 * max(1.0, float(squares.mean())), 1.0 / variance, 0.0)
        return first * scale[:, None], total * scale[:, None], variance

    point_first, point_total, variance = estimate(np.ones((1, n)))
    if bootstrap > 0:
        generator = rng or np.random.default_rng(0)
        draws = generator.integers(0, n, size=(bootstrap, n))
        counts = np.zeros((bootstrap, n))
        np.add.at(counts, (np.repeat(np.arange(bootstrap), n), draws.ravel()), 1.0)
        boot_first, boot_total, _ = estimate(counts)
    else:
        boot_first, boot_total = point_first, point_total
    tail = (1.0 - CONFIDENCE) / 2.0 * 100.0
    low_first, high_first = np.percentile(boot_first, [tail, 100.0 - tail], axis=0)
    low_total, high_total = np.percentile(boot_total, [tail, 100.0 - tail], axis=0)
    names = tuple(factors) or tuple(f"x{i + 1}" for i in range(d))
    indices = tuple(
        SobolIndex(
            factor=names[i],
            label=FACTOR_LABELS.get(names[i], names[i]),
            first=float(point_first[0, i]),
            first_low=float(low_first[i]),
            first_high=float(high_first[i]),
            total=float(point_total[0, i]),
            total_low=float(low_total[i]),
            total_high=float(high_total[i]),
        )
        for i in range(d)
    )
    return indices, float(variance[0])


def saltelli_design(
    rng: np.random.Generator, base_samples: int, widths: Sequence[int]
) -> tuple[FloatArray, FloatArray, list[FloatArray]]:
    """A, B and every A_B^i for factors occupying ``widths`` columns each (a factor may be a group
    of columns, swapped together)."""
    columns = int(sum(widths))
    a = rng.random((base_samples, columns))
    b = rng.random((base_samples, columns))
    mixed: list[FloatArray] = []
    start = 0
    for width in widths:
        ab = a.copy()
        ab[:, start : start + width] = b[:, start : start + width]
        mixed.append(ab)
        start += width
    return a, b, mixed


def sobol_first_total(
    model: Callable[[FloatArray], FloatArray],
    widths: Sequence[int],
    *,
    base_samples: int,
    bootstrap: int = 200,
    seed: int = 0,
    factors: Sequence[str] = (),
) -> tuple[tuple[SobolIndex, ...], float]:
    """Sobol indices of ``model`` (rows of U(0, 1) inputs → outputs, (rows,) or (rows, m)); the
    indices and the output variance. One seed gives one design and one set of intervals."""
    design_seed, boot_seed = np.random.SeedSequence(seed).spawn(2)
    a, b, mixed = saltelli_design(np.random.default_rng(design_seed), base_samples, widths)
    outputs = model(np.vstack([a, b, *mixed]))
    outputs = np.asarray(outputs, dtype=np.float64).reshape(outputs.shape[0], -1)
    n = base_samples
    y_a, y_b = outputs[:n], outputs[n : 2 * n]
    y_ab = outputs[2 * n :].reshape(len(widths), n, -1)
    return saltelli_indices(y_a, y_b, y_ab, bootstrap=bootstrap, rng=np.random.default_rng(boot_seed), factors=factors)


def _choice(column: FloatArray, count: int) -> IntArray:
    picked: IntArray = np.minimum((column * count).astype(np.int64), count - 1)
    return picked


def sobol_ranks(
    framework: Framework,
    data: Dataset,
    params: Params,
    spec: UncertaintySpec,
    sobol: SobolSpec,
) -> SobolResult:
    """First-order and total indices of every varied input on the ranks of the nominal units."""
    if sobol.base_samples < 2 or sobol.bootstrap < 0:
        raise UncertaintyError("方差分解的基础样本数应至少为 2，自助抽样次数不能为负")
    nominal = run(framework, data, params)
    rows = np.flatnonzero(nominal.stages.included)
    layout = group_layout(
        [data.unit_groups[row] for row in rows],
        [data.unit_ids[row] for row in rows],
        np.ones(rows.size, dtype=np.bool_),
    )
    weight_sets = _weight_set_matrix(framework, spec)
    siblings = _sibling_matrix(framework)
    paths = framework.paths()
    nodes = weight_sets.shape[1]
    choices: dict[str, tuple[object, ...]] = {
        "weight_set": tuple(range(weight_sets.shape[0])),
        "normalisation": _unique(params.normalisation, spec.normalisations),
        "aggregation": _unique(params.aggregation, spec.aggregations),
        "imputation": _unique(params.imputation, spec.imputations),
        "winsorisation": (params.winsorise, not params.winsorise) if sobol.winsorisation else (params.winsorise,),
        "availability": _unique(params.min_availability, sobol.availability_thresholds),
    }
    factors: list[str] = []
    widths: list[int] = []
    if spec.weight_spread > 0:
        factors.append("weights")
        widths.append(nodes)
    for name, options in choices.items():
        if len(options) > 1:
            factors.append(name)
            widths.append(1)
    if not factors:
        return SobolResult(indices=(), base_samples=sobol.base_samples, runs=0, variance=0.0)
    blocks: dict[tuple[int, int], ChoiceBlocks] = {}

    def blocks_for(winsorisation: int, availability: int) -> ChoiceBlocks:
        key = (winsorisation, availability)
        if key not in blocks:
            varied = replace(
                params,
                winsorise=bool(choices["winsorisation"][winsorisation]),
                min_availability=float(choices["availability"][availability]),  # type: ignore[arg-type]
            )
            blocks[key] = ChoiceBlocks(
                framework,
                data,
                varied,
                imputations=choices["imputation"],  # type: ignore[arg-type]
                normalisations=choices["normalisation"],  # type: ignore[arg-type]
                aggregations=choices["aggregation"],  # type: ignore[arg-type]
                rows=rows,
            )
        return blocks[key]

    def model(u: FloatArray) -> FloatArray:
        runs = u.shape[0]
        column = 0
        factors_matrix = np.ones((runs, nodes))
        picked = {name: np.zeros(runs, dtype=np.int64) for name in choices}
        for name, width in zip(factors, widths, strict=True):
            block = u[:, column : column + width]
            if name == "weights":
                factors_matrix = 1.0 - spec.weight_spread + 2.0 * spec.weight_spread * block
            else:
                picked[name] = _choice(block[:, 0], len(choices[name]))
            column += width
        keys = np.stack(
            [picked[name] for name in ("winsorisation", "availability", "imputation", "normalisation", "aggregation")],
            axis=1,
        )
        ranks = np.empty((runs, rows.size))
        for key in np.unique(keys, axis=0):
            chosen = np.flatnonzero((keys == key).all(axis=1))
            winsorisation, availability, imputation, normalisation, aggregation = (int(k) for k in key)
            matrix, _shift = blocks_for(winsorisation, availability).block((imputation, normalisation, aggregation))
            node_weights = _node_weights(weight_sets, siblings, picked["weight_set"][chosen], factors_matrix[chosen])
            if np.isnan(matrix).any():
                scores = tree_means(matrix, framework, node_weights)[framework.root].T
            else:
                scores = np.prod(node_weights[:, paths], axis=1) @ matrix.T
            ranks[chosen] = rank_batch(scores, layout)
        return ranks

    indices, variance = sobol_first_total(
        model, widths, base_samples=sobol.base_samples, bootstrap=sobol.bootstrap, seed=sobol.seed, factors=factors
    )
    return SobolResult(
        indices=indices,
        base_samples=sobol.base_samples,
        runs=sobol.base_samples * (len(factors) + 2),
        variance=variance,
    )


def drop_one(framework: Framework, data: Dataset, params: Params) -> tuple[DropRow, ...]:
    """For each indicator, the rank shifts when it is left out, over the units ranked both ways;
    sorted by mean absolute shift, largest first."""
    nominal = run(framework, data, params)
    base = nominal.stages.ranks
    rows: list[DropRow] = []
    for indicator in framework.indicators:
        try:
            reduced = framework.without([indicator.code])
        except FrameworkError:
            continue
        ranks = run(reduced, data, params).stages.ranks
        both = (base > 0) & (ranks > 0)
        shifts = np.abs(ranks[both].astype(np.int64) - base[both].astype(np.int64))
        rows.append(
            DropRow(
                code=indicator.code,
                label=indicator.label,
                mean_abs_rank_shift=float(shifts.mean()) if shifts.size else 0.0,
                max_abs_rank_shift=int(shifts.max()) if shifts.size else 0,
                units_moved=int((shifts > 0).sum()),
                units=int(both.sum()),
            )
        )
    return tuple(sorted(rows, key=lambda row: (-row.mean_abs_rank_shift, row.code)))
