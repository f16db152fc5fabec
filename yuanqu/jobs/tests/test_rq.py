"""The same engine on the RQ backend, against a real redis-server (skipped, saying why, when none is
reachable at YUANQU_REDIS_URL)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conftest import World
from yuanqu.jobs import services
from yuanqu.jobs.models import Job
from yuanqu.jobs.tests.conftest import CALLS, run_worker

if TYPE_CHECKING:
    from rq import Queue


def test_it_runs_a_job_through_redis(transactional_db: None, world: World, rq_backend: Queue) -> None:
    job = services.job_enqueue(actor=world.users["city_admin"], kind="test_echo", arguments={"n": 3})
    job.refresh_from_db()
    assert job.task_id and rq_backend.count == 1
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.result, job.percent) == (Job.Status.SUCCEEDED, {"n": 3}, 100)
    assert CALLS == [{"n": 3}] and rq_backend.count == 0


def test_a_superseded_job_is_delivered_by_redis_but_not_run(
    transactional_db: None, world: World, rq_backend: Queue
) -> None:
    admin = world.users["city_admin"]
    older = services.job_enqueue(actor=admin, kind="test_echo", arguments={"n": 1}, scope_key="recompute:1")
    newer = services.job_enqueue(actor=admin, kind="test_echo", arguments={"n": 2}, scope_key="recompute:1")
    assert rq_backend.count == 2
    run_worker()
    assert Job.objects.get(pk=older.pk).status == Job.Status.CANCELLED
    assert Job.objects.get(pk=newer.pk).status == Job.Status.SUCCEEDED
    assert CALLS == [{"n": 2}]
