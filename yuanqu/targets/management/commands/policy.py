"""`yuanqu policy check [PATH]` validates a policy pack (every file of every section: units, chains,
indicators, targets, tasks, casework, the evaluation rules …) and lists each problem as
file:line: message; exit status 1 when there is any. It skips Django's system checks, which refuse a
broken installed pack before any other command runs, so that it can list the problems itself.
`yuanqu policy apply [PATH]` loads the installed pack's responsible units and chains into the registry
and its tasks and safeguards into 督办 (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from yuanqu.core.pack import check_pack, load_pack
from yuanqu.indicators.pack import INDICATORS
from yuanqu.registry.pack import LAYOUT
from yuanqu.targets.pack import TARGETS


class Command(BaseCommand):
    help = "政策包：check 校验（列出文件、行号和问题），apply 载入责任单位、产业链和督办任务"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="校验政策包")
        check.add_argument("path", nargs="?", help="政策包目录（默认为已安装的政策包）")
        apply = sub.add_parser("apply", help="载入政策包到数据库")
        apply.add_argument("path", nargs="?", help="政策包目录（默认为已安装的政策包）")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(highlight=False, soft_wrap=True)
        path = Path(options.get("path") or settings.POLICY_PACK_DIR)
        if options["action"] == "check":
            self._check(console, path)
        else:
            self._apply(console, path)

    def _check(self, console: Console, path: Path) -> None:
        problems = check_pack(path)
        if problems:
            for problem in problems:
                console.print(f"[red]{problem.file}:{problem.line}[/red]: {problem.message}", markup=True)
            raise CommandError(f"政策包 {path} 校验未通过，共 {len(problems)} 个问题")
        pack = load_pack(path)
        plan = pack.section(TARGETS)
        console.print(
            f"政策包 {pack.code}（{pack.version}）校验通过：{len(pack.section(INDICATORS).indicators)} 个指标、"
            f"{len(plan.targets)} 个目标、{len(plan.tasks)} 项重点任务、{len(plan.safeguards)} 项保障措施、"
            f"{len(pack.section(LAYOUT).units)} 个责任单位"
        )

    def _apply(self, console: Console, path: Path) -> None:
        from yuanqu.registry.services import policy_pack_apply
        from yuanqu.targets.services import supervised_tasks_sync

        problems = check_pack(path)
        if problems:
            for problem in problems:
                console.print(f"{problem}")
            raise CommandError("政策包校验未通过，未载入")
        registry = policy_pack_apply(path)
        tasks = supervised_tasks_sync(pack=load_pack(path))
        console.print(
            f"已载入：责任单位 {registry['units']} 个，产业链 {registry['chains']} 条，"
            f"督办任务 {tasks['tasks']} 项（责任单位分工 {tasks['assignments']} 条）"
        )
