from __future__ import annotations

import re

import numpy as np
import pytest

from yuanqu.evaluation.engine import Framework, FrameworkError, Group, Indicator
from yuanqu.evaluation.tests.engine.factories import park_framework


def test_it_refuses_weights_not_summing_to_one_naming_the_group_and_sum() -> None:
    with pytest.raises(FrameworkError) as error:
        Framework(
            indicators=(
                Indicator(code="a", weight=0.5),
                Indicator(code="b", weight=0.45),
            ),
            groups=(Group(code="innovation", name="创新能力", children=("a", "b")),),
        )
    assert str(error.value) == "指标组“创新能力”的权重之和为 0.95，应为 1"


def test_it_accepts_weights_summing_to_one_within_tolerance() -> None:
    framework = Framework(
        indicators=tuple(Indicator(code=c, weight=w) for c, w in (("a", 0.1), ("b", 0.2), ("c", 0.7000004))),
        groups=(Group(code="g", children=("a", "b", "c")),),
    )
    assert framework.root == "g"


def test_it_refuses_weights_of_dimensions_not_summing_to_one() -> None:
    with pytest.raises(FrameworkError, match=re.escape("指标组“综合评价”的权重之和为 1.1，应为 1")):
        Framework(
            indicators=(Indicator(code="a", weight=1.0), Indicator(code="b", weight=1.0)),
            groups=(
                Group(code="d1", weight=0.6, children=("a",)),
                Group(code="d2", weight=0.5, children=("b",)),
                Group(code="index", name="综合评价", children=("d1", "d2")),
            ),
        )


def test_it_refuses_an_unknown_indicator_reference() -> None:
    with pytest.raises(FrameworkError) as error:
        Framework(
            indicators=(Indicator(code="a", weight=1.0),),
            groups=(Group(code="g", name="创新能力", children=("a", "patents")),),
        )
    assert str(error.value) == "指标组“创新能力”引用了未知指标“patents”"


def test_it_refuses_an_indicator_left_out_of_the_tree() -> None:
    with pytest.raises(FrameworkError, match="指标“专利数”未归入任何指标组"):
        Framework(
            indicators=(Indicator(code="a", weight=1.0), Indicator(code="p", name="专利数", weight=0.0)),
            groups=(Group(code="g", children=("a",)),),
        )


def test_it_refuses_an_indicator_in_two_groups_and_duplicate_codes() -> None:
    with pytest.raises(FrameworkError, match="同时出现在"):
        Framework(
            indicators=(Indicator(code="a", weight=1.0),),
            groups=(
                Group(code="d1", weight=0.5, children=("a",)),
                Group(code="d2", weight=0.5, children=("a",)),
                Group(code="index", children=("d1", "d2")),
            ),
        )
    with pytest.raises(FrameworkError, match="编码“a”重复出现"):
        Framework(
            indicators=(Indicator(code="a", weight=1.0), Indicator(code="a", weight=0.0)),
            groups=(Group(code="g", children=("a",)),),
        )


def test_it_refuses_two_roots_and_negative_weights() -> None:
    with pytest.raises(FrameworkError, match="有且只有一个顶层指标组"):
        Framework(
            indicators=(Indicator(code="a", weight=1.0), Indicator(code="b", weight=1.0)),
            groups=(Group(code="g1", children=("a",)), Group(code="g2", children=("b",))),
        )
    with pytest.raises(FrameworkError, match=re.escape("权重 -0.2 无效")):
        Framework(
            indicators=(Indicator(code="a", weight=1.2), Indicator(code="b", weight=-0.2)),
            groups=(Group(code="g", children=("a", "b")),),
        )


def test_it_requires_goalposts_on_the_right_side_for_the_direction() -> None:
    with pytest.raises(FrameworkError, match="必须给出目标值"):
        Framework(
            indicators=(Indicator(code="a", weight=1.0, normalisation="goalposts", floor=0.0),),
            groups=(Group(code="g", children=("a",)),),
        )
    with pytest.raises(FrameworkError, match="目标值应低于门槛值"):
        Framework(
            indicators=(
                Indicator(code="a", weight=1.0, direction=-1, normalisation="goalposts", target=5.0, floor=1.0),
            ),
            groups=(Group(code="g", children=("a",)),),
        )


def test_it_exposes_parents_levels_and_effective_weights() -> None:
    framework = park_framework()
    assert framework.root == "index"
    assert framework.parent("rd_intensity") == "innovation"
    assert framework.parent("index") is None
    assert framework.level("tax_per_mu") == 1
    assert framework.level("efficiency") == 2
    assert framework.level("index") == 3
    assert framework.groups_bottom_up[-1] == "index"
    np.testing.assert_allclose(framework.effective_weights(), [0.30, 0.18, 0.12, 0.24, 0.16])
    assert framework.effective_weights().sum() == pytest.approx(1.0)


def test_it_replaces_weights_and_revalidates() -> None:
    framework = park_framework()
    changed = framework.with_weights({"efficiency": 0.5, "innovation": 0.5})
    assert changed.node("efficiency").weight == 0.5
    assert framework.node("efficiency").weight == 0.6
    with pytest.raises(FrameworkError, match=re.escape("权重之和为 1.2")):
        framework.with_weights({"efficiency": 0.8})


def _three_dimensions() -> Framework:
    return Framework(
        indicators=(
            Indicator(code="a", weight=0.25),
            Indicator(code="b", weight=0.75),
            Indicator(code="c", weight=0.6),
            Indicator(code="d", weight=0.4),
            Indicator(code="service", weight=1.0),
        ),
        groups=(
            Group(code="d1", weight=0.5, children=("a", "b")),
            Group(code="d2", weight=0.3, children=("c", "d")),
            Group(code="d3", weight=0.2, children=("service",)),
            Group(code="index", children=("d1", "d2", "d3")),
        ),
    )


def test_leaving_indicators_out_shares_their_weight_and_drops_an_emptied_dimension() -> None:
    pruned = _three_dimensions().without({"a", "service"})
    assert pruned.indicator_codes == ("b", "c", "d")
    assert [g.code for g in pruned.groups] == ["d1", "d2", "index"]
    weights = {i.code: i.weight for i in pruned.indicators} | {
        g.code: g.weight for g in pruned.groups if g.code != "index"
    }
    # b alone carries d1; d1 and d2 share the index 0.5 : 0.3 → 0.625 and 0.375.
    assert weights == pytest.approx({"b": 1.0, "c": 0.6, "d": 0.4, "d1": 0.625, "d2": 0.375})
    effective = dict(zip(pruned.indicator_codes, pruned.effective_weights().tolist(), strict=True))
    assert effective == pytest.approx({"b": 0.625, "c": 0.225, "d": 0.15})
    with pytest.raises(FrameworkError, match="全部被排除"):
        _three_dimensions().without({"a", "b", "c", "d", "service"})


def test_an_indicator_no_unit_reports_is_left_out_and_the_run_goes_on() -> None:
    from yuanqu.evaluation.engine import Dataset
    from yuanqu.evaluation.engine import run as engine_run
    from yuanqu.evaluation.engine.data import without_empty_indicators

    framework = _three_dimensions()
    values = np.array(
        [[1, 2, 3, 4, np.nan], [2, 3, 4, 5, np.nan], [3, 1, 2, 6, np.nan], [4, 5, 1, 2, np.nan]], dtype=np.float64
    )
    data = Dataset(
        unit_ids=("P1", "P2", "P3", "P4"),
        unit_groups=("modern",) * 4,
        indicator_codes=framework.indicator_codes,
        values=values,
    )
    pruned, empty = without_empty_indicators(framework, data)
    assert empty == ("service",) and pruned.indicator_codes == ("a", "b", "c", "d")
    result = engine_run(pruned, data)
    assert result.stages.included.all() and "d3" not in result.stages.aggregated
    # One unit reporting the indicator is enough for it to stay (the others are imputed).
    values[0, 4] = 80.0
    kept = Dataset(
        unit_ids=data.unit_ids, unit_groups=data.unit_groups, indicator_codes=data.indicator_codes, values=values
    )
    assert without_empty_indicators(framework, kept) == (framework, ())
