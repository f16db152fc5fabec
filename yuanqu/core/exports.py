"""Spreadsheet exports. Every export goes through here, so each one is audited with who took it,
what and how many rows; callers pass rows they already read through `visible_to`."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone

from yuanqu.core.audit import audit_record
from yuanqu.core.models import AuditLog, User

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> tuple[bytes, int]:
    """Write sheets of (title, headers, rows); returns the file and the number of data rows."""
    buffer = io.BytesIO()
    count = 0
    with xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False}) as book:
        head = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
        for title, headers, rows in sheets:
            sheet = book.add_worksheet(title[:31])
            sheet.write_row(0, 0, headers, head)
            sheet.freeze_panes(1, 0)
            widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
            for index, row in enumerate(rows, start=1):
                values = [_cell(value) for value in row]
                sheet.write_row(index, 0, values)
                count += 1
                for col, value in enumerate(values[: len(widths)]):
                    widths[col] = min(60, max(widths[col], len(str(value)) + 2))
            for col, width in enumerate(widths):
                sheet.set_column(col, col, width)
    return buffer.getvalue(), count


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, int | float | str):
        return value
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
