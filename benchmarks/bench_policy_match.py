"""Benchmark: the 免申即享 re-check after an import (`service.services.policy_match_run`: every
免申即享 policy in force matched against every firm, the run kept) at city scale, against a floor
measured in the same run — reading the same inputs with hand-written SQL (the firms with their park,
their labels, the last two years' annual reports, the 亩均 grades: one statement each, fetched whole),
i.e. the least reading any matcher has to do before it can judge a single firm.

The data set is the demo city's registry and statistics (`demo_generate`: scale 1 ≈ 100 parks,
12,000 firms with labels and three years of annual reports), built into a temporary SQLite database
(or the DATABASE_URL database, which it flushes). The match run is timed --repeat times (each run is
kept, as after an import) and the median reported. Run from the repository root:

    .venv/bin/python -m benchmarks.bench_policy_match [--scale 1.0] [--repeat 3] [--var /tmp/bench] [--reuse]

`--reuse` keeps a data set an earlier run built in the same --var (SQLite) instead of building it again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _setup(var: Path, *, flush: bool) -> None:
    os.environ.setdefault("YUANQU_VAR_DIR", str(var))
    os.environ.setdefault("YUANQU_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if flush and os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)


def _build(scale: float) -> None:
    from yuanqu.demo.generator import demo_generate
    from yuanqu.registry.services import policy_pack_apply, reference_data_load

    reference_data_load()
    policy_pack_apply()
    demo_generate(seed=2025, scale=scale)


def _floor_statements(on: dt.date) -> list[tuple[str, list[object]]]:
    """The inputs of a snapshot, one hand-written statement per source."""
    last, before = on.year - 1, on.year - 2
    return [
        (
            "SELECT e.id, e.industry_id, e.founded_on, e.park_id, p.park_type, d.code "
            "FROM registry_enterprise e LEFT JOIN registry_park p ON p.id = e.park_id "
            "JOIN registry_district d ON d.id = e.district_id",
            [],
        ),
        ("SELECT enterprise_id, kind, level, valid_from, valid_to FROM registry_enterpriselabel", []),
        (
            "SELECT enterprise_id, year, revenue, rd_expense, tax, employees FROM stats_annualstat "
            "WHERE year IN (%s, %s)",
            [last, before],
        ),
        (
            "SELECT enterprise_id, year, grade FROM evaluation_enterprisegrade WHERE year <= %s AND grade <> ''",
            [last],
        ),
    ]


def _median(function: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--var", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args(argv)
    var = args.var or Path(tempfile.mkdtemp(prefix="bench-policy-match-"))
    var.mkdir(parents=True, exist_ok=True)
    reuse = args.reuse and (var / "yuanqu.sqlite3").exists() and not os.environ.get("DATABASE_URL")
    if not reuse:
        (var / "yuanqu.sqlite3").unlink(missing_ok=True)
    _setup(var, flush=not reuse)

    from django.db import connection

    from yuanqu.casework import clock
    from yuanqu.registry.models import Enterprise, EnterpriseLabel
    from yuanqu.service.config import config
    from yuanqu.service.matching import is_open
    from yuanqu.service.models import MatchRun
    from yuanqu.service.services import policy_match_run
    from yuanqu.stats.models import AnnualStat

    started = time.perf_counter()
    if not reuse:
        _build(args.scale)
    built = time.perf_counter() - started
    today = clock.today()
    policies = [policy for policy in config().policies if policy.exempt_application and is_open(policy, today)]
    print(f"数据库：{connection.vendor}；平台：{platform.platform()}，Python {platform.python_version()}")
    print(f"负载（1/5/15 分钟）：{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"数据：{Enterprise.objects.count()} 家企业、{EnterpriseLabel.objects.count()} 个认定、"
        f"{AnnualStat.objects.count()} 条年度数据（生成 {built:.1f} 秒）；{len(policies)} 项免申即享政策在有效期内"
    )

    def floor() -> None:
        with connection.cursor() as cursor:
            for sql, params in _floor_statements(today):
                cursor.execute(sql, params)
                cursor.fetchall()

    floor_s = _median(floor, max(args.repeat, 5))
    run_s = _median(lambda: policy_match_run(batch=None), args.repeat)
    last = MatchRun.objects.order_by("-id").first()
    qualifying = sum(len(row["qualifying"]) for row in last.results) if last is not None else 0
    print(f"免申即享复核（{args.repeat} 次中位数）：{run_s:.2f} 秒；符合条件 {qualifying} 家次")
    print(f"下限（同样输入的手写 SQL 读取）：{floor_s:.3f} 秒；比值 {run_s / floor_s:.1f}×")
    print(f"负载（1/5/15 分钟）：{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
