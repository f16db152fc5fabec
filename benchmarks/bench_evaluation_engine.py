"""Benchmark: Monte Carlo rank uncertainty for 3,000 parks × 50 indicators × 10,000 runs.

Prints the wall and CPU time of ``uncertainty.monte_carlo``, its peak memory, the thread settings,
and its ratio to a floor measured in the same process: the weighted sums ``X @ W.T`` of the same
10,000 perturbed weight sets plus one within-type argsort of every run's scores — the least work
any Monte Carlo over weights that reports ranks has to do (sorting 30 million keys costs several
times the product). The bare product, the floor used before 2026-12-03, is printed too.

Run from the repository root:  .venv/bin/python -m benchmarks.bench_evaluation_engine
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

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
    parser.add_argument("--threads", type=int, default=0, help="Monte Carlo threads (0: one per core, at most 4)")
    args = parser.parse_args()
    framework, data = synthetic(args.units, args.indicators, args.dimensions, args.seed)
    spec = UncertaintySpec(n_runs=args.runs, seed=args.seed, top_k=dict.fromkeys(PARK_TYPES, 20), threads=args.threads)
    return args, framework, data, spec


def reset_peak_memory() -> float:
    """Reset this process's peak-RSS mark (Linux) and return its resident memory now, in MB."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return 0.0
    return _status_mb("VmRSS:")


def peak_memory() -> float:
    """Peak resident memory since the last reset, in MB."""
    return _status_mb("VmHWM:")


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


def rank_floor(matrix: np.ndarray, weights: np.ndarray, blocks: list[np.ndarray], batch: int) -> tuple[float, float]:
    """The product plus one within-type argsort per run, batch by batch; wall and CPU seconds."""
    tick, cpu = time.perf_counter(), time.process_time()
    for start in range(0, weights.shape[0], batch):
        scores = weights[start : start + batch] @ matrix.T
        for block in blocks:
            np.argsort(-scores[:, block], axis=1, kind="quicksort")
    return time.perf_counter() - tick, time.process_time() - cpu


def main() -> None:
    args, framework, data, spec = problem(__doc__.splitlines()[0])
    params = Params(winsorise=True)
    load_at_start = " ".join(f"{value:.1f}" for value in os.getloadavg())

    baseline = reset_peak_memory()
    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    started, cpu_started = time.perf_counter(), time.process_time()
    result = monte_carlo(framework, data, params, spec)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = peak_memory()

    weights = effective_weights(result)
    matrix = np.nan_to_num(result.nominal.stages.normalised[result.included])
    labels = np.asarray(data.unit_groups)[result.included]
    blocks = [np.flatnonzero(labels == group) for group in sorted(set(labels.tolist()))]
    with threadpool_limits(limits=spec.blas_threads, user_api="blas"):
        products, floors = [], []
        for _ in range(3):
            tick = time.perf_counter()
            scores = matrix @ weights.T
            products.append(time.perf_counter() - tick)
            del scores
            floors.append(rank_floor(matrix, weights, blocks, spec.batch_size))
    product, (floor, floor_cpu) = min(products), min(floors)
    load_at_end = " ".join(f"{value:.1f}" for value in os.getloadavg())
    blas = ", ".join(
        f"{pool['internal_api']} {pool.get('version', '')} ({pool['num_threads']} threads by default)"
        for pool in threadpool_info()
        if pool["user_api"] == "blas"
    )
    threads = spec.threads or min(os.cpu_count() or 1, 4)

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, numpy {np.__version__}; BLAS: {blas}")
    print(f"load average: {load_at_start} at the start, {load_at_end} at the end")
    print(
        f"problem: {args.units} units x {args.indicators} indicators in {args.dimensions} dimensions, "
        f"{args.runs} runs; assumptions: weights ±{spec.weight_spread:.0%}, "
        f"{len(result.design.choices['normalisation'])} normalisations, "
        f"{len(result.design.choices['aggregation'])} aggregations, "
        f"{len(result.design.choices['imputation'])} imputations"
    )
    print(
        f"threads: {threads} Monte Carlo threads, BLAS held to {spec.blas_threads}, batches of {spec.batch_size} runs"
    )
    print(
        f"monte_carlo (incl. nominal run and sensitivity): {elapsed:.2f} s wall, {cpu:.2f} s CPU; "
        f"peak memory {peak:.0f} MB ({peak - baseline:.0f} MB over the {baseline:.0f} MB before it)"
    )
    # System time is mostly page faults: arrays made fresh for every batch cost them each time.
    print(
        f"  of which user {usage.ru_utime - usage_before.ru_utime:.2f} s, "
        f"system {usage.ru_stime - usage_before.ru_stime:.2f} s; "
        f"{usage.ru_minflt - usage_before.ru_minflt} page faults"
    )
    print(
        f"floor: product + one within-type argsort per run, one thread (best of 3): {floor:.3f} s wall, "
        f"{floor_cpu:.3f} s CPU"
    )
    print(f"bare product X @ W.T (best of 3): {product:.3f} s")
    print(
        f"ratio to the floor: {elapsed / floor:.1f}x wall, {cpu / floor_cpu:.1f}x CPU "
        f"(wall to the bare product: {elapsed / product:.0f}x)"
    )
    print(f"most influential assumption: {result.sensitivity[0].label if result.sensitivity else '-'}")


if __name__ == "__main__":
    main()
