"""Job test helpers: a small kind registered for the tests, and the worker run in-process through
the configured backend (the database backend unless a test switches to RQ)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from yuanqu.jobs.context import JobContext
from yuanqu.jobs.kinds import JobKind, JobRefused, JobResult, job_kind_register

if TYPE_CHECKING:
    from rq import Queue

CALLS: list[dict[str, Any]] = []


def _echo(context: JobContext) -> JobResult:
    arguments = context.arguments
    CALLS.append(arguments)
    for step in ("准备", "写入"):
        context.progress(step, 0, 2)
        context.progress(step, 2, 2)
    if arguments.get("refuse"):
        raise JobRefused(arguments["refuse"])
    if arguments.get("crash"):
        raise RuntimeError("boom")
    return JobResult(url="/done/", label="结果", message="完成", data={"n": arguments.get("n")})


ECHO = JobKind(code="test_echo", label="测试任务", handler=_echo, steps=("准备", "写入"), commit_step="写入")
job_kind_register(ECHO)


def run_worker() -> None:
    """Work every queued task, then return (`yuanqu worker --batch`)."""
    call_command("worker", batch=True, interval=0, verbosity=0)


@pytest.fixture(autouse=True)
def _quiet_jobs(settings: Settings) -> None:
    # No heartbeat thread against the tests' database; CALLS starts empty.
    settings.JOBS_HEARTBEAT_SECONDS = 0
    CALLS.clear()


def redis_url(offset: int = 0) -> str:
    """YUANQU_REDIS_URL with a database of its own for this test process (pytest-xdist's gw0, gw1 …
    each get one; `offset` gives a test another), so that tests running at once never empty each
    other's queue."""
    import os
    from urllib.parse import urlsplit, urlunsplit

    base = urlsplit(os.environ.get("YUANQU_REDIS_URL", "redis://127.0.0.1:6379/0"))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw-1")
    # Counted from the URL's own database, so that test runs given different databases stay apart.
    first = int(base.path.strip("/") or 0) if base.path.strip("/").isdigit() else 0
    index = first + (int(worker[2:]) + 1 if worker[2:].lstrip("-").isdigit() else 0) + offset
    return urlunsplit(base._replace(path=f"/{index % 16}"))


def redis_reachable() -> bool:
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        return bool(Redis.from_url(redis_url(), socket_connect_timeout=1).ping())
    except (RedisError, OSError, ValueError):
        return False


@pytest.fixture
def rq_backend(settings: Settings) -> Iterator[Queue]:
    """The RQ backend on the Redis at YUANQU_REDIS_URL, its queue emptied; the worker runs jobs in
    its own process (SimpleWorker) so that it sees the tests' database."""
    if not redis_reachable():
        pytest.skip(f"no Redis reachable at {redis_url()} (set YUANQU_REDIS_URL; .ci/run starts redis-server)")
    import django_rq

    settings.JOBS_BACKEND = "rq"
    settings.JOBS_RQ_WORKER_CLASS = "rq.worker.SimpleWorker"
    settings.RQ_QUEUES = {"default": {"URL": redis_url(), "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.empty()  # type: ignore[no-untyped-call]  # rq ships no annotation for Queue.empty
    yield queue
    queue.empty()  # type: ignore[no-untyped-call]
