"""The projection to the deadline: a log-linear trend with a 90 % prediction interval (pure numpy)."""

from __future__ import annotations

import datetime as dt
import importlib
import math

import numpy as np
import pytest

from yuanqu.targets.projection import decimal_year, project, t_quantile

DEADLINE = dt.date(2027, 12, 31)


def years(*values: float, first: int = 2023) -> list[tuple[dt.date, float]]:
    return [(dt.date(first + index, 12, 31), value) for index, value in enumerate(values)]


def test_it_extends_a_constant_growth_rate_to_the_deadline() -> None:
    found = project(years(100, 110, 121), DEADLINE)
    assert found is not None
    assert found.method == "log-linear"
    assert found.value == pytest.approx(121 * 1.1**2, rel=1e-9)
    assert found.annual_growth == pytest.approx(0.10, rel=1e-9)
    # A perfect fit has no residual spread: the interval closes on the value.
    assert found.low == pytest.approx(found.value) and found.high == pytest.approx(found.value)


def test_it_gives_the_textbook_prediction_interval() -> None:
    data = years(100, 112, 118, 135)
    found = project(data, DEADLINE)
    assert found is not None
    t = np.array([decimal_year(day) for day, _ in data])
    z = np.log([value for _, value in data])
    slope, intercept = np.polyfit(t, z, 1)
    residuals = z - (intercept + slope * t)
    s = math.sqrt((residuals**2).sum() / (len(t) - 2))
    target = decimal_year(DEADLINE)
    half = 2.92 * s * math.sqrt(1 + 1 / len(t) + (target - t.mean()) ** 2 / ((t - t.mean()) ** 2).sum())
    centre = intercept + slope * target
    assert found.value == pytest.approx(math.exp(centre), rel=1e-9)
    assert found.low == pytest.approx(math.exp(centre - half), rel=1e-3)
    assert found.high == pytest.approx(math.exp(centre + half), rel=1e-3)
    assert found.low < found.value < found.high  # type: ignore[operator]


def test_it_fits_a_straight_line_when_a_value_is_not_positive() -> None:
    found = project(years(0, 1, 2), DEADLINE)
    assert found is not None and found.method == "linear"
    assert found.value == pytest.approx(4.0, abs=0.01)
    assert found.annual_growth is None


def test_it_has_no_interval_from_two_points_and_no_projection_from_one() -> None:
    two = project(years(10, 12), DEADLINE)
    assert two is not None and two.low is None and two.high is None
    assert project(years(10), DEADLINE) is None


def test_it_keeps_a_share_within_its_bounds() -> None:
    found = project(years(70, 85, 95), DEADLINE, lower=0, upper=100)
    assert found is not None and found.value == 100
    assert found.high == 100


def test_it_counts_a_month_end_as_a_fraction_of_its_year() -> None:
    assert decimal_year(dt.date(2026, 12, 31)) == pytest.approx(2027.0)
    assert decimal_year(dt.date(2026, 10, 31)) == pytest.approx(2026 + 304 / 365)


@pytest.mark.parametrize("df", [1, 2, 3, 5, 10, 30])
def test_it_uses_the_student_t_quantile(df: int) -> None:
    stats = importlib.import_module("scipy.stats")  # scipy is pinned in requirements-dev.txt
    assert t_quantile(df) == pytest.approx(stats.t.ppf(0.95, df), abs=5e-4)
