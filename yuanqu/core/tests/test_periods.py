"""Periods: the Chinese label, the URL and API key and its inverse, month ends and order."""

from __future__ import annotations

import datetime as dt

import pytest

from yuanqu.core.periods import MONTH, YEAR, Period, month_end, year_period


def test_it_labels_a_year_and_a_year_to_date() -> None:
    assert year_period(2025).label == "2025年"
    assert Period(dt.date(2026, 2, 28), MONTH).label == "2026年1-2月"
    assert Period(dt.date(2026, 6, 30), MONTH).label == "2026年1-6月"


def test_it_parses_its_own_keys_back() -> None:
    for period in (year_period(2024), Period(month_end(2026, 10), MONTH), Period(month_end(2024, 2), MONTH)):
        assert Period.parse(period.key) == period
    assert year_period(2024).key == "2024"
    assert Period.parse("2026") == Period(dt.date(2026, 12, 31), YEAR)
    assert Period(dt.date(2026, 10, 31), MONTH).key == "2026-10"


@pytest.mark.parametrize("text", ["", "20x4", "2026-13", "2026-1-1", "abc-def"])
def test_it_refuses_a_key_that_is_no_period(text: str) -> None:
    with pytest.raises(ValueError):
        Period.parse(text)


def test_it_ends_a_month_on_its_last_day() -> None:
    assert month_end(2024, 2) == dt.date(2024, 2, 29)
    assert month_end(2025, 2) == dt.date(2025, 2, 28)
    assert month_end(2026, 12) == dt.date(2026, 12, 31)


def test_it_orders_periods_by_their_end() -> None:
    periods = [year_period(2025), Period(month_end(2025, 3), MONTH), year_period(2024)]
    assert sorted(periods) == [year_period(2024), Period(month_end(2025, 3), MONTH), year_period(2025)]
