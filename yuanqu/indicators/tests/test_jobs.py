"""Indicator recomputes as jobs: full and incremental, from `yuanqu compute --background` and from a
batch rolled back on its page; two recomputes never run at once, and a newer request supersedes a
queued older one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from conftest import World
from yuanqu.indicators import jobs
from yuanqu.indicators.models import ComputeRun, IndicatorValue
from yuanqu.indicators.services import indicators_compute_all, pending_batches
from yuanqu.indicators.tests.factories import add_stats, batch
from yuanqu.jobs import services as job_services
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import run_queued_tasks
from yuanqu.jobs.tests.conftest import rq_backend, run_worker  # noqa: F401  (the RQ fixture)
from yuanqu.stats.models import AnnualStat, ImportBatch

Y2024 = dt.date(2024, 12, 31)


@pytest.fixture(autouse=True)
def _no_heartbeat(settings: Any) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0


def park_revenue() -> Decimal | None:
    row = IndicatorValue.objects.filter(
        indicator="revenue", scope_kind="park", scope_code="PA", frequency="year", period=Y2024
    ).first()
    return row.value if row else None


def correction(world: World, revenue: int) -> ImportBatch:
    fixed = batch(ImportBatch.Kind.ANNUAL, "更正")
    AnnualStat.objects.filter(enterprise=world.enterprises["E1"], year=2024).update(
        revenue=Decimal(revenue), batch=fixed
    )
    return fixed


def test_it_recomputes_everything_in_a_job(world: World, django_capture_on_commit_callbacks: Any) -> None:
    add_stats(world)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.compute_job_start(actor=world.users["city_admin"], full=True)
    assert park_revenue() is None
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.message.startswith("全量重算完成：")
    assert park_revenue() is not None
    assert ComputeRun.objects.get().kind == ComputeRun.Kind.FULL


def test_the_incremental_job_computes_every_pending_batch(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    add_stats(world)
    indicators_compute_all()
    first, second = correction(world, 1_300_000), batch(ImportBatch.Kind.ANNUAL, "空批次")
    assert pending_batches() == [first, second]
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.compute_job_start(actor=None, full=False)
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.message.startswith("已重算2个导入批次")
    assert park_revenue() == Decimal(1_300_000)
    assert pending_batches() == []


def test_a_newer_request_supersedes_a_queued_older_one(world: World, django_capture_on_commit_callbacks: Any) -> None:
    add_stats(world)
    indicators_compute_all()
    correction(world, 1_300_000)
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


def test_two_recomputes_never_run_at_once(world: World, django_capture_on_commit_callbacks: Any) -> None:
    """A full recompute is running (another worker); the incremental one waits in the queue instead
    of starting, and runs once the full one has ended."""
    add_stats(world)
    indicators_compute_all()
    correction(world, 1_300_000)
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


def test_compute_background_queues_a_job_and_the_plain_command_still_computes(world: World) -> None:
    add_stats(world)
    out = StringIO()
    call_command("compute", "--all", "--background", stdout=out)
    job = Job.objects.get()
    assert (job.kind, job.status, job.scope_key) == (jobs.FULL, Job.Status.QUEUED, jobs.SCOPE)
    assert park_revenue() is None
    call_command("compute", "--all", stdout=out)
    assert park_revenue() is not None


@pytest.mark.django_db(transaction=True)
def test_a_rollback_on_the_batch_page_queues_the_recompute(world: World, settings: Any, tmp_path: Any) -> None:
    """A real commit inside the request (no test transaction around it), as in production."""
    from yuanqu.intake.tests.conftest import MONTHLY_HEADER, import_file, xlsx

    settings.MEDIA_ROOT = str(tmp_path)
    e1 = world.enterprises["E1"]
    indicators_compute_all()

    def month_file(month: int, ytd: int) -> bytes:
        return xlsx([MONTHLY_HEADER, [e1.uscc, "", "2026-03", month, ytd, 30]])

    import_file(world, "district_jiangxia", "monthly", month_file(12, 32))
    second = import_file(world, "district_jiangxia", "monthly", month_file(20, 50))
    computed = ComputeRun.objects.count()
    response = world.client("district_jiangxia").post(f"/intake/batches/{second.batch.pk}/rollback/", {"confirm": "1"})
    assert response.status_code == 302
    # The request only queued the recompute.
    assert ComputeRun.objects.count() == computed
    job = Job.objects.get(kind=jobs.INCREMENTAL)
    assert job.status == Job.Status.QUEUED
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert ComputeRun.objects.filter(batch=second.batch).exists()


def test_a_superseded_recompute_is_delivered_by_redis_but_not_run(
    transactional_db: Any,
    world: World,
    rq_backend: Any,  # noqa: F811
) -> None:
    add_stats(world)
    indicators_compute_all()
    correction(world, 1_300_000)
    older = jobs.compute_job_start(actor=None, full=False)
    newer = jobs.compute_job_start(actor=None, full=False)
    assert rq_backend.count == 2
    run_worker()
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.status, older.started_at) == (Job.Status.CANCELLED, None)
    assert newer.status == Job.Status.SUCCEEDED
    assert ComputeRun.objects.filter(kind=ComputeRun.Kind.BATCH).count() == 1
    assert park_revenue() == Decimal(1_300_000)
