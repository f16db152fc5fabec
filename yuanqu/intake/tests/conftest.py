"""Intake test helpers: real spreadsheets written with XlsxWriter, uploads run through the service,
and stored originals kept in a per-test media folder."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
import xlsxwriter
from pytest_django.fixtures import Settings

from conftest import World


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    return media


def xlsx(
    rows: Sequence[Sequence[Any]], *, formulas: dict[tuple[int, int], str] | None = None, sheet: str = "填报"
) -> bytes:
    """A workbook whose first sheet holds `rows`; `formulas` puts formulas at (row, col), 0-based."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False}) as book:
        # A fixed creation time: the same rows give the same bytes (XlsxWriter stamps the time).
        book.set_properties({"created": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)})
        ws = book.add_worksheet(sheet)
        dates = book.add_format({"num_format": "yyyy-mm-dd"})
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), dates)
                else:
                    ws.write(r, c, value)
        for (r, c), formula in (formulas or {}).items():
            ws.write_formula(r, c, formula)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> bytes:
    text = "\r\n".join(",".join("" if v is None else str(v) for v in row) for row in rows) + "\r\n"
    return text.encode(encoding)


MONTHLY_HEADER = [
    "统一社会信用代码",
    "企业名称",
    "报告期",
    "营业收入·本月（万元）",
    "营业收入·1-本月累计（万元）",
    "从业人员期末人数（人）",
]


def import_file(
    world: World, persona: str, kind: str, content: bytes, name: str = "data.xlsx", dry_run: bool = False
) -> Any:
    from yuanqu.intake.kinds import KINDS
    from yuanqu.intake.services import batch_import

    return batch_import(actor=world.users[persona], spec=KINDS[kind], file_name=name, content=content, dry_run=dry_run)


def texts(outcome: Any) -> list[str]:
    return [issue.text() for issue in outcome.validation.issues] if outcome.validation else []


def raw_xlsx(
    sheet_xml: str,
    *,
    shared: Sequence[str] = (),
    styles_xml: str = "",
    sheet_state: str = "",
    quote: str = '"',
) -> bytes:
    """A minimal .xlsx around the given worksheet XML, written by hand, as a hostile or unusual
    producer would write it (no XlsxWriter in between). `quote` is the attribute quote used."""
    q = quote
    state = f" state={q}{sheet_state}{q}" if sheet_state else ""
    workbook = (
        f"<?xml version={q}1.0{q}?><workbook xmlns={q}http://schemas.openxmlformats.org/spreadsheetml/2006/main{q}"
        f" xmlns:r={q}http://schemas.openxmlformats.org/officeDocument/2006/relationships{q}>"
        f"<sheets><sheet name={q}填报{q} sheetId={q}1{q}{state} r:id={q}rId1{q}/></sheets></workbook>"
    )
    rels = (
        f"<?xml version={q}1.0{q}?><Relationships xmlns={q}http://schemas.openxmlformats.org/package/2006/relationships{q}>"
        f"<Relationship Id={q}rId1{q} Type={q}http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet{q}"
        f" Target={q}worksheets/sheet1.xml{q}/></Relationships>"
    )
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/worksheets/sheet1.xml", f"<worksheet xmlns={q}{ns}{q}>{sheet_xml}</worksheet>")
        if shared:
            items = "".join(f"<si><t>{escape(text)}</t></si>" for text in shared)
            archive.writestr("xl/sharedStrings.xml", f"<sst xmlns={q}{ns}{q}>{items}</sst>")
        if styles_xml:
            archive.writestr("xl/styles.xml", f"<styleSheet xmlns={q}{ns}{q}>{styles_xml}</styleSheet>")
    return buffer.getvalue()
