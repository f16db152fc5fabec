"""A district user uploads a file in a real browser: the page answers at once with the import job's
progress, which polls (htmx, no inline script, nothing from another host) until the worker has run
the job, then links the batch."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from conftest import World
from tests.browser.conftest import PageFor
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, xlsx
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import run_queued_tasks
from yuanqu.stats.models import MonthlyStat

pytestmark = pytest.mark.browser


def test_an_upload_shows_its_job_progress_until_the_batch_is_written(
    live_world: World, live_server: LiveServer, page_for: PageFor, tmp_path: Path, settings: Settings
) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0
    firm = live_world.enterprises["E1"]
    path = tmp_path / "月报.xlsx"
    path.write_bytes(xlsx([MONTHLY_HEADER, [firm.uscc, firm.name, "2026-01", 5, 5, 20]]))
    page = page_for("t-district-jx")
    page.goto(f"{live_server.url}/intake/upload/")
    page.set_input_files("#id_file", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("[data-testid=job][data-status=queued]")
    assert "排队等待执行" in page.inner_text("[data-testid=job-step]")
    assert page.is_visible("[data-testid=job-cancel]")

    assert run_queued_tasks() == 1  # the worker runs the job; the page learns of it by polling
    page.wait_for_selector("[data-testid=job][data-status=succeeded]")
    assert "已写入：新增1条" in page.inner_text("[data-testid=job-message]")
    assert page.inner_text("[data-testid=job-steps]").split() == ["读取文件", "校验", "写入", "重算"]
    page.click("[data-testid=job-result]")
    page.wait_for_url("**/intake/batches/*/")
    assert "已写入：新增1条" in page.inner_text("[data-testid=batch]")
    assert MonthlyStat.objects.count() == 1 and Job.objects.get().started_by == live_world.users["district_jiangxia"]
