"""Reading files safely: the content must match the extension, zip bombs and huge sheets are refused
before python-calamine builds them, formula cells are found, CSV encodings are detected."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
import xlsxwriter

from yuanqu.intake.reading import FileRefused, Limits, column_letters, column_number, read_file
from yuanqu.intake.tests.conftest import csv_bytes, xlsx

ROWS: list[list[str | float | None]] = [["统一社会信用代码", "营业收入·本月（万元）"], ["91420100MA4K00001U", 12.5]]


def test_it_reads_the_cells_of_an_xlsx_at_their_spreadsheet_positions() -> None:
    book = read_file("a.xlsx", xlsx([[], ["标题"], *ROWS]), Limits())
    assert book.format == "xlsx"
    assert book.sheets[0].rows[2][0] == "统一社会信用代码"  # row 3 stays row 3 despite the blank row 1
    assert book.sheets[0].rows[3][1] == 12.5


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.xlsx", b"name,revenue\nfoo,1\n", "内容不是Excel工作簿"),
        ("data.xlsx", b"%PDF-1.7 ...", "实际是PDF文件"),
        ("data.xls", b"<html><table><tr><td>1</td></tr></table></html>", "实际是网页（HTML）"),
        ("data.xlsx", b"PK\x03\x04broken zip", "已损坏或无法读取"),
        ("data.docx", b"PK\x03\x04", "类型不支持"),
        ("data.xlsx", b"", "是空文件"),
        ("data.csv", b"PK\x03\x04\x14\x00", "内容不是CSV文本"),
    ],
)
def test_it_refuses_a_file_that_is_not_what_its_extension_says(name: str, content: bytes, message: str) -> None:
    with pytest.raises(FileRefused, match=message):
        read_file(name, content, Limits())


def test_it_refuses_a_zip_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(FileRefused, match="不含工作簿"):
        read_file("renamed.xlsx", buffer.getvalue(), Limits())


def _with_member(content: bytes, name: str, payload: bytes, count: int = 1) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item))
        for index in range(count):
            archive.writestr(f"{name}{index}", payload)
    return buffer.getvalue()


def test_it_refuses_a_decompression_bomb() -> None:
    bomb = _with_member(xlsx(ROWS), "xl/media/zeros", b"\0" * (8 * 1024 * 1024))
    assert len(bomb) < 100_000
    with pytest.raises(FileRefused, match="疑似压缩炸弹"):
        read_file("bomb.xlsx", bomb, Limits(max_uncompressed_bytes=4 * 1024 * 1024))


def test_it_refuses_a_workbook_with_too_many_members() -> None:
    many = _with_member(xlsx(ROWS), "xl/junk/part", b"x", count=60)
    with pytest.raises(FileRefused, match=r"内部包含7\d个部件"):
        read_file("many.xlsx", many, Limits(max_members=50))


def test_it_refuses_a_very_large_sheet_before_reading_it() -> None:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        sheet = book.add_worksheet("填报")
        sheet.write_row(0, 0, ROWS[0])
        sheet.write(250_000, 300, "far away")  # a dense 250,001 × 301 rectangle for calamine
    started = time.monotonic()
    with pytest.raises(FileRefused, match="有250001行，超过单个文件200000行的上限"):
        _ = read_file("huge.xlsx", buffer.getvalue(), Limits()).sheets[0].rows
    assert time.monotonic() - started < 5  # refused from the XML scan, not after building the sheet


def test_it_refuses_a_very_wide_sheet() -> None:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        sheet = book.add_worksheet("填报")
        sheet.write(0, 0, "a")
        sheet.write(1, 1000, "b")
    with pytest.raises(FileRefused, match="有1001列，超过200列的上限"):
        _ = read_file("wide.xlsx", buffer.getvalue(), Limits()).sheets[0].rows


def test_it_finds_formula_cells_and_reads_only_values() -> None:
    content = xlsx([*ROWS, ["91420100MA4K00001U", None]], formulas={(2, 1): "=B2*2", (3, 1): "=B2+B3"})
    sheet = read_file("f.xlsx", content, Limits()).sheets[0]
    assert sheet.formulas == {(2, 1), (3, 1)}
    assert sheet.rows[2][1] == 0  # the cached value XlsxWriter wrote; never computed


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gbk"), ("gb18030", "gb18030")],
)
def test_it_detects_csv_encodings(encoding: str, label: str) -> None:
    rows = [["统一社会信用代码", "企业名称"], ["91420100MA4K00001U", "武汉甲光电科技有限公司"]]
    if encoding == "gb18030":
        rows[1][1] = "武汉𠀀光电有限公司"  # a character outside GBK
    book = read_file("a.csv", csv_bytes(rows, encoding), Limits())
    assert book.encoding == label
    assert book.sheets[0].rows[1][1] == rows[1][1]


def test_it_reads_tab_separated_text_saved_as_csv() -> None:
    book = read_file("a.csv", "代码\t名称\nA\t乙\n".encode("gbk"), Limits())
    assert book.sheets[0].rows == [["代码", "名称"], ["A", "乙"]]


def test_it_refuses_text_in_no_chinese_encoding() -> None:
    with pytest.raises(FileRefused, match="编码无法识别"):
        read_file("a.csv", b"\x81\x20\xff\xfe\x80abc", Limits())


def test_it_converts_column_letters_both_ways() -> None:
    assert [column_letters(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert [column_number(s) for s in ("A", "Z", "AA", "ZZ", "AAA")] == [1, 26, 27, 702, 703]
