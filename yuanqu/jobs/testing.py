"""For tests of apps that start jobs: run every task the database backend holds, in this process and
inside the test's transaction, through the backend's own worker code (claim, run, record); and an
export followed through its job to the downloaded file."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.test import Client
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from python_calamine import CalamineWorkbook

from yuanqu.jobs.models import Job

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as HttpResponse


def run_queued_tasks(*, limit: int = 100) -> int:
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit and (task := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        task.claim("tests")
        worker.run_task(task)
        ran += 1
    return ran


def export_by_job(client: Client, url: str) -> tuple[Job, HttpResponse]:
    """Ask for an export that is over YUANQU_EXPORT_INLINE_ROWS: check that the page answers with
    the export job's page (nothing written yet), work the queue, and download the finished job's file
    as its starter. Returns the job and the download."""
    from django.test import TestCase

    before = set(Job.objects.filter(kind="export").values_list("pk", flat=True))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(url)
    (job,) = Job.objects.filter(kind="export").exclude(pk__in=before)
    assert (response.status_code, response["Location"]) == (302, f"/jobs/{job.pk}/"), response
    assert job.status == Job.Status.QUEUED
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    download = client.get(job.result_url)
    assert download.status_code == 200
    return job, download


def xlsx_sheets(content: bytes) -> dict[str, list[list[Any]]]:
    """Every sheet of a real .xlsx file, read back as rows of values."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
