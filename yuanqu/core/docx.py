"""The Word (.docx) toolkit every report is written with (python-docx, Chinese): the body font, tables
with bold headers (sized to their text, or left to Word) and the document's bytes. Evaluation's
diagnosis report and the reports app's quarterly and park reports both build on it; what a report
says stays in its own module."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx.oxml.ns import qn
from docx.shared import Cm, Pt

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "宋体"
BODY_SIZE = Pt(10.5)
TEXT_WIDTH_CM = 16.6  # A4 (21 cm) less the 2.2 cm margins
HALF_WIDTH_CM = 0.21  # a half-width character at 10.5 pt, with room (a Chinese character takes two)
CELL_PADDING_CM = 0.5  # the Table Grid style's left and right cell margins, and a little more


def set_body_font(document: Any) -> Any:
    """The Normal style in 宋体 10.5 pt, for Latin and East Asian text; returns the style."""
    style = document.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = BODY_SIZE
    style.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)
    return style


def text_width(text: str) -> int:
    """Display width in half-width units: a Chinese character takes two."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], total: float = TEXT_WIDTH_CM) -> list[float]:
    """Column widths (cm) adding up to `total`: each column's natural width (its widest cell at
    10.5 pt, headers allowed to wrap onto two lines); when they do not fit, the widest columns are
    narrowed to a common limit (their text wraps) and short columns such as percentages keep theirs."""
    natural = []
    for index, header in enumerate(headers):
        widest = max([(text_width(header) + 1) // 2, 4, *(text_width(row[index]) for row in rows)])
        natural.append(widest * HALF_WIDTH_CM + CELL_PADDING_CM)
    if sum(natural) <= total:
        spare = (total - sum(natural)) / len(natural)
        return [width + spare for width in natural]
    low, high = 0.0, max(natural)
    for _ in range(50):  # the limit at which the clipped widths add up to the text width
        limit = (low + high) / 2
        low, high = (limit, high) if sum(min(width, limit) for width in natural) < total else (low, limit)
    return [min(width, high) for width in natural]


def add_table(document: Any, headers: Sequence[str], rows: Sequence[Sequence[str]], *, fit: bool = False) -> Any:
    """A Table Grid table with a bold header row. With `fit`, columns are sized to their text within
    the page (`column_widths`) and Word's autofit is off; without, Word sizes them."""
    widths: list[Any] = [Cm(width) for width in column_widths(headers, rows)] if fit else [None] * len(headers)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    if fit:
        table.autofit = False
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.text = str(text)
        if width is not None:
            cell.width = width
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, row, widths, strict=True):
            cell.text = text
            if width is not None:
                cell.width = width
    if fit:
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
    return table


def document_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
