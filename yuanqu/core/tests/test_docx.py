"""The one .docx toolkit: a fitted table has fixed column widths within the page; a plain one is left
to Word's autofit; both have a bold header row."""

from __future__ import annotations

from docx import Document
from docx.shared import Cm

from yuanqu.core.docx import TEXT_WIDTH_CM, add_table, set_body_font


def test_a_fitted_table_has_fixed_widths_within_the_page() -> None:
    document = Document()
    table = add_table(document, ["指标", "值"], [["规上工业营业收入", "90,000"]], fit=True)
    widths = [column.width for column in table.columns]
    assert table.autofit is False
    assert abs(sum(widths) - Cm(TEXT_WIDTH_CM)) < Cm(0.01)
    assert [run.font.bold for run in table.rows[0].cells[0].paragraphs[0].runs] == [True]


def test_a_plain_table_is_left_to_word() -> None:
    document = Document()
    set_body_font(document)
    table = add_table(document, ["项目", "结果"], [["综合得分", "81.20"]])
    assert table.autofit is True
    first, second = (cell.width for cell in table.rows[1].cells)
    assert first == second  # python-docx's even split, which Word's autofit then adjusts
    assert [cell.text for cell in table.rows[1].cells] == ["综合得分", "81.20"]
