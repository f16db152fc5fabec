"""Running one job inside a worker: what a handler is given (JobContext) and the run itself
(`job_execute`), called by the task yuanqu.jobs.tasks.job_run under either backend."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection
from django.utils.translation import gettext_noop

from yuanqu.core.models import User
from yuanqu.jobs import services
from yuanqu.jobs.kinds import KINDS, JobCancelled, JobDeferred, JobKind, JobRefused
from yuanqu.jobs.models import Job

logger = logging.getLogger(__name__)

# Progress is written at most this often, except when the step changes.
PROGRESS_INTERVAL = 0.5
# The report of the point of no return is tried this often, this far apart, when the database is busy.
PROGRESS_ATTEMPTS, PROGRESS_RETRY_SECONDS = 5, 0.2
MSG_NO_ACTOR = gettext_noop("发起该任务的账号已不存在或已停用，任务未执行")


class JobContext:
    """What a handler sees: its job's arguments and actor, and `progress` (a callable matching
    the intake pipeline's Progress) that records how far the job is and stops it when the user
    cancelled it before its point of no return."""

    def __init__(self, job: Job, kind: JobKind) -> None:
        self.job = job
        self.kind = kind
        self._last_write = 0.0
        self._committed = False
        # The transaction depth the handler starts at (a test's own transaction, usually none).
        self._depth = len(connection.atomic_blocks)

    @property
    def arguments(self) -> dict[str, Any]:
        return dict(self.job.arguments)

    @property
    def actor(self) -> User:
        actor = self.job.started_by
        if actor is None or not actor.is_active:
            raise JobRefused(MSG_NO_ACTOR)
        return actor

    def progress(self, step: str, done: int, total: int) -> None:
        if len(connection.atomic_blocks) > self._depth:
            # Inside the job's own write transaction a progress row would stay invisible until the
            # commit and would lock the job's row against a cancel request: the bar stays at the
            # start of this step until the transaction ends.
            return
        commit = bool(self.kind.commit_step) and step == self.kind.commit_step and not self._committed
        now = time.monotonic()
        if not commit and step == self.job.step and now - self._last_write < PROGRESS_INTERVAL:
            return
        for attempt in range(PROGRESS_ATTEMPTS if commit else 1):
            try:
                services.job_progress(job=self.job, step=step, done=done, total=total, commit=commit)
                break
            except OperationalError:
                # The database is busy (on SQLite a page polling the job's row can lock it for an
                # instant). A report on the way is let go: the next one is a moment away, and the
                # work it reports on must not fail for it. The point of no return must be recorded.
                if not commit or attempt == PROGRESS_ATTEMPTS - 1:
                    if commit:
                        raise
                    logger.info("job %s: progress not recorded, the database was busy", self.job.pk)
                    return
                time.sleep(PROGRESS_RETRY_SECONDS)
        self._committed = self._committed or commit
        self._last_write = now

    def check_cancelled(self) -> None:
        """Stop here (JobCancelled) if the user asked to cancel, for a handler that works a long while
        between progress reports. Past the point of no return a cancel is refused, so never stops."""
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True, cancellable=True).exists():
            raise JobCancelled(self.job.pk)


class _Heartbeat(threading.Thread):
    """Tells the reaper the worker is alive while a handler works (also through a long write)."""

    def __init__(self, job_id: int, worker: str, every: float) -> None:
        super().__init__(daemon=True, name=f"job-{job_id}-heartbeat")
        self.job_id, self.worker, self.every = job_id, worker, every
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                try:
                    services.job_heartbeat(job_id=self.job_id, worker=self.worker)
                except Exception:  # a locked SQLite file: the next beat tries again
                    logger.debug("heartbeat of job %s skipped", self.job_id, exc_info=True)
        finally:
            close_old_connections()
            connection.close()


def job_execute(job_id: int) -> None:
    """Run a queued job once. A job that is not queued (already done, cancelled, superseded, taken
    by another worker) is left alone, so a task delivered twice does nothing twice."""
    services.jobs_reap()
    worker = services.worker_name()
    try:
        job = services.job_claim(job_id=job_id, worker=worker)
    except services.ScopeBusy:
        services.job_defer(job_id=job_id)
        return
    if job is None:
        return
    kind = KINDS.get(job.kind)
    every = float(settings.JOBS_HEARTBEAT_SECONDS)
    heartbeat = _Heartbeat(job.pk, worker, every) if every > 0 else None
    if heartbeat is not None:
        heartbeat.start()
    try:
        if kind is None:
            raise RuntimeError(f"unknown job kind {job.kind!r}")
        result = kind.handler(JobContext(job, kind))
    except JobDeferred as exc:
        services.job_requeue(job=job, worker=worker, exc=exc)
    except BaseException as exc:
        services.job_fail(job=job, worker=worker, exc=exc)
        if not isinstance(exc, Exception):
            raise
    else:
        services.job_finish(job=job, worker=worker, result=result)
    finally:
        if heartbeat is not None:
            heartbeat.stopped.set()
            heartbeat.join(timeout=every + 5)
