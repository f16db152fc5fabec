"""A value is stored as the file meant it, or refused — never altered: thousands separators, percent
cells, error cells, numbers beyond what a column holds, formulas however written, control
characters, NaN, formatted empty rows, UTF-16 CSV; every problem names its sheet; out-of-scope and
unknown enterprises get one answer; warnings for park data older than the park."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import DecimalField
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from conftest import World
from yuanqu.intake import validation
from yuanqu.intake.kinds import KINDS
from yuanqu.intake.services import outcome_report
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, csv_bytes, import_file, raw_xlsx, texts, xlsx
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import run_queued_tasks
from yuanqu.stats.models import AnnualStat, MonthlyStat, ParkAnnualStat

PARK_HEADER = ["园区编码", "年度", "可再生能源使用比例（%）"]


def _inline_row(number: int, cells: list[Any]) -> str:
    """A row of hand-written cells: text inline, numbers as numbers, raw XML as given."""
    out = []
    for col, cell in enumerate(cells):
        ref = f"{chr(65 + col)}{number}"
        if isinstance(cell, tuple):  # (attributes, inner XML)
            out.append(f'<c r="{ref}" {cell[0]}>{cell[1]}</c>')
        elif isinstance(cell, str):
            out.append(f'<c r="{ref}" t="inlineStr"><is><t>{cell}</t></is></c>')
        else:
            out.append(f'<c r="{ref}"><v>{cell}</v></c>')
    return f'<row r="{number}">{"".join(out)}</row>'


def _monthly(*rows: list[Any], extra: str = "") -> bytes:
    body = _inline_row(1, MONTHLY_HEADER) + "".join(_inline_row(n, row) for n, row in enumerate(rows, start=2))
    return raw_xlsx(f"<sheetData>{body}{extra}</sheetData>")


def _quoted_csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_it_refuses_a_comma_that_is_not_a_thousands_separator(world: World) -> None:
    e1 = world.enterprises["E1"]
    rows = [[e1.uscc, e1.name, f"2026-0{m}", value, "1,234,567.5", 20] for m, value in ((1, "1,5"), (2, "12,34"))]
    rows.append([e1.uscc, e1.name, "2026-03", "1.234,56", "1,234,567.5", 20])
    outcome = import_file(world, "city_admin", "monthly", _quoted_csv([MONTHLY_HEADER, *rows]), name="m.csv")
    rule = "中的逗号位置不对：逗号只能作千位分隔符（每三位一组，如1,234,567.5），小数点请用“.”"
    assert [text for text in texts(outcome) if "逗号" in text] == [
        f"工作表“m.csv” 第2行 D列“营业收入·本月（万元）”：“1,5”{rule}",
        f"工作表“m.csv” 第3行 D列“营业收入·本月（万元）”：“12,34”{rule}",
        f"工作表“m.csv” 第4行 D列“营业收入·本月（万元）”：“1.234,56”{rule}",
    ]
    assert not MonthlyStat.objects.exists()


def test_it_reads_a_percent_formatted_cell_as_the_percentage_it_shows(world: World) -> None:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        sheet = book.add_worksheet("填报")
        sheet.write_row(0, 0, PARK_HEADER)
        sheet.write_row(1, 0, ["PA", 2025])
        sheet.write_number(1, 2, 0.185, book.add_format({"num_format": "0.0%"}))
    outcome = import_file(world, "city_admin", "park_annual", buffer.getvalue())
    assert outcome.status == "applied", texts(outcome)
    assert ParkAnnualStat.objects.get().renewable_share == Decimal("18.50")


def test_it_refuses_an_error_cell_naming_it_and_keeps_the_stored_value(world: World) -> None:
    e1 = world.enterprises["E1"]
    assert import_file(world, "city_admin", "monthly", xlsx([MONTHLY_HEADER, [e1.uscc, "", "2026-01", 5, 5, 20]])).ok
    error = ('t="e"', "<v>#DIV/0!</v>")
    outcome = import_file(world, "city_admin", "monthly", _monthly([e1.uscc, "", "2026-01", error, 5, 20]))
    assert texts(outcome) == [
        "工作表“填报” 第2行 D列“营业收入·本月（万元）”："
        "是错误值“#DIV/0!”（公式或数据出错），不能作为数据导入：请修正该单元格后再上传"
    ]
    assert MonthlyStat.objects.get().revenue_month == Decimal("5.00")


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("12345678901234567.89", "“12345678901234567.89”超出可存储的范围（整数部分最多13位）"),
        # 16 integer digits fit a numeric(18, 2) on PostgreSQL, but SQLite keeps a float: it would read
        # back as 10000000000000000 and the row could no longer be read at all.
        ("9999999999999999.99", "“9999999999999999.99”超出可存储的范围（整数部分最多13位）"),
        ("10000000000000", "“10000000000000”超出可存储的范围（整数部分最多13位）"),
        ("1234.567", "“1234.567”的小数超过2位，本列最多保留2位小数，请按实际精度填写"),
    ],
)
def test_it_refuses_numbers_the_column_cannot_hold_as_written(world: World, cell: str, message: str) -> None:
    e1 = world.enterprises["E1"]
    outcome = import_file(
        world,
        "city_admin",
        "annual",
        csv_bytes([["统一社会信用代码", "年度", "营业收入（万元）"], [e1.uscc, 2025, cell]]),
        "a.csv",
    )
    assert [issue.text() for issue in outcome.validation.errors] == [
        f"工作表“a.csv” 第2行 C列“营业收入（万元）”：{message}"
    ]
    assert not AnnualStat.objects.exists()


def test_the_largest_number_it_accepts_reads_back_to_the_cent(world: World) -> None:
    e1 = world.enterprises["E1"]
    largest = "9999999999999.99"
    outcome = import_file(
        world,
        "city_admin",
        "annual",
        csv_bytes([["统一社会信用代码", "年度", "营业收入（万元）"], [e1.uscc, 2025, largest]]),
        "a.csv",
    )
    assert outcome.ok, texts(outcome)
    assert AnnualStat.objects.get().revenue == Decimal(largest)


def test_it_bounds_every_numeric_column_as_its_model_field_stores_it() -> None:
    from yuanqu.stats.models import ImportBatch

    models = {
        ImportBatch.Kind.MONTHLY: MonthlyStat,
        ImportBatch.Kind.ANNUAL: AnnualStat,
        ImportBatch.Kind.PARK_ANNUAL: ParkAnnualStat,
    }
    for kind, model in models.items():
        for column in KINDS[kind].columns:
            if not column.is_number:
                continue
            field = model._meta.get_field(column.key)
            if isinstance(field, DecimalField):
                exponent = column.places.as_tuple().exponent
                assert isinstance(exponent, int), column.key
                assert (column.max_digits, -exponent) == (
                    field.max_digits,
                    field.decimal_places,
                ), column.key
            else:
                assert column.type == "integer", column.key


def test_it_refuses_a_formula_in_cells_without_references(world: World) -> None:
    e1 = world.enterprises["E1"]
    header = "".join(f'<c t="inlineStr"><is><t>{title}</t></is></c>' for title in MONTHLY_HEADER)
    row = (
        f'<c t="inlineStr"><is><t>{e1.uscc}</t></is></c><c/><c t="inlineStr"><is><t>2026-01</t></is></c>'
        "<c><f>E2</f><v>5</v></c><c><v>5</v></c><c><v>20</v></c>"
    )
    outcome = import_file(
        world, "city_admin", "monthly", raw_xlsx(f"<sheetData><row>{header}</row><row>{row}</row></sheetData>")
    )
    assert texts(outcome) == [f"工作表“填报” 第2行 D列“营业收入·本月（万元）”：{validation.MSG_FORMULA}"]


@pytest.mark.parametrize(
    ("content", "name", "where", "code"),
    [
        (
            lambda e: csv_bytes([MONTHLY_HEADER, [e.uscc, "武汉\x1b甲", "2026-01", 5, 5, 20]]),
            "m.csv",
            "m.csv",
            "U+001B",
        ),
        (
            lambda e: csv_bytes([MONTHLY_HEADER, [e.uscc, "武汉\x00甲", "2026-01", 5, 5, 20]]),
            "m.csv",
            "m.csv",
            "U+0000",
        ),
        (lambda e: _monthly([e.uscc, "武汉_x0000_甲", "2026-01", 5, 5, 20]), "m.xlsx", "填报", "U+0000"),
        (lambda e: _monthly([e.uscc, "武汉_xD800_甲", "2026-01", 5, 5, 20]), "m.xlsx", "填报", "U+D800"),
    ],
)
def test_it_refuses_control_characters_and_lone_surrogates_in_text(
    world: World, content: Any, name: str, where: str, code: str
) -> None:
    outcome = import_file(world, "city_admin", "monthly", content(world.enterprises["E1"]), name=name)
    assert texts(outcome) == [f"工作表“{where}” 第2行 B列“企业名称”：含有不可见的控制字符（{code}），请删除后再上传"]
    assert not MonthlyStat.objects.exists()
    assert outcome_report(outcome)[:2] == b"PK"  # the error report is written all the same


def test_it_refuses_nan_and_still_writes_the_error_report(world: World) -> None:
    e1 = world.enterprises["E1"]
    outcome = import_file(world, "city_admin", "monthly", _monthly([e1.uscc, "", "2026-01", ("", "<v>NaN</v>"), 5, 20]))
    assert texts(outcome) == ["工作表“填报” 第2行 D列“营业收入·本月（万元）”：不是有效数字"]
    assert outcome_report(outcome)[:2] == b"PK"
    page = world.client("city_admin").get(f"/intake/batches/{outcome.batch.pk}/report.xlsx")
    assert page.status_code == 200


def test_it_counts_only_rows_holding_values_under_formatted_empty_rows(world: World) -> None:
    e1 = world.enterprises["E1"]
    rows = [[e1.uscc, "", f"2026-0{m}", 5, 5 * m, 20] for m in (1, 2, 3)]
    empty = "".join(f'<row r="{n}" s="0" customFormat="1"><c r="A{n}" s="0"/></row>' for n in range(5, 400))
    empty += '<row r="1048576" s="0" customFormat="1"><c r="A1048576" s="0"/></row>'
    outcome = import_file(world, "city_admin", "monthly", _monthly(*rows, extra=empty))
    assert outcome.status == "applied", texts(outcome)
    assert outcome.counts["rows_total"] == 3 and MonthlyStat.objects.count() == 3


def test_it_imports_utf16_csv(world: World) -> None:
    e1 = world.enterprises["E1"]
    data = codecs.BOM_UTF16_LE + csv_bytes([MONTHLY_HEADER, [e1.uscc, e1.name, "2026-01", 5, 5, 20]], "utf-16-le")
    outcome = import_file(world, "city_admin", "monthly", data, name="utf16.csv")
    assert outcome.status == "applied", texts(outcome)
    assert outcome.validation.encoding == "utf-16"


def test_it_warns_about_park_data_older_than_the_parks_recognition(world: World) -> None:
    park = world.parks["PA"]
    park.status, park.recognised_on = "recognised", dt.date(2023, 6, 1)
    park.save()
    outcome = import_file(world, "city_admin", "park_annual", xlsx([PARK_HEADER, ["PA", 2021, 10], ["PA", 2023, 12]]))
    assert outcome.status == "applied", texts(outcome)
    assert texts(outcome) == [
        "工作表“填报” 第2行 B列“年度”：年度2021早于园区“江夏现代产业园”的认定年度（2023年），请核实年度是否填错"
    ]


def test_it_notes_a_hidden_data_sheet_on_the_page_and_the_command_line(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    e1 = world.enterprises["E1"]
    rows = _inline_row(1, MONTHLY_HEADER) + _inline_row(2, [e1.uscc, "", "2026-01", 5, 5, 20])
    content = raw_xlsx(f"<sheetData>{rows}</sheetData>", sheet_state="hidden")
    outcome = import_file(world, "city_admin", "monthly", content, dry_run=True)
    assert outcome.validation.notes == ["数据读取自隐藏的工作表“填报”，请确认这是要上传的数据"]
    upload = SimpleUploadedFile("hidden.xlsx", content)
    client = world.client("city_admin")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/intake/upload/", {"kind": "monthly", "file": upload, "dry_run": "on"}, HTTP_HX_REQUEST="true")
    run_queued_tasks()
    page = client.get(f"/jobs/{Job.objects.get().pk}/progress/", HTTP_HX_REQUEST="true")
    assert "数据读取自隐藏的工作表“填报”，请确认这是要上传的数据" in page.content.decode()
    path = tmp_path / "hidden.xlsx"
    path.write_bytes(content)
    call_command("import", str(path), kind="monthly", dry_run=True)
    assert "说明 数据读取自隐藏的工作表“填报”，请确认这是要上传的数据" in capsys.readouterr().out


def test_it_answers_alike_for_an_unknown_and_an_out_of_scope_enterprise(world: World) -> None:
    e3 = world.enterprises["E3"]  # in 蔡甸, outside the 江夏 district user's scope
    unknown = "91420115MA49XAMP0E"
    outcome = import_file(
        world,
        "district_jiangxia",
        "monthly",
        xlsx([MONTHLY_HEADER, [e3.uscc, "", "2026-01", 5, 5, 20], [unknown, "", "2026-01", 5, 5, 20]]),
    )
    messages = [text.replace(e3.uscc, "{uscc}").replace(unknown, "{uscc}").split("：", 1)[1] for text in texts(outcome)]
    assert messages[0] == messages[1]
    assert all(e3.name not in text for text in texts(outcome))
