"""`yuanqu demo [--no-serve] [--reset]`: migrate the database, load reference data and the policy
pack, generate the synthetic demo city once, print the accounts, and serve the platform.

A second run finds the demo already loaded and starts at once; --reset rebuilds it from scratch."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from rich.console import Console
from rich.table import Table

from yuanqu.core.models import PlatformFlag
from yuanqu.core.services import platform_flag_set

# The last complete statistical year of the demo data (it runs to 2026-10).
DEMO_EVALUATION_YEAR = 2025


class Command(BaseCommand):
    help = "载入示例数据并启动平台（SQLite，本机演示）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
        parser.add_argument("--reset", action="store_true", help="清空数据库并重新生成示例数据")
        parser.add_argument("--seed", type=int, default=2025, help="随机种子（默认 2025）")
        parser.add_argument("--scale", type=float, default=1.0, help="规模系数（默认 1.0，约100个园区、1.2万家企业）")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console()
        if options["reset"]:
            self._reset(console)
        call_command("migrate", interactive=False, verbosity=0)
        loaded = PlatformFlag.objects.filter(key=PlatformFlag.DEMO_LOADED).first()
        if loaded is None:
            self._load(console, seed=options["seed"], scale=options["scale"])
        else:
            console.print(
                f"示例数据已载入（{loaded.value.get('loaded_at', '')}），直接启动。如需重建：yuanqu demo --reset"
            )
        self._print_accounts(console)
        if not options["no_serve"]:
            from yuanqu.jobs.process import worker_beside

            with worker_beside():  # background jobs (imports …) need a worker beside the server
                call_command("serve", host=options["host"], port=options["port"])

    def _reset(self, console: Console) -> None:
        if connection.vendor == "sqlite":
            path = settings.DATABASES["default"]["NAME"]
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            console.print(f"已删除演示数据库 {path}")
        else:
            call_command("flush", interactive=False, verbosity=0)
            console.print("已清空数据库")

    def _load(self, console: Console, *, seed: int, scale: float) -> None:
        from yuanqu.casework.demo import casework_demo_generate
        from yuanqu.core.dbstats import planner_statistics_refresh
        from yuanqu.demo.energy import energy_demo_generate
        from yuanqu.demo.factors import factors_demo_awards, factors_demo_generate
        from yuanqu.demo.fidelity import history_demo_generate, prices_demo_generate
        from yuanqu.demo.generator import demo_generate
        from yuanqu.demo.investment import investment_demo_generate_all
        from yuanqu.demo.service import service_demo_generate
        from yuanqu.demo.talent import talent_demo_generate
        from yuanqu.evaluation.services import enterprise_grades_compute, evaluation_run
        from yuanqu.indicators.services import indicators_compute_all
        from yuanqu.registry.services import policy_pack_apply, reference_data_load
        from yuanqu.targets.services import supervised_tasks_sync

        started = time.monotonic()
        with console.status("载入参考数据（行政区划、国民经济行业分类、高技术制造业分类）…"):
            reference_data_load()
        with console.status("载入政策包（产业链、责任单位）…"):
            policy_pack_apply()
            supervised_tasks_sync()
        with console.status("生成示例数据…") as status:

            def progress(step: str, done: int, total: int) -> None:
                status.update(f"生成示例数据：{step} {done}/{total}")

            summary = demo_generate(seed=seed, scale=scale, progress=progress)
            # The scans below (indicators, evaluation) are planned on the rows just loaded.
            planner_statistics_refresh()
        with console.status("生成价格指数与历史状态示例…"):
            prices_demo_generate(seed=seed)
            history_demo_generate(seed=seed)
        with console.status("生成啄木鸟诉求示例…"):
            cases = casework_demo_generate(seed=seed, count=max(20, round(300 * scale)))
        with console.status("生成招商项目与载体示例…"):
            projects, sites, candidates = investment_demo_generate_all(seed=seed, scale=scale)
        with console.status("生成能碳示例（企业能源数据、园区资源循环数据）并核算碳账户…"):
            energy_rows, _park_rows = energy_demo_generate(seed=seed)
        with console.status("生成陪跑走访与发展环境问卷示例…"):
            service = service_demo_generate(seed=seed, scale=scale)
        with console.status("生成人才直通车岗位与示例人才…"):
            openings, people = talent_demo_generate(seed=seed, scale=scale)
        with console.status("生成要素保障示例（供地、奖补、联席会议、产业基金、用地计划）…"):
            factors = factors_demo_generate(seed=seed, scale=scale)
        with console.status("计算指标…"):
            indicators_compute_all()
        with console.status("评价园区（2025年度）与亩均效益分级…"):
            run = evaluation_run(actor=None, year=DEMO_EVALUATION_YEAR)
            if run.status == run.Status.DONE:
                enterprise_grades_compute(actor=None, year=DEMO_EVALUATION_YEAR)
        with console.status("确认产业名园名单并登记奖励…"):
            awards = factors_demo_awards(run=run)
        planner_statistics_refresh()
        platform_flag_set(
            key=PlatformFlag.DEMO_LOADED,
            value={"seed": seed, "scale": scale, "loaded_at": time.strftime("%Y-%m-%d %H:%M")},
        )
        elapsed = time.monotonic() - started
        console.print(
            f"示例数据已生成（{elapsed:.0f} 秒）：{summary.parks} 个园区、{summary.enterprises} 家企业、"
            f"{summary.monthly_stats} 条月度统计、{summary.land_parcels} 个地块、{cases} 件诉求、"
            f"{projects} 个招商项目、{sites} 处载体、{candidates} 家目标企业、{energy_rows} 条企业年度能源数据、"
            f"{service.assignments} 家企业的服务专员、{service.visits} 次走访（{service.needs} 项需求转为诉求）、"
            f"{service.plans} 个走访计划、{service.responses} 份发展环境问卷、{service.service_lines} 项园区服务清单、"
            f"{service.requests} 件服务申请、{service.fees} 项涉企收费、{service.companions} 个陪跑项目、"
            f"{service.granted} 家免申即享兑现、{openings} 个招聘岗位、{people} 位示例人才、"
            f"{factors.sales} 笔供地、{factors.grants} 笔奖补、{factors.meetings} 次联席会议、"
            f"{factors.funds} 只产业基金、{factors.investments} 笔基金投资、{factors.plans} 份用地计划、"
            f"{awards} 笔产业名园奖励"
        )

    def _print_accounts(self, console: Console) -> None:
        from yuanqu.demo.generator import DEMO_PASSWORD, demo_accounts

        table = Table(title=f"演示账号（密码均为 {DEMO_PASSWORD}）")
        table.add_column("用户名")
        table.add_column("角色")
        table.add_column("范围")
        for username, role, scope in demo_accounts():
            table.add_row(username, role, scope)
        console.print(table)
