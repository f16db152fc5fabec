"""`yuanqu energy_recompute`: rebuild every carbon account from the energy data with the installed
pack's coefficients and factors (after a change of the pack). --background queues the same work as
a job for `yuanqu worker` (yuanqu.energy.jobs) and returns at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console

from yuanqu.energy import jobs, services

MSG_QUEUED = "已提交后台任务 #{job}，由 yuanqu worker 执行；进度见“我的任务”或 /jobs/{job}/"


class Command(BaseCommand):
    help = "按当前政策包重算全部碳账户"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--background", action="store_true", help="交给后台任务进程（yuanqu worker）执行，立即返回")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console()
        if options["background"]:
            job = jobs.carbon_job_start(actor=None)
            console.print(MSG_QUEUED.format(job=job.pk))
            return
        summary = services.carbon_recompute_all()
        console.print(f"碳账户已重算：{summary.firms} 家企业，{summary.periods} 个统计期，{summary.rows} 条")
