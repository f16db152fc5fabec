"""A district user uploads a 100,000-row monthly workbook in a real browser. The page answers with
the import job still queued, nothing of the file read (no batch, no row: the request only stored the
file and queued the job); the worker then reads and checks it a row at a time, writes it and
recomputes, and the page's bar, polling, ends at 已完成 with every row written. How long each part
takes is measured by `benchmarks/bench_intake.py --through-page`, not here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from yuanqu.core.uscc import make as make_uscc
from yuanqu.intake.tests.conftest import MONTHLY_HEADER
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import run_queued_tasks
from yuanqu.registry.models import Enterprise
from yuanqu.stats.models import ImportBatch, MonthlyStat

pytestmark = pytest.mark.browser

FIRMS, MONTHS = 10_000, 10
ROWS = FIRMS * MONTHS


def _workbook(path: Path, firms: list[tuple[str, str]]) -> None:
    """Consistent monthly reports: the 1–本月累计 column is the sum of the months so far."""
    with xlsxwriter.Workbook(str(path), {"constant_memory": True}) as book:
        sheet = book.add_worksheet("填报")
        sheet.write_row(0, 0, MONTHLY_HEADER)
        row = 0
        for number, (uscc, name) in enumerate(firms):
            month, cumulative = 50 + number % 400, 0
            for period in range(1, MONTHS + 1):
                cumulative += month
                row += 1
                sheet.write_row(row, 0, [uscc, name, f"2025-{period:02d}", month, cumulative, 20 + number % 7])


def test_a_100000_row_upload_answers_before_reading_and_its_bar_reaches_done(
    live_world: Any, live_server: Any, page_for: Any, tmp_path: Path, settings: Any
) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0
    district = live_world.districts["jiangxia"]
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                uscc=make_uscc(f"91420115MA4K{n:05d}"),
                name=f"月报测试{n}号有限公司",
                industry_id="C3976",
                district=district,
            )
            for n in range(FIRMS)
        ],
        batch_size=2000,
    )
    firms = list(Enterprise.objects.filter(name__startswith="月报测试").order_by("pk").values_list("uscc", "name"))
    path = tmp_path / "十万行月报.xlsx"
    _workbook(path, firms)

    page = page_for("t-district-jx")
    page.goto(f"{live_server.url}/intake/upload/")
    page.set_input_files("#id_file", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("[data-testid=job][data-status=queued]")
    # The answer came before anything of the file was read: no batch, no row, the job still queued
    # with the whole file kept for it.
    job = Job.objects.get()
    assert (job.status, job.done, job.arguments["bytes"]) == ("queued", 0, path.stat().st_size)
    assert not ImportBatch.objects.exists() and not MonthlyStat.objects.exists()
    assert "排队等待执行" in page.inner_text("[data-testid=job-step]")

    assert run_queued_tasks() == 1  # the worker runs the import; the page learns of it by polling
    page.wait_for_selector("[data-testid=job][data-status=succeeded]", timeout=60000)
    assert page.inner_text("[data-testid=job-status]") == "已完成"
    assert page.inner_text("[data-testid=job-message]").startswith(f"已写入：新增{ROWS}条")
    assert page.inner_text("[data-testid=job-steps]").split() == ["读取文件", "校验", "写入", "重算"]
    page.click("[data-testid=job-result]")
    page.wait_for_url("**/intake/batches/*/")
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.rows_total, batch.rows_error) == ("applied", ROWS, 0)
    assert MonthlyStat.objects.count() == ROWS
