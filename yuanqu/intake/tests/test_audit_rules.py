"""The bureau's audit rules at import (表内审核), as data in the pack (audit.yaml): hard rules refuse
the file naming row, column and rule; soft rules (a year-on-year change outside the band) let it in
only with the importer's written explanation, kept on the batch. Real .xlsx files throughout."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import World
from yuanqu.core.pack import PolicyPackError, load_pack
from yuanqu.intake.kinds import KINDS
from yuanqu.intake.pack import AUDIT
from yuanqu.intake.services import MSG_EXPLAIN_NEEDED, batch_import
from yuanqu.intake.tests.conftest import import_file, texts, xlsx
from yuanqu.stats.models import AnnualStat, ImportBatch, MonthlyStat

SHIPPED = Path(__file__).resolve().parents[2] / "policy_packs" / "wuhan_2025_2027"
ANNUAL = [
    "统一社会信用代码",
    "年度",
    "营业收入（万元）",
    "工业总产值（万元）",
    "工业增加值（万元）",
    "利润总额（万元）",
]
MONTHLY = [
    "统一社会信用代码",
    "报告期",
    "工业总产值·本月（万元）",
    "工业总产值·1-本月累计（万元）",
    "工业增加值·本月（万元）",
    "工业增加值·1-本月累计（万元）",
]


def test_the_pack_declares_the_rules() -> None:
    rules = load_pack(SHIPPED).section(AUDIT)
    assert [(r.code, r.left, r.op, r.right, r.value, r.both_positive) for r in rules.hard] == [
        ("value_added_le_output", "value_added", "le", "output", None, False),
        ("profit_le_revenue", "profit", "le", "revenue", None, True),
        ("employees_not_negative", "employees", "ge", "", 0, False),
    ]
    [band] = rules.soft
    assert (band.code, band.low, band.high) == ("yoy_band", -50, 100)
    [cumulative] = rules.cumulative
    assert cumulative.code == "ytd_not_decreasing" and "profit" not in cumulative.measures
    [spread] = rules.distribution
    assert (spread.numerator, spread.denominator, spread.low, spread.high, spread.min_firms) == (
        "value_added",
        "output",
        5,
        95,
        10,
    )


def test_value_added_above_output_is_refused_naming_row_column_and_rule(world: World) -> None:
    # The case of the issue: 增加值 5,449.87 against 总产值 3,024.34.
    e1 = world.enterprises["E1"]
    outcome = import_file(world, "city_admin", "annual", xlsx([ANNUAL, [e1.uscc, 2025, 9000, 3024.34, 5449.87, 100]]))
    assert outcome.status == "rejected"
    assert texts(outcome) == [
        "工作表“填报” 第2行 E列“工业增加值（万元）”：未通过审核规则“工业增加值不大于工业总产值”"
        "（工业增加值（万元） ≤ 工业总产值（万元））：工业增加值（万元）为5,449.87，工业总产值（万元）为3,024.34"
    ]
    assert outcome.validation.issues[0].rule == "value_added_le_output"
    assert not AnnualStat.objects.filter(enterprise=e1).exists()


def test_profit_above_revenue_is_refused_only_when_both_are_positive(world: World) -> None:
    e1, e2 = world.enterprises["E1"], world.enterprises["E2"]
    refused = import_file(world, "city_admin", "annual", xlsx([ANNUAL, [e1.uscc, 2025, 500, 800, 200, 600.5]]))
    assert refused.status == "rejected"
    assert [issue.rule for issue in refused.validation.errors] == ["profit_le_revenue"]
    assert "利润总额（万元）为600.50，营业收入（万元）为500" in texts(refused)[0]
    # A loss larger than revenue, or equal values, break nothing.
    content = xlsx([ANNUAL, [e1.uscc, 2025, 500, 800, 200, -900], [e2.uscc, 2025, 500, 800, 800, 500]])
    assert import_file(world, "city_admin", "annual", content).status == "applied"


def test_the_monthly_report_is_checked_for_the_month_and_the_year_to_date(world: World) -> None:
    e1 = world.enterprises["E1"]
    # 本月 fine (300 ≤ 400); 1–本月累计 not (1,300 > 1,200).
    content = xlsx([MONTHLY, [e1.uscc, "2026-03", 400, 1200, 300, 1300]])
    outcome = import_file(world, "city_admin", "monthly", content)
    assert outcome.status == "rejected"
    assert [(issue.row, issue.column, issue.rule) for issue in outcome.validation.errors] == [
        (2, "工业增加值·1-本月累计（万元）", "value_added_le_output")
    ]
    assert not MonthlyStat.objects.exists()


def test_a_year_on_year_change_beyond_the_band_needs_a_written_explanation(world: World) -> None:
    e1 = world.enterprises["E1"]
    first = import_file(world, "city_admin", "annual", xlsx([ANNUAL, [e1.uscc, 2024, 1000, 800, 200, 50]]))
    assert first.status == "applied", texts(first)
    # Revenue 1,000 → 2,500: +150 %, beyond +100 %. Output 800 → 1,500 (+87.5 %) and value added
    # 200 → 350 (+75 %) stay inside the band.
    content = xlsx([ANNUAL, [e1.uscc, 2025, 2500, 1500, 350, 60]])
    refused = import_file(world, "city_admin", "annual", content)
    assert refused.status == "rejected"
    assert refused.message == MSG_EXPLAIN_NEEDED.format(count=1, rows=1)
    assert [issue.text() for issue in refused.validation.to_explain] == [
        "工作表“填报” 第2行 C列“营业收入（万元）”：审核规则“同比变化超出合理区间”：较上年（2024年）的1,000增长150.0%，"
        "超出-50%～100%的区间，须在上传时的“说明”中写明原因"
    ]
    assert not AnnualStat.objects.filter(year=2025).exists()
    explanation = "2025年新生产线投产，营业收入较上年大幅增长"
    applied = batch_import(
        actor=world.users["city_admin"], spec=KINDS["annual"], file_name="data.xlsx", content=content, note=explanation
    )
    assert applied.status == "applied"
    assert applied.batch is not None and applied.batch.note == explanation
    assert AnnualStat.objects.get(enterprise=e1, year=2025).revenue == Decimal(2500)
    assert ImportBatch.objects.get(pk=applied.batch.pk).status == ImportBatch.Status.APPLIED


def test_a_fall_beyond_the_band_needs_one_too_and_a_dry_run_says_so(world: World) -> None:
    e1 = world.enterprises["E1"]
    import_file(world, "city_admin", "annual", xlsx([ANNUAL, [e1.uscc, 2024, 1000, 800, 200, 50]]))
    # Revenue 1,000 → 400: −60 %, below −50 %.
    checked = import_file(
        world, "city_admin", "annual", xlsx([ANNUAL, [e1.uscc, 2025, 400, 800, 200, 50]]), dry_run=True
    )
    assert checked.status == "checked"
    assert "1处审核异常须在正式上传时于“说明”中写明原因" in checked.message
    assert "下降60.0%" in checked.validation.to_explain[0].message


def test_the_upload_page_takes_the_explanation(world: World) -> None:
    from django.test import Client

    client: Client = world.client("city_admin")
    page = client.get("/intake/upload/")
    assert page.status_code == 200 and 'name="note"' in page.content.decode()


def test_a_broken_rule_refuses_the_pack(tmp_path: Path) -> None:
    import shutil

    pack = tmp_path / "pack"
    shutil.copytree(SHIPPED, pack)
    audit = pack / "audit.yaml"
    audit.write_text(audit.read_text(encoding="utf-8").replace("right: output", "right: outputs"), encoding="utf-8")
    with pytest.raises(PolicyPackError, match="度量“outputs”"):
        load_pack(pack)


def test_the_command_line_import_takes_the_explanation(world: World, tmp_path: Path) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    e1 = world.enterprises["E1"]
    import_file(world, "city_admin", "annual", xlsx([ANNUAL, [e1.uscc, 2024, 1000, 800, 200, 50]]))
    path = tmp_path / "年报.xlsx"
    path.write_bytes(xlsx([ANNUAL, [e1.uscc, 2025, 2500, 1500, 350, 60]]))
    with pytest.raises(CommandError, match="需说明的审核异常"):
        call_command("import", str(path), kind="annual", report=str(tmp_path / "r.xlsx"))
    call_command("import", str(path), kind="annual", note="新生产线投产")
    assert ImportBatch.objects.get(status=ImportBatch.Status.APPLIED, note="新生产线投产")


# ---------------------------------------------------------------- rules added with the price indices

EMPLOYEES_ANNUAL = ["统一社会信用代码", "年度", "营业收入（万元）", "从业人员期末人数（人）"]


def test_negative_employees_are_refused_by_the_packs_rule(world: World) -> None:
    e1 = world.enterprises["E1"]
    outcome = import_file(world, "city_admin", "annual", xlsx([EMPLOYEES_ANNUAL, [e1.uscc, 2025, 900, -5]]))
    assert outcome.status == "rejected"
    assert texts(outcome) == [
        "工作表“填报” 第2行 D列“从业人员期末人数（人）”：未通过审核规则“从业人员数不为负”"
        "（从业人员期末人数（人） ≥ 0）：从业人员期末人数（人）为-5"
    ]
    assert [issue.rule for issue in outcome.validation.errors] == ["employees_not_negative"]
    assert not AnnualStat.objects.exists()


def test_negative_employees_in_a_monthly_report_are_refused_once(world: World) -> None:
    e1 = world.enterprises["E1"]
    header = [
        "统一社会信用代码",
        "报告期",
        "营业收入·本月（万元）",
        "营业收入·1-本月累计（万元）",
        "从业人员期末人数（人）",
    ]
    outcome = import_file(world, "city_admin", "monthly", xlsx([header, [e1.uscc, "2026-01", 10, 10, -1]]))
    assert outcome.status == "rejected"
    assert [issue.rule for issue in outcome.validation.errors] == ["employees_not_negative"]


def test_a_falling_cumulative_is_refused_by_the_packs_rule(world: World) -> None:
    e1 = world.enterprises["E1"]
    content = xlsx([MONTHLY[:2] + MONTHLY[3:4], [e1.uscc, "2026-03", 1200], [e1.uscc, "2026-04", 1100]])
    outcome = import_file(world, "city_admin", "monthly", content)
    assert outcome.status == "rejected"
    [issue] = outcome.validation.errors
    assert (issue.row, issue.rule) == (3, "ytd_not_decreasing")
    assert "1-本月累计1,100小于3月的累计1,200：同一年内累计值不能减少" in issue.message


def test_a_jump_beyond_the_band_warns_once_not_twice(world: World) -> None:
    e1 = world.enterprises["E1"]
    import_file(world, "city_admin", "annual", xlsx([ANNUAL, [e1.uscc, 2024, 1000, 800, 200, 50]]))
    # Revenue ×10: the pack's band asks for an explanation; the old 5× jump warning no longer repeats it.
    outcome = import_file(world, "city_admin", "annual", xlsx([ANNUAL, [e1.uscc, 2025, 10000, 800, 200, 50]]))
    revenue = [issue for issue in outcome.validation.warnings if issue.column == "营业收入（万元）"]
    assert [issue.rule for issue in revenue] == ["yoy_band"]


def _division_c39(world: World, year: int) -> None:
    """Ten more firms of division C39 with 2025 增加值率 20 %, 21 % … 29 % stored."""
    from yuanqu.core.uscc import make
    from yuanqu.registry.models import Enterprise

    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.ANNUAL, status=ImportBatch.Status.APPLIED)
    for n in range(10):
        firm = Enterprise.objects.create(
            uscc=make(f"91420100MA4L{n:05d}"),
            name=f"武汉光电{n}号有限公司",
            industry_id="C3976",
            district=world.districts["jiangxia"],
            park=world.parks["PA"],
        )
        AnnualStat.objects.create(
            enterprise=firm, year=year, output=Decimal(1000), value_added=Decimal(200 + 10 * n), batch=batch
        )


def test_a_ratio_outside_the_industrys_distribution_needs_a_written_explanation(world: World) -> None:
    """By hand: C39's 2025 rates are 20 % … 29 % (ten stored firms) and, from the file, E1's 50 % and
    E2's 25 % (the world's firms are C3976 too): twelve, sorted 20, 21, 22, 23, 24, 25, 25, 26, 27, 28,
    29, 50. P5 sits at position 0.05 × 11 = 0.55: 20 % + 0.55 × 1 % = 20.55 % (shown 20.6 %); P95 at
    0.95 × 11 = 10.45: 29 % + 0.45 × 21 % = 38.45 % (shown 38.4 %, half to even). E1's 50 % is above
    it; E2's 25 % is inside."""
    _division_c39(world, 2025)
    e1, e2 = world.enterprises["E1"], world.enterprises["E2"]
    header = ["统一社会信用代码", "年度", "工业总产值（万元）", "工业增加值（万元）"]
    content = xlsx([header, [e1.uscc, 2025, 1000, 500], [e2.uscc, 2025, 1000, 250]])
    refused = import_file(world, "city_admin", "annual", content)
    assert refused.status == "rejected"
    assert [issue.text() for issue in refused.validation.to_explain] == [
        "工作表“填报” 第2行 D列“工业增加值（万元）”：审核规则“工业增加值率超出本行业分布”：比率50.0%在2025年C39大类"
        "12家企业的第5至第95百分位（20.6%～38.4%）之外，须在上传时的“说明”中写明原因"
    ]
    applied = batch_import(
        actor=world.users["city_admin"],
        spec=KINDS["annual"],
        file_name="d.xlsx",
        content=content,
        note="高附加值新产品",
    )
    assert applied.status == "applied" and applied.batch is not None and applied.batch.note == "高附加值新产品"
