"""Reading uploaded files into rows of cell values, safely. Pure: no Django (limits come as arguments).

Before python-calamine sees a file: the extension must be one we read and the content must be what
the extension says (an .xlsx is a zip holding a workbook, an .xls an OLE2 file, a .csv text); an
.xlsx or .ods must not expand beyond the member-count and size limits (decompression bombs); the data
sheet's extent must stay within the row and column limits (calamine allocates the whole rectangle).
Formula cells are found in the sheet XML: the platform reads values only and never evaluates them.
CSV text is decoded as UTF-8 (with or without BOM), GBK or GB18030, whichever fits first."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
FORMATS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods", ".csv": "csv"}
SUPPORTED = "Excel（.xlsx、.xls）、OpenDocument（.ods）或 CSV（.csv）"

REFUSED_EXTENSION = "文件“{name}”的类型不支持，请上传" + SUPPORTED
REFUSED_EMPTY = "文件“{name}”是空文件"
REFUSED_TOO_LARGE = "文件“{name}”大小{size:.1f}MB，超过{limit}MB的上限"
REFUSED_CONTENT = "文件“{name}”的内容不是{expected}（{found}），请在Excel中打开后另存为.xlsx再上传"
REFUSED_BROKEN = "文件“{name}”已损坏或无法读取：{reason}"
REFUSED_MEMBERS = "文件“{name}”内部包含{count}个部件，超过{limit}个的上限，疑似异常文件，已拒绝"
REFUSED_EXPANDED = "文件“{name}”解压后约{size}MB，超过{limit}MB的上限，疑似压缩炸弹，已拒绝"
REFUSED_ROWS = "工作表“{sheet}”有{rows}行，超过单个文件{limit}行的上限，请拆分为多个文件上传"
REFUSED_COLUMNS = "工作表“{sheet}”有{columns}列，超过{limit}列的上限，请删除多余的列"
REFUSED_ENCODING = "CSV文件“{name}”的编码无法识别，请另存为“CSV UTF-8（逗号分隔）”后上传"
REFUSED_NO_SHEET = "文件“{name}”中没有可读取的工作表"
REFUSED_ENCRYPTED = "文件“{name}”设置了打开密码，请取消密码后再上传"


class FileRefused(Exception):
    """The file is refused before any row is read; the message says why, in Chinese."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_uncompressed_bytes: int = 500 * 1024 * 1024
    max_members: int = 1000
    max_rows: int = 200_000
    max_columns: int = 200


class Sheet:
    """One sheet: its cells as read (row 0 is the spreadsheet's row 1), loaded on first use since
    only the data sheet of a workbook is needed, and where its formula cells are (0-based)."""

    def __init__(
        self,
        name: str,
        rows: list[list[Any]] | None = None,
        *,
        loader: Callable[[], list[list[Any]]] | None = None,
        formulas: set[tuple[int, int]] | None = None,
    ) -> None:
        self.name = name
        self._rows = rows
        self._loader = loader
        self.formulas = formulas or set()

    @property
    def rows(self) -> list[list[Any]]:
        if self._rows is None:
            self._rows = self._loader() if self._loader else []
        return self._rows


@dataclass
class Workbook:
    format: str  # xlsx, xls, ods or csv
    sheets: list[Sheet]
    encoding: str = ""  # CSV only: utf-8, utf-8-sig, gbk or gb18030
    notes: list[str] = field(default_factory=list)


def file_format(name: str) -> str:
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in FORMATS:
        raise FileRefused(REFUSED_EXTENSION.format(name=name))
    return FORMATS[suffix]


def _describe(head: bytes) -> str:
    if head.startswith(OLE_MAGIC):
        return "实际是旧版Excel(.xls)或加密文件"
    if head.startswith(ZIP_MAGIC):
        return "实际是压缩包"
    if head.startswith(b"%PDF"):
        return "实际是PDF文件"
    if head[:1] in (b"\xff", b"\x89") or head.startswith(b"GIF"):
        return "实际是图片"
    lowered = head.lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    if lowered.startswith((b"<html", b"<!doctype", b"<table", b"<meta")):
        return "实际是网页（HTML）"
    if lowered.startswith(b"<?xml"):
        return "实际是XML文件"
    return "无法识别的内容"


def check_content(name: str, fmt: str, data: bytes, limits: Limits) -> None:
    """Refuse empty, oversized and mislabelled files."""
    if not data:
        raise FileRefused(REFUSED_EMPTY.format(name=name))
    if len(data) > limits.max_bytes:
        raise FileRefused(REFUSED_TOO_LARGE.format(name=name, size=len(data) / 2**20, limit=limits.max_bytes // 2**20))
    head = data[:512]
    if fmt in ("xlsx", "ods") and not head.startswith(ZIP_MAGIC):
        if fmt == "xlsx" and head.startswith(OLE_MAGIC) and b"E\x00n\x00c\x00r\x00y\x00p\x00t" in data[:65536]:
            raise FileRefused(REFUSED_ENCRYPTED.format(name=name))
        expected = "Excel工作簿(.xlsx)" if fmt == "xlsx" else "OpenDocument表格(.ods)"
        raise FileRefused(REFUSED_CONTENT.format(name=name, expected=expected, found=_describe(head)))
    if fmt == "xls" and not head.startswith(OLE_MAGIC):
        raise FileRefused(
            REFUSED_CONTENT.format(name=name, expected="Excel 97-2003工作簿(.xls)", found=_describe(head))
        )
    if fmt == "csv" and (b"\x00" in head or head.startswith((ZIP_MAGIC, OLE_MAGIC, b"%PDF"))):
        raise FileRefused(REFUSED_CONTENT.format(name=name, expected="CSV文本", found=_describe(head)))


# ---------------------------------------------------------------- zip containers (xlsx, ods)


def _guard_zip(name: str, archive: zipfile.ZipFile, limits: Limits) -> None:
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise FileRefused(REFUSED_MEMBERS.format(name=name, count=len(members), limit=limits.max_members))
    declared = sum(member.file_size for member in members)
    if declared > limits.max_uncompressed_bytes:
        raise FileRefused(
            REFUSED_EXPANDED.format(name=name, size=declared // 2**20, limit=limits.max_uncompressed_bytes // 2**20)
        )


def _read_limited(archive: zipfile.ZipFile, member: str, budget: int) -> Iterator[bytes]:
    """Stream a member, counting what it really expands to (the declared size may lie)."""
    total = 0
    with archive.open(member) as handle:
        while chunk := handle.read(1 << 20):
            total += len(chunk)
            if total > budget:
                raise FileRefused("expanded")
            yield chunk


_ROW_NUMBER = re.compile(rb"<row\b[^>]*?\br=\"(\d+)\"")
_WIDE_COLUMN = re.compile(rb"<c\b[^>]*?\br=\"([A-Z]{2,3})\d+\"")
_FORMULA_TAG = re.compile(rb"<f[\s>/]")
_FORMULA_CELL = re.compile(rb"<c\b([^>]*)>\s*<f[\s>/]")
_CELL_REF = re.compile(rb"\br=\"([A-Z]{1,3})(\d+)\"")


def column_number(letters: str) -> int:
    """A1-style column letters to a 1-based number (A=1, Z=26, AA=27)."""
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def column_letters(index: int) -> str:
    """A 0-based column index to its letters (0=A)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_TAG = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"([\w:]+)\s*=\s*\"([^\"]*)\"")
# workbook.xml and its relationships are small; read them by pattern, not with an XML parser that
# would expand entities from an untrusted file.
SMALL_PART_LIMIT = 5 * 1024 * 1024


def _attributes(raw: bytes) -> dict[str, str]:
    return {
        name.decode("utf-8", "replace"): value.decode("utf-8", "replace") for name, value in _ATTRIBUTE.findall(raw)
    }


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name → member path, from workbook.xml and its relationships."""
    try:
        workbook = b"".join(_read_limited(archive, "xl/workbook.xml", SMALL_PART_LIMIT))
        rels = b"".join(_read_limited(archive, "xl/_rels/workbook.xml.rels", SMALL_PART_LIMIT))
    except KeyError:
        return {}
    targets = {}
    for tag, raw in _TAG.findall(rels):
        if tag == b"Relationship":
            attrs = _attributes(raw)
            target = attrs.get("Target", "")
            targets[attrs.get("Id", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    paths = {}
    for tag, raw in _TAG.findall(workbook):
        if tag == b"sheet":
            attrs = _attributes(raw)
            # The relationship id is r:id, whatever prefix the file gives the namespace.
            rel_id = next((value for key, value in attrs.items() if key.endswith(":id")), "")
            if rel_id in targets:
                paths[_unescape(attrs.get("name", ""))] = targets[rel_id]
    return paths


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


@dataclass
class SheetExtent:
    rows: int = 0
    columns: int = 0
    formulas: set[tuple[int, int]] = field(default_factory=set)


def scan_xlsx_sheet(archive: zipfile.ZipFile, member: str, budget: int) -> SheetExtent:
    """The sheet's last row and widest column, and its formula cells (0-based), read from the XML
    stream without building it. Formulas are looked for cell by cell only when one is present."""
    extent = SheetExtent()
    has_formula = False
    tail = b""
    for chunk in _read_limited(archive, member, budget):
        data = tail + chunk
        for match in _ROW_NUMBER.finditer(data):
            extent.rows = max(extent.rows, int(match.group(1)))
        for letters in set(_WIDE_COLUMN.findall(data)):
            extent.columns = max(extent.columns, column_number(letters.decode()))
        has_formula = has_formula or _FORMULA_TAG.search(data) is not None
        tail = data[-256:]
    if has_formula:
        xml = b"".join(_read_limited(archive, member, budget))
        for match in _FORMULA_CELL.finditer(xml):
            ref = _CELL_REF.search(match.group(1))
            if ref:
                extent.formulas.add((int(ref.group(2)) - 1, column_number(ref.group(1).decode()) - 1))
    return extent


def _open_zip(name: str, data: bytes, limits: Limits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise FileRefused(REFUSED_BROKEN.format(name=name, reason=str(exc))) from None
    _guard_zip(name, archive, limits)
    return archive


def read_spreadsheet(name: str, fmt: str, data: bytes, limits: Limits) -> Workbook:
    extents: dict[str, SheetExtent] = {}
    if fmt in ("xlsx", "ods"):
        archive = _open_zip(name, data, limits)
        names = set(archive.namelist())
        if fmt == "xlsx" and "xl/workbook.xml" not in names:
            raise FileRefused(
                REFUSED_CONTENT.format(name=name, expected="Excel工作簿(.xlsx)", found="是压缩包但不含工作簿")
            )
        if fmt == "ods" and "content.xml" not in names:
            raise FileRefused(
                REFUSED_CONTENT.format(name=name, expected="OpenDocument表格(.ods)", found="是压缩包但不含表格")
            )
        budget = limits.max_uncompressed_bytes
        try:
            if fmt == "xlsx":
                for sheet_name, member in _sheet_paths(archive).items():
                    if member in names:
                        extents[sheet_name] = scan_xlsx_sheet(archive, member, budget)
            else:
                for _ in _read_limited(archive, "content.xml", budget):
                    pass
        except FileRefused:
            raise FileRefused(REFUSED_EXPANDED.format(name=name, size=budget // 2**20, limit=budget // 2**20)) from None
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise FileRefused(REFUSED_BROKEN.format(name=name, reason=str(exc))) from None
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        reason = str(exc)[:200]
        if "password" in reason.lower() or "encrypt" in reason.lower():
            raise FileRefused(REFUSED_ENCRYPTED.format(name=name)) from None
        raise FileRefused(REFUSED_BROKEN.format(name=name, reason=reason)) from None

    def loader(sheet_name: str, extent: SheetExtent | None) -> Callable[[], list[list[Any]]]:
        def load() -> list[list[Any]]:
            if extent is not None:
                if extent.rows > limits.max_rows + 1:
                    raise FileRefused(REFUSED_ROWS.format(sheet=sheet_name, rows=extent.rows, limit=limits.max_rows))
                if extent.columns > limits.max_columns:
                    raise FileRefused(
                        REFUSED_COLUMNS.format(sheet=sheet_name, columns=extent.columns, limit=limits.max_columns)
                    )
            try:
                sheet = book.get_sheet_by_name(sheet_name)
                if sheet.total_height > limits.max_rows + 1:
                    raise FileRefused(
                        REFUSED_ROWS.format(sheet=sheet_name, rows=sheet.total_height, limit=limits.max_rows)
                    )
                if sheet.total_width > limits.max_columns:
                    raise FileRefused(
                        REFUSED_COLUMNS.format(sheet=sheet_name, columns=sheet.total_width, limit=limits.max_columns)
                    )
                # skip_empty_area=False keeps row and column numbers equal to what Excel shows.
                return sheet.to_python(skip_empty_area=False)
            except CalamineError as exc:
                raise FileRefused(REFUSED_BROKEN.format(name=name, reason=str(exc)[:200])) from None

        return load

    visible: list[Sheet] = []
    hidden: list[Sheet] = []
    for meta in book.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        extent = extents.get(meta.name)
        sheet = Sheet(meta.name, loader=loader(meta.name, extent), formulas=extent.formulas if extent else set())
        (visible if meta.visible == SheetVisibleEnum.Visible else hidden).append(sheet)
    if not visible and not hidden:
        raise FileRefused(REFUSED_NO_SHEET.format(name=name))
    notes = []
    if fmt in ("xls", "ods"):
        notes.append("旧版.xls和.ods格式无法逐格识别公式，已按单元格中保存的数值读取")
    return Workbook(format=fmt, sheets=visible + hidden, notes=notes)


# ---------------------------------------------------------------- CSV

CSV_ENCODINGS = ("utf-8", "gbk", "gb18030")


def decode_csv(name: str, data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise FileRefused(REFUSED_ENCODING.format(name=name)) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise FileRefused(REFUSED_ENCODING.format(name=name)) from None
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise FileRefused(REFUSED_ENCODING.format(name=name))


def read_csv(name: str, data: bytes, limits: Limits) -> Workbook:
    text, encoding = decode_csv(name, data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    rows: list[list[Any]] = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        rows.append(list(row))
        if len(rows) > limits.max_rows + 1:
            raise FileRefused(REFUSED_ROWS.format(sheet=name, rows=f"{limits.max_rows}+", limit=limits.max_rows))
        if len(row) > limits.max_columns:
            raise FileRefused(REFUSED_COLUMNS.format(sheet=name, columns=len(row), limit=limits.max_columns))
    return Workbook(format="csv", sheets=[Sheet(name, rows)], encoding=encoding)


def read_file(name: str, data: bytes, limits: Limits) -> Workbook:
    """Check and read a file; raises FileRefused with the reason in Chinese."""
    fmt = file_format(name)
    check_content(name, fmt, data, limits)
    if fmt == "csv":
        return read_csv(name, data, limits)
    return read_spreadsheet(name, fmt, data, limits)


ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8（带BOM）",
    "gbk": "GBK",
    "gb18030": "GB18030",
    "utf-16": "UTF-16",
}
