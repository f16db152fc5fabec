"""The job pages: 我的任务 lists the user's own jobs, a job outside the user's scope answers 404, the
progress partial polls while the job runs and stops when it ends, cancel and retry from the page,
English pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from conftest import World
from yuanqu.jobs import services
from yuanqu.jobs.context import JobContext, job_execute
from yuanqu.jobs.kinds import KINDS, JobCancelled
from yuanqu.jobs.models import Job
from yuanqu.jobs.tests.conftest import CALLS


def _job(world: World, persona: str, **arguments: Any) -> Job:
    return services.job_enqueue(actor=world.users[persona], kind="test_echo", arguments=arguments, title="测试任务")


def test_my_jobs_lists_only_the_users_own_jobs(world: World) -> None:
    mine = _job(world, "district_jiangxia")
    theirs = _job(world, "district_caidian")
    html = world.client("district_jiangxia").get("/jobs/").content.decode()
    assert f'href="/jobs/{mine.pk}/"' in html and f'href="/jobs/{theirs.pk}/"' not in html
    assert "您还没有后台任务" in world.client("park_operator").get("/jobs/").content.decode()
    assert world.client("anonymous").get("/jobs/").status_code == 302


def test_a_job_outside_the_users_scope_answers_404(world: World) -> None:
    job = _job(world, "district_caidian")
    assert world.client("district_jiangxia").get(f"/jobs/{job.pk}/").status_code == 404
    assert world.client("district_jiangxia").get(f"/jobs/{job.pk}/progress/").status_code == 404
    assert world.client("district_jiangxia").post(f"/jobs/{job.pk}/cancel/").status_code == 404
    assert world.client("city_viewer").get(f"/jobs/{job.pk}/").status_code == 200
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED


def test_the_progress_polls_until_the_job_ends(world: World) -> None:
    job = _job(world, "district_jiangxia", n=1)
    client = world.client("district_jiangxia")
    running = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in running and "排队等待执行……" in running
    job_execute(job.pk)
    done = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in done and 'data-status="succeeded"' in done and 'href="/done/"' in done
    assert '<li class="done">准备</li><li class="done">写入</li>' in done


def test_polling_the_progress_neither_renews_nor_rewrites_the_session(world: World) -> None:
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from yuanqu.core.sessions import RENEWED

    job = _job(world, "district_jiangxia", n=1)
    client = world.client("district_jiangxia")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # The session is due for renewal: more than half of the idle time has passed since its last save.
    store = SessionStore(session_key=key)
    store[RENEWED] = 0
    store.save()
    before = Session.objects.get(session_key=key).expire_date
    polled = client.get(f"/jobs/{job.pk}/progress/")
    assert polled.status_code == 200 and settings.SESSION_COOKIE_NAME not in polled.cookies
    assert Session.objects.get(session_key=key).expire_date == before
    # Anything the user does renews it.
    assert settings.SESSION_COOKIE_NAME in client.get(f"/jobs/{job.pk}/").cookies
    assert Session.objects.get(session_key=key).expire_date > before


def test_a_viewer_cannot_cancel_another_users_job(world: World) -> None:
    job = _job(world, "district_jiangxia")
    response = world.client("city_viewer").post(f"/jobs/{job.pk}/cancel/")
    assert response.status_code == 403 and Job.objects.get(pk=job.pk).status == Job.Status.QUEUED


def test_cancel_and_retry_from_the_page(world: World) -> None:
    job = _job(world, "district_jiangxia")
    client = world.client("district_jiangxia")
    page = client.post(f"/jobs/{job.pk}/cancel/", follow=True).content.decode()
    assert "已请求取消任务" in page and "已按您的要求取消，未写入任何数据" in page
    page = client.post(f"/jobs/{job.pk}/retry/", follow=True).content.decode()
    assert "任务已重新排队" in page and Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    job_execute(job.pk)
    page = client.post(f"/jobs/{job.pk}/cancel/", follow=True).content.decode()
    assert "任务已结束，无需取消" in page


def test_the_job_pages_are_in_english(world: World) -> None:
    client = world.client("district_jiangxia")
    client.cookies["django_language"] = "en"
    job = _job(world, "district_jiangxia", crash=True)
    job_execute(job.pk)
    job.refresh_from_db()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"Job #{job.pk}" in page and ">Failed</span>" in page and "Retry" in page
    assert f"The job failed with an error, logged as incident {job.incident};" in page
    assert "My jobs" in client.get("/jobs/").content.decode()


def test_progress_inside_the_jobs_own_transaction_is_not_written(world: World) -> None:
    job = _job(world, "district_jiangxia")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    context = JobContext(Job.objects.get(pk=job.pk), KINDS["test_echo"])
    context.progress("准备", 1, 4)
    with transaction.atomic():
        context.progress("写入", 2, 4)
        Job.objects.filter(pk=job.pk).update(cancel_requested=True)
        context.progress("写入", 3, 4)  # neither recorded nor cancelled inside the write
    job.refresh_from_db()
    assert (job.step, job.done, job.total, job.cancellable) == ("准备", 1, 4, True) and CALLS == []


def test_a_handler_can_check_for_a_cancel_between_progress_reports(world: World) -> None:
    job = _job(world, "district_jiangxia")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    context = JobContext(Job.objects.get(pk=job.pk), KINDS["test_echo"])
    context.check_cancelled()
    services.job_cancel(actor=world.users["district_jiangxia"], job=job)
    with pytest.raises(JobCancelled):
        context.check_cancelled()


def test_a_progress_report_the_busy_database_refused_does_not_stop_the_job(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    job = _job(world, "district_jiangxia")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    context = JobContext(Job.objects.get(pk=job.pk), KINDS["test_echo"])
    real = services.job_progress
    refusals = iter([True, False])

    def busy_once(**kwargs: Any) -> None:
        if next(refusals, False):
            raise OperationalError("database table is locked: jobs_job")
        real(**kwargs)

    monkeypatch.setattr(services, "job_progress", busy_once)
    context.progress("读取文件", 1000, 100000)  # let go, the job goes on (was: the job failed)
    context.progress("校验", 0, 100000)
    job.refresh_from_db()
    assert (job.status, job.step, job.done) == ("running", "校验", 0)
