"""Benchmark: the evaluation app's re-scoring of the Monte Carlo (final score = index + bonus −
penalty, P(selected) among eligible parks) for 3,000 parks × 50 indicators × 10,000 runs.

`scoring.score_type` scores every sampled run of the engine's design again, adds each park's points
and ranks twice (all parks, eligible parks). This prints its wall time next to the engine's own
`monte_carlo` on the same problem, measured in the same process, and the ratio between them: the
cost of supporting bonus/penalty points and eligibility on top of the engine.

Run from the repository root:  .venv/bin/python -m benchmarks.bench_evaluation_runs
"""

from __future__ import annotations

import os
import platform
import time

import numpy as np

from benchmarks.bench_evaluation_engine import problem
from yuanqu.evaluation.engine import Params, monte_carlo
from yuanqu.evaluation.scoring import score_type


def main() -> None:
    args, framework, data, spec = problem(__doc__.splitlines()[0])
    params = Params()

    started = time.perf_counter()
    result = monte_carlo(framework, data, params, spec)
    engine = time.perf_counter() - started

    rng = np.random.default_rng(args.seed)
    points = rng.choice([0.0, 1.0, 2.0, -1.0], size=data.size)
    eligible = rng.random(data.size) > 0.2
    started = time.perf_counter()
    scores = score_type(result, points=points, eligible=eligible, quota=20)
    rescoring = time.perf_counter() - started

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, numpy {np.__version__}")
    print(f"problem: {args.units} units x {args.indicators} indicators, {args.runs} runs, 20 places per type")
    print(f"engine monte_carlo (nominal, runs, sensitivity): {engine:.2f} s")
    print(f"app re-scoring with points and eligibility: {rescoring:.2f} s")
    print(f"ratio re-scoring / engine: {rescoring / engine:.2f}x")
    print(f"selected parks with P < 0.5: {int(((scores.p_selected < 0.5) & (scores.ranks <= 20)).sum())}")


if __name__ == "__main__":
    main()
