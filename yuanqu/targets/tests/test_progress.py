"""Progress of a target by the pack's rules: baseline, latest, progress, status, growth still
required (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from yuanqu.core.pack import load_pack
from yuanqu.targets.pack import TARGETS, Target, TargetPlan
from yuanqu.targets.progress import Observation, evaluate

SHIPPED = Path(__file__).resolve().parents[2] / "policy_packs" / "wuhan_2025_2027"


@pytest.fixture(scope="module")
def pack() -> TargetPlan:
    return load_pack(SHIPPED).section(TARGETS)


def year(y: int, value: float) -> Observation:
    return Observation(dt.date(y, 12, 31), value, f"{y}年")


def test_it_measures_progress_from_the_baseline_towards_the_target(pack: TargetPlan) -> None:
    target = pack.target("high_tech_enterprises")  # > 8000: a count, so the level to reach is 8001
    found = evaluate(target, pack.status_rules, [year(2023, 5000), year(2024, 5500), year(2025, 6300)])
    assert found.goal == 8001
    assert found.baseline is not None and found.baseline.value == 5500
    assert found.latest is not None and found.latest.value == 6300
    assert found.progress == pytest.approx(800 / 2501)
    assert found.time_elapsed == pytest.approx(365 / 1095, rel=1e-3)
    assert found.ratio == pytest.approx(800 / 2501 / (365 / 1095), rel=1e-3)
    assert found.status is not None and found.status.name == "按进度"
    # from 6300 at the end of 2025 to 8001 at the end of 2027: two years
    assert found.required_growth == pytest.approx((8001 / 6300) ** (365.25 / 730) - 1, rel=1e-6)
    assert found.required_per_year == pytest.approx(1701 / (730 / 365.25), rel=1e-6)


def test_it_reports_a_lagging_target(pack: TargetPlan) -> None:
    target = pack.target("high_tech_enterprises")
    found = evaluate(target, pack.status_rules, [year(2024, 5500), year(2025, 5700)])
    assert found.status is not None and found.status.name == "严重滞后"  # 8 % done, a third of the time gone


def test_it_takes_a_later_comparable_month_as_the_latest_value(pack: TargetPlan) -> None:
    target = pack.target("high_tech_enterprises")
    month = Observation(dt.date(2026, 10, 31), 7000, "2026年1-10月", month=True)
    found = evaluate(target, pack.status_rules, [year(2024, 5500), year(2025, 6250)], month)
    assert found.latest == month
    assert found.progress == pytest.approx(1500 / 2501)


def test_it_marks_a_target_met_only_past_a_strict_limit(pack: TargetPlan) -> None:
    strict = pack.target("parks_revenue_ge_1000yi")  # more than 5
    assert not evaluate(strict, pack.status_rules, [year(2024, 3), year(2025, 5)]).met
    met = evaluate(strict, pack.status_rules, [year(2024, 3), year(2025, 6)])
    assert met.met and met.status is not None and met.status.name == "已达标"
    assert met.required_growth == 0


def test_it_measures_a_growth_target_by_realised_annual_growth(pack: TargetPlan) -> None:
    target = pack.target("rd_intensity_growth")  # 10 % a year
    found = evaluate(target, pack.status_rules, [year(2024, 2.0), year(2025, 2.12)])
    assert found.goal == pytest.approx(2.0 * 1.1**3)
    assert found.realised_growth == pytest.approx(0.06, rel=1e-2)
    assert found.progress == pytest.approx(0.6, rel=1e-2)
    assert found.ratio == found.progress
    assert found.status is not None and found.status.name == "滞后"


def test_it_has_no_status_without_a_baseline(pack: TargetPlan) -> None:
    target = pack.target("high_tech_enterprises")
    found = evaluate(target, pack.status_rules, [year(2025, 6000)])
    assert found.baseline is None and found.status is None and found.progress is None


def test_it_counts_a_target_met_at_the_baseline_as_done(pack: TargetPlan) -> None:
    target: Target = replace(pack.target("park_count_modern"), value=1)
    found = evaluate(target, pack.status_rules, [year(2024, 1), year(2025, 1)])
    assert found.met and found.progress == 1.0


def test_a_count_that_must_exceed_n_is_reached_at_n_plus_one(pack: TargetPlan) -> None:
    # 千亿园区 "超过5个": 3 parks at the end of 2025, two years left. The level to reach is 6, so the
    # growth still required is (6 / 3)^(1/2) − 1 = 41.42 % a year, not (5 / 3)^(1/2) − 1 = 29.10 %.
    target = pack.target("parks_revenue_ge_1000yi")
    found = evaluate(target, pack.status_rules, [year(2024, 2), year(2025, 3)])
    assert found.goal == 6
    assert found.required_growth == pytest.approx(2 ** (365.25 / 730) - 1, rel=1e-9)
    assert found.required_growth == pytest.approx(0.414, abs=1e-3)  # 2025-12-31 → 2027-12-31 is 730 days
    assert found.progress == pytest.approx(1 / 4)  # (3 − 2) ÷ (6 − 2)
    assert found.required_per_year == pytest.approx(3 / (730 / 365.25))
    equal = evaluate(target, pack.status_rules, [year(2024, 2), year(2025, 5)])
    assert not equal.met and equal.status is not None and equal.status.name != "已达标"


def test_a_share_that_must_exceed_a_line_is_met_only_above_it(pack: TargetPlan) -> None:
    target = replace(pack.target("lead_share_modern"), scope="city")  # > 80 %
    at_line = evaluate(target, pack.status_rules, [year(2024, 70.0), year(2025, 80.0)])
    assert at_line.goal == 80 and not at_line.met
    above = evaluate(target, pack.status_rules, [year(2024, 70.0), year(2025, 80.01)])
    assert above.met


def test_a_growth_target_whose_indicator_falls_to_zero_is_seriously_lagging(pack: TargetPlan) -> None:
    target = pack.target("rd_intensity_growth")  # 10 % a year
    found = evaluate(target, pack.status_rules, [year(2024, 2.0), year(2025, 0.0)])
    assert found.realised_growth == -1.0  # −100 % in one year
    assert found.progress == pytest.approx(-10.0)  # −100 % ÷ 10 %
    assert found.status is not None and found.status.name == "严重滞后"


def test_a_growth_target_from_a_zero_baseline_has_no_status(pack: TargetPlan) -> None:
    target = pack.target("rd_intensity_growth")
    found = evaluate(target, pack.status_rules, [year(2024, 0.0), year(2025, 1.0)])
    assert found.status is None and found.progress is None


def test_the_projection_leaves_out_the_years_before_counting_starts(pack: TargetPlan) -> None:
    # 新增规上 counts from 2025-01-01: 2023 and 2024 are 0 by construction, not a trend. With them the
    # fit is linear through (0, 0, 300, 600); without them it is the log-linear line through 300 → 600,
    # doubling a year: 1200 at the end of 2027.
    target = pack.target("new_above_scale_enterprises")
    observations = [year(2023, 0), year(2024, 0), year(2025, 300), year(2026, 600)]
    found = evaluate(target, pack.status_rules, observations, counts_from=dt.date(2025, 1, 1))
    assert found.projection is not None and found.projection.method == "log-linear"
    assert found.projection.points == 2
    assert found.projection.value == pytest.approx(1200, rel=1e-2)
    assert found.baseline is not None and found.baseline.value == 0  # the baseline stays
    assert found.progress == pytest.approx(600 / 1000)
    with_zeros = evaluate(target, pack.status_rules, observations)
    assert with_zeros.projection is not None and with_zeros.projection.method == "linear"
