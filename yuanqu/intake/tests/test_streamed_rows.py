"""Validation reads the data sheet as a stream, a row at a time: a file with more value cells than
the cap on a sheet read whole (INTAKE_MAX_CELLS) imports in full, its formulas and error cells still
named per cell; a sheet whose rows are out of order is read whole instead, with the same outcome;
the row cap still refuses in Chinese; and an import reports the rows read as it goes."""

from __future__ import annotations

from typing import Any

import pytest

from yuanqu.intake.reading import FileRefused, Limits, Unordered, read_file
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, csv_bytes, import_file, raw_xlsx, texts, xlsx
from yuanqu.registry.models import Enterprise
from yuanqu.stats.models import MonthlyStat


def _firms(world: Any, count: int) -> list[Enterprise]:
    from yuanqu.core.uscc import make

    district = world.districts["jiangxia"]
    firms = [
        Enterprise(uscc=make(f"91420115MA4K{n:05d}"), name=f"流式测试{n}号公司", industry_id="C3976", district=district)
        for n in range(count)
    ]
    Enterprise.objects.bulk_create(firms)
    return firms


def _rows(firms: list[Enterprise]) -> list[list[Any]]:
    return [MONTHLY_HEADER] + [[f.uscc, f.name, "2026-01", n + 1, n + 1, 10] for n, f in enumerate(firms)]


@pytest.mark.parametrize("name", ["月报.xlsx", "月报.csv"])
def test_it_imports_a_file_with_more_value_cells_than_a_whole_sheet_may_hold(
    world: Any, settings: Any, name: str
) -> None:
    settings.INTAKE_MAX_CELLS = 100  # 40 rows × 6 cells: 246 value cells, more than twice the cap
    rows = _rows(_firms(world, 40))
    content = xlsx(rows) if name.endswith(".xlsx") else csv_bytes(rows)
    with pytest.raises(FileRefused, match="非空单元格超过100个的上限"):
        _ = read_file(name, content, Limits(max_cells=100)).sheets[0].rows  # read whole: refused
    outcome = import_file(world, "district_jiangxia", "monthly", content, name=name)
    assert outcome.status == "applied", texts(outcome)
    assert outcome.counts["created"] == 40 and MonthlyStat.objects.count() == 40


def test_the_stream_still_names_formula_and_error_cells(world: Any, settings: Any) -> None:
    settings.INTAKE_MAX_CELLS = 20  # 24 value cells; the 13 shared strings stay under it
    firms = _firms(world, 3)
    content = xlsx(_rows(firms), formulas={(2, 3): "=1/0", (3, 4): "=D4"})
    outcome = import_file(world, "district_jiangxia", "monthly", content)
    assert outcome.status == "rejected"
    formula = "是公式，平台只读取数值、不计算公式：请复制后“选择性粘贴→数值”再上传"
    assert texts(outcome) == [
        f"工作表“填报” 第3行 D列“营业收入·本月（万元）”：{formula}",
        f"工作表“填报” 第4行 E列“营业收入·1-本月累计（万元）”：{formula}",
    ]
    errors = raw_xlsx(
        '<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1" t="e"><v>#DIV/0!</v></c></row></sheetData>'
    )
    (row,) = read_file("e.xlsx", errors, Limits()).sheets[0].iter_rows()
    assert (row.index, row.cells, row.errors) == (0, [1, "#DIV/0!"], {1: "#DIV/0!"})


def test_rows_out_of_order_are_read_whole_with_the_same_outcome(world: Any) -> None:
    firm = _firms(world, 2)
    header = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{title}</t></is></c>' for i, title in enumerate(MONTHLY_HEADER)
    )

    def row(number: int, f: Enterprise, revenue: int) -> str:
        texts_ = (f.uscc, f.name, "2026-01")
        cells = "".join(
            f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{t}</t></is></c>' for i, t in enumerate(texts_)
        )
        numbers = (revenue, revenue, 10)
        cells += "".join(f'<c r="{chr(68 + i)}{number}"><v>{v}</v></c>' for i, v in enumerate(numbers))
        return f'<row r="{number}">{cells}</row>'

    content = raw_xlsx(f'<sheetData><row r="1">{header}</row>{row(3, firm[1], 7)}{row(2, firm[0], 5)}</sheetData>')
    with pytest.raises(Unordered):
        list(read_file("月报.xlsx", content, Limits()).sheets[0].iter_rows())
    outcome = import_file(world, "district_jiangxia", "monthly", content, name="月报.xlsx")
    assert outcome.status == "applied", texts(outcome)
    assert list(MonthlyStat.objects.order_by("revenue_ytd").values_list("revenue_ytd", flat=True)) == [5, 7]


def test_the_row_cap_still_refuses_in_chinese_while_streaming(world: Any, settings: Any) -> None:
    settings.INTAKE_MAX_ROWS = 10
    content = xlsx(_rows(_firms(world, 12)))
    with pytest.raises(FileRefused, match="工作表“填报”有12行，超过单个文件10行的上限，请拆分为多个文件上传"):
        import_file(world, "district_jiangxia", "monthly", content)
    assert not MonthlyStat.objects.exists()


def test_an_import_reports_the_rows_read_as_it_reads_them(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from yuanqu.intake import validation
    from yuanqu.intake.kinds import KINDS
    from yuanqu.intake.services import batch_import

    monkeypatch.setattr(validation, "PROGRESS_ROWS", 10)
    reported: list[tuple[str, int, int]] = []
    content = xlsx(_rows(_firms(world, 25)))
    batch_import(
        actor=world.users["district_jiangxia"],
        spec=KINDS["monthly"],
        file_name="月报.xlsx",
        content=content,
        progress=lambda step, done, total: reported.append((step, done, total)),
    )
    reading = [(done, total) for step, done, total in reported if step == "读取文件"]
    # The sheet says it has 26 rows (<dimension>): 25 below the header.
    assert reading == [(0, 1), (10, 25), (20, 25), (25, 25)]
    assert ("校验", 25, 25) in reported and any(step == "写入" for step, _, _ in reported)
