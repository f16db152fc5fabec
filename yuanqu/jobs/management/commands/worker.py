"""`yuanqu worker`: run background jobs with the configured backend (YUANQU_TASKS_BACKEND).

database: the django-tasks-db worker polling the platform's own database; rq: an RQ worker on
YUANQU_REDIS_URL, with its scheduler (jobs whose scope is busy are looked at again later). Either way
it first marks failed the jobs of workers that are gone (yuanqu.jobs.services.jobs_reap), and, unless
--no-schedule or --batch, runs the scheduler of periodic work beside it (yuanqu.jobs.schedule: each
occurrence is queued once however many workers run it). Run one per core on as many hosts as needed;
see docs/operations.md."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from yuanqu.jobs.schedule import Scheduler
from yuanqu.jobs.services import jobs_reap, worker_name


class Command(BaseCommand):
    help = "运行后台任务进程（数据库队列或 Redis 队列，见 YUANQU_TASKS_BACKEND）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", default="default", help="队列名（默认 default）")
        parser.add_argument("--batch", action="store_true", help="处理完已排队的任务后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="数据库队列空闲时的轮询间隔（秒）")
        parser.add_argument("--max-tasks", type=int, default=None, help="执行这么多个任务后退出")
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="不检查定时任务（YUANQU_SCHEDULE）；默认每个进程都检查，每次只排队一次",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reaped = jobs_reap()
        if reaped and options["verbosity"]:
            self.stdout.write(f"已将{reaped}个中断的任务标记为失败")
        scheduler = None
        if not options["batch"] and not options["no_schedule"] and settings.JOBS_SCHEDULE_TICK_SECONDS > 0:
            scheduler = Scheduler(float(settings.JOBS_SCHEDULE_TICK_SECONDS))
            scheduler.start()
        try:
            self._work(options)
        finally:
            if scheduler is not None:
                scheduler.stopped.set()

    def _work(self, options: dict[str, Any]) -> None:
        if settings.JOBS_BACKEND == "rq":
            call_command(
                "rqworker",
                options["queue"],
                job_class="django_tasks_rq.backend.Job",
                worker_class=settings.JOBS_RQ_WORKER_CLASS,
                with_scheduler=True,
                burst=options["batch"],
                max_jobs=options["max_tasks"],
                verbosity=options["verbosity"],
            )
            return
        call_command(
            "db_worker",
            queue_name=options["queue"],
            interval=options["interval"],
            batch=options["batch"],
            reload=False,
            startup_delay=False,
            max_tasks=options["max_tasks"],
            worker_id=worker_name()[:64],
            verbosity=options["verbosity"],
        )
