"""Indicator recomputes as jobs: full and incremental, and from `yuanqu compute --background`; two
recomputes never run at once, and a newer request supersedes a queued older one. (A batch rolled
back on its page and the Redis queue, with real commits: test_jobs_committed.py.)"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import World
from yuanqu.indicators import jobs
from yuanqu.indicators.models import ComputeRun
from yuanqu.indicators.services import pending_batches
from yuanqu.indicators.tests.factories import batch, revenue_correction, year_value
from yuanqu.jobs import services as job_services
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import run_queued_tasks
from yuanqu.stats.models import ImportBatch

Y2024 = dt.date(2024, 12, 31)


@pytest.fixture(autouse=True)
def _no_heartbeat(settings: Settings) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0


def park_revenue() -> Decimal | None:
    return year_value("revenue", "park", "PA", Y2024)


def test_it_recomputes_everything_in_a_job(
    computed: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    revenue_correction(computed, 1_300_000)
    runs = ComputeRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.compute_job_start(actor=computed.users["city_admin"], full=True)
    assert park_revenue() == Decimal(1_200_000)  # starting the job computes nothing
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.message.startswith("全量重算完成：")
    assert park_revenue() == Decimal(1_300_000)
    assert list(ComputeRun.objects.order_by("pk").values_list("kind", flat=True)[runs:]) == [ComputeRun.Kind.FULL]


def test_the_incremental_job_computes_every_pending_batch(
    computed: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    first, second = revenue_correction(computed, 1_300_000), batch(ImportBatch.Kind.ANNUAL, "空批次")
    assert pending_batches() == [first, second]
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.compute_job_start(actor=None, full=False)
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.message.startswith("已重算2个导入批次")
    assert park_revenue() == Decimal(1_300_000)
    assert pending_batches() == []


def test_a_newer_request_supersedes_a_queued_older_one(
    computed: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    revenue_correction(computed, 1_300_000)
    with django_capture_on_commit_callbacks(execute=True):
        older = jobs.compute_job_start(actor=None, full=False)
        newer = jobs.compute_job_start(actor=None, full=False)
    older.refresh_from_db()
    assert older.status == Job.Status.CANCELLED
    assert older.message == job_services.MSG_SUPERSEDED
    run_queued_tasks()
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.status, older.started_at) == (Job.Status.CANCELLED, None)
    assert newer.status == Job.Status.SUCCEEDED
    assert ComputeRun.objects.filter(kind=ComputeRun.Kind.BATCH).count() == 1
    assert park_revenue() == Decimal(1_300_000)


def test_two_recomputes_never_run_at_once(
    computed: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    """A full recompute is running (another worker); the incremental one waits in the queue instead
    of starting, and runs once the full one has ended."""
    revenue_correction(computed, 1_300_000)
    with django_capture_on_commit_callbacks(execute=True):
        full = jobs.compute_job_start(actor=None, full=True)
        incremental = jobs.compute_job_start(actor=None, full=False)
    # A full recompute is a different kind: it does not supersede the incremental one.
    assert Job.objects.filter(status=Job.Status.QUEUED).count() == 2
    assert job_services.job_claim(job_id=full.pk, worker="elsewhere:1") is not None
    with pytest.raises(job_services.ScopeBusy):
        job_services.job_claim(job_id=incremental.pk, worker="here:2")
    incremental.refresh_from_db()
    assert incremental.status == Job.Status.QUEUED
    Job.objects.filter(pk=full.pk).update(status=Job.Status.SUCCEEDED)
    claimed = job_services.job_claim(job_id=incremental.pk, worker="here:2")
    assert claimed is not None and claimed.status == Job.Status.RUNNING


def test_compute_background_queues_a_job_and_the_plain_command_still_computes(computed: World) -> None:
    revenue_correction(computed, 1_300_000)
    out = StringIO()
    call_command("compute", "--all", "--background", stdout=out)
    job = Job.objects.get()
    assert (job.kind, job.status, job.scope_key) == (jobs.FULL, Job.Status.QUEUED, jobs.SCOPE)
    assert park_revenue() == Decimal(1_200_000)  # queued, not computed
    call_command("compute", "--all", stdout=out)
    assert park_revenue() == Decimal(1_300_000)
