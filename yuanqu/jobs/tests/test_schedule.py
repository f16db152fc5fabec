"""Periodic work declared in YUANQU_SCHEDULE and run by the worker: each occurrence (period slot) is
queued once however many schedulers look at it, a daily entry waits for its time, and a bad entry is
refused at once."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from yuanqu.jobs import schedule
from yuanqu.jobs.models import Job, ScheduledRun
from yuanqu.jobs.tests.conftest import run_worker

SHANGHAI = ZoneInfo("Asia/Shanghai")
AT = dt.datetime(2026, 3, 2, 9, 7, 30, tzinfo=SHANGHAI)


@pytest.fixture
def retry_every_5_minutes(settings: Any) -> None:
    settings.YUANQU_SCHEDULE = {"notification_retry": {"command": "notifications_retry", "every": 300}}


def test_two_schedulers_for_the_same_slot_run_the_job_once(transactional_db: Any, retry_every_5_minutes: None) -> None:
    # transactional_db: the worker closes its connection between tasks, as a real one does.
    first = schedule.schedule_tick(now=AT)
    second = schedule.schedule_tick(now=AT + dt.timedelta(seconds=40))  # another worker, same slot
    assert len(first) == 1 and second == []
    run = ScheduledRun.objects.get()
    slot = dt.datetime(2026, 3, 2, 9, 5, tzinfo=SHANGHAI)
    assert (run.entry, run.slot, run.job) == ("notification_retry", slot, first[0])
    run_worker()
    job = Job.objects.get()
    assert (job.kind, job.status, job.started_by) == (schedule.KIND, Job.Status.SUCCEEDED, None)
    assert job.message.startswith("通知重试完成：发送成功0条")
    assert job.attempts == 1


def test_the_next_slot_is_queued_again(db: Any, retry_every_5_minutes: None) -> None:
    schedule.schedule_tick(now=AT)
    schedule.schedule_tick(now=AT + dt.timedelta(minutes=5))
    assert [run.slot.astimezone(SHANGHAI).minute for run in ScheduledRun.objects.order_by("slot")] == [5, 10]


def test_a_newer_slot_supersedes_a_queued_older_one(db: Any, retry_every_5_minutes: None) -> None:
    older = schedule.schedule_tick(now=AT)[0]
    newer = schedule.schedule_tick(now=AT + dt.timedelta(minutes=5))[0]
    older.refresh_from_db()
    assert older.status == Job.Status.CANCELLED and newer.status == Job.Status.QUEUED


def test_a_daily_entry_waits_for_its_time_and_runs_once_that_day(db: Any, settings: Any) -> None:
    settings.YUANQU_SCHEDULE = {"digest": {"command": "casework_digest", "daily": "08:00"}}
    assert schedule.schedule_tick(now=AT.replace(hour=7, minute=59)) == []
    assert len(schedule.schedule_tick(now=AT.replace(hour=8, minute=0))) == 1
    assert schedule.schedule_tick(now=AT.replace(hour=23)) == []
    assert len(schedule.schedule_tick(now=AT.replace(day=3, hour=10))) == 1  # a worker down at 08:00 catches up
    assert ScheduledRun.objects.count() == 2


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"every": 300}, "no command"),
        ({"command": "casework_sweep"}, 'give "every" or "daily"'),
        ({"command": "casework_sweep", "every": 5}, '"every" is seconds, at least 60'),
        ({"command": "casework_sweep", "daily": "8 o'clock"}, '"daily" is HH:MM'),
    ],
)
def test_a_bad_entry_is_refused_naming_it(settings: Any, entry: dict[str, Any], problem: str) -> None:
    settings.YUANQU_SCHEDULE = {"sweep": entry}
    with pytest.raises(ImproperlyConfigured, match=f"YUANQU_SCHEDULE entry 'sweep': {problem}"):
        schedule.entries()


def test_the_declared_schedule_is_valid(settings: Any) -> None:
    names = {entry.name: entry.command for entry in schedule.entries()}
    assert names["casework_sweep"] == "casework_sweep"
    assert {"notification_retry", "casework_digest", "data_freshness_check"} <= set(names)


def test_an_entry_removed_from_the_schedule_is_not_run(
    transactional_db: Any, settings: Any, retry_every_5_minutes: None
) -> None:
    job = schedule.schedule_tick(now=AT)[0]
    settings.YUANQU_SCHEDULE = {}
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "定时任务“notification_retry”已不在计划（YUANQU_SCHEDULE）中，未执行"


def test_two_schedulers_run_the_slot_once_through_redis(
    transactional_db: Any, retry_every_5_minutes: None, rq_backend: Any
) -> None:
    assert len(schedule.schedule_tick(now=AT)) == 1
    assert schedule.schedule_tick(now=AT) == []
    assert rq_backend.count == 1
    run_worker()
    assert [job.status for job in Job.objects.all()] == [Job.Status.SUCCEEDED]
    assert rq_backend.count == 0
