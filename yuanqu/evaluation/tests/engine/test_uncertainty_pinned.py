"""The Monte Carlo gives the same numbers as before its speed-up, for the same data and seed.

`pinned/monte_carlo.json` was written by the engine as it stood before the runs were grouped by
choice combination, ranked with quicksort, counted in rank histograms and spread over threads
(`python -m yuanqu.evaluation.tests.engine.test_uncertainty_pinned` wrote it, with the histograms
counted from the rank matrix that engine kept). Write it again only for a change meant to move
results, and say so in the commit. Every rank, interval,
probability, histogram, sensitivity figure and outlier diagnosis must match it exactly: a change
that moves one run's rank by one place fails here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from yuanqu.evaluation.engine import Dataset, Params, UncertaintySpec, monte_carlo, run
from yuanqu.evaluation.engine.pipeline import diagnostic_weight_set
from yuanqu.evaluation.engine.uncertainty import UncertaintyResult
from yuanqu.evaluation.tests.engine.factories import PARK_TYPES, park_framework

PINNED = Path(__file__).parent / "pinned" / "monte_carlo.json"


def _heavy_tailed(*, units: int, seed: int, missing_share: float) -> Dataset:
    """Log-normal data with a wide spread, so that several indicators are winsorised."""
    framework = park_framework()
    rng = np.random.default_rng(seed)
    values = rng.lognormal(mean=1.0, sigma=1.3, size=(units, len(framework.indicators)))
    if missing_share:
        values[rng.random(values.shape) < missing_share] = np.nan
    return Dataset(
        unit_ids=tuple(f"P{i:03d}" for i in range(units)),
        unit_groups=tuple(PARK_TYPES[i % 3] for i in range(units)),
        indicator_codes=framework.indicator_codes,
        values=values,
    )


def _case(name: str) -> tuple[Params, Dataset, UncertaintySpec]:
    framework = park_framework()
    if name == "winsorised_with_gaps_and_weight_sets":
        data = _heavy_tailed(units=93, seed=5, missing_share=0.06)
        params = Params(winsorise=True)
        nominal = run(framework, data, params)
        weight_sets = (diagnostic_weight_set(nominal, "entropy"), diagnostic_weight_set(nominal, "critic"))
        spec = UncertaintySpec(
            n_runs=700,
            seed=19,
            weight_sets=weight_sets,
            top_k={"现代产业园": 3, "特色产业园": 5, "都市工业园": 2},
            sensitivity_weight_runs=60,
            batch_size=64,
        )
        return params, data, spec
    data = _heavy_tailed(units=48, seed=8, missing_share=0.0)
    return Params(aggregation="geometric"), data, UncertaintySpec(n_runs=333, seed=3, top_k=4, batch_size=50)


CASES = ("winsorised_with_gaps_and_weight_sets", "geometric_complete")


def _floats(values: Any) -> list[float | None]:
    return [None if np.isnan(value) else float(value) for value in np.asarray(values, dtype=np.float64).tolist()]


def summary(result: UncertaintyResult, rank_counts: Any) -> dict[str, Any]:
    """Everything a page or a report reads from a Monte Carlo, as plain JSON values."""
    return {
        "nominal_rank": np.asarray(result.nominal_rank).tolist(),
        "median_rank": np.asarray(result.median_rank).tolist(),
        "rank_p05": np.asarray(result.rank_p05).tolist(),
        "rank_p95": np.asarray(result.rank_p95).tolist(),
        "p_top_k": _floats(result.p_top_k),
        "rank_counts": np.asarray(rank_counts).tolist(),
        "sensitivity": [
            [row.assumption, row.variants, row.mean_abs_rank_shift, row.max_abs_rank_shift, row.share_moved]
            for row in result.sensitivity
        ],
        "outliers": [
            [
                check.code,
                *_floats([check.skewness, check.kurtosis, check.skewness_after, check.kurtosis_after]),
                check.flagged,
                check.winsorised,
                check.still_flagged,
            ]
            for check in result.nominal.stages.outliers
        ],
        "scores": _floats(result.nominal.stages.scores),
    }


def _pinned() -> Mapping[str, Any]:
    loaded: Mapping[str, Any] = json.loads(PINNED.read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize("name", CASES)
def test_it_gives_the_pinned_results_for_the_same_seed(name: str) -> None:
    params, data, spec = _case(name)
    result = monte_carlo(park_framework(), data, params, spec)
    assert summary(result, result.rank_counts) == _pinned()[name]


def test_it_gives_the_same_results_one_batch_or_many_and_on_one_thread_or_several() -> None:
    params, data, spec = _case(CASES[0])
    expected = _pinned()[CASES[0]]
    for batch_size, threads in ((spec.n_runs, 1), (7, 1), (64, 3)):
        varied = replace(spec, batch_size=batch_size, threads=threads)
        result = monte_carlo(park_framework(), data, params, varied)
        assert summary(result, result.rank_counts) == expected, (batch_size, threads)


def _write() -> None:
    """Pin the engine's present results (run once, before a change that must not move them)."""
    pinned: dict[str, Any] = {}
    for name in CASES:
        params, data, spec = _case(name)
        result = monte_carlo(park_framework(), data, params, spec)
        pinned[name] = summary(result, result.rank_counts)
    PINNED.write_text(json.dumps(pinned, ensure_ascii=False, indent=None) + "\n", encoding="utf-8")


if __name__ == "__main__":
    _write()
