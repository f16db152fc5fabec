"""Writes to jobs: enqueue, cancel, retry, and the worker's side (claim, progress, finish, reap).

Apps start a job with `job_enqueue` (from a view, the API or a command); the worker runs it through
yuanqu.jobs.tasks.job_run → `job_execute`. State changes are version-checked updates
(`filter(pk=…, status=old).update(…)` and the row count), so two workers, a cancel and a reaper
never overwrite each other, on one host or several."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from yuanqu.core.audit import audit_record
from yuanqu.core.contract.errors import new_incident
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied, is_city_admin
from yuanqu.core.writes import save_audited
from yuanqu.jobs.kinds import KINDS, JobCancelled, JobDeferred, JobRefused, JobResult
from yuanqu.jobs.models import Job
from yuanqu.jobs.signals import worker_lost_send
from yuanqu.notifications import services as notices

logger = logging.getLogger(__name__)

ERR_UNKNOWN_KIND = "没有这种后台任务：{kind}"
ERR_NO_RIGHT = gettext_noop("只有任务的发起人或市级管理员可以取消或重试该任务")
ERR_TOO_LATE = gettext_noop("任务已开始写入，不能再取消；请等它完成，需要时再按批次回滚")
ERR_FINISHED = gettext_noop("任务已结束，无需取消")
ERR_NOT_FINISHED = gettext_noop("任务尚未结束，不能重试")
MSG_SUPERSEDED = gettext_noop("已被同一范围的新请求取代，未执行")
MSG_CANCELLED = gettext_noop("已按您的要求取消，未写入任何数据")
MSG_FAILED = gettext_noop("任务执行出错，已记录事件编号 {incident}，请联系管理员并提供该编号")
MSG_NOT_QUEUED = gettext_noop("任务队列暂时无法连接，任务未能排队（事件编号 {incident}）；请稍后点“重试”")
# The in-app notice (and the channels the user chose) when a job the user may have left ends.
NOTICE_KIND = "job_ended"
NOTICE_DONE = gettext_noop("后台任务已完成：{title}")
NOTICE_FAILED = gettext_noop("后台任务未成功：{title}")
notices.kinds_register({NOTICE_KIND: gettext_noop("后台任务：完成或未成功")})
MSG_WORKER_LOST = gettext_noop("执行该任务的进程已中断（{reason}），未写入任何数据；可点“重试”重新执行")
REASON_EXITED = gettext_noop("进程{worker}已退出")
REASON_SILENT = gettext_noop("超过{seconds}秒没有心跳")
# When the scope's other job is still running, the worker looks again after this long.
SCOPE_BUSY_DELAY = dt.timedelta(seconds=5)


def worker_name() -> str:
    """This process as a job's `worker`: host and pid, which the reaper on the same host can check."""
    return f"{socket.gethostname()[:100]}:{os.getpid()}"


def _enqueue_task(job_id: int, *, run_after: dt.datetime | None = None) -> None:
    """Hand the job to the queue. A queue that cannot be reached (Redis down) fails the job with a
    message and an incident id instead of failing the request that started it."""
    from yuanqu.jobs.tasks import job_run

    task = job_run if run_after is None else job_run.using(run_after=run_after)
    try:
        result = task.enqueue(job_id)
    except Exception as exc:
        incident = new_incident()
        logger.error("incident %s: job %s could not be queued", incident, job_id, exc_info=exc)
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED,
            message=MSG_NOT_QUEUED.format(incident=incident),
            incident=incident,
            finished_at=timezone.now(),
        )
        return
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


@transaction.atomic
def job_enqueue(
    *,
    actor: User | None,
    kind: str,
    arguments: dict[str, Any],
    title: str = "",
    scope_key: str = "",
) -> Job:
    """Record a job and hand it to the queue once the transaction commits. `arguments` must be
    JSON and hold no secret (they are shown and audited). A queued job of the same kind and scope
    is superseded: it ends as cancelled and only the newest runs."""
    if kind not in KINDS:
        raise ValueError(ERR_UNKNOWN_KIND.format(kind=kind))
    now = timezone.now()
    if scope_key:
        Job.objects.filter(kind=kind, scope_key=scope_key, status=Job.Status.QUEUED).update(
            status=Job.Status.CANCELLED, message=MSG_SUPERSEDED, finished_at=now
        )
    job = Job(
        kind=kind,
        scope_key=scope_key,
        started_by=actor if actor is not None and actor.pk else None,
        title=title[:200] or str(KINDS[kind].label),
        arguments=arguments,
    )
    save_audited(actor=actor, row=job, after={"kind": kind, **arguments})
    job_id = job.pk
    transaction.on_commit(lambda: _enqueue_task(job_id))
    return job


def _check_right(actor: User, job: Job) -> None:
    if job.started_by_id != actor.pk and not is_city_admin(actor):
        raise WriteDenied(ERR_NO_RIGHT, code="no_write")


@transaction.atomic
def job_cancel(*, actor: User, job: Job) -> Job:
    """Cancel a queued job at once, or ask a running one to stop at its next progress report;
    refused once the job has started writing (JobRefused with ERR_TOO_LATE)."""
    _check_right(actor, job)
    now = timezone.now()
    if Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.CANCELLED, message=MSG_CANCELLED, finished_at=now, cancel_requested=True
    ):
        pass
    elif not Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, cancellable=True).update(cancel_requested=True):
        job.refresh_from_db()
        raise JobRefused(ERR_FINISHED if job.finished else ERR_TOO_LATE)
    job.refresh_from_db()
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, obj=job, after={"cancel": True}, detail="取消后台任务")
    return job


@transaction.atomic
def job_retry(*, actor: User, job: Job) -> Job:
    """Run a finished job again with the same arguments. Each kind's handler is idempotent (an
    import of the same file is recognised), so retrying a job that succeeded changes nothing."""
    _check_right(actor, job)
    updated = Job.objects.filter(pk=job.pk, status__in=Job.FINISHED).update(
        status=Job.Status.QUEUED,
        step="",
        done=0,
        total=0,
        cancellable=True,
        cancel_requested=False,
        message="",
        incident="",
        worker="",
        started_at=None,
        heartbeat_at=None,
        finished_at=None,
    )
    if not updated:
        raise JobRefused(ERR_NOT_FINISHED)
    job.refresh_from_db()
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, obj=job, after={"retry": True}, detail="重试后台任务")
    job_id = job.pk
    transaction.on_commit(lambda: _enqueue_task(job_id))
    return job


# ---------------------------------------------------------------- the worker's side


def pid_alive(pid: int) -> bool:
    """A process of this host with that id exists (another user's included)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def jobs_reap(*, now: dt.datetime | None = None) -> int:
    """Mark failed every running job whose worker is gone: on this host, a worker process that no
    longer exists; on another host, no heartbeat for JOBS_STALE_SECONDS. Their writes were one
    transaction each, so nothing of them is in the database. Each lost worker is announced
    (yuanqu.jobs.signals.worker_lost), so that what it held elsewhere — an import slot — is freed at
    once. Run by every worker as it starts and before each job. Returns how many were marked."""
    now = now or timezone.now()
    host = socket.gethostname()[:100]
    stale = int(settings.JOBS_STALE_SECONDS)
    lost: set[str] = set()
    reaped = 0
    running = Job.objects.filter(status=Job.Status.RUNNING)
    for job_id, worker in running.values_list("pk", "worker"):
        worker_host, _, pid = worker.rpartition(":")
        if worker_host == host and pid.isdigit() and not pid_alive(int(pid)):
            reason = REASON_EXITED.format(worker=worker)
            marked = Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, worker=worker).update(
                status=Job.Status.FAILED, message=MSG_WORKER_LOST.format(reason=reason), finished_at=now
            )
            reaped += marked
            if marked:
                lost.add(worker)
    # Workers on this host were checked exactly above; the heartbeat judges the others. (On SQLite,
    # where every worker is on this host, a long write transaction also holds back the heartbeat.)
    silent = running.filter(heartbeat_at__lt=now - dt.timedelta(seconds=stale)).exclude(worker__startswith=f"{host}:")
    for job_id, worker in silent.values_list("pk", "worker"):
        marked = Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, worker=worker).update(
            status=Job.Status.FAILED,
            message=MSG_WORKER_LOST.format(reason=REASON_SILENT.format(seconds=stale)),
            finished_at=now,
        )
        reaped += marked
        if marked:
            lost.add(worker)
    if reaped:
        logger.warning("%s个后台任务的执行进程已中断，已标记为失败", reaped)
    for worker in sorted(lost):
        worker_lost_send(worker)
    return reaped


def job_claim(*, job_id: int, worker: str) -> Job | None:
    """Take a queued job for this worker: the job, or None when it is not queued any more (done,
    cancelled, superseded, taken by another worker). Raises ScopeBusy when another job of the same
    scope is running: the unique constraint refuses a second one, across processes and hosts."""
    now = timezone.now()
    try:
        with transaction.atomic():
            claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
                status=Job.Status.RUNNING, worker=worker, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
            )
    except IntegrityError as exc:
        raise ScopeBusy(job_id) from exc
    return Job.objects.select_related("started_by").get(pk=job_id) if claimed else None


class ScopeBusy(Exception):
    """Another job of the same scope is running."""


def job_progress(*, job: Job, step: str, done: int, total: int, commit: bool = False) -> None:
    """Record progress and honour a requested cancellation (JobCancelled). With `commit`, the job
    passes its point of no return: from here on it cannot be cancelled."""
    fields: dict[str, Any] = {"step": step[:40], "done": max(0, done), "total": max(0, total)}
    fields["heartbeat_at"] = timezone.now()
    if commit:
        fields["cancellable"] = False
    rows = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, cancel_requested=False).update(**fields)
    if not rows:
        raise JobCancelled(job.pk)
    job.step, job.done, job.total = fields["step"], fields["done"], fields["total"]


def job_heartbeat(*, job_id: int, worker: str) -> None:
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, worker=worker).update(heartbeat_at=timezone.now())


def job_finish(*, job: Job, worker: str, result: JobResult) -> None:
    ended = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, worker=worker).update(
        status=Job.Status.FAILED if result.failed else Job.Status.SUCCEEDED,
        finished_at=timezone.now(),
        done=F("done") if result.failed else F("total"),
        result_url=result.url[:300],
        result_label=result.label[:200],
        result=result.data,
        message=result.message[:500],
        cancellable=False,
    )
    if ended:
        _notice_ended(job.pk)


def job_fail(*, job: Job, worker: str, exc: BaseException) -> None:
    """End a job that raised: cancelled, refused (its message shown as is), or an error logged
    under a fresh incident id that the user is shown."""
    fields: dict[str, Any] = {"finished_at": timezone.now(), "cancellable": False}
    if isinstance(exc, JobCancelled):
        fields.update(status=Job.Status.CANCELLED, message=MSG_CANCELLED)
    elif isinstance(exc, JobRefused):
        fields.update(status=Job.Status.FAILED, message=str(exc)[:500])
    else:
        incident = new_incident()
        logger.error("incident %s: job %s (%s)", incident, job.pk, job.kind, exc_info=exc)
        fields.update(status=Job.Status.FAILED, message=MSG_FAILED.format(incident=incident), incident=incident)
    if Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, worker=worker).update(**fields):
        _notice_ended(job.pk)


def _notice_ended(job_id: int) -> None:
    """Tell the person who started a job that it ended, when it took long enough that they may have
    left its page (settings.JOBS_NOTIFY_AFTER_SECONDS from submission to end). A job they cancelled
    needs no notice. Never fails the job: a notice that cannot be written is logged."""
    job = Job.objects.select_related("started_by").get(pk=job_id)
    if job.started_by is None or job.status == Job.Status.CANCELLED or job.finished_at is None:
        return
    if (job.finished_at - job.created_at).total_seconds() < settings.JOBS_NOTIFY_AFTER_SECONDS:
        return
    template = NOTICE_DONE if job.status == Job.Status.SUCCEEDED else NOTICE_FAILED
    try:
        notices.notification_send(
            recipients=[job.started_by],
            kind=NOTICE_KIND,
            title=template.format(title=job.title or job.kind),
            body=job.message,
            link=f"/jobs/{job.pk}/",
            key=f"job:{job.pk}",
        )
    except Exception:
        logger.exception("job %s: the notice of its end was not written", job.pk)


def job_defer(*, job_id: int) -> None:
    """Look at a job again shortly (its scope is busy)."""
    _enqueue_task(job_id, run_after=timezone.now() + SCOPE_BUSY_DELAY)


def job_requeue(*, job: Job, worker: str, exc: JobDeferred) -> None:
    """Put back a job whose handler could not start now (JobDeferred), and look at it again shortly."""
    logger.info("job %s deferred: %s", job.pk, exc)
    if Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, worker=worker).update(
        status=Job.Status.QUEUED, step="", done=0, total=0, worker="", started_at=None, heartbeat_at=None
    ):
        job_defer(job_id=job.pk)
