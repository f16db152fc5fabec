"""Benchmark: pages under load — 50 signed-in users of mixed roles on two cores.

Each user (a mix of city, district, park and enterprise accounts) fetches, in a loop for a bounded
time, the pages of the issue that its role may open: the cockpit, the park list, the target board,
the case list, the evaluation runs and a park profile in its scope. The server runs in its own
process(es): gunicorn with the production settings (`yuanqu serve --gunicorn`, workers sized to the
cores) or waitress (`yuanqu serve`, one process, 8 threads). Floor: `/healthz` fetched by the same
50 users for the same time on the same server. Prints requests per second, median / p95 / p99
latency, errors (5xx or no answer), the server's CPU time and the load average at start and end.

It reuses the demo data of the database it is given, or builds it there first (`yuanqu demo
--no-serve`, a few minutes) when the database has none; it adds its own 50 users. Before the clock
starts, every reader fetches its pages once (which fills the read cache, as readers before would) and
then all 50 fetch them together for --warmup seconds, so that every worker of the server has loaded
its templates and connections: the clock measures warm workers. The server's CPU time during the
clock, divided by the requests, is printed too: CPU per request is what the load of a shared machine
distorts least. One line, on PostgreSQL:

    .venv/bin/python -m benchmarks.bench_load --database-url postgres://postgres@127.0.0.1:5432/yuanqu_demo

(`--no-cache` for the pages without the read cache, `--server waitress` for `yuanqu serve`.)

The machine is shared: keep --seconds short and read the load average printed beside the figures.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PAGES = ("/cockpit/", "/registry/parks/", "/targets/", "/casework/", "/evaluation/")
# Seconds a server may take to answer its first /healthz (--start-timeout).
START_TIMEOUT = [300.0]
MIX = (("city_viewer", 12), ("district", 13), ("park_operator", 13), ("enterprise", 12))


@dataclass
class Reader:
    username: str
    role: str
    cookie: str
    pages: list[str] = field(default_factory=list)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, latency: float, status: int) -> None:
        with self.lock:
            self.latencies.append(latency)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status >= 500 or status == 0:
                self.errors += 1


def setup_django(database_url: str, var_dir: str) -> None:
    os.environ["YUANQU_DEMO"] = "1"
    os.environ["YUANQU_DEBUG"] = "0"
    os.environ["YUANQU_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    import django

    django.setup()


def ensure_demo() -> None:
    """Reuse the database's demo data, or build it (`yuanqu demo --no-serve`, 2–3 minutes) when the
    database has none; then make sure it is migrated."""
    from django.core.management import call_command

    from yuanqu.core.models import PlatformFlag
    from yuanqu.registry.models import Park

    call_command("migrate", interactive=False, verbosity=0)
    if not PlatformFlag.objects.filter(key=PlatformFlag.DEMO_LOADED).exists() and not Park.objects.exists():
        print("no demo data in this database: building it (yuanqu demo --no-serve) …", flush=True)
        call_command("demo", no_serve=True)


def make_readers() -> list[Reader]:
    """50 users of mixed roles with a signed-in session each (made again on every run)."""
    from django.conf import settings
    from django.test import Client

    from yuanqu.core.models import User
    from yuanqu.core.roles import Role
    from yuanqu.registry.models import District, Enterprise, Park

    User.objects.filter(username__startswith="bench-load-").delete()
    parks = list(Park.objects.order_by("code"))
    districts = list(District.objects.filter(pk__in=[park.district_id for park in parks]).order_by("code"))
    firms = list(Enterprise.objects.filter(park__isnull=False).order_by("pk")[:200])
    readers: list[Reader] = []
    for role, count in MIX:
        for index in range(count):
            scope: dict[str, object] = {}
            if role == "district":
                scope["district"] = districts[index % len(districts)]
            elif role == "park_operator":
                scope["park"] = parks[(index * 7) % len(parks)]
            elif role == "enterprise":
                scope["enterprise"] = firms[(index * 13) % len(firms)]
            user = User.objects.create(
                username=f"bench-load-{role}-{index}", role=Role(role), display_name=f"{role} {index}", **scope
            )
            client = Client()
            client.force_login(user)
            readers.append(Reader(user.username, role, client.cookies[settings.SESSION_COOKIE_NAME].value))
    return readers


def park_in_scope(reader: Reader) -> str | None:
    from yuanqu.core.models import User
    from yuanqu.registry.models import Park

    user = User.objects.get(username=reader.username)
    park = Park.objects.visible_to(user).order_by("code").first()
    return park.code if park else None


def fetch(port: int, path: str, cookie: str, connection: list[http.client.HTTPConnection]) -> int:
    """One GET on a kept-alive connection (opened again when the server closed it); the status or 0."""
    for _attempt in range(2):
        if not connection:
            connection.append(http.client.HTTPConnection("127.0.0.1", port, timeout=60))
        try:
            connection[0].request("GET", path, headers={"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"})
            response = connection[0].getresponse()
            response.read()
            if response.getheader("Connection", "").lower() == "close":
                connection[0].close()
                connection.clear()
            return response.status
        except (OSError, http.client.HTTPException):
            connection[0].close()
            connection.clear()
    return 0


def hammer(port: int, readers: Sequence[Reader], seconds: float, floor: bool) -> tuple[Tally, float]:
    """Every reader in its own thread, looping over its pages (or /healthz) until the time is up."""
    tally = Tally()
    start = threading.Event()
    deadline = [0.0]

    def user_loop(reader: Reader) -> None:
        pages = ["/healthz"] if floor else reader.pages
        connection: list[http.client.HTTPConnection] = []
        start.wait()
        turn = 0
        while time.perf_counter() < deadline[0]:
            path = pages[turn % len(pages)]
            turn += 1
            tick = time.perf_counter()
            status = fetch(port, path, reader.cookie, connection)
            tally.add(time.perf_counter() - tick, status)

    threads = [threading.Thread(target=user_loop, args=(reader,), daemon=True) for reader in readers]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.set()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - began


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(kind: str, port: int, environment: dict[str, str]) -> subprocess.Popen[bytes]:
    if kind == "gunicorn":
        command = [sys.executable, "-m", "yuanqu.cli", "serve", "--gunicorn", "--port", str(port)]
    else:
        command = [sys.executable, "-m", "yuanqu.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # A loaded machine boots a preloaded gunicorn in minutes, not seconds: wait up to --start-timeout.
    deadline = time.monotonic() + START_TIMEOUT[0]
    while time.monotonic() < deadline:
        try:
            if fetch(port, "/healthz", "", []) == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    stop_server(server)
    raise RuntimeError(f"{kind} did not answer /healthz on port {port}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=60)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def report(label: str, tally: Tally, elapsed: float, cpu: float, clock_cpu: float) -> None:
    count = len(tally.latencies)
    print(
        f"{label}: {count:,} requests in {elapsed:.1f} s = {count / elapsed:.1f} req/s; median "
        f"{percentile(tally.latencies, 0.5) * 1000:.0f} ms, p95 {percentile(tally.latencies, 0.95) * 1000:.0f} ms, "
        f"p99 {percentile(tally.latencies, 0.99) * 1000:.0f} ms; errors {tally.errors}; server CPU {cpu:.1f} s "
        f"in all, {clock_cpu:.1f} s on the clock = {clock_cpu / max(count, 1) * 1000:.1f} ms per request; "
        f"statuses {dict(sorted(tally.statuses.items()))}"
    )


def timed_round(
    server: tuple[str, int, dict[str, str]],
    readers: Sequence[Reader],
    timing: tuple[float, float],
    label: str,
    after: str,
    *,
    floor: bool,
    prepare: Callable[[], None] = lambda: None,
) -> tuple[Tally, float, float]:
    """One round against a fresh server (`server`: its kind, port and environment): `prepare` with
    the server up, a warm-up, then the clock (`timing`: warm-up and measured seconds). Prints the
    round's figures and the load average `after` it; returns the tally, the seconds elapsed and the
    server's CPU seconds on the clock."""
    kind, port, environment = server
    warmup, seconds = timing
    cpu_before = children_cpu()
    process = start_server(kind, port, environment)
    try:
        prepare()
        hammer(port, readers, warmup, floor=floor)  # every worker warm before the clock starts
        clock_cpu = tree_cpu(process.pid)
        tally, elapsed = hammer(port, readers, seconds, floor=floor)
        clock_cpu = tree_cpu(process.pid) - clock_cpu
    finally:
        stop_server(process)
    report(f"{label} ({len(readers)} users)", tally, elapsed, children_cpu() - cpu_before, clock_cpu)
    print(f"load average {after}: {' '.join(f'{value:.1f}' for value in os.getloadavg())}")
    return tally, elapsed, clock_cpu


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a live process and its live children (gunicorn's
    arbiter and workers), from /proc; 0 where /proc is not there."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="the demo database (built there when it has none)")
    parser.add_argument(
        "--var-dir",
        default=str(Path(tempfile.gettempdir()) / "yuanqu-bench-load"),
        help="YUANQU_VAR_DIR of the benchmark and its servers (their shared secret key)",
    )
    parser.add_argument("--server", choices=("gunicorn", "waitress"), default="gunicorn")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each timed phase")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of load before each clock starts")
    parser.add_argument("--no-cache", action="store_true", help="serve with the read-model cache switched off")
    parser.add_argument("--start-timeout", type=float, default=300.0, help="seconds a server may take to start")
    args = parser.parse_args()
    START_TIMEOUT[0] = args.start_timeout

    Path(args.var_dir).mkdir(parents=True, exist_ok=True)
    setup_django(args.database_url, args.var_dir)
    ensure_demo()
    readers = make_readers()
    environment = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        "YUANQU_READ_CACHE": "0" if args.no_cache else "1",
        "YUANQU_ACCESS_LOG": "/dev/null",
        "OMP_NUM_THREADS": "1",
    }
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"database: {args.database_url.split(':', 1)[0]}; server: {args.server}; read cache: {not args.no_cache}")
    if args.server == "gunicorn":
        from yuanqu.core import gunicorn_conf

        print(
            f"gunicorn: {gunicorn_conf.workers} workers x {gunicorn_conf.threads} threads, "
            f"preload {gunicorn_conf.preload_app}"
        )
    print(f"load average at the start: {load}")

    port = free_port()

    def open_pages() -> None:
        # Which of the pages each role may open (the others answer 403/404 by design), one pass
        # per reader before the clock starts: it also fills the read cache, as readers would.
        for reader in readers:
            code = park_in_scope(reader)
            candidates = [*PAGES, f"/cockpit/parks/{code}/"] if code else list(PAGES)
            connection: list[http.client.HTTPConnection] = []
            reader.pages = [path for path in candidates if fetch(port, path, reader.cookie, connection) == 200]
        opened = {role: sorted({p for r in readers if r.role == role for p in r.pages}) for role, _ in MIX}
        print(f"pages per role: {opened}")

    server = (args.server, port, environment)
    timing = (args.warmup, args.seconds)
    pages, pages_elapsed, pages_cpu = timed_round(
        server, readers, timing, "pages", "after the pages", floor=False, prepare=open_pages
    )
    floor, elapsed, floor_cpu = timed_round(server, readers, timing, "floor /healthz", "at the end", floor=True)
    page_rate = len(pages.latencies) / max(pages_elapsed, 1e-9)
    floor_rate = len(floor.latencies) / max(elapsed, 1e-9)
    print(
        f"ratio to the floor: throughput {floor_rate / max(page_rate, 1e-9):.1f}x lower, p95 "
        f"{percentile(pages.latencies, 0.95) / percentile(floor.latencies, 0.95):.1f}x"
    )
    print(little(len(readers), pages_cpu / max(len(pages.latencies), 1), floor_cpu / max(len(floor.latencies), 1)))


def little(users: int, page_cpu: float, floor_cpu: float) -> str:
    """What the server's CPU per request allows on this machine's cores with nothing else running
    (Little's law for users fetching in a closed loop: latency = users / throughput). An upper bound
    of the throughput and a lower bound of the median: the load generator and the database share the
    cores in this benchmark, and are left out here."""
    cores = os.cpu_count() or 1
    rate = cores / max(page_cpu, 1e-9)
    floor_rate = cores / max(floor_cpu, 1e-9)
    return (
        f"Little's law, server CPU alone on {cores} quiet cores: pages at most {rate:.0f}/s, a median of at least "
        f"{users / rate * 1000:.0f} ms for {users} looping users (floor: {floor_rate:.0f}/s, "
        f"{users / floor_rate * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
