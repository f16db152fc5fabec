from __future__ import annotations

import numpy as np
import pytest

from yuanqu.evaluation.engine import Framework, FrameworkError, Group, Indicator
from yuanqu.evaluation.engine.normalise import (
    distance_to_target,
    goalposts,
    min_max,
    normalise,
    percentile_rank,
    z_score,
)

NAN = np.nan


def test_it_min_max_scales_to_0_100_and_flips_lower_is_better() -> None:
    x = np.array([2.0, 4.0, 6.0, NAN])
    np.testing.assert_allclose(min_max(x), [0.0, 50.0, 100.0, NAN])
    np.testing.assert_allclose(min_max(x, -1), [100.0, 50.0, 0.0, NAN])


def test_it_gives_a_constant_column_the_midpoint() -> None:
    np.testing.assert_allclose(min_max(np.array([3.0, 3.0, NAN])), [50.0, 50.0, NAN])
    np.testing.assert_allclose(z_score(np.array([3.0, 3.0]), centre=50.0, spread=10.0), [50.0, 50.0])


def test_it_scores_goalposts_with_the_target_as_the_goal_and_caps() -> None:
    # 主导产业营收占比: floor 50%, target 80% (现代产业园).
    share = np.array([40.0, 50.0, 65.0, 80.0, 95.0])
    np.testing.assert_allclose(goalposts(share, target=80.0, floor=50.0), [0.0, 0.0, 50.0, 100.0, 100.0])
    # Lower is better: energy use, target 0.3, floor 0.5.
    energy = np.array([0.6, 0.5, 0.4, 0.3, 0.2])
    np.testing.assert_allclose(goalposts(energy, -1, target=0.3, floor=0.5), [0.0, 0.0, 50.0, 100.0, 100.0])


def test_it_computes_z_scores_with_sample_sd_and_direction() -> None:
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(z_score(x), [-1.0, 0.0, 1.0])
    np.testing.assert_allclose(z_score(x, -1, centre=50.0, spread=10.0), [60.0, 50.0, 40.0])


def test_it_gives_tied_values_the_same_percentile_rank() -> None:
    x = np.array([10.0, 20.0, 20.0, 40.0, NAN])
    np.testing.assert_allclose(percentile_rank(x), [0.0, 50.0, 50.0, 100.0, NAN])
    np.testing.assert_allclose(percentile_rank(x, -1), [100.0, 50.0, 50.0, 0.0, NAN])


def test_it_measures_distance_to_target_from_the_worst_unit() -> None:
    x = np.array([20.0, 40.0, 60.0, 80.0])
    np.testing.assert_allclose(distance_to_target(x, target=60.0), [0.0, 50.0, 100.0, 100.0])
    np.testing.assert_allclose(distance_to_target(x, -1, target=40.0), [100.0, 100.0, 50.0, 0.0])
    np.testing.assert_allclose(distance_to_target(x, target=10.0), [100.0] * 4)


def test_it_uses_each_indicators_own_method_unless_overridden() -> None:
    framework = Framework(
        indicators=(
            Indicator(code="share", weight=0.5, normalisation="goalposts", target=80.0, floor=50.0),
            Indicator(code="tax", weight=0.5),
        ),
        groups=(Group(code="g", children=("share", "tax")),),
    )
    values = np.array([[65.0, 1.0], [80.0, 3.0], [50.0, 2.0]])
    np.testing.assert_allclose(normalise(values, framework), [[50.0, 0.0], [100.0, 100.0], [0.0, 50.0]])
    np.testing.assert_allclose(
        normalise(values, framework, method="minmax"), [[50.0, 0.0], [100.0, 100.0], [0.0, 50.0]]
    )
    np.testing.assert_allclose(normalise(values, framework, method="percentile")[:, 1], [0.0, 100.0, 50.0])


def test_it_refuses_target_methods_without_a_target() -> None:
    framework = Framework(
        indicators=(Indicator(code="tax", name="亩均税收", weight=1.0),),
        groups=(Group(code="g", children=("tax",)),),
    )
    with pytest.raises(FrameworkError, match="指标“亩均税收”没有目标值"):
        normalise(np.array([[1.0], [2.0]]), framework, method="distance_to_target")
