"""`yuanqu compute [--all]`: bring the stored indicator values up to date, with progress.

Without --all it recomputes what each import batch since the last full run changed (nothing to do
when all are computed; a full run when there has been none, or the indicator catalogue changed).
--all recomputes everything. --background queues the same work as a job for `yuanqu worker`
(yuanqu.indicators.jobs) and returns at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console

from yuanqu.core.cli_progress import progress_bar
from yuanqu.indicators import jobs, services

MSG_QUEUED = "已提交后台任务 #{job}，由 yuanqu worker 执行；进度见“我的任务”或 /jobs/{job}/"


class Command(BaseCommand):
    help = "计算指标值（默认只计算新导入批次影响的园区和统计期；--all 全量重算）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="全量重算全部指标值")
        parser.add_argument("--background", action="store_true", help="交给后台任务进程（yuanqu worker）执行，立即返回")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console()
        if options["background"]:
            job = jobs.compute_job_start(actor=None, full=options["all"])
            console.print(MSG_QUEUED.format(job=job.pk))
            return
        with progress_bar(console) as report:
            if options["all"] or not services.catalogue_current():
                summary = services.indicators_compute_all(progress=report)
                console.print(
                    f"全量计算完成：{summary.periods} 个统计期，{summary.cells} 个计算单元，"
                    f"{summary.values} 个指标值，用时 {summary.seconds:.1f} 秒"
                )
                return
            batches = services.pending_batches()
            if not batches:
                console.print("指标值已是最新：没有待计算的导入批次（全量重算请加 --all）")
                return
            for batch in batches:
                summary = services.indicators_recompute_for_batch(batch=batch, progress=report)
                console.print(
                    f"批次 #{batch.pk}（{batch.get_kind_display()}）：重算 {summary.cells} 个计算单元、"
                    f"{summary.values} 个指标值，用时 {summary.seconds:.1f} 秒"
                )
