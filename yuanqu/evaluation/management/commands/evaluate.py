"""`yuanqu evaluate --year 2025`: evaluate the parks of a year (scores, rank intervals, the proposed
产业名园 list), with progress. `--grades` also grades enterprises' 亩均效益 for the year;
`--check-pack` only validates the evaluation files of the policy pack (file:line: message).
`--background --user NAME` hands the run (and the grading) to background jobs started by that city
administrator, as the evaluation page does, and returns at once; the worker does the work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from yuanqu.core.cli_progress import progress_bar
from yuanqu.core.models import User
from yuanqu.core.pack import PolicyPackError
from yuanqu.evaluation import jobs, services
from yuanqu.evaluation.models import EvaluationRun
from yuanqu.evaluation.pack import check_evaluation_pack
from yuanqu.evaluation.selectors import type_name

ERR_BACKGROUND_USER = "后台评价需要用 --user 指定发起人账号（须为市级管理员，任务记在其名下）"
ERR_NO_USER = "账号“{username}”不存在或已停用"
MSG_BACKGROUND = "已提交后台任务#{job}（{title}）：由 yuanqu worker 执行，进度和结果见“我的任务”（/jobs/{job}/）"


class Command(BaseCommand):
    help = "园区评价：计算综合得分、名次区间与产业名园拟入选名单（--grades 同时评定亩均效益等级）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="评价年度，如 2025")
        parser.add_argument("--runs", type=int, help="蒙特卡洛运行次数（默认取政策包 selection.yaml）")
        parser.add_argument("--seed", type=int, help="随机种子（默认为评价年度）")
        parser.add_argument("--grades", action="store_true", help="同时评定该年度企业亩均效益等级")
        parser.add_argument("--check-pack", action="store_true", help="只校验政策包中的评价文件")
        parser.add_argument("--background", action="store_true", help="交给后台任务执行（需 --user），立即返回")
        parser.add_argument("--user", default="", help="后台任务的发起人账号（市级管理员）")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(highlight=False, soft_wrap=True)
        if options["check_pack"]:
            self._check(console)
            return
        year = options.get("year")
        if year is None:
            raise CommandError("请用 --year 指定评价年度，如 --year 2025")
        params = {key: options[key] for key in ("runs", "seed") if options.get(key) is not None}
        if options["background"]:
            self._background(console, options["user"], year, params, grades=options["grades"])
            return
        with progress_bar(console) as report:
            try:
                run = services.evaluation_run(actor=None, year=year, params=params, progress=report)
            except (ValidationError, PolicyPackError) as exc:
                raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from exc
        if run.status == EvaluationRun.Status.FAILED:
            raise CommandError(f"评价 #{run.pk} 未完成：{run.message}")
        self._print_run(console, run)
        if options["grades"]:
            try:
                summary = services.enterprise_grades_compute(actor=None, year=year)
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
            counts = "、".join(f"{code} {count}" for code, count in sorted(summary.counts.items()))
            console.print(f"{year}年亩均效益评价：{summary.total} 家企业（{counts}）")

    def _background(self, console: Console, username: str, year: int, params: dict[str, Any], *, grades: bool) -> None:
        if not username:
            raise CommandError(ERR_BACKGROUND_USER)
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(ERR_NO_USER.format(username=username))
        try:
            started = [jobs.run_job_start(actor=actor, year=year, params=params)]
            if grades:
                started.append(jobs.grades_job_start(actor=actor, year=year))
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from exc
        for job in started:
            console.print(MSG_BACKGROUND.format(job=job.pk, title=job.title))

    def _check(self, console: Console) -> None:
        path = Path(settings.POLICY_PACK_DIR)
        try:
            pack, problems = check_evaluation_pack(path)
        except PolicyPackError as exc:
            raise CommandError(str(exc)) from exc
        if problems or pack is None:
            for problem in problems:
                console.print(f"[red]{problem.file}:{problem.line}[/red]: {problem.message}", markup=True)
            raise CommandError(f"政策包 {path} 的评价文件校验未通过，共 {len(problems)} 个问题")
        console.print(
            f"评价文件校验通过：{len(pack.index_systems)} 套指标体系，遴选 {pack.selection.total} 个产业名园，"
            f"亩均效益 {len(pack.mujun.indicators)} 项指标"
        )

    def _print_run(self, console: Console, run: EvaluationRun) -> None:
        table = Table(title=f"{run.year}年度园区评价 #{run.pk}（种子 {run.seed}，{run.params.get('runs')} 次蒙特卡洛）")
        for column in ("类型", "园区", "参评", "具备资格", "名额", "拟入选", "不稳健", "拟奖励（万元）"):
            table.add_column(column)
        for code, item in run.summary.get("types", {}).items():
            table.add_row(
                type_name(code),
                str(item["parks"]),
                str(item["included"]),
                str(item["eligible"]),
                str(item["quota"]),
                str(item["selected"]),
                str(item["unstable"]),
                str(item["award_wan_yuan"]),
            )
        console.print(table)
        if run.message:
            console.print(f"说明：{run.message}")
