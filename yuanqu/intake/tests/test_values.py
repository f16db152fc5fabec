"""Cell values as Chinese spreadsheets hold them: periods, numbers, dates, coded values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from yuanqu.intake.values import (
    CellError,
    Month,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_month,
    parse_percent,
    parse_year,
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-06", Month(2026, 6)),
        ("2026/6", Month(2026, 6)),
        ("2026.06", Month(2026, 6)),
        ("2026年6月", Month(2026, 6)),
        ("２０２６年０６月份", Month(2026, 6)),
        ("202606", Month(2026, 6)),
        (202606, Month(2026, 6)),
        (202606.0, Month(2026, 6)),
        ("2026-06-01", Month(2026, 6)),
        (dt.date(2026, 6, 1), Month(2026, 6)),
        (dt.datetime(2026, 6, 30, 12, 0), Month(2026, 6)),  # noqa: DTZ001 - spreadsheet cells are naive
        (46174.0, Month(2026, 6)),  # an Excel serial date that lost its format
        ("2026年1-2月", Month(2026, 2, 2)),
        ("2026年1—2月", Month(2026, 2, 2)),
        ("2026年1月-2月", Month(2026, 2, 2)),
        ("2026年1-6月", Month(2026, 6, 1)),
        ("", None),
        (None, None),
    ],
)
def test_it_reads_report_periods(cell: object, expected: Month | None) -> None:
    assert parse_month(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("2026-13", "月份13无效"),
        ("2026年3-5月", "累计期应从1月开始"),
        ("六月", "不是有效的报告期"),
        (12.5, "不是有效的报告期"),
    ],
)
def test_it_names_the_rule_a_bad_period_breaks(cell: object, message: str) -> None:
    with pytest.raises(CellError, match=message):
        parse_month(cell)


def test_it_labels_a_combined_report() -> None:
    assert Month(2026, 2, 2).label() == "2026年1-2月"
    assert Month(2026, 2, 2).first_day == dt.date(2026, 2, 1)


@pytest.mark.parametrize(
    ("cell", "factor", "expected"),
    [
        (1250.5, Decimal(1), Decimal("1250.50")),
        ("1,250.5", Decimal(1), Decimal("1250.50")),
        ("１２５０.５", Decimal(1), Decimal("1250.50")),
        (12_345_678, Decimal("0.0001"), Decimal("1234.57")),  # 元 → 万元, half up
        (1.5, Decimal(10000), Decimal("15000.00")),  # 亿元 → 万元
        (0.1 + 0.2, Decimal(1), Decimal("0.30")),
        ("-", Decimal(1), None),
        ("无", Decimal(1), None),
    ],
)
def test_it_reads_and_converts_numbers(cell: object, factor: Decimal, expected: Decimal | None) -> None:
    assert parse_decimal(cell, factor=factor) == expected


@pytest.mark.parametrize("cell", ["十万", "12万", "1.2.3", True])
def test_it_refuses_text_that_is_not_a_number(cell: object) -> None:
    with pytest.raises(CellError, match="不是数字"):
        parse_decimal(cell)


def test_it_reads_integers_and_percentages() -> None:
    assert parse_int(356.0) == 356
    with pytest.raises(CellError, match="应为整数"):
        parse_int(35.5)
    assert parse_percent("18.5%") == Decimal("18.50")
    assert parse_percent(18.5) == Decimal("18.50")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-05-01", dt.date(2024, 5, 1)),
        ("2024/5/1", dt.date(2024, 5, 1)),
        ("2024年5月1日", dt.date(2024, 5, 1)),
        ("20240501", dt.date(2024, 5, 1)),
        (45413.0, dt.date(2024, 5, 1)),
        (dt.datetime(2024, 5, 1, 8, 30), dt.date(2024, 5, 1)),  # noqa: DTZ001 - spreadsheet cells are naive
    ],
)
def test_it_reads_dates(cell: object, expected: dt.date) -> None:
    assert parse_date(cell) == expected


def test_it_reads_years() -> None:
    assert parse_year("2025年度") == 2025
    assert parse_year(2025.0) == 2025
    with pytest.raises(CellError, match="不是有效年度"):
        parse_year("25")


def test_it_accepts_a_code_a_label_or_a_synonym() -> None:
    choices = (("high_tech", "高新技术企业"), ("srdi", "专精特新"))
    assert parse_choice("高新技术企业", choices) == "high_tech"
    assert parse_choice("HIGH_TECH", choices) == "high_tech"
    assert parse_choice("高企", choices, synonyms={"高企": "high_tech"}) == "high_tech"
    with pytest.raises(CellError, match="应为：高新技术企业、专精特新"):
        parse_choice("瞪羚", choices)
