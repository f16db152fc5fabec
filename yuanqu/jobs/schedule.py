"""Periodic work, run by the worker: the entries of YUANQU_SCHEDULE (settings; each a management
command and "every" N seconds or "daily" at HH:MM local time) become jobs when their time comes.

`yuanqu worker` runs the scheduler (`Scheduler`, a thread beside the worker loop) unless started
with --no-schedule. Every worker may run it: each occurrence of an entry (its period slot) is a
unique ScheduledRun row, so however many workers and hosts look at the same slot, the job is queued
once. A newer occurrence supersedes a queued older one of the same entry (the job's scope), and the
commands themselves are idempotent, so a slot run late or twice by a systemd timer as well does no
harm. Hosts without a worker run the same commands from systemd timers (docs/operations.md)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop, pgettext_lazy

from yuanqu.jobs.context import JobContext
from yuanqu.jobs.kinds import JobKind, JobRefused, JobResult
from yuanqu.jobs.models import Job, ScheduledRun
from yuanqu.jobs.services import job_enqueue

logger = logging.getLogger(__name__)

KIND = "scheduled"
STEP_RUN = "执行"
STEP_LABELS = (pgettext_lazy("job step", "执行"),)
TITLE = gettext_noop("定时任务：{entry}")
ERR_ENTRY_GONE = gettext_noop("定时任务“{entry}”已不在计划（YUANQU_SCHEDULE）中，未执行")
ERR_SCHEDULE = "YUANQU_SCHEDULE entry {name!r}: {problem}"


@dataclass(frozen=True)
class Entry:
    name: str
    command: str
    every: int | None = None
    daily: dt.time | None = None

    def slot(self, now: dt.datetime) -> dt.datetime | None:
        """The start of the occurrence due at `now`, or None when today's daily time has not come.
        An "every" entry's slots are counted from the Unix epoch, so every host finds the same ones."""
        if self.every is not None:
            start = int(now.timestamp()) // self.every * self.every
            return dt.datetime.fromtimestamp(start, tz=dt.UTC)
        assert self.daily is not None
        local = timezone.localtime(now)
        at = local.replace(hour=self.daily.hour, minute=self.daily.minute, second=0, microsecond=0)
        return at if local >= at else None


def entries() -> list[Entry]:
    """The schedule as declared in settings; ImproperlyConfigured naming the entry and the problem."""
    found = []
    for name, spec in settings.YUANQU_SCHEDULE.items():
        command = str(spec.get("command") or "")
        if not command:
            raise ImproperlyConfigured(ERR_SCHEDULE.format(name=name, problem="no command"))
        every, daily = spec.get("every"), spec.get("daily")
        if (every is None) == (daily is None):
            raise ImproperlyConfigured(ERR_SCHEDULE.format(name=name, problem='give "every" or "daily"'))
        if every is not None:
            if not isinstance(every, int) or every < 60:
                raise ImproperlyConfigured(ERR_SCHEDULE.format(name=name, problem='"every" is seconds, at least 60'))
            found.append(Entry(name=name, command=command, every=every))
            continue
        try:
            at = dt.time.fromisoformat(str(daily))
        except ValueError as exc:
            raise ImproperlyConfigured(ERR_SCHEDULE.format(name=name, problem='"daily" is HH:MM')) from exc
        found.append(Entry(name=name, command=command, daily=at))
    return found


def schedule_tick(*, now: dt.datetime | None = None) -> list[Job]:
    """Queue the entries whose occurrence is due and not yet queued by any scheduler; returns the
    jobs this call queued (none for a slot another scheduler took first)."""
    now = now or timezone.now()
    queued = []
    for entry in entries():
        slot = entry.slot(now)
        if slot is None:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(entry=entry.name, slot=slot)
                job = job_enqueue(
                    actor=None,
                    kind=KIND,
                    arguments={"entry": entry.name, "slot": slot.isoformat()},
                    title=TITLE.format(entry=entry.name),
                    scope_key=f"schedule:{entry.name}",
                )
                run.job = job
                run.save(update_fields=["job"])
        except IntegrityError:
            continue  # another scheduler queued this occurrence
        queued.append(job)
    return queued


def scheduled_job_run(context: JobContext) -> JobResult:
    name = str(context.arguments.get("entry", ""))
    entry = next((entry for entry in entries() if entry.name == name), None)
    if entry is None:
        raise JobRefused(ERR_ENTRY_GONE.format(entry=name))
    context.progress(STEP_RUN, 0, 1)
    out = io.StringIO()
    call_command(entry.command, stdout=out)
    context.progress(STEP_RUN, 1, 1)
    return JobResult(message=out.getvalue().strip()[:500], data={"entry": name, "command": entry.command})


SCHEDULED_KIND = JobKind(
    code=KIND,
    label=gettext_noop("定时任务"),
    handler=scheduled_job_run,
    steps=(STEP_RUN,),
    messages=(TITLE, ERR_ENTRY_GONE),
)


class Scheduler(threading.Thread):
    """The scheduler loop beside a worker: a tick every `every` seconds until stopped, the first one
    after `every` seconds (a starting worker takes its queue first). A failed tick (the database busy
    or away) is logged and the next one tries again."""

    def __init__(self, every: float) -> None:
        super().__init__(daemon=True, name="yuanqu-scheduler")
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                try:
                    close_old_connections()
                    schedule_tick()
                except Exception:
                    logger.exception("定时任务检查失败，%s秒后重试", self.every)
        finally:
            connection.close()
