"""`yuanqu import FILE --kind KIND [--dry-run] [--user NAME] [--report PATH] [--background]`: import
one file from the command line, with a progress bar and a summary; the same pipeline as the upload
page. With --background (and --user) the file is handed to a background job instead, as the upload
page does, and the command prints the job's number.

Without --user the import runs as the system (city-wide) and the audit log names the operating
system login. A rejected file gets its error report written next to it (or to --report), and the
command exits non-zero."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from yuanqu.core.models import User
from yuanqu.intake import services
from yuanqu.intake.jobs import import_job_start
from yuanqu.intake.kinds import KINDS, kind_spec
from yuanqu.intake.reading import FileRefused
from yuanqu.intake.validation import ERROR

ERR_BACKGROUND_USER = "后台导入需要用 --user 指定发起人账号（任务记在其名下，按其权限范围导入）"
MSG_BACKGROUND = "已提交后台任务#{job}：由 yuanqu worker 执行，进度和结果见“我的任务”（/jobs/{job}/）"
KIND_HELP = "；".join(f"{code}（{spec.label}）" for code, spec in KINDS.items())
ISSUES_PRINTED = 30


class Command(BaseCommand):
    help = "导入一个数据文件（xlsx/xls/ods/csv）：校验全部行，全部通过才写入"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="要导入的文件")
        parser.add_argument("--kind", required=True, help=f"数据类别：{KIND_HELP}")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--user", default="", help="以该平台账号的身份和权限范围导入（默认：系统，全市范围）")
        parser.add_argument("--report", type=Path, default=None, help="校验报告的保存路径（默认：与文件同目录）")
        parser.add_argument("--background", action="store_true", help="交给后台任务导入（需 --user），立即返回")
        parser.add_argument(
            "--note", default="", help="说明（随批次保存；数据有需说明的审核异常时必填，如同比变化超出区间）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(stderr=False, highlight=False)
        path = Path(options["file"])
        try:
            spec = kind_spec(options["kind"])
        except KeyError:
            raise CommandError(f"未知的数据类别“{options['kind']}”，可选：{KIND_HELP}") from None
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        if options["background"] and not options["user"]:
            raise CommandError(ERR_BACKGROUND_USER)
        actor = self._actor(options["user"])
        content = path.read_bytes()
        if options["background"]:
            job = import_job_start(
                actor=actor,
                spec=spec,
                file_name=path.name,
                content=content,
                dry_run=options["dry_run"],
                note=options["note"],
            )
            console.print(MSG_BACKGROUND.format(job=job.pk))
            return
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as progress:
            tasks: dict[str, TaskID] = {}

            def report(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = progress.add_task(stage, total=max(total, 1))
                progress.update(tasks[stage], completed=done, total=max(total, 1))

            try:
                outcome = services.batch_import(
                    actor=actor,
                    spec=spec,
                    file_name=path.name,
                    content=content,
                    dry_run=options["dry_run"],
                    progress=report,
                    note=options["note"],
                )
            except FileRefused as exc:
                raise CommandError(str(exc)) from None
        self._summary(console, outcome)
        if outcome.status in (services.REJECTED, services.CHECK_FAILED):
            target = Path(options["report"] or path.with_name(f"{path.stem}.校验报告.xlsx"))
            target.write_bytes(services.outcome_report(outcome))
            raise CommandError(f"{outcome.message}。校验报告：{target}")

    def _actor(self, username: str) -> User:
        if not username:
            return services.system_actor()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"账号“{username}”不存在或已停用")
        return user

    def _summary(self, console: Console, outcome: services.ImportOutcome) -> None:
        table = Table(title=f"{outcome.spec.label} · {outcome.file_name}", show_header=False)
        table.add_row("结论", outcome.message)
        if outcome.batch is not None:
            table.add_row("批次", f"#{outcome.batch.pk}（{outcome.batch.get_status_display()}）")
        if outcome.duplicate_of is not None:
            table.add_row("相同文件的批次", f"#{outcome.duplicate_of.pk}")
        labels = {
            "rows_total": "数据行数",
            "rows_ok": "通过行数",
            "rows_error": "错误行数",
            "rows_warning": "警告行数",
            "created": "新增",
            "updated": "修改（原值存为修订）",
            "unchanged": "未变",
        }
        for key, label in labels.items():
            if key in outcome.counts:
                table.add_row(label, str(outcome.counts[key]))
        if outcome.validation is not None and outcome.validation.encoding:
            table.add_row("文件编码", outcome.validation.encoding)
        console.print(table)
        # What the reader noted about the workbook (old formats, a hidden data sheet), then the problems;
        # cell text is printed as text, never read as console markup.
        for note in outcome.validation.notes if outcome.validation else []:
            console.print(f"[cyan]说明[/cyan] {escape(note)}")
        issues = outcome.validation.issues if outcome.validation else []
        for issue in issues[:ISSUES_PRINTED]:
            style = "red" if issue.severity == ERROR else "yellow"
            label = "错误" if issue.severity == ERROR else "提示"
            console.print(f"[{style}]{label}[/{style}] {escape(issue.text())}")
        # Counted over every problem, also those not kept (a file with more than ISSUES_KEPT).
        total = outcome.validation.issues.total if outcome.validation else 0
        if total > ISSUES_PRINTED:
            console.print(f"……另有{total - ISSUES_PRINTED}条，见校验报告")
