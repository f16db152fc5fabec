"""Coherence checks on hand-computed fixtures: r, Cronbach's α, PCA shares and loadings, flags."""

from __future__ import annotations

import math

import numpy as np
import pytest

from yuanqu.evaluation.engine import Framework, Group, Indicator, run
from yuanqu.evaluation.engine.coherence import coherence, cronbach_alpha, pearson, principal_components
from yuanqu.evaluation.engine.data import Dataset


def test_pearson_alpha_and_pca_of_two_items_by_hand() -> None:
    x1 = np.array([1.0, 2.0, 3.0, 4.0])
    x2 = np.array([2.0, 1.0, 4.0, 3.0])
    # centred: (−1.5, −0.5, 0.5, 1.5) and (−0.5, −1.5, 1.5, 0.5): Σab = 3, Σa² = Σb² = 5, r = 0.6.
    assert pearson(x1, x2) == pytest.approx(0.6)
    # s² = 5/3 each; the sums 3, 3, 7, 7 have s² = 16/3; α = 2 · (1 − (10/3)/(16/3)) = 0.75.
    assert cronbach_alpha(np.column_stack([x1, x2])) == pytest.approx(0.75)
    # The correlation matrix [[1, .6], [.6, 1]] has eigenvalues 1.6 and 0.4: shares 0.8 and 0.2; the
    # first component loads √0.8 on both.
    explained, loadings = principal_components(np.column_stack([x1, x2]))
    assert explained.tolist() == pytest.approx([0.8, 0.2])
    assert loadings[:, 0].tolist() == pytest.approx([math.sqrt(0.8)] * 2)
    assert abs(loadings[0, 1]) == pytest.approx(math.sqrt(0.2))


def test_alpha_needs_two_items_and_pearson_three_common_units() -> None:
    assert cronbach_alpha(np.array([[1.0], [2.0], [3.0]])) is None
    assert math.isnan(pearson(np.array([1.0, 2.0, np.nan, 4.0]), np.array([1.0, np.nan, 3.0, 4.0])))


def _system() -> Framework:
    return Framework(
        indicators=(
            Indicator(code="a", weight=0.4),
            Indicator(code="b", weight=0.3),
            Indicator(code="c", weight=0.3),
            Indicator(code="d", weight=1.0),
        ),
        groups=(
            Group(code="D1", children=("a", "b", "c"), weight=0.5),
            Group(code="D2", children=("d",), weight=0.5),
            Group(code="index", children=("D1", "D2")),
        ),
    )


def test_flags_collinear_pairs_anywhere_and_negative_pairs_within_a_dimension() -> None:
    # b is a linear function of a (r = 1, collinear); c falls as a rises inside D1 (negative);
    # d falls as a rises too, but across dimensions, which is not flagged.
    a = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    values = np.column_stack([a, 2 * a + 1, [5.0, 3.0, 4.0, 1.0, 2.0], [4.0, 5.0, 3.0, 1.0, 2.0]])
    framework = _system()
    data = Dataset(
        unit_ids=tuple(f"P{i}" for i in range(5)),
        unit_groups=("现代产业园",) * 5,
        indicator_codes=framework.indicator_codes,
        values=values,
    )
    result = run(framework, data)
    found = coherence(framework, result.stages.normalised, result.stages.aggregated, result.stages.included)
    flags = {(flag.kind, flag.first, flag.second) for flag in found.flags}
    assert flags == {("collinear", "a", "b"), ("negative", "a", "c"), ("negative", "b", "c")}
    r_ac = pearson(a, values[:, 2])
    assert r_ac == pytest.approx(-0.8)
    assert found.correlation[0, 2] == pytest.approx(r_ac)
    assert found.correlation[0, 3] == pytest.approx(pearson(a, values[:, 3])) and found.correlation[0, 3] < 0
    assert found.dimensions == ("D1", "D2")
    # d is D2's only indicator: its correlation with D2's score is 1; α of a lone indicator is None.
    assert found.dimension_correlation[3, 1] == pytest.approx(1.0)
    assert found.alpha["D2"] is None and found.first_component_share["D2"] is None
    assert found.alpha["D1"] == pytest.approx(cronbach_alpha(result.stages.normalised[:, :3]))
    assert found.explained.sum() == pytest.approx(1.0)
    assert found.units == 5
