"""The .xlsx values reader (python-calamine after a scan of the sheet's XML): it reads a plain sheet
to the same rows as the stream reader, and leaves to the stream reader every sheet it would read
otherwise (formulas, percentages, escapes) or whose rectangle would be large."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
import xlsxwriter

from yuanqu.intake import reading
from yuanqu.intake.reading import Limits, Row, read_file
from yuanqu.intake.tests.conftest import raw_xlsx


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sheets the stream reader read a row at a time (by name)."""
    seen: list[str] = []
    original = reading._stream_xlsx_rows

    def spy(part: Any) -> Iterator[Row]:
        seen.append(part.sheet.name)
        return original(part)

    monkeypatch.setattr(reading, "_stream_xlsx_rows", spy)
    return seen


def _workbook(write: Any) -> bytes:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        write(book, book.add_worksheet("填报"))
    return buffer.getvalue()


def _rows(content: bytes) -> list[tuple[int, list[Any]]]:
    return [(row.index, row.cells) for row in read_file("f.xlsx", content, Limits()).sheets[0].iter_rows()]


def _whole(content: bytes) -> list[tuple[int, list[Any]]]:
    sheet = read_file("f.xlsx", content, Limits()).sheets[0]
    return [(row.index, row.cells) for row in sheet.iter_rows(whole=True)]


def test_it_reads_a_plain_sheet_with_calamine_to_the_rows_the_stream_reader_gives(streamed: list[str]) -> None:
    def write(book: Any, sheet: Any) -> None:
        amount = book.add_format({"num_format": "#,##0.00"})
        sheet.write_row(0, 0, ["统一社会信用代码", "企业名称", "报告期", "营业收入", "是否"])
        sheet.write_row(1, 0, ["91420115MA4K000001", " 武汉甲 ", "2025-03", 1234.5, True])
        sheet.write_number(1, 3, 1234.5, amount)
        sheet.write_row(3, 1, ["武汉乙", "2025年1-2月", 7])
        sheet.write(6, 8, "远处")

    content = _workbook(write)
    rows = _rows(content)
    assert streamed == []  # the values reader read the data rows
    assert rows == _whole(content)
    assert rows[1] == (1, ["91420115MA4K000001", " 武汉甲 ", "2025-03", 1234.5, True])
    assert rows[2] == (3, [None, "武汉乙", "2025年1-2月", 7])
    assert [index for index, _ in rows] == [0, 1, 3, 6]


@pytest.mark.parametrize(
    ("case", "write", "expected"),
    [
        ("formula", lambda book, sheet: sheet.write_formula(1, 0, "=1+1", None, 2), None),
        (
            "percentage",
            lambda book, sheet: sheet.write_number(1, 0, 0.185, book.add_format({"num_format": "0.0%"})),
            "18.5%",
        ),
        (
            "date",
            lambda book, sheet: sheet.write_number(1, 0, 45658, book.add_format({"num_format": "yyyy-mm-dd"})),
            None,
        ),
        # XlsxWriter writes the text as “甲_x005F_x000D_乙”: the escape of an underscore.
        ("escape", lambda book, sheet: sheet.write_string(1, 0, "甲_x000D_乙"), "甲_x000D_乙"),
    ],
)
def test_it_leaves_to_the_stream_reader_a_sheet_calamine_reads_otherwise(
    streamed: list[str], case: str, write: Any, expected: Any
) -> None:
    def both(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, ["表头"])
        write(book, sheet)

    content = _workbook(both)
    rows = list(read_file("f.xlsx", content, Limits()).sheets[0].iter_rows())
    assert streamed == ["填报"], case
    if case == "formula":
        assert rows[1].formulas == {0}
    elif case == "date":
        assert str(rows[1].cells[0]) == "2025-01-01"
    else:
        assert rows[1].cells[0] == expected


def test_it_leaves_a_large_rectangle_to_the_stream_reader(streamed: list[str]) -> None:
    # Two cells, A1 and GR200001: a 40-million-cell rectangle for calamine, two cells for the stream.
    content = raw_xlsx(
        '<dimension ref="A1"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        '<row r="200001"><c r="GR200001"><v>7</v></c></row></sheetData>'
    )
    rows = list(read_file("sparse.xlsx", content, Limits()).sheets[0].iter_rows())
    assert streamed == ["填报"]
    assert [(row.index, len(row.cells)) for row in rows] == [(0, 1), (200_000, 200)]


def test_it_leaves_a_sheet_whose_dimension_names_a_large_rectangle_to_the_stream_reader(streamed: list[str]) -> None:
    content = raw_xlsx('<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>')
    assert [(row.index, row.cells) for row in read_file("d.xlsx", content, Limits()).sheets[0].iter_rows()] == [
        (0, [1])
    ]
    assert streamed == ["填报"]


def test_it_leaves_cells_without_references_to_the_stream_reader(streamed: list[str]) -> None:
    content = raw_xlsx('<sheetData><row><c><v>1</v></c><c r="B1"><v>2</v></c></row></sheetData>')
    assert [row.cells for row in read_file("r.xlsx", content, Limits()).sheets[0].iter_rows()] == [[1, 2]]
    assert streamed == ["填报"]
