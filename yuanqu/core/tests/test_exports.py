"""Spreadsheet exports cannot be turned against their readers: a name that looks like a link stays
text (no hyperlink), a name that starts like a formula stays text and carries the quote prefix (so
Excel and WPS keep it as text when the cell is edited), and numbers stay numbers. Checked by reading
the produced workbook back: its XML and python-calamine's values."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from typing import Any

from python_calamine import CalamineWorkbook

from conftest import World
from yuanqu.core.exports import xlsx_bytes

HOSTILE = [
    "https://evil.example/pay",
    "external:\\\\evil\\share\\run.exe",
    "mailto:boss@evil.example",
    '=HYPERLINK("https://evil.example","点此查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


def _parts(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def _quoted_styles(styles: str) -> set[int]:
    """Indexes of the cell formats (cellXfs) that carry quotePrefix="1"."""
    block = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
    assert block is not None
    formats = re.findall(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", block.group(1), re.S)
    return {index for index, xf in enumerate(formats) if 'quotePrefix="1"' in xf}


def _cell_styles(sheet: str) -> dict[str, int]:
    return {ref: int(style or 0) for ref, style in re.findall(r'<c r="([A-Z]+\d+)"(?: s="(\d+)")?', sheet)}


def test_it_writes_hostile_strings_as_text_without_links_or_formulas() -> None:
    rows: list[list[Any]] = [[text, -12.5, Decimal("-3.25"), 7] for text in HOSTILE]
    content, count = xlsx_bytes([("名单", ["名称", "差额", "变化", "件数"], rows)])
    assert count == len(HOSTILE)

    parts = _parts(content)
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert "<f>" not in sheet and "<f " not in sheet  # no formula anywhere
    assert "<hyperlink" not in sheet
    assert not any("hyperlink" in part for name, part in parts.items() if name.endswith(".rels"))

    quoted = _quoted_styles(parts["xl/styles.xml"])
    styles = _cell_styles(sheet)
    for row, text in enumerate(HOSTILE, start=2):
        formula_like = text[0] in "=+-@\t\r"
        assert (styles[f"A{row}"] in quoted) is formula_like, f"A{row} {text!r}"
        assert styles[f"B{row}"] not in quoted

    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    values = book.get_sheet_by_name("名单").to_python()
    assert [row[0] for row in values[1:]] == HOSTILE  # the text as it was, nothing added
    assert values[1][1:] == [-12.5, -3.25, 7]  # negative numbers stay numbers


def test_it_leaves_ordinary_text_and_missing_numbers_plain() -> None:
    content, _ = xlsx_bytes([("表", ["名称", "值"], [["江夏现代产业园", float("nan")], ["A-1 地块", None]])])
    parts = _parts(content)
    quoted = _quoted_styles(parts["xl/styles.xml"])
    styles = _cell_styles(parts["xl/worksheets/sheet1.xml"])
    assert styles["A2"] not in quoted and styles["A3"] not in quoted
    values = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("表").to_python()
    assert values[1:] == [["江夏现代产业园", ""], ["A-1 地块", ""]]


def test_a_park_named_like_a_link_is_exported_as_text(world: World) -> None:
    park = world.parks["PA"]
    park.name = "https://evil.example/江夏"
    park.operator_name = '=HYPERLINK("https://evil.example")'
    park.save(update_fields=["name", "operator_name"])
    response = world.client("city_admin").get("/registry/parks/?export=xlsx")
    assert response.status_code == 200
    parts = _parts(response.content)
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert "<f>" not in sheet and "<hyperlink" not in sheet
    values = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_name("园区").to_python()
    row = next(row for row in values if row[0] == "PA")
    assert row[1] == "https://evil.example/江夏"
    assert row[6] == '=HYPERLINK("https://evil.example")'


def test_it_names_sheets_as_excel_allows() -> None:
    long = "园区" * 20
    content, _ = xlsx_bytes([("目标/进度 [2025]", ["a"], []), (long, ["a"], []), (long, ["a"], []), ("'", ["a"], [])])
    names = CalamineWorkbook.from_filelike(io.BytesIO(content)).sheet_names
    assert names == ["目标_进度 _2025_", long[:31], long[:28] + "(2)", "Sheet"]
