"""The engine: a job goes through the database backend to a worker and back, supersedes, never runs
twice for one scope, is cancelled and retried, and fails with a Chinese message."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.jobs import services
from yuanqu.jobs.context import job_execute
from yuanqu.jobs.kinds import JobRefused
from yuanqu.jobs.models import Job
from yuanqu.jobs.tests.conftest import CALLS, run_worker


def test_it_runs_a_job_through_the_database_backend(transactional_db: None, world: World) -> None:
    job = services.job_enqueue(actor=world.users["city_admin"], kind="test_echo", arguments={"n": 7})
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED and job.task_id == ""
    job.refresh_from_db()
    assert job.task_id  # handed to the queue once the enqueue committed
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.step, job.done, job.total, job.percent) == (Job.Status.SUCCEEDED, "写入", 2, 2, 100)
    assert (job.result_url, job.result, job.message, job.attempts) == ("/done/", {"n": 7}, "完成", 1)
    assert job.started_at is not None and job.finished_at is not None and job.worker
    assert CALLS == [{"n": 7}]
    entry = AuditLog.objects.get(object_type="jobs.Job", object_id=str(job.pk))
    assert entry.action == "create" and entry.after == {"kind": "test_echo", "n": 7}


def test_it_does_nothing_twice_when_a_task_is_delivered_again(db: None, world: World) -> None:
    job = services.job_enqueue(actor=world.users["city_admin"], kind="test_echo", arguments={})
    job_execute(job.pk)
    job_execute(job.pk)
    assert CALLS == [{}] and Job.objects.get(pk=job.pk).attempts == 1


def test_it_supersedes_a_queued_job_of_the_same_scope(db: None, world: World) -> None:
    admin = world.users["city_admin"]
    older = services.job_enqueue(actor=admin, kind="test_echo", arguments={"n": 1}, scope_key="park:1")
    other = services.job_enqueue(actor=admin, kind="test_echo", arguments={"n": 2}, scope_key="park:2")
    newer = services.job_enqueue(actor=admin, kind="test_echo", arguments={"n": 3}, scope_key="park:1")
    older.refresh_from_db()
    assert (older.status, older.message) == (Job.Status.CANCELLED, "已被同一范围的新请求取代，未执行")
    job_execute(older.pk)
    job_execute(newer.pk)
    job_execute(other.pk)
    assert CALLS == [{"n": 3}, {"n": 2}]


def test_the_database_refuses_two_running_jobs_for_one_scope(db: None, world: World) -> None:
    admin = world.users["city_admin"]
    first = services.job_enqueue(actor=admin, kind="test_echo", arguments={}, scope_key="recompute:park:1")
    Job.objects.filter(pk=first.pk).update(status=Job.Status.RUNNING)
    second = Job.objects.create(kind="test_echo", scope_key="recompute:park:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.filter(pk=second.pk).update(status=Job.Status.RUNNING)
    with pytest.raises(services.ScopeBusy):
        services.job_claim(job_id=second.pk, worker="elsewhere:1")
    assert Job.objects.get(pk=second.pk).status == Job.Status.QUEUED


def test_a_job_whose_scope_is_busy_waits_and_runs_later(db: None, world: World) -> None:
    admin = world.users["city_admin"]
    running = Job.objects.create(kind="test_echo", scope_key="s", status=Job.Status.RUNNING, worker="h:1")
    waiting = services.job_enqueue(actor=admin, kind="test_echo", arguments={"n": 2}, scope_key="s")
    job_execute(waiting.pk)
    assert CALLS == [] and Job.objects.get(pk=waiting.pk).status == Job.Status.QUEUED
    Job.objects.filter(pk=running.pk).update(status=Job.Status.SUCCEEDED)
    job_execute(waiting.pk)
    assert CALLS == [{"n": 2}]


def test_it_cancels_a_queued_job_and_a_running_one_before_it_writes(db: None, world: World) -> None:
    admin = world.users["city_admin"]
    queued = services.job_enqueue(actor=admin, kind="test_echo", arguments={})
    services.job_cancel(actor=admin, job=queued)
    job_execute(queued.pk)
    assert CALLS == [] and Job.objects.get(pk=queued.pk).status == Job.Status.CANCELLED

    running = services.job_enqueue(actor=admin, kind="test_echo", arguments={})
    Job.objects.filter(pk=running.pk).update(cancel_requested=True)  # as job_cancel does while it runs
    job_execute(running.pk)
    running.refresh_from_db()
    assert (running.status, running.message) == (Job.Status.CANCELLED, "已按您的要求取消，未写入任何数据")
    assert CALLS == [{}] and running.step == ""


def test_it_refuses_to_cancel_a_job_that_has_started_writing(db: None, world: World) -> None:
    admin = world.users["city_admin"]
    job = services.job_enqueue(actor=admin, kind="test_echo", arguments={})
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, cancellable=False)
    with pytest.raises(JobRefused, match="任务已开始写入，不能再取消"):
        services.job_cancel(actor=admin, job=job)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED)
    with pytest.raises(JobRefused, match="任务已结束，无需取消"):
        services.job_cancel(actor=admin, job=job)


def test_only_the_starter_or_a_city_admin_cancels_or_retries(db: None, world: World) -> None:
    job = services.job_enqueue(actor=world.users["district_jiangxia"], kind="test_echo", arguments={})
    with pytest.raises(PermissionDenied, match="只有任务的发起人"):
        services.job_cancel(actor=world.users["district_caidian"], job=job)
    services.job_cancel(actor=world.users["city_admin"], job=job)
    services.job_retry(actor=world.users["district_jiangxia"], job=job)
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED


def test_a_failure_shows_its_message_or_an_incident(db: None, world: World) -> None:
    admin = world.users["city_admin"]
    refused = services.job_enqueue(actor=admin, kind="test_echo", arguments={"refuse": "第3行“产值”不能为负数"})
    crashed = services.job_enqueue(actor=admin, kind="test_echo", arguments={"crash": True})
    job_execute(refused.pk)
    job_execute(crashed.pk)
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert (refused.status, refused.message, refused.incident) == (Job.Status.FAILED, "第3行“产值”不能为负数", "")
    assert crashed.status == Job.Status.FAILED and len(crashed.incident) == 12
    assert crashed.message == f"任务执行出错，已记录事件编号 {crashed.incident}，请联系管理员并提供该编号"


def test_a_retried_job_runs_again_with_the_same_arguments(db: None, world: World) -> None:
    admin = world.users["city_admin"]
    job = services.job_enqueue(actor=admin, kind="test_echo", arguments={"crash": True})
    job_execute(job.pk)
    with pytest.raises(JobRefused, match="任务尚未结束"):
        services.job_retry(actor=admin, job=services.job_enqueue(actor=admin, kind="test_echo", arguments={}))
    services.job_retry(actor=admin, job=job)
    job_execute(job.pk)
    job.refresh_from_db()
    assert job.attempts == 2 and job.status == Job.Status.FAILED and len(CALLS) == 2


def test_the_reaper_fails_running_jobs_of_dead_or_silent_workers(db: None, world: World) -> None:
    import datetime as dt
    import socket

    from django.utils import timezone

    now = timezone.now()
    host = socket.gethostname()
    dead = Job.objects.create(kind="test_echo", status=Job.Status.RUNNING, worker=f"{host}:999999999", heartbeat_at=now)
    silent = Job.objects.create(
        kind="test_echo", status=Job.Status.RUNNING, worker="other:1", heartbeat_at=now - dt.timedelta(seconds=121)
    )
    busy_here = Job.objects.create(  # a live worker here, its heartbeat held back by a long write
        kind="test_echo",
        status=Job.Status.RUNNING,
        worker=services.worker_name(),
        heartbeat_at=now - dt.timedelta(seconds=600),
    )
    alive = Job.objects.create(
        kind="test_echo", status=Job.Status.RUNNING, worker=services.worker_name(), heartbeat_at=now
    )
    assert services.jobs_reap(now=now) == 2
    dead.refresh_from_db()
    silent.refresh_from_db()
    assert dead.message == f"执行该任务的进程已中断（进程{host}:999999999已退出），未写入任何数据；可点“重试”重新执行"
    assert silent.message == "执行该任务的进程已中断（超过120秒没有心跳），未写入任何数据；可点“重试”重新执行"
    assert Job.objects.get(pk=alive.pk).status == Job.Status.RUNNING
    assert Job.objects.get(pk=busy_here.pk).status == Job.Status.RUNNING


def test_a_queue_that_cannot_be_reached_fails_the_job_not_the_request(
    transactional_db: None, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yuanqu.jobs.tasks import job_run

    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(type(job_run), "enqueue", unreachable)
    job = services.job_enqueue(actor=world.users["city_admin"], kind="test_echo", arguments={})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and len(job.incident) == 12
    assert job.message == f"任务队列暂时无法连接，任务未能排队（事件编号 {job.incident}）；请稍后点“重试”"


def test_a_job_that_ends_after_its_starter_may_have_left_leaves_a_notice(
    db: None, world: World, settings: Settings
) -> None:
    from yuanqu.notifications.models import Notification

    settings.JOBS_NOTIFY_AFTER_SECONDS = 0
    admin = world.users["city_admin"]
    done = services.job_enqueue(actor=admin, kind="test_echo", arguments={})
    refused = services.job_enqueue(actor=admin, kind="test_echo", arguments={"refuse": "数据不全"})
    job_execute(done.pk)
    job_execute(refused.pk)
    job_execute(done.pk)  # delivered again: nothing twice
    notices = Notification.objects.visible_to(admin).order_by("pk")
    assert [(n.kind, n.link, n.body) for n in notices] == [
        ("job_ended", f"/jobs/{done.pk}/", "完成"),
        ("job_ended", f"/jobs/{refused.pk}/", "数据不全"),
    ]
    assert notices[0].title.startswith("后台任务已完成：") and notices[1].title.startswith("后台任务未成功：")
    assert not Notification.objects.visible_to(world.users["district_jiangxia"]).exists()


def test_a_quick_job_leaves_no_notice(db: None, world: World, settings: Settings) -> None:
    from yuanqu.notifications.models import Notification

    settings.JOBS_NOTIFY_AFTER_SECONDS = 3600
    job = services.job_enqueue(actor=world.users["city_admin"], kind="test_echo", arguments={})
    job_execute(job.pk)
    assert Job.objects.get(pk=job.pk).status == Job.Status.SUCCEEDED
    assert not Notification.objects.exists()
