"""Spreadsheet exports. Every export goes through here, so each one is audited with who took it,
what and how many rows; callers pass rows they already read through `visible_to`.

A cell holds what the row held: strings are written as strings (never turned into a formula, a link
or a number), and a string that a spreadsheet would read as a formula when someone edits the cell
(it starts with = + - @, a tab or a carriage return) carries Excel's quote prefix, the stored form of
a leading apostrophe, so Excel and WPS keep it as text. Numbers, negative ones included, stay numbers.

An export that can grow large is registered (`export_register`, in its app's AppConfig.ready()): a
code, the file's name and what its rows are for a user and a query. Its view answers with
`export_respond`: up to YUANQU_EXPORT_INLINE_ROWS rows the file comes at once (`xlsx_response`);
beyond, the export goes to the queue that the jobs app connects (`export_queue_connect`; the jobs app
sits above core and most apps, so they reach it through core): a background job writes the file with
the starter's scope, keeps it and audits its download (yuanqu.jobs.exports)."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import xlsxwriter
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from yuanqu.core.audit import audit_record
from yuanqu.core.models import AuditLog, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Every string is written as it is: no formula, no hyperlink, no number read from text.
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
# Leading characters with which Excel, WPS and LibreOffice start a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> tuple[bytes, int]:
    """Write sheets of (title, headers, rows); returns the file and the number of data rows."""
    buffer = io.BytesIO()
    count = 0
    with xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS) as book:
        head = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
        quoted_head = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "quote_prefix": True})
        quoted = book.add_format({"quote_prefix": True})
        used: set[str] = set()
        for title, headers, rows in sheets:
            sheet = book.add_worksheet(_sheet_name(title, used))
            for col, header in enumerate(headers):
                _write(sheet, 0, col, _cell(header), head, quoted_head)
            sheet.freeze_panes(1, 0)
            widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
            for index, row in enumerate(rows, start=1):
                values = [_cell(value) for value in row]
                for col, value in enumerate(values):
                    _write(sheet, index, col, value, None, quoted)
                count += 1
                for col, value in enumerate(values[: len(widths)]):
                    widths[col] = min(60, max(widths[col], len(str(value)) + 2))
            for col, width in enumerate(widths):
                sheet.set_column(col, col, width)
    return buffer.getvalue(), count


def _sheet_name(title: str, used: set[str]) -> str:
    """A name Excel accepts: none of [ ] : * ? / \\, no apostrophe at either end, at most 31 characters,
    not used before in the workbook (case-insensitive)."""
    name = re.sub(r"[\[\]:*?/\\]", "_", title).strip("'")[:31] or "Sheet"
    candidate, number = name, 1
    while candidate.lower() in used:
        number += 1
        suffix = f"({number})"
        candidate = name[: 31 - len(suffix)] + suffix
    used.add(candidate.lower())
    return candidate


def _write(sheet: Any, row: int, col: int, value: str | int | float, plain: Any, quoted: Any) -> None:
    if isinstance(value, str):
        sheet.write_string(row, col, value, quoted if value.startswith(FORMULA_STARTS) else plain)
    else:
        sheet.write_number(row, col, value, plain)


def _cell(value: Any) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, int | float):
        # A spreadsheet has no NaN or infinity; an empty cell says "no value" as None does.
        return value if math.isfinite(value) else ""
    return str(value)


def xlsx_response(
    *,
    actor: User,
    filename: str,
    object_type: str,
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    detail: str = "",
) -> HttpResponse:
    content, count = xlsx_bytes(sheets)
    audit_record(
        actor=actor,
        action=AuditLog.Action.EXPORT,
        object_type=object_type,
        object_repr=filename,
        after={"rows": count},
        detail=detail[:300],
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=XLSX_MIME)
    name = f"{filename}-{stamp}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# ── exports that may be written by a background job ───────────────────────────────────────────

Sheets = Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]


@dataclass(frozen=True)
class ExportData:
    """What an export writes for one user and query: its sheets (rows may be lazy) and how many
    data rows they hold (counted cheaply, before anything is read)."""

    rows: int
    sheets: Sheets
    detail: str = ""


@dataclass(frozen=True)
class Export:
    code: str
    label: StrOrPromise
    # The file's name (without date and suffix) and the audit log's object type.
    filename: str
    object_type: str
    # The rows for a user and a query (the page's parameters, and the view's own as strings). It
    # reads through `visible_to` for that user; Http404 or PermissionDenied when the query names
    # nothing the user may see (the view checks first; a background job meets it if the data went).
    build: Callable[[User, dict[str, str]], ExportData]
    # The file's name when it depends on the query (else `filename`).
    name: Callable[[dict[str, str]], str] | None = None

    def filename_for(self, query: dict[str, str]) -> str:
        return self.name(query) if self.name is not None else self.filename


EXPORTS: dict[str, Export] = {}
ExportQueue = Callable[[HttpRequest, User, Export, dict[str, str], int], HttpResponse]
_queue: list[ExportQueue] = []


def export_register(export: Export) -> None:
    if export.code in EXPORTS and EXPORTS[export.code] != export:
        raise ValueError(f"export {export.code!r} registered twice")
    EXPORTS[export.code] = export


def export_queue_connect(queue: ExportQueue) -> None:
    """The jobs app's answer for an export too large for a request (its JobsConfig.ready())."""
    _queue[:] = [queue]


def export_query(params: dict[str, str]) -> dict[str, str]:
    """The parameters that select an export's rows: the page's, without the export switch and page."""
    return {str(key): str(value) for key, value in params.items() if key not in ("export", "page")}


def export_respond(request: HttpRequest, *, actor: User, code: str, params: dict[str, str]) -> HttpResponse:
    """The file at once when it has at most YUANQU_EXPORT_INLINE_ROWS rows (or when no queue is
    connected), else the queue's answer (the page of the job that writes it)."""
    export = EXPORTS[code]
    query = export_query(params)
    data = export.build(actor, query)
    if data.rows <= int(settings.EXPORT_INLINE_ROWS) or not _queue:
        return xlsx_response(
            actor=actor,
            filename=export.filename_for(query),
            object_type=export.object_type,
            sheets=data.sheets,
            detail=data.detail,
        )
    return _queue[0](request, actor, export, query, data.rows)
