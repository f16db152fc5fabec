"""An upload with more problems than are kept: the first ones in the sheet's order are listed, every
one is counted (messages, row counts, the error report), and the lists say how many are left out."""

from __future__ import annotations

import io
import random

import pytest
from python_calamine import CalamineWorkbook

from conftest import World
from yuanqu.intake import validation
from yuanqu.intake.services import outcome_report
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, csv_bytes, import_file
from yuanqu.intake.validation import ERROR, WARNING, Issue, Issues


def test_it_keeps_the_first_problems_in_sheet_order_and_counts_all_of_them() -> None:
    issues = Issues(kept=3)
    rows = list(range(2, 12))
    random.Random(7).shuffle(rows)
    for row in rows:
        issues.append(Issue(row, "报告期", 2, f"第{row}行的错误"))
        issues.append(Issue(row, "", None, "提示", WARNING, rule="R1" if row % 2 else ""))
    issues.trim()
    assert [(issue.row, issue.col) for issue in issues] == [(2, None), (2, 2), (3, None)]
    assert (issues.total, issues.errors_total, issues.warnings_total, issues.explain_total) == (20, 10, 10, 5)
    assert issues.error_rows == set(range(2, 12)) and issues.explain_rows == {3, 5, 7, 9, 11}
    assert issues.left_out == 17
    assert issues.left_out_message() == (
        "另有17个问题未列出（共20个，此处列出按行排在前面的3个）：请先修正列出的问题，修改后重新上传时平台会再次校验全部数据"
    )


def test_it_holds_at_most_twice_the_kept_problems_while_it_collects_them() -> None:
    issues = Issues(kept=5)
    for row in range(1000, 0, -1):
        issues.append(Issue(row, "", None, "错误", ERROR))
        assert len(issues) < 10
    issues.trim()
    assert [issue.row for issue in issues] == [1, 2, 3, 4, 5] and issues.errors_total == 1000


def test_an_upload_with_more_problems_than_kept_counts_every_one(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validation, "ISSUES_KEPT", 4)
    e1 = world.enterprises["E1"]
    # Twelve rows, each with a bad 报告期 (an error in each), none written.
    rows = [[e1.uscc, e1.name, f"2026-13-{day:02d}", 5, 5, 30] for day in range(1, 13)]
    outcome = import_file(
        world, "city_admin", "monthly", csv_bytes([MONTHLY_HEADER, *rows]), name="m.csv", dry_run=True
    )
    assert outcome.status == "check_failed"
    assert outcome.message == "校验未通过（仅校验，未写入）：12个错误（涉及12行）"
    assert [issue.row for issue in outcome.validation.issues] == [2, 3, 4, 5]
    assert outcome.counts["rows_error"] == 12
    report = CalamineWorkbook.from_filelike(io.BytesIO(outcome_report(outcome))).get_sheet_by_name("汇总").to_python()
    facts = {row[0]: row[1] for row in report if row and row[0]}
    assert facts["未列出的问题"] == (
        "另有8个问题未列出（共12个，此处列出按行排在前面的4个）：请先修正列出的问题，修改后重新上传时平台会再次校验全部数据"
    )
    applied = import_file(world, "city_admin", "monthly", csv_bytes([MONTHLY_HEADER, *rows]), name="m.csv")
    assert applied.status == "rejected" and applied.batch.rows_error == 12
    from yuanqu.intake.services import result_load

    stored = result_load(applied.batch)
    assert (stored["errors_total"], stored["issues_total"], len(stored["issues"])) == (12, 12, 4)
