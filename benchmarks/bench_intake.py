"""Benchmark: importing a 100,000-row 企业月度统计 workbook end to end.

Generates a workbook of consistent monthly reports (10,000 enterprises × 10 periods of 2025, the
first one 1–2月 combined, every measure as 本月 and 1–本月累计), then times in one process:

- the floor: python-calamine reading the same file, plus one bulk insert of the same rows into
  MonthlyStat (USCCs mapped to ids with one query) — the least work any importer has to do;
- the import: `yuanqu.intake.services.batch_import` (file checks, header matching, every cell parsed
  and range-checked, USCC check digits, registry and scope lookups, cumulative and 本月 checks,
  jump warnings, the original stored by digest, the batch written in one transaction, audit);
- the same import again with every value changed (each row replaced and kept as a revision).

With --through-page it measures instead what a user of the upload page meets: the POST of the
100,000-row workbook to /intake/upload/ (Django's test client, in this process: the multipart
parse, the file streamed to the store and hashed, the job queued), then a `yuanqu worker --batch`
process running the import job (streamed reading and validation, the write, the recompute), timed
until the job succeeds, with the worker's CPU time and peak memory.

It runs on a throwaway SQLite database under a temporary directory, or with --database-url on a
PostgreSQL server: there it creates a database of its own beside the one named
(`<name>_bench_intake_<pid>`, so it needs the CREATEDB privilege), and drops it at the end, whether
the run succeeded or failed; the database named is only used to connect. Nothing it wrote is left
behind (the workbooks and stored originals are in the temporary directory).

Run from the repository root:  .venv/bin/python -m benchmarks.bench_intake [--through-page]
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime as dt
import gc
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

PERIODS = ["2025年1-2月", *(f"2025-{month:02d}" for month in range(3, 12))]
FLOWS = ("revenue", "output", "value_added", "profit", "tax", "rd_expense", "energy_tce", "export_value")
# Each flow as a share of a firm's base, so that the rows pass the pack's hard audit rules
# (工业增加值 ≤ 工业总产值, 利润总额 ≤ 营业收入).
SHARES = (1.0, 1.1, 0.35, 0.12, 0.06, 0.04, 0.5, 0.3)
T = TypeVar("T")


@contextlib.contextmanager
def scratch_database(database_url: str | None) -> Iterator[str | None]:
    """A PostgreSQL database of the benchmark's own on the server `database_url` names, dropped on the
    way out (None: SQLite in the temporary directory)."""
    if database_url is None:
        yield None
        return
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("--database-url: a PostgreSQL server (postgres://…); SQLite runs in a temporary directory")
    import psycopg
    from psycopg import sql

    name = f"{parts.path.lstrip('/') or 'postgres'}_bench_intake_{os.getpid()}"
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        print(f"database {name} dropped")


def setup_django(database_url: str | None, workdir: Path) -> None:
    # Demo mode: a local installation without DEBUG, so Django does not keep every query in memory.
    os.environ["YUANQU_DEMO"] = "1"
    os.environ["YUANQU_DEBUG"] = "0"
    os.environ["YUANQU_VAR_DIR"] = str(workdir / "var")
    os.environ["YUANQU_MEDIA_ROOT"] = str(workdir / "files")
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def make_enterprises(count: int) -> list[tuple[int, str]]:
    from yuanqu.core.uscc import make
    from yuanqu.registry.models import District, Enterprise
    from yuanqu.registry.services import reference_data_load

    reference_data_load()
    district = District.objects.get(code="420115")
    firms = [
        Enterprise(
            uscc=make(f"914201157{index:08d}"), name=f"武汉测试{index}有限公司", industry_id="C3976", district=district
        )
        for index in range(count)
    ]
    Enterprise.objects.bulk_create(firms, batch_size=2000)
    return list(Enterprise.objects.order_by("pk").values_list("pk", "uscc"))


def write_workbook(path: Path, firms: list[tuple[int, str]], factor: float = 1.0) -> int:
    """Consistent reports that pass the audit rules: 本月 = difference of cumulatives; staff vary a
    little month to month."""
    import xlsxwriter

    from yuanqu.intake.kinds import KINDS

    header = [column.title for column in KINDS["monthly"].columns]
    rows = 0
    with xlsxwriter.Workbook(str(path), {"constant_memory": True}) as book:
        sheet = book.add_worksheet("填报")
        sheet.write_row(0, 0, header)
        for number, (_, uscc) in enumerate(firms):
            base = 50 + number % 400
            cumulative = dict.fromkeys(FLOWS, 0.0)
            for slot, period in enumerate(PERIODS):
                months = 2 if slot == 0 else 1
                values: list[Any] = [uscc, f"武汉测试{number}有限公司", period]
                for flow, share in zip(FLOWS, SHARES, strict=True):
                    month = round(base * months * share * factor * (1 + (slot % 3) / 20), 2)
                    cumulative[flow] = round(cumulative[flow] + month, 2)
                    values += [month, cumulative[flow]]
                values.append(20 + (number + slot) % 7)
                rows += 1
                sheet.write_row(rows, 0, values)
    return rows


def floor(path: Path) -> tuple[float, float, int]:
    """calamine parse of the file, then one bulk insert of the same rows; both timed."""
    from django.db import transaction
    from python_calamine import CalamineWorkbook

    from yuanqu.intake.kinds import KINDS
    from yuanqu.registry.models import Enterprise
    from yuanqu.stats.models import ImportBatch, MonthlyStat

    keys = [column.key for column in KINDS["monthly"].columns]
    started = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    parsed = time.perf_counter() - started

    started = time.perf_counter()
    with transaction.atomic():
        ids = dict(Enterprise.objects.values_list("uscc", "pk"))
        batch = ImportBatch.objects.create(kind="monthly", status="applied", note="benchmark floor")
        objects = []
        for row in rows[1:]:
            values = dict(zip(keys, row, strict=False))
            period = values.pop("period")
            combined = period.endswith("1-2月")
            day = dt.date(2025, 2, 1) if combined else dt.date(int(period[:4]), int(period[5:7]), 1)
            values.pop("name")
            # Decimals, as the import stores them: Django saves them faster than floats, so the
            # floor is the lower of the two.
            values = {key: Decimal(repr(value)) if isinstance(value, float) else value for key, value in values.items()}
            objects.append(
                MonthlyStat(
                    enterprise_id=ids[values.pop("uscc")],
                    period=day,
                    months_covered=2 if combined else 1,
                    batch=batch,
                    **values,
                )
            )
        MonthlyStat.objects.bulk_create(objects, batch_size=2000)
    inserted = time.perf_counter() - started
    count = len(objects)
    MonthlyStat.objects.filter(batch=batch).delete()
    batch.delete()
    return parsed, inserted, count


def reset_peak_memory() -> float:
    """Reset the kernel's peak-RSS mark of this process (Linux), so each phase reports its own peak;
    the memory the phases before freed is handed back to the system first (a full collection, then
    glibc's `malloc_trim`), so that the peak is the phase's and not what the allocator kept of an
    earlier one. Returns the resident memory the phase starts from, in MB."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return resident_memory_mb()


def resident_memory_mb() -> float:
    """Resident memory of this process now (VmRSS), in MB (0 where /proc cannot be read)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_memory_mb() -> float:
    """Peak resident memory of this process since the last reset (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def server_cpu() -> float | None:
    """CPU seconds used so far by the database server process serving this connection (PostgreSQL
    on this host: its backend's /proc entry), or None (SQLite works in this process; a remote server
    cannot be read)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_part(before: float | None) -> str:
    after = server_cpu()
    return "" if before is None or after is None else f", server CPU {after - before:.2f} s"


def server_seconds(before: float | None) -> float:
    """The server's CPU seconds since `before` (0 on SQLite, or when the server cannot be read)."""
    after = server_cpu()
    return 0.0 if before is None or after is None else after - before


@dataclass(frozen=True)
class Phase:
    """What one phase of the run took: the resident memory it started from and its peak (MB), the
    process's CPU seconds, and the server's (as printed, and in seconds: 0 on SQLite)."""

    base: float
    cpu: float
    peak: float
    server: str
    server_seconds: float


def measured(work: Callable[[], T]) -> tuple[T, Phase]:
    """Run `work` as one phase: the memory handed back and the peak mark reset first, its CPU and
    the server's counted."""
    base = reset_peak_memory()
    cpu_started, server_started = time.process_time(), server_cpu()
    answer = work()
    cpu, peak = time.process_time() - cpu_started, peak_memory_mb()
    return answer, Phase(base, cpu, peak, server_part(server_started), server_seconds(server_started))


def end_to_end(path: Path) -> tuple[float, Any]:
    from yuanqu.intake.kinds import KINDS
    from yuanqu.intake.services import batch_import, system_actor

    content = path.read_bytes()
    started = time.perf_counter()
    outcome = batch_import(actor=system_actor("benchmark"), spec=KINDS["monthly"], file_name=path.name, content=content)
    return time.perf_counter() - started, outcome


def through_page(path: Path, rows: int, floor_total: float, *, upload_only: bool = False) -> None:
    """Upload through the page, then a worker process runs the job; both timed."""
    import resource

    from django.test import Client

    from yuanqu.core.models import User
    from yuanqu.core.roles import Role
    from yuanqu.jobs.models import Job
    from yuanqu.stats.models import ImportBatch

    user = User.objects.create(username="bench-city", role=Role.CITY_ADMIN, is_active=True)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    with path.open("rb") as handle:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.post("/intake/upload/", {"kind": "monthly", "file": handle})
        answered, answered_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert response.status_code == 302, response.status_code
    job = Job.objects.get()
    assert job.status == "queued" and not ImportBatch.objects.exists()
    # The test client encodes the multipart body in this process too: its CPU time is counted here.
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"upload page answered in {answered:.2f} s, CPU {answered_cpu:.2f} s (client encoding included; "
        f"file {path.stat().st_size / 2**20:.1f} MB stored, job queued); load average {load}"
    )
    if upload_only:
        return
    environment = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "yuanqu.cli", "worker", "--batch"], env=environment, check=True)
    done = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average before the worker: {load}; OMP_NUM_THREADS={environment['OMP_NUM_THREADS']}")
    print(
        f"job done in {done:.1f} s (worker start to success, recompute included): {rows / done:,.0f} rows/s, "
        f"ratio to floor {done / floor_total:.1f}x; worker CPU {cpu:.1f} s, peak memory {after.ru_maxrss / 1024:.0f} MB"
    )
    print(f"job: {job.message}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=10_000, help="× 10 periods = rows")
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL server to run on, in a database of its own dropped at the end (default: SQLite, temp dir)",
    )
    parser.add_argument("--through-page", action="store_true", help="the upload page and a worker process")
    parser.add_argument("--upload-only", action="store_true", help="with --through-page: time the upload alone")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-intake-") as tmp, scratch_database(args.database_url) as url:
        workdir = Path(tmp)
        setup_django(url, workdir)
        from django.db import connection

        firms = make_enterprises(args.enterprises)
        first, second = workdir / "monthly.xlsx", workdir / "monthly-revised.xlsx"
        tick = time.perf_counter()
        rows = write_workbook(first, firms)
        if not args.through_page:
            write_workbook(second, firms, factor=1.01)
        size = first.stat().st_size / 2**20
        books, generating = 1 if args.through_page else 2, time.perf_counter() - tick
        print(f"generated {books} workbook(s) of {rows:,} rows ({size:.1f} MB) in {generating:.0f} s")

        if args.upload_only:
            through_page(first, rows, 0.0, upload_only=True)
            return
        load_at_start = " ".join(f"{value:.1f}" for value in os.getloadavg())
        (parsed, inserted, count), floor_phase = measured(lambda: floor(first))
        floor_base, floor_cpu, floor_peak = floor_phase.base, floor_phase.cpu, floor_phase.peak
        floor_server, floor_server_s = floor_phase.server, floor_phase.server_seconds
        assert count == rows
        floor_total = parsed + inserted
        if args.through_page:
            print(f"floor: calamine parse {parsed:.2f} s + one bulk insert {inserted:.2f} s = {floor_total:.2f} s")
            through_page(first, rows, floor_total)
            return
        (elapsed, outcome), first_phase = measured(lambda: end_to_end(first))
        first_base, cpu_first, first_peak = first_phase.base, first_phase.cpu, first_phase.peak
        first_server, first_server_s = first_phase.server, first_phase.server_seconds
        assert outcome.status == "applied", [issue.text() for issue in outcome.validation.errors[:5]]
        first_warnings = len(outcome.validation.warnings)
        # The first import's records and sheet are not the second one's memory.
        outcome.validation, outcome.sheet = None, None
        (revised, again), second_phase = measured(lambda: end_to_end(second))
        second_base, cpu_second, second_peak = second_phase.base, second_phase.cpu, second_phase.peak
        second_server, second_server_s = second_phase.server, second_phase.server_seconds
        assert again.status == "applied", [issue.text() for issue in again.validation.errors[:5]]

        from importlib.metadata import version

        import django

        print(
            f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
            f"Django {django.get_version()}, python-calamine {version('python-calamine')}"
        )
        if connection.vendor == "sqlite":
            engine = connection.Database.sqlite_version
        else:
            major, rest = divmod(connection.pg_version, 10000)
            engine = f"{major}.{rest % 100}"
        print(f"database: {connection.vendor} {engine}")
        load_at_end = " ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"load average: {load_at_start} at the start, {load_at_end} at the end")
        threads = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
        print("threads: " + ", ".join(f"{name}={os.environ.get(name, 'unset')}" for name in threads) + "; one thread")
        print(
            f"rows: {rows:,} (enterprises {len(firms):,} × {len(PERIODS)} periods, {len(outcome.spec.columns)} columns)"
        )
        print(
            f"floor: calamine parse {parsed:.2f} s + one bulk insert {inserted:.2f} s = {floor_total:.2f} s"
            f"  [CPU {floor_cpu:.2f} s{floor_server}; peak memory {floor_peak:.0f} MB from {floor_base:.0f} MB]"
        )
        print(
            f"import end to end (new rows): {elapsed:.2f} s, CPU {cpu_first:.2f} s  -> ratio "
            f"{elapsed / floor_total:.2f}x wall, {cpu_first / floor_cpu:.2f}x CPU  "
            f"[created {outcome.counts['created']:,}, warnings "
            f"{first_warnings:,}; peak memory {first_peak:.0f} MB from {first_base:.0f} MB{first_server}]"
        )
        print(
            f"import end to end (every row replaced, revisions kept): {revised:.2f} s  -> ratio "
            f"{revised / floor_total:.2f}x wall, CPU {cpu_second:.2f} s, {cpu_second / floor_cpu:.2f}x CPU  "
            f"[updated {again.counts['updated']:,}; "
            f"peak memory {second_peak:.0f} MB from {second_base:.0f} MB{second_server}]"
        )
        floor_all, new_all, replaced_all = (
            floor_cpu + floor_server_s,
            cpu_first + first_server_s,
            cpu_second + second_server_s,
        )
        print(
            f"CPU, process + server: floor {floor_all:.2f} s; new rows {new_all:.2f} s, {new_all / floor_all:.2f}x; "
            f"every row replaced {replaced_all:.2f} s, {replaced_all / floor_all:.2f}x"
        )


if __name__ == "__main__":
    main()
