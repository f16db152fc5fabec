"""The .xlsx files intake hands out: a template per kind (Chinese headers with units, dropdowns for
coded fields, an instructions sheet, an example row) and a batch's error report (its rows with
problems, the bad cells marked with the rule beside them, and a summary sheet). Written with
XlsxWriter, strings never turned into formulas or links."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils import timezone

from yuanqu.intake.kinds import (
    CHOICE,
    DATE,
    DECIMAL,
    DISTRICTS,
    INTEGER,
    MONTH,
    PARKS,
    PERCENT,
    USCC,
    YEAR,
    Column,
    KindSpec,
)
from yuanqu.intake.reading import column_letters
from yuanqu.intake.validation import ERROR, MSG_ISSUES_MORE, WARNING, Issue
from yuanqu.registry.models import District, Park
from yuanqu.stats.models import ImportBatch

DATA_SHEET = "填报"
HELP_SHEET = "填报说明"
LISTS_SHEET = "代码表"
# Rows of the data sheet that carry dropdowns and number checks.
VALIDATED_ROWS = 100_000
# Cell comments are heavy in .xlsx; past this many the colour and the row's text still say it all.
MAX_COMMENTS = 3000

TYPE_HINTS = {
    USCC: "18位统一社会信用代码",
    DECIMAL: "数值，最多两位小数",
    INTEGER: "整数",
    PERCENT: "百分数，0–100",
    MONTH: "报告期，如 2026-06、2026年6月、202606、2026年1-2月",
    YEAR: "4位年份，如 2025",
    DATE: "日期，如 2025-11-20",
    CHOICE: "从下拉列表选择",
}
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def _dropdown_values(column: Column, parks: Sequence[str], districts: Sequence[str]) -> list[str]:
    if column.dropdown == DISTRICTS:
        return list(districts)
    if column.dropdown == PARKS:
        return list(parks)
    return [label for code, label in column.choices if code]


def template_bytes(spec: KindSpec, *, user: Any = None) -> bytes:
    """The template of a kind. With a user, the park dropdown lists only the parks they may see."""
    parks_qs = Park.objects.visible_to(user) if user is not None else Park.objects.all()
    parks = list(parks_qs.order_by("code").values_list("name", flat=True))
    districts = list(District.objects.order_by("sort_order", "code").values_list("name", flat=True))
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS) as book:
        head = book.add_format(
            {"bold": True, "bg_color": "#DDE7F3", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        head_required = book.add_format(
            {
                "bold": True,
                "bg_color": "#DDE7F3",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
                "font_color": "#B3261E",
            }
        )
        example = book.add_format({"italic": True, "font_color": "#7F7F7F"})
        text = book.add_format({"num_format": "@"})
        number = book.add_format({"num_format": "#,##0.00"})
        integer = book.add_format({"num_format": "0"})
        date = book.add_format({"num_format": "yyyy-mm-dd"})
        title = book.add_format({"bold": True, "font_size": 14})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})

        data = book.add_worksheet(DATA_SHEET)
        helper = book.add_worksheet(HELP_SHEET)
        lists = book.add_worksheet(LISTS_SHEET)
        lists.hide()
        data.activate()
        data.freeze_panes(1, 0)
        data.set_row(0, 36)
        list_col = 0
        for index, column in enumerate(spec.columns):
            data.write_string(0, index, column.title, head_required if column.required else head)
            if column.note:
                data.write_comment(0, index, column.note, {"x_scale": 1.6})
            width = max(12, min(30, len(column.title) * 2 + 2))
            cell_format = {
                USCC: text,
                MONTH: text,
                DECIMAL: number,
                PERCENT: number,
                INTEGER: integer,
                YEAR: integer,
                DATE: date,
            }.get(column.type, text)
            data.set_column(index, index, width, cell_format)
            letter = column_letters(index)
            span = f"{letter}2:{letter}{VALIDATED_ROWS + 1}"
            options = _dropdown_values(column, parks, districts) if column.type == CHOICE else []
            if options:
                lists.write_string(0, list_col, column.header)
                lists.write_column(1, list_col, options)
                source = (
                    f"='{LISTS_SHEET}'!${column_letters(list_col)}$2:${column_letters(list_col)}${len(options) + 1}"
                )
                data.data_validation(
                    span,
                    {
                        "validate": "list",
                        "source": source,
                        "ignore_blank": True,
                        "error_title": "不是可选值",
                        "error_message": f"请从下拉列表选择“{column.header}”",
                        "error_type": "warning",
                    },
                )
                list_col += 1
            elif column.is_number and (column.minimum is not None or column.maximum is not None):
                rule: dict[str, Any] = {
                    "validate": "integer" if column.type == INTEGER else "decimal",
                    "ignore_blank": True,
                    "error_title": "数值超出范围",
                }
                if column.minimum is not None and column.maximum is not None:
                    rule.update(criteria="between", minimum=float(column.minimum), maximum=float(column.maximum))
                    rule["error_message"] = f"应在{column.minimum}到{column.maximum}之间"
                else:
                    rule.update(criteria=">=", value=float(column.minimum or 0))
                    rule["error_message"] = f"不能小于{column.minimum}"
                data.data_validation(span, rule)
            value = column.example
            if value is None or value == "":
                continue
            if isinstance(value, Decimal):
                data.write_number(1, index, float(value), example)
            elif isinstance(value, int):
                data.write_number(1, index, value, example)
            else:
                data.write_string(1, index, str(value), example)

        helper.set_column(0, 0, 26)
        helper.set_column(1, 1, 10)
        helper.set_column(2, 2, 12)
        helper.set_column(3, 3, 50)
        helper.set_column(4, 4, 40)
        helper.write_string(0, 0, f"{spec.label} · 填报说明", title)
        row = 2
        for number_, line in enumerate(
            (
                *spec.instructions,
                f"在“{DATA_SHEET}”工作表中从第2行起逐行填写；第2行为示例行（灰色），上传时与示例完全相同的行会被跳过，请覆盖或删除。",
                "红色列名为必填列。列的顺序可以调整；列名中的单位（元、万元、亿元等）会被识别并自动换算。",
                "请填写数值，不要填写公式；平台只读取单元格中的值，含公式的单元格会被拒绝。",
                "同一文件的内容全部通过校验才会写入；有任何错误都不会写入，可下载错误报告逐项修改。",
                "支持 .xlsx、.xls、.ods 和 .csv（UTF-8 或 GBK 编码）。",
            ),
            start=1,
        ):
            helper.write_string(row, 0, f"{number_}. {line}")
            row += 1
        row += 1
        for index, label in enumerate(("列名", "必填", "单位", "填写要求", "说明")):
            helper.write_string(row, index, label, head)
        for column in spec.columns:
            row += 1
            hint = TYPE_HINTS.get(column.type, "文本")
            if column.type == CHOICE and column.choices:
                hint = "可选：" + "、".join(label for code, label in column.choices if code)
            elif column.dropdown == DISTRICTS:
                hint = "区或开发区名称，从下拉列表选择"
            elif column.dropdown == PARKS:
                hint = "园区名称或编码，从下拉列表选择"
            if column.minimum is not None and column.minimum == 0:
                hint += "，不能为负数"
            helper.write_string(row, 0, column.title)
            helper.write_string(row, 1, "是" if column.required else "")
            helper.write_string(row, 2, column.unit)
            helper.write_string(row, 3, hint, wrap)
            helper.write_string(row, 4, column.note, wrap)
    return buffer.getvalue()


def _write_cell(sheet: Any, row: int, col: int, value: Any, formats: dict[str, Any], style: str = "") -> None:
    cell_format = formats.get(style)
    if value is None or value == "":
        sheet.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, cell_format)
    elif isinstance(value, int | float) and math.isfinite(value):
        sheet.write_number(row, col, value, cell_format)
    elif isinstance(value, dt.datetime | dt.date):
        date_format = formats.get(f"date_{style}") or formats["date_"]
        moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        sheet.write_datetime(row, col, moment, date_format)
    else:
        # NaN and infinities as the text the file held; a lone surrogate cannot be written in XML.
        sheet.write_string(row, col, writable(str(value)), cell_format)


def writable(text: str) -> str:
    """Text from an uploaded file as XML can hold it (a lone surrogate becomes “?”)."""
    return text.encode("utf-8", "replace").decode("utf-8")


def error_report_bytes(
    *,
    batch: ImportBatch | None,
    spec: KindSpec,
    file_name: str,
    issues: Sequence[Issue],
    rows: Sequence[Sequence[Any]] | None,
    header_row: int | None,
    counts: dict[str, int],
    message: str,
    issues_total: int | None = None,
) -> bytes:
    """The error report: sheet “问题行” has each row with a problem as it was uploaded, errors in
    red and warnings in yellow, the rule in a note on the cell and all of the row's problems in the
    last column; sheet “汇总” has the batch, the counts and every problem in a list."""
    buffer = io.BytesIO()
    by_row: dict[int, list[Issue]] = defaultdict(list)
    file_level: list[Issue] = []
    for issue in issues:
        if issue.row is None or (header_row is not None and issue.row <= header_row + 1):
            file_level.append(issue)
        else:
            by_row[issue.row].append(issue)
    with xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS) as book:
        head = book.add_format({"bold": True, "bg_color": "#DDE7F3", "border": 1})
        formats = {
            "": None,
            ERROR: book.add_format({"bg_color": "#F8D7DA", "font_color": "#86181D"}),
            WARNING: book.add_format({"bg_color": "#FFF3CD"}),
            "date_": book.add_format({"num_format": "yyyy-mm-dd"}),
            f"date_{ERROR}": book.add_format({"num_format": "yyyy-mm-dd", "bg_color": "#F8D7DA"}),
            f"date_{WARNING}": book.add_format({"num_format": "yyyy-mm-dd", "bg_color": "#FFF3CD"}),
        }
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        title = book.add_format({"bold": True, "font_size": 14})
        summary = book.add_worksheet("汇总")
        detail = book.add_worksheet("问题行")
        summary.activate()

        header_cells = list(rows[header_row]) if rows is not None and header_row is not None else []
        width = max([len(header_cells)] + [len(rows[r - 1]) for r in by_row if rows is not None and r - 1 < len(rows)])
        detail.write_string(0, 0, "原行号", head)
        for col in range(width):
            text = header_cells[col] if col < len(header_cells) else ""
            detail.write_string(0, col + 1, "" if text is None else writable(str(text)), head)
            detail.set_column(col + 1, col + 1, 16)
        detail.write_string(0, width + 1, "校验结果", head)
        detail.set_column(width + 1, width + 1, 80)
        detail.freeze_panes(1, 1)
        comments = 0
        for out, row_number in enumerate(sorted(by_row), start=1):
            row_issues = by_row[row_number]
            original = rows[row_number - 1] if rows is not None and row_number - 1 < len(rows) else []
            detail.write_number(out, 0, row_number)
            cells: dict[int, list[Issue]] = defaultdict(list)
            for issue in row_issues:
                if issue.col is not None:
                    cells[issue.col].append(issue)
            for col in range(width):
                value = original[col] if col < len(original) else None
                style = ""
                if col in cells:
                    style = ERROR if any(i.severity == ERROR for i in cells[col]) else WARNING
                _write_cell(detail, out, col + 1, value, formats, style)
                if col in cells and comments < MAX_COMMENTS:
                    note = "\n".join(("错误：" if i.severity == ERROR else "提示：") + i.message for i in cells[col])
                    detail.write_comment(out, col + 1, note, {"x_scale": 2, "y_scale": 1.5})
                    comments += 1
            text = "\n".join(("【错误】" if i.severity == ERROR else "【提示】") + i.text() for i in row_issues)
            detail.write_string(out, width + 1, text, wrap)

        summary.set_column(0, 0, 16)
        summary.set_column(1, 1, 16)
        summary.set_column(2, 2, 10)
        summary.set_column(3, 3, 90)
        summary.write_string(0, 0, f"{spec.label} · 校验报告", title)
        facts = [
            ("文件", file_name),
            ("批次", f"#{batch.pk}" if batch else "（仅校验，未建批次）"),
            ("状态", batch.get_status_display() if batch else ""),
            ("上传人", str(batch.uploaded_by or "") if batch else ""),
            (
                "上传时间",
                timezone.localtime(batch.created_at).strftime("%Y-%m-%d %H:%M") if batch and batch.created_at else "",
            ),
            ("数据行数", str(counts.get("rows_total", 0))),
            ("通过行数", str(counts.get("rows_ok", 0))),
            ("错误行数", str(counts.get("rows_error", 0))),
            ("警告行数", str(counts.get("rows_warning", 0))),
            ("结论", message),
        ]
        if issues_total is not None and issues_total > len(issues):
            # Only the first problems were kept (yuanqu.intake.validation.ISSUES_KEPT): say so.
            facts.append(
                (
                    "未列出的问题",
                    MSG_ISSUES_MORE.format(more=issues_total - len(issues), total=issues_total, kept=len(issues)),
                )
            )
        row = 2
        for label, value in facts:
            summary.write_string(row, 0, label, head)
            summary.write_string(row, 1, value)
            row += 1
        if file_level:
            row += 1
            summary.write_string(row, 0, "文件与表头问题", head)
            for issue in file_level:
                row += 1
                summary.write_string(row, 0, "错误" if issue.severity == ERROR else "提示")
                summary.write_string(row, 1, issue.text())
        row += 2
        tally: Counter[tuple[str, str]] = Counter((i.column or "（整行）", i.severity) for i in issues if i.row)
        if tally:
            summary.write_string(row, 0, "按列统计", head)
            summary.write_string(row, 1, "错误数", head)
            summary.write_string(row, 2, "警告数", head)
            for column in sorted({column for column, _ in tally}):
                row += 1
                summary.write_string(row, 0, column)
                summary.write_number(row, 1, tally[(column, ERROR)])
                summary.write_number(row, 2, tally[(column, WARNING)])
            row += 2
        for index, label in enumerate(("行", "列", "级别", "说明")):
            summary.write_string(row, index, label, head)
        for issue in issues:
            row += 1
            if issue.row is not None:
                summary.write_number(row, 0, issue.row)
            summary.write_string(
                row, 1, (f"{column_letters(issue.col)} " if issue.col is not None else "") + issue.column
            )
            summary.write_string(row, 2, "错误" if issue.severity == ERROR else "警告")
            summary.write_string(row, 3, issue.message)
    return buffer.getvalue()


def data_bytes(spec: KindSpec, rows: Iterable[Sequence[Any]]) -> tuple[bytes, int]:
    """Stored data in the layout of the kind's template (same sheet name and headers), so that it
    can be edited and uploaded again. Returns the file and the number of rows."""
    buffer = io.BytesIO()
    count = 0
    with xlsxwriter.Workbook(buffer, {**WORKBOOK_OPTIONS, "constant_memory": True}) as book:
        head = book.add_format({"bold": True, "bg_color": "#DDE7F3", "border": 1})
        sheet = book.add_worksheet(DATA_SHEET)
        for index, column in enumerate(spec.columns):
            sheet.write_string(0, index, column.title, head)
            sheet.set_column(index, index, max(12, min(30, len(column.title) * 2 + 2)))
        for count, row in enumerate(rows, start=1):
            for index, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(count, index, value)
                elif isinstance(value, int | float):
                    sheet.write_number(count, index, value)
                else:
                    sheet.write_string(count, index, str(value))
        sheet.freeze_panes(1, 0)
    return buffer.getvalue(), count
