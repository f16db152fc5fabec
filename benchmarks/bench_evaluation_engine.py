"""Benchmark: Monte Carlo rank uncertainty for 3,000 parks × 50 indicators × 10,000 runs.

Prints the wall time of ``uncertainty.monte_carlo`` and its ratio to a floor measured in the
same process: the bare numpy weighted sum ``X @ W.T`` over the same 10,000 perturbed weight
sets, i.e. the least work any Monte Carlo over weights has to do.

Run from the repository root:  .venv/bin/python -m benchmarks.bench_evaluation_engine
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from yuanqu.evaluation.engine import (
    Dataset,
    Framework,
    Group,
    Indicator,
    Params,
    UncertaintySpec,
    monte_carlo,
)
from yuanqu.evaluation.engine.uncertainty import effective_weights

PARK_TYPES = ("现代产业园", "特色产业园", "都市工业园")


def synthetic(units: int, indicators: int, dimensions: int, seed: int) -> tuple[Framework, Dataset]:
    """Skewed (log-normal) indicators, a fifth of them lower-is-better, 2% of cells missing."""
    rng = np.random.default_rng(seed)
    per_dimension = np.array_split(np.arange(indicators), dimensions)
    items: list[Indicator] = []
    groups: list[Group] = []
    for d, members in enumerate(per_dimension):
        raw = rng.uniform(0.5, 1.5, size=members.size)
        weights = raw / raw.sum()
        weights[-1] = 1.0 - weights[:-1].sum()
        items.extend(
            Indicator(code=f"x{j:02d}", weight=float(w), direction=-1 if j % 5 == 4 else 1)
            for j, w in zip(members.tolist(), weights.tolist(), strict=True)
        )
        groups.append(Group(code=f"d{d}", children=tuple(f"x{j:02d}" for j in members), weight=1.0 / dimensions))
    groups.append(Group(code="index", children=tuple(group.code for group in groups)))
    framework = Framework(indicators=tuple(items), groups=tuple(groups))
    values = rng.lognormal(mean=0.0, sigma=0.8, size=(units, indicators))
    values[rng.random(values.shape) < 0.02] = np.nan
    data = Dataset(
        unit_ids=tuple(f"P{i:05d}" for i in range(units)),
        unit_groups=tuple(PARK_TYPES[i % len(PARK_TYPES)] for i in range(units)),
        indicator_codes=framework.indicator_codes,
        values=values,
    )
    return framework, data


def problem(description: str) -> tuple[argparse.Namespace, Framework, Dataset, UncertaintySpec]:
    """The command line of the evaluation benchmarks and the synthetic problem it describes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--dimensions", type=int, default=6)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    framework, data = synthetic(args.units, args.indicators, args.dimensions, args.seed)
    spec = UncertaintySpec(n_runs=args.runs, seed=args.seed, top_k=dict.fromkeys(PARK_TYPES, 20))
    return args, framework, data, spec


def main() -> None:
    args, framework, data, spec = problem(__doc__.splitlines()[0])
    params = Params(winsorise=True)

    started = time.perf_counter()
    result = monte_carlo(framework, data, params, spec)
    elapsed = time.perf_counter() - started

    weights = effective_weights(result)
    matrix = np.nan_to_num(result.nominal.stages.normalised[result.included])
    floors = []
    for _ in range(3):
        tick = time.perf_counter()
        scores = matrix @ weights.T
        floors.append(time.perf_counter() - tick)
        del scores
    floor = min(floors)

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, numpy {np.__version__}")
    print(
        f"problem: {args.units} units x {args.indicators} indicators in {args.dimensions} dimensions, "
        f"{args.runs} runs; assumptions: weights ±{spec.weight_spread:.0%}, "
        f"{len(result.design.choices['normalisation'])} normalisations, "
        f"{len(result.design.choices['aggregation'])} aggregations, "
        f"{len(result.design.choices['imputation'])} imputations"
    )
    print(f"monte_carlo (incl. nominal run and sensitivity): {elapsed:.2f} s")
    print(f"floor X @ W.T (best of 3): {floor:.3f} s")
    print(f"ratio: {elapsed / floor:.1f}x")
    print(f"most influential assumption: {result.sensitivity[0].label if result.sensitivity else '-'}")


if __name__ == "__main__":
    main()
