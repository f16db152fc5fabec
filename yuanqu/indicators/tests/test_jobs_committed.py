"""Indicator recomputes as jobs with real commits (no test transaction around them), as in
production: a batch rolled back on its page queues the recompute, and a superseded recompute is
delivered by Redis but not run. Each test builds its own world (`transactional_db`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.indicators import jobs
from yuanqu.indicators.models import ComputeRun
from yuanqu.indicators.services import indicators_compute_all
from yuanqu.indicators.tests.factories import add_stats, revenue_correction, year_value
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import run_queued_tasks
from yuanqu.jobs.tests.conftest import rq_backend, run_worker  # noqa: F401  (the RQ fixture)

Y2024 = dt.date(2024, 12, 31)


@pytest.fixture(autouse=True)
def _no_heartbeat(settings: Settings) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0


@pytest.mark.django_db(transaction=True)
def test_a_rollback_on_the_batch_page_queues_the_recompute(world: World, settings: Settings, tmp_path: Path) -> None:
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
    revenue_correction(world, 1_300_000)
    older = jobs.compute_job_start(actor=None, full=False)
    newer = jobs.compute_job_start(actor=None, full=False)
    assert rq_backend.count == 2
    run_worker()
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.status, older.started_at) == (Job.Status.CANCELLED, None)
    assert newer.status == Job.Status.SUCCEEDED
    assert ComputeRun.objects.filter(kind=ComputeRun.Kind.BATCH).count() == 1
    assert year_value("revenue", "park", "PA", Y2024) == Decimal(1_300_000)
