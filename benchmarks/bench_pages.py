"""Benchmark: server time of the cockpit (驾驶舱) and a park's 一园一档 on the demo data, against a floor
measured in the same run — a trivial page (base.html, no data) served through the same URL routing,
middleware (sessions, authentication, CSP headers, locale), context processors and base template, by
the same logged-in city admin. What the ratio shows is the cost of the pages' own reads and rendering.

It works on a copy of a demo database (`yuanqu demo --no-serve` makes one under var/), so the demo is
left as it was: the copy is migrated, its indicator values are computed if there are none, and a 2025
evaluation is run if there is none. The Django test client calls the views in-process (no network);
each page is requested --repeat times after one warm-up request and the median is reported. The issue
asks for at most 300 ms of server time per page. Run from the repository root:

    .venv/bin/python -m benchmarks.bench_pages [--var var] [--repeat 30] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_MS = 300.0


def _prepare(source: Path, work: Path) -> None:
    database = source / "yuanqu.sqlite3"
    if not database.exists():
        sys.exit(f"没有演示数据库 {database}：请先运行 yuanqu demo --no-serve（或 make demo）")
    work.mkdir(parents=True, exist_ok=True)
    # SQLite's online backup copies a consistent database even while the demo server writes to it.
    import sqlite3

    with sqlite3.connect(database) as src, sqlite3.connect(work / "yuanqu.sqlite3") as dst:
        src.backup(dst)
    if (source / "secret_key").exists():
        shutil.copy(source / "secret_key", work / "secret_key")
    os.environ["YUANQU_VAR_DIR"] = str(work)
    os.environ["YUANQU_DEMO"] = "1"  # DEBUG off: no query logging, cached templates, as served
    os.environ["DJANGO_SETTINGS_MODULE"] = "yuanqu.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _ensure_data() -> None:
    from yuanqu.evaluation.models import EvaluationRun
    from yuanqu.indicators import services as indicator_services
    from yuanqu.indicators.models import IndicatorValue

    if not IndicatorValue.objects.exists():
        started = time.perf_counter()
        indicator_services.indicators_compute_all()
        print(f"computed indicator values ({time.perf_counter() - started:.0f} s)")
    if not EvaluationRun.objects.filter(status=EvaluationRun.Status.DONE).exists():
        from yuanqu.evaluation.services import evaluation_run

        started = time.perf_counter()
        evaluation_run(actor=None, year=2025, params={"runs": 200})
        print(f"ran the 2025 evaluation ({time.perf_counter() - started:.0f} s)")


def _floor_urlconf() -> str:
    """A URL configuration of the project's URLs plus the floor page, as a module Django can import."""
    import types

    from django.contrib.auth.decorators import login_required
    from django.http import HttpRequest, HttpResponse
    from django.shortcuts import render
    from django.urls import path

    import yuanqu.urls

    @login_required
    def floor(request: HttpRequest) -> HttpResponse:
        return render(request, "base.html", {})

    module = types.ModuleType("bench_pages_urls")
    module.urlpatterns = [path("__floor__/", floor), *yuanqu.urls.urlpatterns]  # type: ignore[attr-defined]
    sys.modules["bench_pages_urls"] = module
    return "bench_pages_urls"


def _measure(client: Any, url: str, repeat: int) -> tuple[float, int, int]:
    from django.db import connection

    response = client.get(url, HTTP_HOST="127.0.0.1")  # warm-up (templates, pack, caches)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    statements: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    # A wrapper rather than CaptureQueriesContext: the connection is closed after each request
    # (CONN_MAX_AGE 0), and the wrapper is installed on the connection object, which stays.
    with connection.execute_wrapper(count):
        client.get(url, HTTP_HOST="127.0.0.1")
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url, HTTP_HOST="127.0.0.1")
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000, len(statements), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var", default="var", help="folder holding the demo database (default: var)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temporary folder)")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="yuanqu-bench-pages-"))
    _prepare(Path(args.var).resolve(), work)
    _ensure_data()

    from django.db.models import Count
    from django.test import Client, override_settings

    from yuanqu.core.models import User
    from yuanqu.core.roles import Role
    from yuanqu.registry.models import Park

    admin = User.objects.filter(role=Role.CITY_ADMIN, is_active=True).order_by("pk").first()
    if admin is None:
        sys.exit("演示数据库中没有市级管理员账号")
    park = Park.objects.annotate(n=Count("enterprises")).order_by("-n", "code").first()
    assert park is not None
    client = Client()
    client.force_login(admin)
    pages = [
        ("floor: base.html, no data", "/__floor__/"),
        ("cockpit", "/cockpit/"),
        ("cockpit, coloured by 亩均税收, 2025", "/cockpit/?indicator=tax_per_mu&period=2025&colour=indicator"),
        ("cockpit, 大屏", "/cockpit/?screen=1"),
        (f"park profile {park.code} ({park.n} firms)", f"/cockpit/parks/{park.code}/"),  # type: ignore[attr-defined]
        (f"district page {park.district.code}", f"/cockpit/districts/{park.district.code}/"),
    ]
    with override_settings(ROOT_URLCONF=_floor_urlconf()):
        results = [(label, *_measure(client, url, args.repeat)) for label, url in pages]

    floor = results[0][1]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n{platform.node()} · Python {platform.python_version()} · load {load:.1f} · {args.repeat} requests each")
    print(f"{'page':44} {'median':>9} {'× floor':>8} {'queries':>8} {'bytes':>8}  ≤ {TARGET_MS:.0f} ms")
    for label, median, queries, size in results:
        verdict = "yes" if median <= TARGET_MS else "NO"
        print(f"{label:44} {median:7.1f}ms {median / floor:7.1f}× {queries:8d} {size:8d}  {verdict}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
