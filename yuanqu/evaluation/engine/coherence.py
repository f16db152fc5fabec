"""Statistical coherence of an index system on a year's data (OECD/JRC Handbook step 4; COINr's
`get_corr_flags`, `get_cronbach`, `get_PCA`), checked before a run is confirmed.

Everything is computed on the normalised stage of the nominal run (every indicator oriented so
that higher is better, units below the availability threshold left out), so a negative
correlation means two indicators pull the ranking in opposite directions:

- **correlations**: Pearson r of every pair of indicators over the units that have both, with
  flags: |r| > 0.9 is *collinear* (the two measure much the same thing and double its weight),
  r < 0 between indicators of the same dimension is *negative* (they conflict inside it); and each
  indicator's correlation with every dimension's score (its own and the others);
- **Cronbach's α** of each dimension: α = k/(k − 1) · (1 − Σ s²_i / s²_total) over the units
  complete on its k indicators (sample variances, ddof 1); undefined under 2 indicators;
- **PCA** of the indicators' correlation matrix (complete units): the share of variance each
  component explains and the loadings (the correlation of each indicator with each component,
  eigenvector × √eigenvalue, signed so that the loadings of a component sum to a non-negative
  number); and per dimension, the share of its first component (one dimension, one factor).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from yuanqu.evaluation.engine._arrays import BoolArray, FloatArray
from yuanqu.evaluation.engine.framework import Framework

COLLINEAR = 0.9
FlagKind = Literal["collinear", "negative"]
FLAG_LABELS: dict[str, str] = {"collinear": "高度共线（|r| > 0.9）", "negative": "同一维度内负相关"}


@dataclass(frozen=True)
class CorrelationFlag:
    kind: FlagKind
    first: str
    second: str
    r: float
    same_dimension: bool


@dataclass(frozen=True, eq=False)
class Coherence:
    """``codes``: indicators in framework order; ``dimension_of`` maps each to its parent group."""

    codes: tuple[str, ...]
    dimension_of: Mapping[str, str]
    dimensions: tuple[str, ...]
    correlation: FloatArray  # indicators × indicators, NaN where under 3 common units or no spread
    dimension_correlation: FloatArray  # indicators × dimensions
    flags: tuple[CorrelationFlag, ...]
    alpha: Mapping[str, float | None]
    explained: FloatArray  # components, descending
    loadings: FloatArray  # indicators × components
    first_component_share: Mapping[str, float | None]
    units: int  # units with every indicator present (PCA)


def pearson(x: FloatArray, y: FloatArray) -> float:
    """r over the rows where both are present; NaN under 3 such rows or with no spread."""
    both = ~np.isnan(x) & ~np.isnan(y)
    if both.sum() < 3:
        return float("nan")
    a = x[both] - x[both].mean()
    b = y[both] - y[both].mean()
    scale = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / scale) if scale > 0 else float("nan")


def cronbach_alpha(block: FloatArray) -> float | None:
    """Cronbach's α of the columns over the complete rows; None under 2 columns, 2 rows or no spread."""
    rows = block[~np.isnan(block).any(axis=1)]
    k = rows.shape[1]
    if k < 2 or rows.shape[0] < 2:
        return None
    total = float(rows.sum(axis=1).var(ddof=1))
    if total <= 0:
        return None
    return float(k / (k - 1.0) * (1.0 - float(rows.var(axis=0, ddof=1).sum()) / total))


def principal_components(block: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(explained shares, loadings) of the correlation matrix of the complete rows; columns
    without spread are left out of the matrix (their loadings are NaN)."""
    rows = block[~np.isnan(block).any(axis=1)]
    k = block.shape[1]
    explained = np.full(k, np.nan)
    loadings = np.full((k, k), np.nan)
    if rows.shape[0] < 3:
        return explained, loadings
    varying = rows.std(axis=0) > 0
    if varying.sum() < 1:
        return explained, loadings
    correlation = np.atleast_2d(np.corrcoef(rows[:, varying], rowvar=False))
    eigenvalues, eigenvectors = np.linalg.eigh(correlation)
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues = np.clip(eigenvalues[order], 0.0, None)
    eigenvectors = eigenvectors[:, order]
    signs = np.where(eigenvectors.sum(axis=0) < 0, -1.0, 1.0)
    used = int(varying.sum())
    explained[:used] = eigenvalues / eigenvalues.sum()
    loadings[np.ix_(varying, np.arange(used))] = eigenvectors * signs * np.sqrt(eigenvalues)
    return explained, loadings


def coherence(
    framework: Framework, normalised: FloatArray, aggregated: Mapping[str, FloatArray], included: BoolArray
) -> Coherence:
    """The coherence checks of ``framework`` on a nominal run's normalised stage and group scores."""
    rows = np.asarray(included, dtype=np.bool_)
    values = np.asarray(normalised, dtype=np.float64)[rows]
    codes = framework.indicator_codes
    parent = {code: framework.parent(code) or framework.root for code in codes}
    dimensions = tuple(dict.fromkeys(parent[code] for code in codes))
    k = len(codes)
    correlation = np.full((k, k), np.nan)
    for i in range(k):
        for j in range(i, k):
            r = 1.0 if i == j and np.nanstd(values[:, i]) > 0 else pearson(values[:, i], values[:, j])
            correlation[i, j] = correlation[j, i] = r
    by_dimension = np.full((k, len(dimensions)), np.nan)
    for j, dimension in enumerate(dimensions):
        scores = np.asarray(aggregated[dimension], dtype=np.float64)[rows]
        for i in range(k):
            by_dimension[i, j] = pearson(values[:, i], scores)
    flags: list[CorrelationFlag] = []
    for i in range(k):
        for j in range(i + 1, k):
            r = correlation[i, j]
            if np.isnan(r):
                continue
            same = parent[codes[i]] == parent[codes[j]]
            if abs(r) > COLLINEAR:
                flags.append(CorrelationFlag("collinear", codes[i], codes[j], float(r), same))
            elif same and r < 0:
                flags.append(CorrelationFlag("negative", codes[i], codes[j], float(r), same))
    alpha: dict[str, float | None] = {}
    first_share: dict[str, float | None] = {}
    for dimension in dimensions:
        columns = [i for i, code in enumerate(codes) if parent[code] == dimension]
        alpha[dimension] = cronbach_alpha(values[:, columns])
        shares, _ = principal_components(values[:, columns])
        first_share[dimension] = None if len(columns) < 2 or np.isnan(shares[0]) else float(shares[0])
    explained, loadings = principal_components(values)
    return Coherence(
        codes=codes,
        dimension_of=parent,
        dimensions=dimensions,
        correlation=correlation,
        dimension_correlation=by_dimension,
        flags=tuple(flags),
        alpha=alpha,
        explained=explained,
        loadings=loadings,
        first_component_share=first_share,
        units=int((~np.isnan(values).any(axis=1)).sum()),
    )
