"""Sobol indices against Ishigami's analytic ones, and the rank factors and drop-one table."""

from __future__ import annotations

import math

import numpy as np
import pytest

from yuanqu.evaluation.engine import Framework, Group, Indicator, Params, UncertaintySpec, run
from yuanqu.evaluation.engine.data import Dataset
from yuanqu.evaluation.engine.sensitivity import SobolSpec, drop_one, saltelli_indices, sobol_first_total, sobol_ranks
from yuanqu.evaluation.tests.engine.factories import park_framework, random_dataset

A, B = 7.0, 0.1


def _ishigami(u: np.ndarray) -> np.ndarray:
    x = -math.pi + 2.0 * math.pi * u
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def _ishigami_analytic() -> tuple[list[float], list[float]]:
    """Ishigami & Homma (1990); Sobol' & Levitan (1999): the partial variances in closed form."""
    v1 = 0.5 * (1.0 + B * math.pi**4 / 5.0) ** 2
    v2 = A**2 / 8.0
    v13 = B**2 * math.pi**8 * (1.0 / 18.0 - 1.0 / 50.0)
    total = v1 + v2 + v13
    return [v1 / total, v2 / total, 0.0], [(v1 + v13) / total, v2 / total, v13 / total]


def test_the_analytic_ishigami_indices_are_the_textbook_figures() -> None:
    first, total = _ishigami_analytic()
    assert [round(value, 4) for value in first] == [0.3139, 0.4424, 0.0]
    assert [round(value, 4) for value in total] == [0.5576, 0.4424, 0.2437]


def test_saltelli_and_jansen_estimates_find_ishigamis_indices() -> None:
    first, total = _ishigami_analytic()
    indices, variance = sobol_first_total(_ishigami, (1, 1, 1), base_samples=2**15, bootstrap=200, seed=4)
    assert variance == pytest.approx(A**2 / 8 + B * math.pi**4 / 5 + B**2 * math.pi**8 / 18 + 0.5, rel=0.03)
    for index, s, st in zip(indices, first, total, strict=True):
        assert index.first == pytest.approx(s, abs=0.02)
        assert index.total == pytest.approx(st, abs=0.02)
        # The bootstrap interval is an interval around the estimate and covers the analytic value.
        assert index.first_low <= index.first <= index.first_high
        assert index.total_low <= index.total <= index.total_high
        assert index.first_low - 0.01 <= s <= index.first_high + 0.01
        assert index.total_low - 0.01 <= st <= index.total_high + 0.01
    # x3 acts only through its interaction with x1: first order ≈ 0, total ≈ 0.24.
    assert abs(indices[2].first) < 0.02 < indices[2].total


def test_a_linear_model_has_first_equal_to_total_and_the_squared_coefficient_share() -> None:
    # y = 2·u1 + u2 with u ~ U(0, 1): V1/V = 4/5, V2/V = 1/5, no interaction.
    indices, _ = sobol_first_total(lambda u: 2.0 * u[:, 0] + u[:, 1], (1, 1), base_samples=2**16, bootstrap=0)
    assert indices[0].first == pytest.approx(0.8, abs=0.03)
    assert indices[0].total == pytest.approx(0.8, abs=0.03)
    assert indices[1].first == pytest.approx(0.2, abs=0.03)
    assert indices[1].total == pytest.approx(0.2, abs=0.03)


def test_indices_of_outputs_that_never_vary_are_zero() -> None:
    y = np.ones((10, 3))
    indices, variance = saltelli_indices(y, y, np.stack([y, y]), bootstrap=20)
    assert variance == 0.0
    assert all(index.first == 0.0 and index.total == 0.0 for index in indices)


def _two_indicators(values: list[list[float]]) -> tuple[Framework, Dataset]:
    framework = Framework(
        indicators=(Indicator(code="a", weight=0.5), Indicator(code="b", weight=0.5)),
        groups=(Group(code="index", children=("a", "b")),),
    )
    data = Dataset(
        unit_ids=tuple(f"P{i}" for i in range(len(values))),
        unit_groups=tuple("现代产业园" for _ in values),
        indicator_codes=("a", "b"),
        values=np.array(values, dtype=float),
    )
    return framework, data


def test_only_the_weights_move_ranks_when_two_units_trade_off_two_indicators() -> None:
    # P0 is best on a, P1 on b, by the same margin: the weights alone decide their order, and
    # min-max or percentile scores order them the same; P2 is last whatever happens.
    framework, data = _two_indicators([[10.0, 0.0], [0.0, 10.0], [-5.0, -5.0]])
    spec = UncertaintySpec(normalisations=("minmax", "percentile"), aggregations=("arithmetic",), imputations=())
    result = sobol_ranks(framework, data, Params(), spec, SobolSpec(base_samples=2048, bootstrap=50))
    by_factor = {index.factor: index for index in result.indices}
    assert set(by_factor) == {"weights", "normalisation", "winsorisation"}
    assert result.runs == 2048 * 5
    assert by_factor["weights"].first == pytest.approx(1.0, abs=0.06)
    assert by_factor["weights"].total == pytest.approx(1.0, abs=0.06)
    assert by_factor["normalisation"].total == 0.0
    assert by_factor["winsorisation"].total == 0.0


def test_rank_indices_are_reproducible_and_name_every_varied_input() -> None:
    framework = park_framework()
    data = random_dataset(framework, units=45, seed=3, missing_share=0.08)
    spec = UncertaintySpec(weight_spread=0.3)
    sobol = SobolSpec(base_samples=64, bootstrap=30, seed=2, availability_thresholds=(0.5, 0.8))
    first = sobol_ranks(framework, data, Params(), spec, sobol)
    again = sobol_ranks(framework, data, Params(), spec, sobol)
    assert first == again
    assert [index.factor for index in first.indices] == [
        "weights",
        "normalisation",
        "aggregation",
        "imputation",
        "winsorisation",
        "availability",
    ]
    assert all(index.total >= index.total_low - 1e-12 for index in first.indices)


def test_dropping_an_indicator_reports_the_rank_shifts_it_causes() -> None:
    # a decides everything (b is equal for all), so dropping b moves nothing; dropping a leaves b
    # alone, every unit scores 50 and ties go to the smaller id: ranks 3 1 2 become 1 2 3, shifts
    # 2, 1, 1.
    framework, data = _two_indicators([[1.0, 5.0], [3.0, 5.0], [2.0, 5.0]])
    assert run(framework, data).stages.ranks.tolist() == [3, 1, 2]
    rows = {row.code: row for row in drop_one(framework, data, Params())}
    assert rows["b"].mean_abs_rank_shift == 0.0 and rows["b"].units_moved == 0
    assert rows["a"].units_moved == 3
    assert rows["a"].max_abs_rank_shift == 2
    assert rows["a"].mean_abs_rank_shift == pytest.approx(4 / 3)
    assert [row.code for row in drop_one(framework, data, Params())] == ["a", "b"]
