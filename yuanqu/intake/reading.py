"""Reading uploaded files into rows of cell values, safely. Pure: no Django (limits come as arguments).

Before any cell is read: the extension must be one we read and the content must be what the
extension says (an .xlsx is a zip holding a workbook, an .xls an OLE2 file, a .csv text); a zip
container must not expand beyond the member-count and size limits, counted while it is read (the
sizes a zip declares may lie).

.xlsx is read here, as a stream: each sheet's XML is parsed row by row and only cells holding a
value are kept, so neither a `<dimension>` that lies nor a far-away cell nor a million formatted
empty rows makes anything large. Rows, columns and value cells are capped while reading. The
stream also gives what a value reader would lose: formulas however written (`<f>`, shared
formulas), error cells (`#DIV/0!` …), each cell's number format (a 18.5% cell is read as the text
“18.5%”, exactly; dates as dates), inline strings and the `_xHHHH_` escapes of the format.

.xls and .ods are read by python-calamine, which builds each sheet as a dense rectangle; it runs in
a child process under a hard address-space limit, so a hostile file costs that process, never the
server. CSV is decoded as UTF-8 (with or without BOM), UTF-16 (with BOM), GBK or GB18030, whichever
fits first, and read as a stream."""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import io
import math
import os
import pickle
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath
from typing import IO, Any
from xml.etree import ElementTree

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
REFUSED_CELLS = "文件“{name}”的非空单元格超过{limit}个的上限，请拆分为多个文件上传"
REFUSED_MEMORY = (
    "文件“{name}”读取时所需内存超过{limit}MB的上限（表格范围过大或结构异常），已拒绝；请另存为.xlsx后再上传"
)
REFUSED_ENCODING = "CSV文件“{name}”的编码无法识别，请另存为“CSV UTF-8（逗号分隔）”后上传"
REFUSED_NO_SHEET = "文件“{name}”中没有可读取的工作表"
REFUSED_ENCRYPTED = "文件“{name}”设置了打开密码，请取消密码后再上传"
REFUSED_TEXT = "文件“{name}”中有超过1MB的连续文本（Excel单元格最多32767个字符），疑似异常文件，已拒绝"
REFUSED_DTD = "文件“{name}”含有文档类型定义（DTD），Excel不会生成这样的文件，疑似异常文件，已拒绝"

BINARY_NULS = 4  # NUL bytes in the first 512 bytes of a CSV beyond which it is not text
NOTE_OLD_FORMAT = "旧版.xls和.ods格式无法逐格识别公式，已按单元格中保存的数值读取"


class FileRefused(Exception):
    """The file is refused before any row is read; the message says why, in Chinese."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_uncompressed_bytes: int = 500 * 1024 * 1024
    max_members: int = 1000
    max_rows: int = 200_000
    max_columns: int = 200
    # Cells holding a value, over the whole file: what bounds the memory an import may take.
    max_cells: int = 1_000_000
    # The address space of the child process that reads .xls and .ods.
    reader_memory_mb: int = 512


@dataclass
class Row:
    """One row of a sheet as a stream gives it: its 0-based index, its cells up to its last value
    (None where empty), and which of its columns hold a formula or an error (“#DIV/0!” …)."""

    index: int
    cells: list[Any]
    formulas: set[int] = field(default_factory=set)
    errors: dict[int, str] = field(default_factory=dict)


class Unordered(Exception):
    """A sheet's rows are not in ascending order (Excel never writes them so): it cannot be streamed
    and is read whole instead (`Sheet.rows`, under the value-cell cap)."""


class Sheet:
    """One sheet. Its rows come two ways: streamed (`iter_rows`, a row at a time, for validation: what
    a file may hold is then bounded by its rows and columns, never held whole), or read whole (`rows`:
    row 0 is the spreadsheet's row 1; a row holds cells up to its last value, and rows after the last
    value are not there), loaded on first use and capped by the value cells of the whole file, for
    the error report. `size_hint` is the number of rows the sheet says it has, once streaming began
    (for a progress bar only: a file may lie)."""

    def __init__(
        self,
        name: str,
        rows: list[list[Any]] | None = None,
        *,
        loader: Callable[[Sheet], list[list[Any]]] | None = None,
        streamer: Callable[[Sheet], Iterator[Row]] | None = None,
        quick: Callable[[Sheet], Iterator[Row] | None] | None = None,
        formulas: set[tuple[int, int]] | None = None,
        hidden: bool = False,
    ) -> None:
        self.name = name
        self._rows = rows
        self._loader = loader
        self._streamer = streamer
        self._quick = quick
        self._formulas = formulas if formulas is not None else set()
        self._errors: dict[tuple[int, int], str] = {}
        self._head: list[list[Any]] = []
        self._head_complete = False
        self.hidden = hidden
        self.size_hint = 0

    @property
    def rows(self) -> list[list[Any]]:
        if self._rows is None:
            self._rows = self._loader(self) if self._loader else []
        return self._rows

    @property
    def formulas(self) -> set[tuple[int, int]]:
        """Formula cells (0-based row, column), known once the sheet is read."""
        _ = self.rows
        return self._formulas

    @property
    def errors(self) -> dict[tuple[int, int], str]:
        """Error cells (0-based row, column) and the error they show, e.g. “#DIV/0!”."""
        _ = self.rows
        return self._errors

    def iter_rows(self, *, whole: bool = False) -> Iterator[Row]:
        """The rows holding a value, in order, one at a time; raises Unordered for a sheet whose rows
        are out of order (then ask for them `whole`: read whole, under the value-cell cap). A sheet
        that the values reader may take (`quick`, see `_quick_rows`) is read by it."""
        if not whole and self._rows is None and self._streamer is not None:
            quick = self._quick(self) if self._quick is not None else None
            yield from quick if quick is not None else self._streamer(self)
            return
        formulas: dict[int, set[int]] = {}
        for row, col in self.formulas:
            formulas.setdefault(row, set()).add(col)
        errors: dict[int, dict[int, str]] = {}
        for (row, col), error in self.errors.items():
            errors.setdefault(row, {})[col] = error
        for index, cells in enumerate(self.rows):
            if cells or index in formulas:
                yield Row(index, cells, formulas.get(index, set()), errors.get(index, {}))

    def head(self, count: int) -> list[list[Any]]:
        """The first `count` rows (row 0 is row 1; empty rows as []), without reading further."""
        if len(self._head) >= count or self._head_complete:
            return self._head[:count]
        if self._rows is not None or self._streamer is None:
            self._head, self._head_complete = self.rows[:count], len(self.rows) <= count
            return self._head
        head: list[list[Any]] = []
        complete = True
        try:
            # The stream reader, not the values reader: the head is a few rows, the values reader
            # would build the whole sheet for them.
            for row in self._streamer(self):
                if row.index >= count:
                    complete = False
                    break
                head.extend([] for _ in range(row.index - len(head)))
                head.append(row.cells)
        except Unordered:
            return self.rows[:count]
        self._head, self._head_complete = head, complete
        return head


@dataclass
class Workbook:
    format: str  # xlsx, xls, ods or csv
    sheets: list[Sheet]
    encoding: str = ""  # CSV only: utf-8, utf-8-sig, utf-16, gbk or gb18030
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
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "实际是图片"
    lowered = head.lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    if lowered.startswith((b"<html", b"<!doctype", b"<table", b"<meta")):
        return "实际是网页（HTML）"
    if lowered.startswith(b"<?xml"):
        return "实际是XML文件"
    return "无法识别的内容"


HEAD_BYTES = 65536  # what check_content looks at: enough to judge a file by its head alone


def check_content(name: str, fmt: str, data: bytes, limits: Limits, *, size: int | None = None) -> None:
    """Refuse empty, oversized and mislabelled files. `data` may be the file's first HEAD_BYTES
    bytes only, with `size` its whole length (an upload judged before it is read)."""
    size = len(data) if size is None else size
    if not size:
        raise FileRefused(REFUSED_EMPTY.format(name=name))
    if size > limits.max_bytes:
        raise FileRefused(REFUSED_TOO_LARGE.format(name=name, size=size / 2**20, limit=limits.max_bytes // 2**20))
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
    # UTF-16 text is full of NUL bytes: it is text when it starts with its byte-order mark. A stray
    # NUL in other text is left for validation to name the cell; many of them mean a binary file.
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    binary = head.count(b"\x00") > BINARY_NULS or head.startswith((ZIP_MAGIC, OLE_MAGIC, b"%PDF"))
    if fmt == "csv" and not utf16 and binary:
        raise FileRefused(REFUSED_CONTENT.format(name=name, expected="CSV文本", found=_describe(head)))


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


class _Cells:
    """Where a sheet's values go while it is read: each value is placed at its row and column,
    growing only the row it is in, with the row, column and cell caps checked before anything grows."""

    def __init__(self, name: str, sheet: str, limits: Limits, counter: list[int]) -> None:
        self.name, self.sheet, self.limits = name, sheet, limits
        self.rows: list[list[Any]] = []
        self.counter = counter  # value cells read so far in the whole file

    def put(self, row: int, col: int, value: Any) -> None:
        """Place a value at 0-based (row, col)."""
        limits = self.limits
        _check_place(self.sheet, row, col, limits)
        self.counter[0] += 1
        if self.counter[0] > limits.max_cells:
            raise FileRefused(REFUSED_CELLS.format(name=self.name, limit=limits.max_cells))
        rows = self.rows
        while len(rows) <= row:
            rows.append([])
        cells = rows[row]
        if len(cells) <= col:
            cells.extend([None] * (col + 1 - len(cells)))
        cells[col] = value


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


class _Expanded(Exception):
    """A zip member expanded beyond the budget while being read."""


class _Budget:
    """What the members of one file may expand to, in all, counted as they are read."""

    def __init__(self, total: int) -> None:
        self.left = total

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise _Expanded


class _TextTooLong(Exception):
    """A run of XML without markup longer than any cell holds."""


class _LimitedReader(io.RawIOBase):
    """A zip member as a file object that counts what it expands to and, for the parts parsed here,
    the longest stretch without markup: the XML parser would hold a text that long whole (twice,
    while joining it), so one is refused before it is parsed."""

    def __init__(self, handle: IO[bytes], budget: _Budget, max_run: int | None = None) -> None:
        self.handle, self.budget, self.max_run = handle, budget, max_run
        self.run = 0  # bytes since the last “<”

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.handle.read(min(len(buffer), 1 << 20))
        self.budget.spend(len(chunk))
        if self.max_run is not None:
            last = chunk.rfind(b"<")
            self.run = self.run + len(chunk) if last < 0 else len(chunk) - last - 1
            if self.run > self.max_run:
                raise _TextTooLong
        buffer[: len(chunk)] = chunk
        return len(chunk)


_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
# An Excel cell holds at most 32,767 characters (under 100 KB in UTF-8 with its escapes).
MAX_TEXT_RUN = 1024 * 1024


def _open_member(
    name: str, archive: zipfile.ZipFile, member: str, budget: _Budget, max_run: int | None = MAX_TEXT_RUN
) -> IO[bytes]:
    """A member to parse. A DTD (which could define entities) is refused: Excel never writes one,
    and it must come before the first element, so the head of the part tells."""
    handle = io.BufferedReader(_LimitedReader(archive.open(member), budget, max_run), 1 << 16)
    if _DOCTYPE.search(handle.peek(4096)[:4096]):
        raise FileRefused(REFUSED_DTD.format(name=name))
    return handle


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


SMALL_PART_LIMIT = 16 * 1024 * 1024
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _small_part(name: str, archive: zipfile.ZipFile, member: str, budget: _Budget) -> ElementTree.Element | None:
    if member not in archive.NameToInfo:
        return None
    with _open_member(name, archive, member, budget) as handle:
        content = handle.read(SMALL_PART_LIMIT + 1)
    if len(content) > SMALL_PART_LIMIT:
        raise _Expanded
    return ElementTree.fromstring(content)  # noqa: S314 - no DTD (checked), so no entities to expand


@dataclass
class _SheetEntry:
    name: str
    member: str
    hidden: bool


def _workbook_parts(name: str, archive: zipfile.ZipFile, budget: _Budget) -> tuple[list[_SheetEntry], bool]:
    """The worksheets (name, member, hidden) in workbook order, and whether dates count from 1904."""
    workbook = _small_part(name, archive, "xl/workbook.xml", budget)
    rels = _small_part(name, archive, "xl/_rels/workbook.xml.rels", budget)
    if workbook is None or rels is None:
        return [], False
    targets: dict[str, str] = {}
    for rel in rels.iter():
        if _local(rel.tag) == "Relationship" and rel.get("Type", "").endswith("/worksheet"):
            target = rel.get("Target", "")
            targets[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    date1904 = False
    sheets: list[_SheetEntry] = []
    for element in workbook.iter():
        tag = _local(element.tag)
        if tag == "workbookPr":
            date1904 = element.get("date1904", "").lower() in ("1", "true")
        elif tag == "sheet":
            rel_id = element.get(f"{{{R_NS}}}id") or next(
                (value for key, value in element.attrib.items() if _local(key) == "id"), ""
            )
            if rel_id in targets:
                hidden = element.get("state", "visible") != "visible"
                sheets.append(_SheetEntry(element.get("name", ""), targets[rel_id], hidden))
    return sheets, date1904


# Built-in number formats that show dates (including those of Chinese and other East Asian Excel)
# and percentages, as numbered by ECMA-376 §18.8.30.
BUILTIN_DATES = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
BUILTIN_PERCENT = frozenset({9, 10})
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')
DATE, PERCENT = "date", "percent"


def format_kind(code: str) -> str:
    """“date”, “percent” or “” for a number format code (its first section decides)."""
    section = code.split(";", 1)[0]
    elapsed = re.search(r"\[(h+|m+|s+)\]", section, re.IGNORECASE) is not None
    bare = _FORMAT_LITERALS.sub("", section)
    if "%" in bare:
        return PERCENT
    if elapsed or re.search(r"[dmyhs]", bare, re.IGNORECASE) or "上午/下午" in section:
        return DATE
    return ""


def _style_kinds(name: str, archive: zipfile.ZipFile, budget: _Budget) -> list[str]:
    """For each cell style index, what its number format shows (date, percent or a plain number)."""
    styles = _small_part(name, archive, "xl/styles.xml", budget)
    if styles is None:
        return []
    custom: dict[int, str] = {}
    kinds: list[str] = []
    for element in styles.iter():
        if _local(element.tag) == "numFmt":
            try:
                custom[int(element.get("numFmtId", ""))] = format_kind(element.get("formatCode", ""))
            except ValueError:
                continue
    for element in styles.iter():
        if _local(element.tag) != "cellXfs":
            continue
        for xf in element:
            try:
                number_format = int(xf.get("numFmtId", "0"))
            except ValueError:
                number_format = 0
            if number_format in custom:
                kinds.append(custom[number_format])
            elif number_format in BUILTIN_DATES:
                kinds.append(DATE)
            elif number_format in BUILTIN_PERCENT:
                kinds.append(PERCENT)
            else:
                kinds.append("")
        break
    return kinds


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_text(text: str) -> str:
    """The `_xHHHH_` escapes of OOXML strings (`_x000D_` is a carriage return, `_x005F_` an
    underscore): the character they stand for, control characters included, for validation to judge."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


def _rich_text(element: ElementTree.Element) -> str:
    """The text of a string item: its `t` runs, without the phonetic guides (`rPh`)."""
    parts: list[str] = []
    for child in element:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(run.text or "" for run in child if _local(run.tag) == "t")
    return unescape_text("".join(parts))


def _shared_strings(
    name: str, archive: zipfile.ZipFile, budget: _Budget, limits: Limits, counter: list[int]
) -> list[str]:
    member = "xl/sharedStrings.xml"
    if member not in archive.NameToInfo:
        return []
    strings: list[str] = []
    with _open_member(name, archive, member, budget) as handle:
        parent: ElementTree.Element | None = None
        for event, element in ElementTree.iterparse(handle, events=("start", "end")):  # noqa: S314 - no DTD
            tag = _local(element.tag)
            if event == "start":
                if tag == "sst":
                    parent = element
                continue
            if tag == "si":
                strings.append(_rich_text(element))
                # A string costs memory like a cell: they share the cap.
                counter[0] += 1
                if counter[0] > limits.max_cells:
                    raise FileRefused(REFUSED_CELLS.format(name=name, limit=limits.max_cells))
                if parent is not None:
                    parent.clear()
    return strings


_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - spreadsheet dates have no time zone
EPOCH_1904 = dt.datetime(1904, 1, 1)  # noqa: DTZ001
MAX_SERIAL = 2958465  # 9999-12-31


def _serial_date(number: float, date1904: bool) -> Any:
    if not 0 <= number <= MAX_SERIAL:
        return number
    moment = (EPOCH_1904 if date1904 else EXCEL_EPOCH) + dt.timedelta(days=number)
    moment = moment.replace(microsecond=0) if moment.microsecond < 500_000 else moment
    return moment.date() if float(number).is_integer() else moment


def percent_text(number: float) -> str:
    """A %-formatted number as the cell shows it, exactly: 0.185 → “18.5%” (never rounded)."""
    shown = (Decimal(repr(number)) * 100).normalize()
    return f"{shown:f}%"


def _number(text: str) -> float | int:
    text = text.strip()
    if text.lstrip("-").isdigit() and len(text) < 16:
        return int(text)
    return float(text)  # NaN and Infinity stay what they are; validation refuses them


_CELL_PARTS = frozenset({"c", "is", "r", "rPh"})


# What the sheet stream gives: (row, col, value, formula, error) for each cell; col -1 when a row ends.
_Event = tuple[int, int, Any, bool, bool]
_DIMENSION = re.compile(r"[A-Za-z]{1,3}\$?(\d{1,7})$")


def _xlsx_events(
    name: str, archive: zipfile.ZipFile, member: str, sheet: Sheet, budget: _Budget, context: _XlsxContext
) -> Iterator[_Event]:
    """The cells of a sheet's XML as they are parsed: a cell holding a value, a formula or an error
    (an empty one is skipped), and the end of each row."""
    strings, styles, date1904 = context.strings, context.styles, context.date1904
    row_number = -1  # 0-based, for rows and cells without an r= reference
    col_number = -1
    # The elements open around the one being read. Each finished element leaves its parent at once
    # (except the parts of a cell, read when the cell ends), so that whatever the sheet holds, in
    # <sheetData> or after it, the tree in memory stays one cell deep.
    stack: list[ElementTree.Element] = []
    keeps: list[bool] = []  # per open element: whether its finished children stay (the parts of a cell)
    names: dict[str, str] = {}  # tag → local name
    columns: dict[str, int] = {}  # column letters → 0-based index
    with _open_member(name, archive, member, budget) as handle:
        for event, element in ElementTree.iterparse(handle, events=("start", "end")):  # noqa: S314 - no DTD
            local = names.get(element.tag)
            if local is None:
                local = names[element.tag] = _local(element.tag)
            if event == "start":
                stack.append(element)
                keeps.append(local in _CELL_PARTS)
                if local == "dimension" and (found := _DIMENSION.search(element.get("ref", ""))):
                    sheet.size_hint = int(found.group(1))
                if local == "row":
                    reference = element.get("r")
                    row_number = int(reference) - 1 if reference and reference.isdigit() else row_number + 1
                    col_number = -1
                continue
            stack.pop()
            keeps.pop()
            if stack and not keeps[-1]:
                stack[-1].remove(element)
            if local == "row":
                yield row_number, -1, None, False, False
                continue
            if local != "c":
                continue
            reference = element.get("r")
            row, col = row_number, col_number + 1
            if reference:
                match = _CELL_REF.match(reference)
                if match is None:
                    raise FileRefused(REFUSED_BROKEN.format(name=name, reason=f"单元格引用“{reference[:20]}”无效"))
                letters = match.group(1)
                col = columns.get(letters, -1)
                if col < 0:
                    col = columns[letters] = column_number(letters.upper()) - 1
                row = int(match.group(2)) - 1
                if row < 0:
                    raise FileRefused(REFUSED_BROKEN.format(name=name, reason=f"单元格引用“{reference}”无效"))
            row_number, col_number = max(row, 0), col
            kind = element.get("t", "n")
            raw: str | None = None
            formula = False
            inline = None
            for child in element:
                child_tag = names.get(child.tag) or _local(child.tag)
                if child_tag == "v":
                    raw = child.text or ""
                elif child_tag == "f":
                    formula = True
                elif child_tag == "is":
                    inline = child
            value: Any = None
            try:
                if kind == "s":
                    value = strings[int(raw)] if raw else None
                elif kind == "inlineStr":
                    value = _rich_text(inline) if inline is not None else None
                elif kind in ("str", "e"):
                    value = unescape_text(raw) if raw is not None else None
                elif kind == "b":
                    value = raw.strip() in ("1", "true") if raw else None
                elif kind == "d":
                    value = dt.datetime.fromisoformat(raw.strip()) if raw else None
                elif raw is not None and raw.strip():
                    value = _number(raw)
                    style = element.get("s")
                    shown = styles[int(style)] if style and style.isdigit() and int(style) < len(styles) else ""
                    if shown and math.isfinite(value):
                        if shown == PERCENT:
                            value = percent_text(float(value))
                        elif shown == DATE:
                            value = _serial_date(float(value), date1904)
            except (ValueError, IndexError):
                raise FileRefused(
                    REFUSED_BROKEN.format(name=name, reason=f"单元格{column_letters(max(col, 0))}{row + 1}的值无效")
                ) from None
            if value == "":
                value = None
            if value is not None or formula:
                yield row, col, value, formula, kind == "e" and value is not None


def _read_xlsx_sheet(part: _SheetPart) -> list[list[Any]]:
    """The whole sheet, under the value-cell cap of the file."""
    sheet = part.sheet
    cells = _Cells(part.name, sheet.name, part.limits, part.context.counter)
    for row, col, value, formula, error in part.events():
        if col < 0:
            continue
        if formula:
            sheet._formulas.add((row, col))
        if value is None:
            continue
        if error:
            sheet._errors[(row, col)] = str(value)
        cells.put(row, col, value)
    return cells.rows


def _check_place(sheet: str, row: int, col: int, limits: Limits) -> None:
    if row >= limits.max_rows + 1:
        raise FileRefused(REFUSED_ROWS.format(sheet=sheet, rows=row + 1, limit=limits.max_rows))
    if col >= limits.max_columns:
        raise FileRefused(REFUSED_COLUMNS.format(sheet=sheet, columns=col + 1, limit=limits.max_columns))


def _stream_xlsx_rows(part: _SheetPart) -> Iterator[Row]:
    """The sheet a row at a time: only the row being read is in memory, so no cap on the cells of
    the whole file is needed; the row and column caps hold as they do when it is read whole."""
    current: Row | None = None
    last = -1  # the last row given
    sheet = part.sheet
    for row, col, value, formula, error in part.events():
        if current is not None and (col < 0 or row != current.index):
            yield current
            last, current = current.index, None
        if col < 0:
            continue
        if row <= last:
            raise Unordered(sheet.name)
        _check_place(sheet.name, row, col, part.limits)
        if current is None:
            current = Row(row, [])
        if formula:
            current.formulas.add(col)
        if value is None:
            continue
        if error:
            current.errors[col] = str(value)
        cells = current.cells
        if len(cells) <= col:
            cells.extend([None] * (col + 1 - len(cells)))
        cells[col] = value
    if current is not None:
        yield current


@dataclass
class _XlsxContext:
    strings: list[str]
    styles: list[str]
    date1904: bool
    counter: list[int]
    quick_strings: bool = False  # the shared strings read the same in python-calamine


@dataclass(frozen=True, slots=True)
class _SheetPart:
    """One worksheet of an open workbook, as both readers of its cells take it: whole
    (`_read_xlsx_sheet`) or a row at a time (`_stream_xlsx_rows`)."""

    name: str  # the file's name, for the messages
    archive: zipfile.ZipFile
    member: str
    sheet: Sheet
    budget: _Budget
    limits: Limits
    context: _XlsxContext

    def events(self) -> Iterator[_Event]:
        return _xlsx_events(self.name, self.archive, self.member, self.sheet, self.budget, self.context)


# ---------------------------------------------------------------- .xlsx values through python-calamine
#
# Reading a sheet's XML in Python costs about ten times what python-calamine (Rust) spends on the
# same sheet. calamine reads values only and builds the sheet as a dense rectangle, so it is given a
# sheet only after a scan of the sheet's XML (a stream under the same expansion budget, DTD refusal
# and text-run cap as the stream reader) has shown that the sheet holds nothing calamine would read
# otherwise than the stream reader, and that its rectangle is small: no formula (`<f>`), no error,
# date or formula-string cell, no cell of a date or percentage style, no `_xHHHH_` escape, character
# reference, CDATA, carriage return or phonetic guide (here or in the shared strings), no prefixed
# element; every cell with an `r=` reference; rows and columns within the caps and the rectangle
# within QUICK_MAX_CELLS. Anything else, or calamine failing, and the stream reader reads the sheet.

QUICK_MAX_CELLS = 4_000_000  # about 130 MB for calamine's rectangle (32 bytes a cell)
# Each a scan at C speed over the part (one pattern with all of them would try every position).
_QUICK_LITERALS = (b"<rPh", b"<![CDATA[", b"&#", b"\r")
_QUICK_PATTERNS = (
    re.compile(rb"<f[\s/>]"),  # a formula
    re.compile(rb":(?:c|v|f|is|t|r|row|si|sheetData|rPh)[\s/>]"),  # a prefixed element
    re.compile(rb"t\s*=\s*[\"'](?:e|d|str)[\"']|t\s*=\s*'"),  # error, date, formula-string cells
    re.compile(rb"_x[0-9A-Fa-f]{4}_"),  # an escape
)
_QUICK_CELL_OPENINGS = (b"<c ", b"<c>", b"<c/", b"<c\t", b"<c\n")
_QUICK_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_QUICK_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_QUICK_STYLE = re.compile(rb'\ss="([0-9]{1,6})"')
_QUICK_DIMENSION = re.compile(rb"<dimension\s[^>]*>")
_QUICK_AREA = re.compile(rb'ref="(?:[A-Z]{1,3}[0-9]{1,7}:)?([A-Z]{1,3})([0-9]{1,7})"')
_QUICK_DATES = (dt.date, dt.time, dt.timedelta)  # dt.datetime is a dt.date


def _plain_part(name: str, archive: zipfile.ZipFile, member: str, budget: _Budget) -> Iterator[bytes]:
    """A part's XML in pieces that end after a “>”, so that no tag is cut in two; read under the
    budget, the DTD refusal and the text-run cap of the stream reader."""
    with _open_member(name, archive, member, budget) as handle:
        carry = b""
        while chunk := handle.read(1 << 20):
            chunk = carry + chunk
            cut = chunk.rfind(b">") + 1
            carry = chunk[cut:]
            yield chunk[:cut]
        yield carry


def _quick_special(piece: bytes) -> bool:
    """Whether a piece of XML holds anything calamine would read otherwise than the stream reader."""
    return any(literal in piece for literal in _QUICK_LITERALS) or any(
        pattern.search(piece) for pattern in _QUICK_PATTERNS
    )


def _small_dimension(tag: bytes) -> bool:
    """Whether a sheet's `<dimension>` names a rectangle calamine may reserve (it may size its
    rectangle by it)."""
    area = _QUICK_AREA.search(tag)
    return area is not None and int(area.group(2)) * column_number(area.group(1).decode()) <= QUICK_MAX_CELLS


def _quick_extent(part: _SheetPart) -> tuple[int, int] | None:
    """The rows and columns of the sheet's rectangle when calamine may read it (see above), else None."""
    cells = refs = last_row = last_col = 0
    styles: set[bytes] = set()
    for piece in _plain_part(part.name, part.archive, part.member, _Budget(part.limits.max_uncompressed_bytes)):
        if _quick_special(piece):
            return None
        if (dimension := _QUICK_DIMENSION.search(piece)) and not _small_dimension(dimension.group(0)):
            return None
        cells += sum(piece.count(opening) for opening in _QUICK_CELL_OPENINGS)
        found = _QUICK_ROW.findall(piece)
        refs += len(found)
        rows = set(found)
        columns = set(_QUICK_COLUMN.findall(piece))
        if rows:
            last_row = max(last_row, *(int(row) for row in rows))
        if columns:
            last_col = max(last_col, *(column_number(column.decode()) for column in columns))
        styles.update(_QUICK_STYLE.findall(piece))
    kinds = part.context.styles
    if any(int(style) >= len(kinds) or kinds[int(style)] for style in styles):
        return None
    limits = part.limits
    if cells != refs or last_row > limits.max_rows + 1 or last_col > limits.max_columns:
        return None
    if last_row * last_col > QUICK_MAX_CELLS:
        return None
    return last_row, last_col


def _quick_strings(name: str, archive: zipfile.ZipFile, limits: Limits) -> bool:
    """Whether the shared strings read the same in calamine (no escapes, references, phonetic guides)."""
    member = "xl/sharedStrings.xml"
    if member not in archive.NameToInfo:
        return True
    budget = _Budget(limits.max_uncompressed_bytes)
    return not any(_quick_special(piece) for piece in _plain_part(name, archive, member, budget))


def _quick_rows(part: _SheetPart, data: bytes) -> Iterator[Row] | None:
    """The sheet's rows read by python-calamine, or None when the stream reader must read it."""
    extent = _quick_extent(part)
    if extent is None or not part.context.quick_strings:
        return None
    from python_calamine import CalamineWorkbook

    try:
        values = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(part.sheet.name)
    except Exception:  # whatever calamine cannot read, the stream reader reads or refuses
        return None
    part.sheet.size_hint = extent[0]
    return _quick_iter(part, values)


def _quick_iter(part: _SheetPart, values: Any) -> Iterator[Row]:
    top, left = values.start or (0, 0)
    padding = [None] * left
    last = -1
    for offset, cells in enumerate(values.iter_rows()):
        types = set(map(type, cells))
        if any(issubclass(kind, _QUICK_DATES) for kind in types):
            # calamine took a number for a date where the stream reader would not: the stream
            # reader reads the sheet from this row on.
            again = dataclasses.replace(part, budget=_Budget(part.limits.max_uncompressed_bytes))
            yield from (line for line in _stream_xlsx_rows(again) if line.index > last)
            return
        row = padding + [None if value == "" else value for value in cells] if str in types else padding + cells
        while row and row[-1] is None:
            row.pop()
        if row:
            last = top + offset
            yield Row(last, row)


def read_xlsx(name: str, data: bytes, limits: Limits) -> Workbook:
    archive = _open_zip(name, data, limits)
    if "xl/workbook.xml" not in archive.NameToInfo:
        raise FileRefused(
            REFUSED_CONTENT.format(name=name, expected="Excel工作簿(.xlsx)", found="是压缩包但不含工作簿")
        )
    if "EncryptedPackage" in archive.NameToInfo:
        raise FileRefused(REFUSED_ENCRYPTED.format(name=name))
    budget = _Budget(limits.max_uncompressed_bytes)
    counter = [0]

    @contextmanager
    def refusals() -> Iterator[None]:
        try:
            yield
        except _Expanded:
            limit = limits.max_uncompressed_bytes // 2**20
            raise FileRefused(REFUSED_EXPANDED.format(name=name, size=limit, limit=limit)) from None
        except _TextTooLong:
            raise FileRefused(REFUSED_TEXT.format(name=name)) from None
        except ElementTree.ParseError as exc:
            raise FileRefused(REFUSED_BROKEN.format(name=name, reason=f"XML格式错误（{exc}）")) from None
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise FileRefused(REFUSED_BROKEN.format(name=name, reason=str(exc)[:200])) from None

    def guarded(action: Callable[[], Any]) -> Any:
        with refusals():
            return action()

    entries, date1904 = guarded(lambda: _workbook_parts(name, archive, budget))
    styles = guarded(lambda: _style_kinds(name, archive, budget))
    context: _XlsxContext | None = None

    def ready_context() -> _XlsxContext:
        nonlocal context
        if context is None:
            strings = guarded(lambda: _shared_strings(name, archive, budget, limits, counter))
            quick = guarded(lambda: _quick_strings(name, archive, limits))
            context = _XlsxContext(strings, styles, date1904, counter, quick)
        return context

    def loader(member: str) -> Callable[[Sheet], list[list[Any]]]:
        def load(sheet: Sheet) -> list[list[Any]]:
            ready = ready_context()
            rows: list[list[Any]] = guarded(
                lambda: _read_xlsx_sheet(_SheetPart(name, archive, member, sheet, budget, limits, ready))
            )
            return rows

        return load

    def streamer(member: str) -> Callable[[Sheet], Iterator[Row]]:
        def stream(sheet: Sheet) -> Iterator[Row]:
            ready = ready_context()
            # Each pass reads the member again, with a budget of its own: a second pass (the header
            # search, then the rows) is not an expansion of the file.
            own = _Budget(limits.max_uncompressed_bytes)
            with refusals():
                yield from _stream_xlsx_rows(_SheetPart(name, archive, member, sheet, own, limits, ready))

        return stream

    def quick(member: str) -> Callable[[Sheet], Iterator[Row] | None]:
        def values(sheet: Sheet) -> Iterator[Row] | None:
            ready = ready_context()
            own = _Budget(limits.max_uncompressed_bytes)
            rows: Iterator[Row] | None = guarded(
                lambda: _quick_rows(_SheetPart(name, archive, member, sheet, own, limits, ready), data)
            )
            return None if rows is None else _refused(rows)

        return values

    def _refused(rows: Iterator[Row]) -> Iterator[Row]:
        with refusals():
            yield from rows

    visible: list[Sheet] = []
    hidden: list[Sheet] = []
    for entry in entries:
        if entry.member not in archive.NameToInfo:
            continue
        sheet = Sheet(
            entry.name,
            loader=loader(entry.member),
            streamer=streamer(entry.member),
            quick=quick(entry.member),
            hidden=entry.hidden,
        )
        (hidden if entry.hidden else visible).append(sheet)
    if not visible and not hidden:
        raise FileRefused(REFUSED_NO_SHEET.format(name=name))
    return Workbook(format="xlsx", sheets=visible + hidden)


def _open_zip(name: str, data: bytes, limits: Limits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileRefused(REFUSED_BROKEN.format(name=name, reason=str(exc))) from None
    _guard_zip(name, archive, limits)
    return archive


# ---------------------------------------------------------------- .xls and .ods (python-calamine, in a child)


def _calamine_sheets(data: bytes, limits: Limits) -> tuple[str, Any]:
    """Run in the child process: every worksheet as (name, hidden, rows) with only value cells kept,
    or ("refused", message)."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        counter = [0]
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            cells = _Cells("", meta.name, limits, counter)
            top, left = sheet.start or (0, 0)
            for offset, row in enumerate(sheet.iter_rows()):
                for index, value in enumerate(row):
                    if value is not None and value != "":
                        cells.put(top + offset, left + index, value)
            sheets.append((meta.name, meta.visible != SheetVisibleEnum.Visible, cells.rows))
        return "ok", sheets
    except FileRefused as exc:
        return "refused", str(exc)
    except (CalamineError, ValueError, OSError) as exc:
        return "broken", str(exc)[:200]


def _child_main() -> None:  # pragma: no cover - runs in the child process
    import resource

    limits = Limits(*(int(arg) for arg in sys.argv[2:]))
    limit = limits.reader_memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    data = sys.stdin.buffer.read()
    try:
        outcome = _calamine_sheets(data, limits)
    except MemoryError:
        outcome = ("memory", "")
    sys.stdout.buffer.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


CHILD_TIMEOUT_SECONDS = 300


def read_calamine(name: str, fmt: str, data: bytes, limits: Limits) -> Workbook:
    if fmt == "ods":
        archive = _open_zip(name, data, limits)
        if "content.xml" not in archive.NameToInfo:
            raise FileRefused(
                REFUSED_CONTENT.format(name=name, expected="OpenDocument表格(.ods)", found="是压缩包但不含表格")
            )
        budget = _Budget(limits.max_uncompressed_bytes)
        try:
            with _open_member(name, archive, "content.xml", budget, max_run=None) as handle:
                while handle.read(1 << 20):
                    pass
        except _Expanded:
            limit = limits.max_uncompressed_bytes // 2**20
            raise FileRefused(REFUSED_EXPANDED.format(name=name, size=limit, limit=limit)) from None
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise FileRefused(REFUSED_BROKEN.format(name=name, reason=str(exc)[:200])) from None
    arguments = [str(getattr(limits, name)) for name in Limits.__dataclass_fields__]
    command = [sys.executable, "-c", "from yuanqu.intake.reading import _child_main; _child_main()", "-", *arguments]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
    try:
        completed = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command, input=data, capture_output=True, env=environment, timeout=CHILD_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise FileRefused(REFUSED_BROKEN.format(name=name, reason="读取超时")) from None
    outcome: tuple[str, Any] = ("memory", "")
    if completed.returncode == 0 and completed.stdout:
        outcome = pickle.loads(completed.stdout)  # noqa: S301 - written by the child we started
    status, payload = outcome
    if status == "memory":
        raise FileRefused(REFUSED_MEMORY.format(name=name, limit=limits.reader_memory_mb))
    if status == "refused":
        raise FileRefused(str(payload).replace("文件“”", f"文件“{name}”"))
    if status == "broken":
        if "password" in payload.lower() or "encrypt" in payload.lower():
            raise FileRefused(REFUSED_ENCRYPTED.format(name=name))
        raise FileRefused(REFUSED_BROKEN.format(name=name, reason=payload))
    visible = [Sheet(sheet, rows) for sheet, hidden, rows in payload if not hidden]
    hidden_sheets = [Sheet(sheet, rows, hidden=True) for sheet, hidden, rows in payload if hidden]
    if not visible and not hidden_sheets:
        raise FileRefused(REFUSED_NO_SHEET.format(name=name))
    return Workbook(format=fmt, sheets=visible + hidden_sheets, notes=[NOTE_OLD_FORMAT])


def read_spreadsheet(name: str, fmt: str, data: bytes, limits: Limits) -> Workbook:
    if fmt == "xlsx":
        return read_xlsx(name, data, limits)
    return read_calamine(name, fmt, data, limits)


# ---------------------------------------------------------------- CSV

CSV_ENCODINGS = ("utf-8", "gbk", "gb18030")
_CHUNK = 1 << 20


def _decodes(data: bytes, encoding: str, start: int = 0) -> bool:
    """Whether the whole text decodes, checked a chunk at a time (no copy of the text is kept)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for offset in range(start, len(data), _CHUNK):
            decoder.decode(view[offset : offset + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def csv_encoding(name: str, data: bytes) -> tuple[str, int]:
    """The encoding of a CSV file and where its text starts (after a byte-order mark)."""
    if data.startswith(codecs.BOM_UTF8):
        if _decodes(data, "utf-8", len(codecs.BOM_UTF8)):
            return "utf-8-sig", len(codecs.BOM_UTF8)
        raise FileRefused(REFUSED_ENCODING.format(name=name))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if _decodes(data, "utf-16"):
            return "utf-16", 0
        raise FileRefused(REFUSED_ENCODING.format(name=name))
    for encoding in CSV_ENCODINGS:
        if _decodes(data, encoding):
            return encoding, 0
    raise FileRefused(REFUSED_ENCODING.format(name=name))


def read_csv(name: str, data: bytes, limits: Limits) -> Workbook:
    encoding, start = csv_encoding(name, data)
    codec = "utf-16" if encoding == "utf-16" else encoding.removesuffix("-sig")
    first_line = data[start : start + 65536].decode(codec, "ignore").split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)

    def stream(sheet: Sheet) -> Iterator[Row]:
        raw = io.BytesIO(data)  # shares the bytes, no copy
        raw.seek(start)
        text = io.TextIOWrapper(raw, encoding=codec, newline="")
        try:
            for index, line in enumerate(csv.reader(text, delimiter=delimiter)):
                if index % 1000 == 0 and index:
                    # Rows so far, scaled by the bytes so far: the row count a progress bar shows.
                    sheet.size_hint = max(index, int(index * len(data) / max(1, raw.tell())))
                last = max((col for col, value in enumerate(line) if value != ""), default=-1)
                if last < 0:
                    continue
                _check_place(name, index, last, limits)
                yield Row(index, [value if value != "" else None for value in line[: last + 1]])
        except csv.Error as exc:
            raise FileRefused(REFUSED_BROKEN.format(name=name, reason=str(exc)[:200])) from None

    def load(sheet: Sheet) -> list[list[Any]]:
        cells = _Cells(name, name, limits, [0])
        for row in stream(sheet):
            for col, value in enumerate(row.cells):
                if value is not None:
                    cells.put(row.index, col, value)
        return cells.rows

    def precheck(sheet: Sheet) -> Iterator[Row] | None:
        # A file with more line breaks than the row cap may hold rows past it: it is read once
        # first, keeping nothing, so that it is refused (at the same row, with the same message as
        # the stream) before validation has checked and held 200,000 rows of it. Then it is streamed.
        if data.count(b"\n", start) > limits.max_rows:
            for _row in stream(sheet):
                pass
        return None

    sheet = Sheet(name, loader=load, streamer=stream, quick=precheck)
    return Workbook(format="csv", sheets=[sheet], encoding=encoding)


def check_head(name: str, head: bytes, size: int, limits: Limits) -> str:
    """What can be refused from a file's name, size and first bytes alone (its format, else
    FileRefused): cheap enough to answer an upload with before the file is stored."""
    fmt = file_format(name)
    check_content(name, fmt, head[:HEAD_BYTES], limits, size=size)
    return fmt


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
