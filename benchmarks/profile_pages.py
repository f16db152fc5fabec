"""Profile: CPU per request of one cached request of each page of the load mix, for each role.

The pages and roles are the load benchmark's (`benchmarks/bench_load.py`): the cockpit, the park
list, the target board, the case list, the evaluation runs and a park profile in the reader's scope,
for a city, a district, a park and an enterprise account. Each page is fetched once (which fills the
read cache, as a reader before would), then --repeat times in this process through the whole
middleware stack (Django's test client: no network, no server). Printed per role and page: the CPU
time of this process per request (the database server's own CPU is not in it), the wall time, the
queries, and where the time goes (from one profiled pass, as shares of the request): middleware
(everything around the view), the view's own code, templates, the session, authentication, the read
cache and SQL (the time spent waiting for the database's answers, inside the others).

CPU time is what load does not distort much: run it on a shared machine and compare before/after.

With --middleware, each middleware of settings.MIDDLEWARE is timed on its own (its CPU per request,
what it does before and after the layers inside it and in its process_view), over every cached
request of the run, printed after the table.

    python -m benchmarks.profile_pages --database-url postgres://postgres@127.0.0.1:55432/yq_demo \\
        --var-dir /tmp/load/var [--repeat 20] [--no-cache] [--middleware]
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from benchmarks.bench_load import MIX, PAGES, Reader, ensure_demo, make_readers, park_in_scope, setup_django

# (label, test on a profiled function's file and name): cumulative time of the outermost call.
# Templates: every template rendered (pages and slots alike; a slot is rendered with a plain context,
# not through the backend). Session: Django's engines and the platform's (core/sessions.py).
PARTS: tuple[tuple[str, Callable[[str, str], bool]], ...] = (
    ("templates", lambda file, name: file.endswith("django/template/base.py") and name == "_render"),
    (
        "session",
        lambda file, name: (
            ("contrib/sessions/backends" in file or file.endswith("yuanqu/core/sessions.py"))
            and name in ("load", "save")
        ),
    ),
    ("auth", lambda file, name: file.endswith("django/contrib/auth/__init__.py") and name == "get_user"),
    ("cache", lambda file, name: "django/core/cache/backends" in file and name in ("get_many", "set", "add")),
    ("sql", lambda file, name: file.endswith("django/db/backends/utils.py") and name == "_execute"),
)


# CPU seconds spent in each middleware itself (--middleware), and the requests they were spent on.
MIDDLEWARE_CPU: dict[str, float] = defaultdict(float)
MIDDLEWARE_MEASURED: dict[str, float] = defaultdict(float)
TIMED_REQUESTS = [0]


def timed_middleware(path: str) -> type:
    """A middleware standing for the one at `path` that adds its own CPU time to MIDDLEWARE_CPU:
    the time of its call less the time of the layers inside it, plus its process_view."""
    from django.utils.module_loading import import_string

    real = import_string(path)

    class Timed:
        sync_capable = True
        async_capable = False

        def __init__(self, get_response: Callable[[Any], Any]) -> None:
            def inner(request: Any) -> Any:
                start = time.process_time()
                try:
                    return get_response(request)
                finally:
                    MIDDLEWARE_CPU[path] -= time.process_time() - start

            self.middleware = real(inner)

        def __call__(self, request: Any) -> Any:
            start = time.process_time()
            try:
                return self.middleware(request)
            finally:
                MIDDLEWARE_CPU[path] += time.process_time() - start

        def __getattr__(self, name: str) -> Any:
            found = getattr(self.middleware, name)
            if name != "process_view":
                return found

            def process_view(*args: Any) -> Any:
                start = time.process_time()
                try:
                    return found(*args)
                finally:
                    MIDDLEWARE_CPU[path] += time.process_time() - start

            return process_view

    Timed.__name__ = Timed.__qualname__ = f"Timed{real.__name__}"
    return Timed


def middleware_timed() -> None:
    """settings.MIDDLEWARE replaced by timed stand-ins (this module's attributes, by path)."""
    from django.conf import settings

    paths = []
    for index, path in enumerate(settings.MIDDLEWARE):
        name = f"_timed_{index}"
        globals()[name] = timed_middleware(path)
        paths.append(f"{__name__}.{name}")
    settings.MIDDLEWARE_TIMED = list(settings.MIDDLEWARE)
    settings.MIDDLEWARE = paths


def middleware_report() -> None:
    from django.conf import settings

    requests = max(TIMED_REQUESTS[0], 1)
    total = sum(MIDDLEWARE_MEASURED.values())
    print(
        f"CPU per cached request in each middleware (mean of {requests} requests; "
        f"all of them {total / requests * 1000:.2f} ms):"
    )
    for path in settings.MIDDLEWARE_TIMED:
        print(f"  {MIDDLEWARE_MEASURED[path] / requests * 1000:6.3f} ms  {path}")


def breakdown(stats: pstats.Stats) -> dict[str, float]:
    """Seconds per part over the profiled pass (cumulative, outermost calls only)."""
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    totals: dict[str, float] = {label: 0.0 for label, _ in PARTS}
    total = view = 0.0
    for (file, _line, name), (_cc, _nc, _tt, cumulative, _callers) in raw.items():
        for label, matches in PARTS:
            if matches(file, name):
                totals[label] += cumulative
        if file.endswith("django/test/client.py") and name == "__call__":
            total = max(total, cumulative)
        if file.endswith("django/core/handlers/base.py") and name == "_get_response":
            view += cumulative
    totals["middleware"] = max(total - view, 0.0)
    totals["view code"] = max(view - totals["templates"], 0.0)
    totals["total"] = total
    return totals


def profile(readers: list[Reader], repeat: int) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    print(
        f"{'role':14} {'page':30} {'CPU ms':>7} {'wall ms':>8} {'queries':>7}  "
        "share of the request: middleware / view code / templates / session / auth / cache / sql"
    )
    grand_cpu = grand_count = 0.0
    statements: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    for role, _count in MIX:
        reader = next(r for r in readers if r.role == role)
        code = park_in_scope(reader)
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies[settings.SESSION_COOKIE_NAME] = reader.cookie
        for path in [*PAGES, f"/cockpit/parks/{code}/"] if code else PAGES:
            if client.get(path).status_code != 200:
                continue  # not one of this role's pages (403/404 by design)
            statements.clear()
            with connection.execute_wrapper(count):
                client.get(path)
            before = dict(MIDDLEWARE_CPU)
            cpu0, wall0 = time.process_time(), time.perf_counter()
            for _ in range(repeat):
                client.get(path)
            cpu = (time.process_time() - cpu0) / repeat
            TIMED_REQUESTS[0] += repeat
            # Only the measured requests count (not the first, nor the profiled pass below).
            for key, spent in MIDDLEWARE_CPU.items():
                MIDDLEWARE_MEASURED[key] += spent - before.get(key, 0.0)
            wall = (time.perf_counter() - wall0) / repeat
            grand_cpu += cpu
            grand_count += 1
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(repeat):
                client.get(path)
            profiler.disable()
            parts = breakdown(pstats.Stats(profiler))
            total = parts.pop("total") or 1.0
            order = ("middleware", "view code", "templates", "session", "auth", "cache", "sql")
            shares = " / ".join(f"{parts[name] / total:4.0%}" for name in order)
            print(f"{role:14} {path:30} {cpu * 1000:7.1f} {wall * 1000:8.1f} {len(statements):7d}  {shares}")
    print(
        f"mean CPU per request over the {int(grand_count)} role × page pairs: {grand_cpu / grand_count * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="the demo database (made when it has no demo)")
    parser.add_argument("--var-dir", required=True, help="the demo's YUANQU_VAR_DIR (its secret key)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page and role")
    parser.add_argument("--no-cache", action="store_true", help="with the read-model cache switched off")
    parser.add_argument("--middleware", action="store_true", help="time each middleware on its own too")
    args = parser.parse_args()
    os.environ["YUANQU_READ_CACHE"] = "0" if args.no_cache else "1"
    setup_django(args.database_url, args.var_dir)
    if args.middleware:
        middleware_timed()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 403s of pages a role may not open
    ensure_demo()
    readers = make_readers()
    print(
        f"database: {args.database_url.split(':', 1)[0]}; read cache: {not args.no_cache}; "
        f"Python {sys.version.split()[0]}"
    )
    print(f"load average at the start: {' '.join(f'{value:.1f}' for value in os.getloadavg())}")
    profile(readers, args.repeat)
    if args.middleware:
        middleware_report()
    print(f"load average at the end: {' '.join(f'{value:.1f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
