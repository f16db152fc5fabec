"""Templates and error reports as a user opens them: Chinese headers with units, dropdowns, an
instructions sheet and an example row; the error report's rows with the rule beside each bad cell."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from conftest import World
from yuanqu.intake.kinds import KINDS
from yuanqu.intake.services import batch_report
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, import_file, texts, xlsx
from yuanqu.intake.workbooks import template_bytes


def _sheets(content: bytes) -> dict[str, list[list[Any]]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


@pytest.mark.parametrize("kind", list(KINDS))
def test_it_writes_a_template_with_headers_instructions_and_an_example(world: World, kind: str) -> None:
    spec = KINDS[kind]
    sheets = _sheets(template_bytes(spec))
    assert list(sheets) == ["填报", "填报说明", "代码表"]
    assert sheets["填报"][0] == [column.title for column in spec.columns]
    assert any(value not in ("", None) for value in sheets["填报"][1])  # the example row
    assert sheets["填报说明"][0][0] == f"{spec.label} · 填报说明"


def test_it_puts_units_in_headers_and_dropdowns_on_coded_columns(world: World) -> None:
    monthly = _sheets(template_bytes(KINDS["monthly"]))["填报"][0]
    assert "营业收入·1-本月累计（万元）" in monthly and "综合能源消费量·本月（吨标准煤）" in monthly
    content = template_bytes(KINDS["labels"])
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert sheet_xml.count('<dataValidation type="list"') == 2  # 称号类别 and 级别
    lists = _sheets(content)["代码表"]
    assert lists[0][:2] == ["称号类别", "级别"] and lists[1][:2] == ["规上工业企业", "国家级"]


def test_it_lists_only_the_users_parks_in_the_park_dropdown(world: World) -> None:
    lists = _sheets(template_bytes(KINDS["park_annual"], user=world.users["district_caidian"]))["代码表"]
    assert [row[0] for row in lists] == ["园区编码", "蔡甸特色产业园"]


def test_a_filled_template_imports(world: World) -> None:
    spec = KINDS["monthly"]
    e1 = world.enterprises["E1"]
    rows = _sheets(template_bytes(spec))["填报"]
    rows[1] = [e1.uscc, e1.name, "2026-01", *([3] * 16), 25]
    outcome = import_file(world, "district_jiangxia", "monthly", xlsx(rows))
    assert outcome.status == "applied", texts(outcome)


def test_it_writes_the_error_report_with_the_rule_beside_each_bad_cell(world: World) -> None:
    e1 = world.enterprises["E1"]
    content = xlsx(
        [
            ["2026年月报"],
            MONTHLY_HEADER,
            [e1.uscc, e1.name, "2026-01", -1, 5, 20],
            [e1.uscc, e1.name, "2026-02", 2, 7, 21],
            ["91420100MA4K00001X", "", "2026-03", 1, 8, 21],
        ]
    )
    outcome = import_file(world, "district_jiangxia", "monthly", content)
    report = batch_report(actor=world.users["district_jiangxia"], batch=outcome.batch)
    sheets = _sheets(report)
    problem_rows = sheets["问题行"]
    assert problem_rows[0] == ["原行号", *MONTHLY_HEADER, "校验结果"]
    assert [row[0] for row in problem_rows[1:]] == [3.0, 5.0]  # rows 3 and 5 of the upload, as uploaded
    assert problem_rows[1][4] == -1.0
    assert "不能为负数" in problem_rows[1][-1] and "校验位错误" in problem_rows[2][-1]
    archive = zipfile.ZipFile(io.BytesIO(report))
    comments = "".join(archive.read(name).decode() for name in archive.namelist() if "comments" in name)
    assert "错误：不能为负数（-1.00）" in comments
    summary = sheets["汇总"]
    assert summary[9][:2] == ["错误行数", "2"]
    assert any(row[:3] == [5.0, "A 统一社会信用代码", "错误"] for row in summary)


def test_it_reports_header_problems_in_the_summary(world: World) -> None:
    outcome = import_file(world, "district_jiangxia", "monthly", xlsx([MONTHLY_HEADER[1:], ["x", "2026-01", 1, 1, 1]]))
    summary = _sheets(batch_report(actor=world.users["district_jiangxia"], batch=outcome.batch))["汇总"]
    assert any("缺少必填列“统一社会信用代码”" in str(row[1]) for row in summary)
