"""企业月度统计 through the whole pipeline: periods in every accepted form, unit conversion,
the cumulative rules, jumps as warnings, and every problem of a row collected."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, csv_bytes, import_file, texts, xlsx
from yuanqu.stats.models import ImportBatch, MonthlyStat


def _row(firm: Any, period: Any, month: Any, ytd: Any, staff: Any = 30) -> list[Any]:
    return [firm.uscc, firm.name, period, month, ytd, staff]


def _stat(firm: Any, year: int, month: int) -> MonthlyStat:
    return MonthlyStat.objects.get(enterprise=firm, period=dt.date(year, month, 1))


def test_it_imports_a_year_of_reports_with_a_combined_january_february(world: World) -> None:
    e1 = world.enterprises["E1"]
    content = xlsx(
        [
            MONTHLY_HEADER,
            _row(e1, "2026年1-2月", 20, 20),
            _row(e1, "2026-03", 12, 32),
            _row(e1, "2026年4月", 11.5, 43.5),
            _row(e1, "202605", 10, 53.5),
            _row(e1, dt.date(2026, 6, 1), 10.5, 64),
        ]
    )
    outcome = import_file(world, "district_jiangxia", "monthly", content)
    assert outcome.status == "applied", texts(outcome)
    assert outcome.counts["created"] == 5
    february = _stat(e1, 2026, 2)
    assert (february.months_covered, february.revenue_month, february.revenue_ytd) == (
        2,
        Decimal("20.00"),
        Decimal("20.00"),
    )
    assert _stat(e1, 2026, 6).revenue_ytd == Decimal("64.00")
    assert not MonthlyStat.objects.filter(period=dt.date(2026, 1, 1)).exists()
    assert outcome.batch.status == ImportBatch.Status.APPLIED and outcome.batch.rows_total == 5


def test_it_converts_yuan_and_yi_yuan_headers_to_wan_yuan(world: World) -> None:
    e1 = world.enterprises["E1"]
    header = ["统一社会信用代码", "报告期", "营业收入本月（元）", "营业收入累计（亿元）", "工业总产值·本月(千元)"]
    outcome = import_file(
        world, "city_admin", "monthly", xlsx([header, [e1.uscc, "2026-01", 1_234_567, 0.0123457, 5000]])
    )
    # 0.0123457亿元 is 123.457万元: more decimals than the column keeps, refused rather than rounded.
    assert texts(outcome) == [
        "工作表“填报” 第2行 D列“营业收入累计（亿元）”：“0.0123457”的小数超过2位，本列最多保留2位小数，请按实际精度填写"
    ]
    outcome = import_file(
        world, "city_admin", "monthly", xlsx([header, [e1.uscc, "2026-01", 1_234_567, 0.012346, 5000]])
    )
    assert outcome.status == "applied", texts(outcome)
    row = _stat(e1, 2026, 1)
    # From 元 (a smaller unit) the value is rounded half up to the stored 万元 with two decimals.
    assert (row.revenue_month, row.revenue_ytd, row.output_month) == (
        Decimal("123.46"),
        Decimal("123.46"),
        Decimal("500.00"),
    )


def test_it_accepts_headers_in_any_order_with_full_width_and_synonyms(world: World) -> None:
    e1 = world.enterprises["E1"]
    header = ["本月营业收入（万元）", "统计月份", "社会信用代码", "营业收入 1—本月累计（万元）"]
    outcome = import_file(
        world, "city_admin", "monthly", xlsx([["2026年6月 规上工业企业月报"], header, [5, "2026-01", e1.uscc, 5]])
    )
    assert outcome.status == "applied", texts(outcome)
    assert _stat(e1, 2026, 1).revenue_ytd == Decimal("5.00")


def test_it_reads_a_gbk_csv_exported_by_chinese_excel(world: World) -> None:
    e1 = world.enterprises["E1"]
    content = csv_bytes([MONTHLY_HEADER, _row(e1, "2026年1月", "8.5", "8.5", "12")], "gbk")
    outcome = import_file(world, "district_jiangxia", "monthly", content, name="月报.csv")
    assert outcome.status == "applied", texts(outcome)
    assert outcome.validation.encoding == "gbk"
    assert _stat(e1, 2026, 1).employees == 12


def test_it_checks_this_month_against_the_difference_of_cumulatives(world: World) -> None:
    e1 = world.enterprises["E1"]
    content = xlsx([MONTHLY_HEADER, _row(e1, "2026-03", 10, 30), _row(e1, "2026-04", 15, 40)])
    outcome = import_file(world, "city_admin", "monthly", content)
    assert outcome.status == "rejected"
    assert texts(outcome) == [
        "工作表“填报” 第3行 D列“营业收入·本月（万元）”："
        "本月15与累计之差10（本月累计40 − 3月累计30）不符，相差5，超出允许误差0.10"
    ]
    assert not MonthlyStat.objects.exists()


def test_it_allows_rounding_within_the_tolerance(world: World, settings: Settings) -> None:
    e1 = world.enterprises["E1"]
    settings.INTAKE_MONTH_TOLERANCE = "0.05"
    content = xlsx([MONTHLY_HEADER, _row(e1, "2026-03", 10, 300), _row(e1, "2026-04", 104, 400)])
    outcome = import_file(world, "city_admin", "monthly", content)
    assert outcome.status == "applied", texts(outcome)


def test_it_checks_cumulatives_against_months_already_stored(world: World) -> None:
    e1 = world.enterprises["E1"]
    import_file(world, "city_admin", "monthly", xlsx([MONTHLY_HEADER, _row(e1, "2026-05", 5, 50)]))
    outcome = import_file(world, "city_admin", "monthly", xlsx([MONTHLY_HEADER, _row(e1, "2026-06", 0, 45)]))
    assert outcome.status == "rejected"
    assert "E列“营业收入·1-本月累计（万元）”：1-本月累计45小于5月的累计50：同一年内累计值不能减少" in " ".join(
        texts(outcome)
    )
    later = import_file(world, "city_admin", "monthly", xlsx([MONTHLY_HEADER, _row(e1, "2026-04", 5, 60)]))
    assert "1-本月累计60大于已有5月的累计50" in " ".join(texts(later))


def test_it_refuses_a_january_report_when_january_and_february_were_combined(world: World) -> None:
    e1 = world.enterprises["E1"]
    import_file(world, "city_admin", "monthly", xlsx([MONTHLY_HEADER, _row(e1, "2026年1-2月", 20, 20)]))
    outcome = import_file(world, "city_admin", "monthly", xlsx([MONTHLY_HEADER, _row(e1, "2026-01", 9, 9)]))
    assert "2026年已有1-2月合并报送的数据，不能再单独报1月" in " ".join(texts(outcome))


def test_it_warns_about_jumps_but_still_imports(world: World) -> None:
    e1 = world.enterprises["E1"]
    content = xlsx([MONTHLY_HEADER, _row(e1, "2026-03", 10, 30, 30), _row(e1, "2026-04", 90, 120, 31)])
    outcome = import_file(world, "city_admin", "monthly", content)
    assert outcome.status == "applied"
    warnings = [issue.text() for issue in outcome.validation.warnings]
    assert warnings == ["工作表“填报” 第3行 D列“营业收入·本月（万元）”：为上月本月值（10.00）的9.0倍，变化异常，请核实"]
    assert outcome.batch.rows_warning == 1


def test_it_warns_when_the_name_differs_from_the_registry(world: World) -> None:
    e1 = world.enterprises["E1"]
    row = _row(e1, "2026-01", 1, 1)
    row[1] = "武汉甲光电"
    outcome = import_file(world, "city_admin", "monthly", xlsx([MONTHLY_HEADER, row]))
    assert outcome.status == "applied"
    assert "与名录中的“武汉甲光电科技有限公司”不一致" in outcome.validation.warnings[0].message


def test_it_collects_every_problem_of_every_row(world: World) -> None:
    e1 = world.enterprises["E1"]
    content = xlsx(
        [
            MONTHLY_HEADER,
            [e1.uscc, e1.name, "2026-13", -5, "十万", 12.5],
            ["91420100MA4K00001X", "", "2026-01", 1, 1, 1],
        ]
    )
    outcome = import_file(world, "city_admin", "monthly", content)
    assert texts(outcome) == [
        "工作表“填报” 第2行 C列“报告期”：“2026-13”的月份13无效",
        "工作表“填报” 第2行 D列“营业收入·本月（万元）”：不能为负数（-5.00）",
        "工作表“填报” 第2行 E列“营业收入·1-本月累计（万元）”：“十万”不是数字",
        "工作表“填报” 第2行 F列“从业人员期末人数（人）”：“12.5”应为整数",
        "工作表“填报” 第3行 A列“统一社会信用代码”：统一社会信用代码校验位错误：第18位应为“U”，实际为“X”",
    ]
    assert (outcome.counts["rows_error"], outcome.counts["rows_ok"]) == (2, 0)


@pytest.mark.parametrize(("period", "message"), [("2027-01", "晚于当前月份"), ("2001-01", "超出允许的填报范围")])
def test_it_keeps_periods_inside_the_allowed_window(world: World, period: str, message: str) -> None:
    e1 = world.enterprises["E1"]
    outcome = import_file(world, "city_admin", "monthly", xlsx([MONTHLY_HEADER, _row(e1, period, 1, 1)]))
    assert message in " ".join(texts(outcome))


def test_it_skips_the_template_example_row(world: World) -> None:
    from yuanqu.intake.kinds import KINDS

    spec = KINDS["monthly"]
    e1 = world.enterprises["E1"]
    header = [column.title for column in spec.columns]
    real = [e1.uscc, e1.name, "2026-01", *([1] * 16), 20]
    outcome = import_file(world, "city_admin", "monthly", xlsx([header, spec.example_row(), real]))
    assert outcome.status == "applied", texts(outcome)
    assert outcome.counts["rows_total"] == 1
    assert "与模板示例行相同，已跳过" in outcome.validation.warnings[0].message


def test_it_leaves_stored_values_alone_for_empty_cells(world: World) -> None:
    e1 = world.enterprises["E1"]
    import_file(world, "city_admin", "monthly", xlsx([MONTHLY_HEADER, _row(e1, "2026-01", 5, 5, 40)]))
    outcome = import_file(world, "city_admin", "monthly", xlsx([MONTHLY_HEADER, _row(e1, "2026-01", 6, 6, None)]))
    assert outcome.counts["updated"] == 1
    assert (_stat(e1, 2026, 1).revenue_ytd, _stat(e1, 2026, 1).employees) == (Decimal("6.00"), 40)


def test_a_repeated_row_is_refused_with_its_own_cell_problems_and_keeps_only_its_key(world: World) -> None:
    """A row repeating an earlier firm and period is refused as a repeat, its cell problems still
    named; of its values only those the checks of a repeat read are held (a file of repeats stays
    small in memory)."""
    e1 = world.enterprises["E1"]
    content = xlsx(
        [MONTHLY_HEADER, _row(e1, "2026-03", 5, 50), _row(e1, "2026年3月", -1, 60), _row(e1, "2026-04", 5, 55)]
    )
    outcome = import_file(world, "city_admin", "monthly", content)
    assert outcome.status == "rejected"
    assert texts(outcome) == [
        "工作表“填报” 第3行 C列“报告期”：与第2行重复（统一社会信用代码和报告期相同）",
        "工作表“填报” 第3行 D列“营业收入·本月（万元）”：不能为负数（-1.00）",
    ]
    assert [sorted(record.values) for record in outcome.validation.records][1] == ["name", "period", "uscc"]
    assert outcome.validation.records[2].values["revenue_ytd"] == Decimal("55.00")
    assert not MonthlyStat.objects.exists()
