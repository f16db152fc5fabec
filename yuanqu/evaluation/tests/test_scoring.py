"""Re-scoring the engine's Monte Carlo design with the pack's points and eligibility: with no points
and every park eligible it reproduces the engine's ranks exactly; points move ranks; ineligible parks
never take a place."""

from __future__ import annotations

import numpy as np
import pytest

from yuanqu.evaluation.engine import Dataset, Params, UncertaintySpec, monte_carlo, run
from yuanqu.evaluation.engine.pipeline import diagnostic_weight_set
from yuanqu.evaluation.scoring import run_composites, score_type
from yuanqu.evaluation.tests.engine.factories import park_framework, random_dataset


@pytest.mark.parametrize(("missing", "aggregation"), [(0.0, "arithmetic"), (0.1, "arithmetic"), (0.1, "geometric")])
def test_it_reproduces_the_engine_ranks_without_points(missing: float, aggregation: str) -> None:
    framework = park_framework()
    data = random_dataset(framework, units=45, missing_share=missing)
    params = Params(aggregation=aggregation)  # type: ignore[arg-type]
    nominal = run(framework, data, params)
    spec = UncertaintySpec(
        n_runs=400,
        seed=11,
        weight_sets=(diagnostic_weight_set(nominal, "entropy"), diagnostic_weight_set(nominal, "critic")),
        top_k=2,
    )
    mc = monte_carlo(framework, data, params, spec)
    scores = score_type(mc, points=np.zeros(data.size), eligible=np.ones(data.size, dtype=bool), quota=2)
    width = mc.rank_counts.shape[1]
    counts = np.stack([np.bincount(column, minlength=width) for column in scores.run_ranks.T])
    counts[:, 0] = 0  # rank 0: a unit the screening excluded
    assert np.array_equal(counts, mc.rank_counts)
    assert np.array_equal(scores.ranks, mc.nominal_rank)
    assert np.array_equal(scores.median_rank, mc.median_rank)
    assert np.array_equal(scores.rank_p05, mc.rank_p05) and np.array_equal(scores.rank_p95, mc.rank_p95)
    assert np.allclose(scores.p_selected, mc.p_top_k, equal_nan=True)


def _two_parks_close() -> Dataset:
    framework = park_framework()
    values = np.array(
        [
            [10.0, 10.0, 5.0, 10.0, 3.0],  # A: best
            [9.9, 9.8, 5.1, 9.9, 2.9],  # B: a hair behind A
            [2.0, 3.0, 9.0, 2.0, 1.0],  # C: worst
        ]
    )
    return Dataset(
        unit_ids=("A", "B", "C"), unit_groups=("t", "t", "t"), indicator_codes=framework.indicator_codes, values=values
    )


def test_it_adds_points_to_every_run_and_to_the_nominal_score() -> None:
    framework = park_framework()
    data = _two_parks_close()
    mc = monte_carlo(framework, data, Params(), UncertaintySpec(n_runs=200, seed=1, top_k=1))
    plain = score_type(mc, points=np.zeros(3), eligible=np.ones(3, dtype=bool), quota=1)
    assert plain.ranks.tolist() == [1, 2, 3]
    boosted = score_type(mc, points=np.array([0.0, 5.0, 0.0]), eligible=np.ones(3, dtype=bool), quota=1)
    assert boosted.final_scores[1] == pytest.approx(plain.index_scores[1] + 5.0)
    assert boosted.ranks.tolist() == [2, 1, 3]
    composites = run_composites(mc)
    expected = (composites[:, 1] + 5.0 > composites[:, 0]).mean()
    assert boosted.p_selected[1] == pytest.approx(expected)


def test_it_gives_places_to_eligible_parks_only() -> None:
    framework = park_framework()
    data = _two_parks_close()
    mc = monte_carlo(framework, data, Params(), UncertaintySpec(n_runs=200, seed=1, top_k=1))
    scores = score_type(mc, points=np.zeros(3), eligible=np.array([False, True, True]), quota=1)
    # A stays first in the ranking but cannot be selected; B takes the place in every run.
    assert scores.ranks.tolist() == [1, 2, 3]
    assert scores.p_selected.tolist() == [0.0, 1.0, 0.0]
