"""Tolerant header matching: width, spaces, separators, synonyms, units in brackets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yuanqu.intake.headers import fold, split_header, unit_factor
from yuanqu.intake.kinds import KINDS


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("营业收入·1-本月累计（万元）", "revenue_ytd"),
        ("营业收入 1—本月累计 (万元)", "revenue_ytd"),
        ("营业收入累计", "revenue_ytd"),
        ("本年累计营业收入（亿元）", "revenue_ytd"),
        ("本月营业收入", "revenue_month"),
        ("营业收入_当月", "revenue_month"),
        ("主营业务收入本月（元）", "revenue_month"),
        ("综合能源消费量·本月（吨标准煤）", "energy_tce_month"),
        ("统一社会信用代码*", "uscc"),
        ("社会信用代码", "uscc"),
        ("报告期", "period"),
        ("统计月份", "period"),
        ("从业人员期末人数（人）", "employees"),
    ],
)
def test_it_matches_monthly_headers_tolerantly(header: str, key: str) -> None:
    assert KINDS["monthly"].matcher.match(header) == key


def test_it_does_not_guess_whether_a_bare_measure_is_monthly_or_cumulative() -> None:
    assert KINDS["monthly"].matcher.match("营业收入") is None


def test_it_reads_the_unit_from_brackets_or_a_unit_note() -> None:
    assert split_header("营业收入（亿元）").unit == "亿元"
    assert split_header("营业收入[元]").unit == "元"
    assert split_header("工业总产值（当年价格）（万元）").folded == fold("工业总产值")
    assert split_header("营业收入/万元").unit == "万元"
    assert split_header("面积（单位：公顷）").unit == "公顷"


@pytest.mark.parametrize(
    ("column_unit", "given", "factor"),
    [
        ("万元", "元", Decimal("0.0001")),
        ("万元", "亿元", Decimal(10000)),
        ("万元", "", Decimal(1)),
        ("亩", "公顷", Decimal(15)),
        ("吨标准煤", "万吨标准煤", Decimal(10000)),
        ("万元", "美元", None),
    ],
)
def test_it_converts_units_to_the_stored_unit(column_unit: str, given: str, factor: Decimal | None) -> None:
    assert unit_factor(column_unit, given) == factor


def test_every_kind_builds_a_matcher_without_clashing_names() -> None:
    for spec in KINDS.values():
        for column in spec.columns:
            assert spec.matcher.match(column.title) == column.key, column.title
