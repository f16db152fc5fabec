"""The dashboard's section of the policy pack (dashboard.yaml): the shipped pack's values, and a
section naming an indicator the cockpit cannot show refused with file, line and rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.test import override_settings

from yuanqu.core.pack import PackProblem, PolicyPackError, load_pack
from yuanqu.core.pack.loaded import installed_pack_forget
from yuanqu.dashboard.pack import (
    MSG_EMPTY,
    MSG_LATE_AFTER,
    MSG_NO_PARK_VALUES,
    MSG_NOT_MONTHLY,
    MSG_REPORTED,
    MSG_UNKNOWN_INDICATOR,
    dashboard_policy,
    read_dashboard_pack,
)
from yuanqu.indicators.pack import INDICATORS as INDICATOR_SECTION

SHIPPED = Path(__file__).resolve().parents[2] / "policy_packs" / "wuhan_2025_2027"
INDICATORS = load_pack(SHIPPED).section(INDICATOR_SECTION).indicators

SECTION = """\
cockpit:
  title: 测试市工业园区驾驶舱
  default_indicator: {default}
  monthly_trends: [{monthly}]
  annual_trends: [revenue, tax]
  late_after_months: {late}
profile:
  indicators: [{profile}]
district:
  columns: [revenue, tax_per_mu]
"""


def section(tmp_path: Path, **values: str) -> Path:
    """A copy of the shipped pack whose dashboard.yaml is SECTION with `values`."""
    target = tmp_path / "pack"
    shutil.copytree(SHIPPED, target)
    fields = {"default": "revenue", "monthly": "above_scale_revenue", "late": "2", "profile": "revenue, tax"}
    (target / "dashboard.yaml").write_text(SECTION.format(**(fields | values)), encoding="utf-8")
    return target


def test_it_reads_the_shipped_cockpit_choices() -> None:
    policy, problems = read_dashboard_pack(SHIPPED, INDICATORS)
    assert problems == []
    assert policy is not None
    assert policy.title == "武汉市工业园区驾驶舱"
    assert policy.default_indicator == "above_scale_revenue"
    assert policy.monthly_trends == ("above_scale_value_added", "above_scale_revenue")
    assert policy.annual_trends == ("revenue", "tax", "value_added")
    assert policy.late_after_months == 2
    assert policy.profile_indicators[:3] == ("revenue", "value_added", "tax")
    assert len(policy.profile_indicators) == 16
    assert policy.district_year_indicator == "revenue"


def test_it_refuses_an_indicator_the_pack_does_not_have(tmp_path: Path) -> None:
    path = section(tmp_path, default="above_scale_output")
    policy, problems = read_dashboard_pack(path, INDICATORS)
    assert policy is None
    message = MSG_UNKNOWN_INDICATOR.format(code="above_scale_output")
    assert problems == [PackProblem("dashboard.yaml", 3, f"驾驶舱（cockpit）：“default_indicator”：{message}")]


def test_it_refuses_an_indicator_without_park_values(tmp_path: Path) -> None:
    path = section(tmp_path, profile="revenue, park_count_modern, famous_parks_selected")
    _, problems = read_dashboard_pack(path, INDICATORS)
    assert [(p.line, p.message) for p in problems] == [
        (8, "园区档案（profile）：“indicators”：" + MSG_NO_PARK_VALUES.format(code="park_count_modern", level="city")),
        (8, "园区档案（profile）：“indicators”：" + MSG_REPORTED.format(code="famous_parks_selected")),
    ]


def test_it_refuses_a_monthly_trend_of_annual_data(tmp_path: Path) -> None:
    _, problems = read_dashboard_pack(section(tmp_path, monthly="revenue"), INDICATORS)
    assert [(p.line, p.message) for p in problems] == [
        (4, "驾驶舱（cockpit）：“monthly_trends”：" + MSG_NOT_MONTHLY.format(code="revenue"))
    ]


def test_it_refuses_an_empty_profile_and_a_late_rule_out_of_range(tmp_path: Path) -> None:
    _, problems = read_dashboard_pack(section(tmp_path, profile="", late="0"), INDICATORS)
    assert [(p.line, p.message) for p in problems] == [
        (6, "驾驶舱（cockpit）：“late_after_months”" + MSG_LATE_AFTER.format(most=12, value=0)),
        (8, "园区档案（profile）：“indicators”" + MSG_EMPTY),
    ]


def test_it_names_a_missing_file(tmp_path: Path) -> None:
    path = section(tmp_path)
    (path / "dashboard.yaml").unlink()
    assert read_dashboard_pack(path, INDICATORS) == (None, [PackProblem("dashboard.yaml", 0, "缺少文件")])


def test_the_installed_pack_with_a_broken_section_stops_the_cockpit_instead_of_guessing(tmp_path: Path) -> None:
    path = section(tmp_path, default="nope")
    installed_pack_forget()
    with override_settings(POLICY_PACK_DIR=path), pytest.raises(PolicyPackError) as raised:
        dashboard_policy()
    assert "dashboard.yaml:3:" in str(raised.value)
    assert MSG_UNKNOWN_INDICATOR.format(code="nope") in str(raised.value)
