"""The .xlsx stream reader against hostile and unusual sheets: extents from the cells themselves
(whatever the quoting, whatever <dimension> says), only value cells kept, number formats, error
cells, formulas however written, escapes, hidden sheets; .ods/.xls in a memory-capped child; UTF-16
CSV. Hand-written XML (conftest.raw_xlsx): the shapes XlsxWriter would never produce."""

from __future__ import annotations

import codecs
import io
import tracemalloc
import zipfile

import pytest

from yuanqu.intake.reading import FileRefused, Limits, read_file
from yuanqu.intake.tests.conftest import csv_bytes, raw_xlsx

PERCENT_STYLES = (
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
    '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="10"/><xf numFmtId="164"/><xf numFmtId="31"/></cellXfs>'
)


def _inline(ref: str, text: str, quote: str = '"') -> str:
    return f"<c r={quote}{ref}{quote} t={quote}inlineStr{quote}><is><t>{text}</t></is></c>"


def test_it_refuses_a_far_cell_written_with_single_quotes_without_allocating() -> None:
    content = raw_xlsx(
        "<dimension ref='A1:XFD1048576'/><sheetData><row r='1'>" + _inline("A1", "x", "'") + "</row>"
        "<row r='1048576'><c r='XFD1048576'><v>1</v></c></row></sheetData>",
        quote="'",
    )
    assert len(content) < 2000
    tracemalloc.start()
    with pytest.raises(FileRefused, match="有1048576行，超过单个文件200000行的上限"):
        _ = read_file("bomb.xlsx", content, Limits()).sheets[0].rows
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 32 * 2**20


def test_it_keeps_only_value_cells_of_a_sheet_within_the_limits() -> None:
    # A1 and GR200001: inside the row and column limits, a 40-million-cell rectangle for a dense reader.
    content = raw_xlsx(
        '<dimension ref="A1:GR200001"/><sheetData><row r="1">' + _inline("A1", "x") + "</row>"
        '<row r="200001"><c r="GR200001"><v>7</v></c></row></sheetData>'
    )
    tracemalloc.start()
    rows = read_file("sparse.xlsx", content, Limits()).sheets[0].rows
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (len(rows), rows[0], rows[200_000][199], sum(len(row) for row in rows[1:200_000])) == (200_001, ["x"], 7, 0)
    assert peak < 64 * 2**20


def test_it_reads_cells_past_a_lying_dimension_and_cells_without_references() -> None:
    content = raw_xlsx(
        '<dimension ref="A1"/><sheetData>'
        '<row><c t="inlineStr"><is><t>代码</t></is></c><c t="inlineStr"><is><t>数值</t></is></c></row>'
        '<row><c t="inlineStr"><is><t>A</t></is></c><c><f>1+1</f><v>2</v></c></row>'
        '<row r="5"><c r="C5"><v>3</v></c></row></sheetData>'
    )
    sheet = read_file("norefs.xlsx", content, Limits()).sheets[0]
    assert sheet.rows == [["代码", "数值"], ["A", 2], [], [], [None, None, 3]]
    assert sheet.formulas == {(1, 1)}


def test_it_counts_only_rows_that_hold_values() -> None:
    empty_rows = "".join(f'<row r="{n}" s="1" customFormat="1"><c r="A{n}" s="1"/></row>' for n in range(5, 2000))
    content = raw_xlsx(
        "<sheetData>"
        + "".join(f'<row r="{n}">{_inline(f"A{n}", f"v{n}")}</row>' for n in range(1, 5))
        + empty_rows
        + '<row r="1048576" s="1" customFormat="1"><c r="A1048576" s="1"/></row></sheetData>',
        styles_xml=PERCENT_STYLES,
    )
    rows = read_file("formatted.xlsx", content, Limits()).sheets[0].rows
    assert rows == [["v1"], ["v2"], ["v3"], ["v4"]]


def test_it_reads_a_percent_cell_as_the_percentage_it_shows_exactly() -> None:
    content = raw_xlsx(
        '<sheetData><row r="1"><c r="A1" s="1"><v>0.185</v></c><c r="B1" s="2"><v>0.12345</v></c>'
        '<c r="C1" s="0"><v>0.185</v></c><c r="D1" s="3"><v>46174</v></c></row></sheetData>',
        styles_xml=PERCENT_STYLES,
    )
    row = read_file("percent.xlsx", content, Limits()).sheets[0].rows[0]
    assert row[:3] == ["18.5%", "12.345%", 0.185]
    assert str(row[3]) == "2026-06-01"  # built-in 31 (yyyy年m月d日) is a date


def test_it_marks_error_cells_and_decodes_strings() -> None:
    content = raw_xlsx(
        '<sheetData><row r="1"><c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="B1" t="e"><v>#N/A</v></c>'
        '<c r="C1" t="s"><v>0</v></c><c r="D1" t="s"><v>1</v></c><c r="E1" t="str"><f>A2</f><v>文字</v></c>'
        "</row></sheetData>",
        shared=["甲_x0000_乙", "下划线_x005F_x0041_"],
    )
    sheet = read_file("errors.xlsx", content, Limits()).sheets[0]
    assert sheet.errors == {(0, 0): "#DIV/0!", (0, 1): "#N/A"}
    assert sheet.rows[0][2:] == ["甲\x00乙", "下划线_x0041_", "文字"]
    assert sheet.formulas == {(0, 0), (0, 4)}


def test_it_reads_shared_formulas_and_rich_text_without_phonetic_guides() -> None:
    sst = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><r><t>武汉</t></r>'
        "<r><t>光谷</t></r><rPh><t>ぶかん</t></rPh></si></sst>"
    )
    content = raw_xlsx(
        '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><f t="shared" ref="B1:B2" si="0">C1*2</f>'
        '<v>4</v></c></row><row r="2"><c r="B2"><f t="shared" si="0"/><v>6</v></c></row></sheetData>'
    )
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item))
        archive.writestr("xl/sharedStrings.xml", sst)
    sheet = read_file("shared.xlsx", buffer.getvalue(), Limits()).sheets[0]
    assert sheet.rows == [["武汉光谷", 4], [None, 6]]
    assert sheet.formulas == {(0, 1), (1, 1)}


def test_it_says_which_sheets_are_hidden() -> None:
    content = raw_xlsx('<sheetData><row r="1">' + _inline("A1", "x") + "</row></sheetData>", sheet_state="hidden")
    assert read_file("hidden.xlsx", content, Limits()).sheets[0].hidden


def test_it_refuses_a_document_type_definition() -> None:
    content = raw_xlsx("<sheetData/>")
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            payload = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                payload = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>' + payload
            archive.writestr(item, payload)
    with pytest.raises(FileRefused, match="含有文档类型定义"):
        _ = read_file("dtd.xlsx", buffer.getvalue(), Limits()).sheets[0].rows


def test_it_caps_the_value_cells_of_a_file() -> None:
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 60))
    content = raw_xlsx(f"<sheetData>{rows}</sheetData>")
    with pytest.raises(FileRefused, match="非空单元格超过50个的上限"):
        _ = read_file("cells.xlsx", content, Limits(max_cells=50)).sheets[0].rows


def test_it_reads_utf16_csv_with_its_byte_order_mark() -> None:
    rows = [["统一社会信用代码", "企业名称"], ["91420100MA4K00001U", "武汉甲光电科技有限公司"]]
    data = codecs.BOM_UTF16_LE + csv_bytes(rows, "utf-16-le")
    book = read_file("utf16.csv", data, Limits())
    assert (book.encoding, book.sheets[0].rows) == ("utf-16", rows)


MANIFEST = (
    '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def _ods(rows_xml: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="填报">'
        + rows_xml
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def test_it_reads_ods_in_a_child_process() -> None:
    cell = '<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
    book = read_file(
        "a.ods", _ods("<table:table-row>" + cell.format(v=1) + cell.format(v=2) + "</table:table-row>"), Limits()
    )
    assert book.sheets[0].rows == [[1.0, 2.0]]


def test_it_refuses_an_ods_whose_repeated_cells_would_fill_the_memory() -> None:
    bomb = _ods(
        '<table:table-row table:number-rows-repeated="150000"><table:table-cell table:number-columns-repeated="150"'
        ' office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
    )
    assert len(bomb) < 2000
    with pytest.raises(FileRefused, match="读取时所需内存超过256MB的上限"):
        read_file("bomb.ods", bomb, Limits(reader_memory_mb=256))


def test_it_refuses_a_text_longer_than_any_cell_before_parsing_it() -> None:
    content = raw_xlsx('<sheetData><row r="1">' + _inline("A1", "x" * (3 * 2**20)) + "</row></sheetData>")
    with pytest.raises(FileRefused, match="中有超过1MB的连续文本"):
        _ = read_file("long.xlsx", content, Limits()).sheets[0].rows


def test_it_refuses_a_csv_past_the_row_cap_before_it_hands_on_a_row() -> None:
    """A CSV with more rows than the cap is refused when its rows are asked for, before the first
    one is handed to validation (which would check and hold every row up to the cap), with the
    message the stream gives at the row past the cap; empty lines at the end are no rows."""
    limits = Limits(max_rows=10)
    over = csv_bytes([["统一社会信用代码", "报告期"], *([["x", "2026-01"]] * 11)])
    rows = read_file("over.csv", over, limits).sheets[0].iter_rows()
    with pytest.raises(FileRefused) as refused:
        next(rows)
    assert str(refused.value) == "工作表“over.csv”有12行，超过单个文件10行的上限，请拆分为多个文件上传"
    within = csv_bytes([["统一社会信用代码", "报告期"], *([["x", "2026-01"]] * 9)]) + b"\r\n" * 20
    read = list(read_file("within.csv", within, limits).sheets[0].iter_rows())
    assert [row.index for row in read] == list(range(10))
