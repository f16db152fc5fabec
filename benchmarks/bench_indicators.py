"""Benchmark: the indicator engine's full recompute and its incremental recompute after a one-month
import, each against a floor measured in the same run — one hand-written SQL aggregate over the
monthly statistics table (the largest table the engine reads), grouped the way the engine groups
(park, district, period), i.e. the least work any engine computing park figures has to do.

Two data sets:
- demo (default): the synthetic demo city (`demo_generate`, scale 1 ≈ 100 parks, 12,000 firms,
  ~100,000 monthly rows), on SQLite, or on PostgreSQL when DATABASE_URL is set;
- nation (`--nation FIRMS`): FIRMS enterprises × 36 months of monthly reports written straight with
  executemany (no labels, land or annual data beyond what the monthly indicators need), for the
  scale question; the issue asks for 500,000.

Each step prints its wall time, this process's CPU time and, on PostgreSQL, the CPU time of the
database backend serving the run (read from `/proc/<pid>/stat` of `pg_backend_pid()`: the server must
run on this machine), and its ratio to the floor's in both, so that figures taken on a machine
shared with other work compare CPU, not waiting. `--full-only` stops after the full recompute, which
leaves the data as it was: two versions of the engine run with `--reuse` compare on the same data.

Each run uses its own database (a temporary SQLite file under --var, or the DATABASE_URL database,
which it flushes). Run from the repository root:

    .venv/bin/python -m benchmarks.bench_indicators [--scale 1.0] [--nation 50000] [--var /tmp/bench] [--profile 25]
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
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import F


def _setup(var: Path) -> None:
    os.environ.setdefault("YUANQU_VAR_DIR", str(var))
    os.environ.setdefault("YUANQU_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _floor_sql(month: dt.date | None = None) -> tuple[str, list[object]]:
    """The hand-written aggregate: every flow measure of the monthly table per park, district and
    period, joined to the enterprise for its park — one statement, no filters, no labels."""
    measures = ("revenue", "output", "value_added", "profit", "tax", "rd_expense", "energy_tce", "export_value")
    sums = ", ".join(f"SUM(m.{name}_ytd)" for name in measures)
    where = "WHERE m.period = %s" if month else ""
    sql = (
        f"SELECT e.park_id, e.district_id, m.period, {sums} "
        "FROM stats_monthlystat m JOIN registry_enterprise e ON e.id = m.enterprise_id "
        f"{where} GROUP BY e.park_id, e.district_id, m.period"
    )
    return sql, [month] if month else []


def _time(function: object, repeat: int = 3) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()  # type: ignore[operator]
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def _server_cpu() -> float | None:
    """The CPU time so far of the PostgreSQL backend serving this connection (`_backend_cpu`), or
    None on SQLite, whose work is this process's own."""
    from django.db import connection

    return _backend_cpu() if connection.vendor == "postgresql" else None


@dataclass
class Spent:
    """What one step cost: wall time, this process's CPU and the database server's CPU (None on
    SQLite: its work is in this process's CPU)."""

    wall: float
    cpu: float
    server: float | None

    @property
    def total_cpu(self) -> float:
        return self.cpu + (self.server or 0.0)

    def __str__(self) -> str:
        if self.server is None:
            return f"{self.wall:.2f}s wall, {self.cpu:.2f}s CPU"
        return f"{self.wall:.2f}s wall, {self.cpu:.2f}s CPU + {self.server:.2f}s server CPU = {self.total_cpu:.2f}s"


def _run(function: object) -> tuple[Any, Spent]:
    """Call once; the result, wall time, this process's CPU time and the database server's."""
    server = _server_cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()  # type: ignore[operator]
    spent_wall, spent_cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = _server_cpu()
    return result, Spent(spent_wall, spent_cpu, None if server is None or after is None else after - server)


def _backend_cpu() -> float:
    """CPU seconds (user + system) of this connection's PostgreSQL backend so far, read from
    `/proc/<pg_backend_pid()>/stat` (the server runs on this machine; clock ticks, so steps shorter
    than 10 ms read as 0); 0 on SQLite, whose work is in this process's own CPU time."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    if connection.connection is None or _BACKEND.get("connection") is not connection.connection:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _BACKEND["pid"] = cursor.fetchone()[0]
        _BACKEND["connection"] = connection.connection
    try:
        fields = Path(f"/proc/{_BACKEND['pid']}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


_BACKEND: dict[str, Any] = {}
_STEP_SERVER_CPU: dict[str, float] = {}
_STEP_CPU: dict[str, float] = {}


def _load() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def _threads() -> str:
    """The thread settings that could change a figure: cores, BLAS/OpenMP pools and their caps."""
    from threadpoolctl import threadpool_info

    pools = ", ".join(f"{pool['internal_api']} {pool['num_threads']}" for pool in threadpool_info()) or "none loaded"
    caps = ", ".join(
        f"{name}={os.environ[name]}" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS") if name in os.environ
    )
    return f"{os.cpu_count()} cores; thread pools: {pools}; {caps or 'no thread caps set'}; engine single-threaded"


# Deletes run inside the steps above them (old cells in "store the cells", values of periods rolled
# up whole and of scopes left without a cell in "write the values"): timed apart, not added to the
# total of the steps.
_DELETES = "deletes (within the steps above)"

# The engine's steps timed in the one-park correction (module, attribute, label).
_STEPS = (
    ("yuanqu.indicators.services", "catalogue_current", "catalogue check"),
    ("yuanqu.indicators.engine", "data_calendar", "data calendar"),
    ("yuanqu.indicators.engine.runs", "data_calendar", "data calendar"),
    ("yuanqu.indicators.engine", "touched_by", "cells the batch touched"),
    ("yuanqu.indicators.engine.runs", "aggregate_source", "aggregate the touched cells"),
    ("yuanqu.indicators.engine.runs", "aggregate_cells", "aggregate the derived cells"),
    ("yuanqu.indicators.engine.runs", "stored_periods", "periods with cells"),
    ("yuanqu.indicators.engine.runs", "store_cells", "store the cells"),
    ("yuanqu.indicators.engine.rollup", "load_many_sums", "read the sums of the cells"),
    ("yuanqu.indicators.engine.runs", "rollup", "roll up the scopes"),
    ("yuanqu.indicators.engine.rollup", "ValueWriter.flush", "write the values (with their deletes)"),
    ("yuanqu.indicators.engine.rollup", "delete_rows", _DELETES),
    ("yuanqu.indicators.engine.cells", "delete_rows", _DELETES),
)


def _broken_down(function: object) -> tuple[Any, Spent, dict[str, float]]:
    """`_run` with the wall time of each engine step (wrapped for the call, restored after); the
    CPU per step, this process's and the PostgreSQL backend's, goes to `_STEP_CPU` and
    `_STEP_SERVER_CPU`."""
    import importlib

    spent: dict[str, float] = {}
    _STEP_SERVER_CPU.clear()
    _STEP_CPU.clear()
    saved = []
    for module_name, path, label in _STEPS:
        module: Any = importlib.import_module(module_name)
        *owners, name = path.split(".")  # a method: the class, then its name
        for owner in owners:
            module = getattr(module, owner)
        original = getattr(module, name)
        saved.append((module, name, original))

        def timed(*args: object, _original: object = original, _label: str = label, **kwargs: object) -> object:
            started, server, own = time.perf_counter(), _backend_cpu(), time.process_time()
            try:
                return _original(*args, **kwargs)  # type: ignore[operator]
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.perf_counter() - started
                _STEP_CPU[_label] = _STEP_CPU.get(_label, 0.0) + time.process_time() - own
                _STEP_SERVER_CPU[_label] = _STEP_SERVER_CPU.get(_label, 0.0) + _backend_cpu() - server

        setattr(module, name, timed)
    try:
        result, cost = _run(function)
    finally:
        for module, name, original in saved:
            setattr(module, name, original)
    return result, cost, spent


def _floor(month: dt.date | None = None) -> Spent:
    """The floor's median wall time of five runs, and its CPU (this process's and the server's) per
    run, averaged over the five."""
    from django.db import connection

    sql, params = _floor_sql(month)

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    repeat = 5
    wall, spent = _run(lambda: _time(run, repeat=repeat))
    server = None if spent.server is None else spent.server / repeat
    return Spent(wall, spent.cpu / repeat, server)


_WRITTEN_TABLES = (
    (
        "indicators_indicatorvalue",
        "indicator, scope_kind, scope_code, park_id, district_id, frequency, period, value, terms, batch_ids, "
        "reported, computed_at",
    ),
    (
        "indicators_indicatorcell",
        "source, frequency, period, cell, park_id, district_id, partials, batch_ids, computed_at",
    ),
)


def _write_floor() -> Spent:
    """The least work of storing a full recompute's result once it is computed: its rows (values and
    cells, as the run left them, read beforehand in the database's own encoding) written into their
    emptied tables with one bulk statement each — `COPY … FROM STDIN` on PostgreSQL, one prepared
    insert over all rows on SQLite — deferred constraints checked, in a transaction rolled back.
    Median wall time of three; CPU (process and server) per run, averaged."""
    from django.db import connection, transaction

    read: list[tuple[str, str, Any]] = []
    with connection.cursor() as cursor:
        for table, columns in _WRITTEN_TABLES:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY (SELECT {columns} FROM {table}) TO STDOUT") as copy:
                    pieces = [bytes(piece) for piece in copy]
                read.append((table, columns, b"".join(pieces)))
            else:
                cursor.execute(f"SELECT {columns} FROM {table}")
                read.append((table, columns, cursor.fetchall()))

    def write(cursor: Any) -> None:
        for table, columns, rows in read:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write(rows)
            else:
                marks = ", ".join(["%s"] * len(columns.split(",")))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    # The tables are emptied first, untimed (a full recompute empties them too, but the benchmark
    # has emptied them before it); the writing is what is timed.
    repeat = 3
    runs: list[Spent] = []
    for _ in range(repeat):
        with transaction.atomic(), connection.cursor() as cursor:
            for table, _, _ in read:
                cursor.execute(f"DELETE FROM {table}")
            runs.append(_run(lambda cursor=cursor: write(cursor))[1])
            transaction.set_rollback(True)
    servers = [run.server for run in runs if run.server is not None]
    return Spent(
        statistics.median(run.wall for run in runs),
        sum(run.cpu for run in runs) / repeat,
        sum(servers) / repeat if servers else None,
    )


def _plus(first: Spent, second: Spent) -> Spent:
    server = None if first.server is None or second.server is None else first.server + second.server
    return Spent(first.wall + second.wall, first.cpu + second.cpu, server)


def _profiled(function: object, top: int) -> Any:
    """Call under cProfile and print the `top` functions by own time (the profiler's overhead
    inflates the CPU figure of the step it wraps: compare profiled runs with profiled runs)."""
    import cProfile
    import io
    import pstats

    profile = cProfile.Profile()
    result: Any = profile.runcall(function)  # type: ignore[arg-type]
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(top)
    print("  profile of the full recompute (this process; own time):")
    print("\n".join("    " + line for line in out.getvalue().splitlines() if line.strip()))
    return result


def _ratios(step: Spent, floor: Spent) -> str:
    return f"{step.wall / floor.wall:.1f}× in wall time, {step.total_cpu / floor.total_cpu:.1f}× in CPU"


def _demo(scale: float, seed: int) -> None:
    from django.db import connection

    from yuanqu.demo.generator import demo_generate
    from yuanqu.registry.services import policy_pack_apply, reference_data_load

    if connection.vendor == "postgresql":
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    reference_data_load()
    policy_pack_apply()
    summary = demo_generate(seed=seed, scale=scale)
    print(
        f"  demo generated in {time.perf_counter() - started:.1f}s: {summary.enterprises} firms, "
        f"{summary.parks} parks, {summary.monthly_stats} monthly rows, {summary.annual_stats} annual rows"
    )


def _nation(firms: int, months: int, seed: int) -> None:
    """FIRMS enterprises in ~FIRMS/500 parks across the districts, each with MONTHS monthly reports."""
    from django.db import connection, transaction

    from yuanqu.core.uscc import make as make_uscc
    from yuanqu.registry.models import District, Enterprise, EnterpriseLabel, Park
    from yuanqu.registry.services import policy_pack_apply, reference_data_load
    from yuanqu.stats.models import ImportBatch

    if connection.vendor == "postgresql":
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
    reference_data_load()
    policy_pack_apply()
    districts = list(District.objects.values_list("pk", flat=True))
    classes = ["C3976", "C3311", "C2710", "C3670", "C3911", "I6513", "C2614", "C1713"]
    started = time.perf_counter()
    with transaction.atomic():
        parks = [
            Park(
                code=f"N{i:05d}",
                name=f"基准园区{i:05d}",
                district_id=districts[i % len(districts)],
                park_type=("modern", "featured", "urban", "unclassified")[i % 4],
                planned_area_km2=Decimal("5.000"),
            )
            for i in range(max(1, firms // 500))
        ]
        Park.objects.bulk_create(parks, batch_size=2000)
        park_rows = [(park.pk, park.district_id) for park in parks]
        batch = ImportBatch.objects.create(kind="monthly", status="applied", note="benchmark")
        ent_table = Enterprise._meta.db_table
        label_table = EnterpriseLabel._meta.db_table
        with connection.cursor() as cursor:
            rows = []
            for n in range(firms):
                park, district = park_rows[n % len(park_rows)] if n % 5 else (None, districts[n % len(districts)])
                rows.append(
                    (
                        make_uscc(f"91420100{n:09d}"),
                        f"基准企业{n}",
                        classes[n % len(classes)],
                        district,
                        park,
                        "manual" if park else "outside",
                        False,
                        dt.datetime.now(dt.UTC),
                    )
                )
            cursor.executemany(
                f"INSERT INTO {ent_table} (uscc, name, industry_id, district_id, park_id, park_assignment, synthetic, "
                "updated_at, address, lon, lat, founded_on, registration_status) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '', NULL, NULL, NULL, 'active')",
                rows,
            )
            cursor.execute(f"SELECT id FROM {ent_table} WHERE name LIKE %s", ["基准企业%"])
            ids = [row[0] for row in cursor.fetchall()]
            cursor.executemany(
                f"INSERT INTO {label_table} (enterprise_id, kind, level, certificate_no, valid_from, valid_to, source, "
                "products) VALUES (%s, 'above_scale', '', '', %s, NULL, 'benchmark', '')",
                [(pk, dt.date(2020, 1, 1)) for pk in ids],
            )
            # The monthly rows are generated by the database itself (one INSERT … SELECT per month):
            # writing 18 million rows through Python took hours on this machine, and the benchmark is
            # about the engine, not the generator.
            names = ("revenue", "output", "value_added", "profit", "tax", "rd_expense", "energy_tce", "export_value")
            factors = (1, 1.02, 0.25, 0.06, 0.03, 0.02, 0.1, 0.1)
            columns = ", ".join(f"{name}_month, {name}_ytd" for name in names)
            if connection.vendor == "postgresql":
                base = "(100 + random() * 4900)"
                cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
            else:
                base = "(100 + (abs(random()) %% 490000) / 100.0)"  # %% : a literal % beside parameters
            values = ", ".join(
                f"ROUND(CAST(b * {f} AS NUMERIC), 2), ROUND(CAST(b * {f} * %s AS NUMERIC), 2)" for f in factors
            )
            sql = (
                f"INSERT INTO stats_monthlystat (enterprise_id, period, months_covered, {columns}, employees, "
                f"batch_id, updated_at) SELECT id, %s, 1, {values}, 100, %s, %s "
                f"FROM (SELECT id, {base} AS b FROM {ent_table} WHERE name LIKE %s) AS firms"
            )
            now = dt.datetime.now(dt.UTC)
            first = dt.date(2024, 1, 1)
            for index in range(months):
                year, month = first.year + (first.month - 1 + index) // 12, (first.month - 1 + index) % 12 + 1
                period = dt.date(year, month, 1)
                cursor.execute(sql, [period, *([month] * len(factors)), batch.pk, now, "基准企业%"])
                print(f"    {period:%Y-%m} written ({time.perf_counter() - started:.0f}s)", flush=True)
    print(f"  nation set written in {time.perf_counter() - started:.1f}s: {firms} firms × {months} months")


def _one_month_import() -> tuple[object, dt.date]:
    """A new month for every 规上 reporter: last month's rows, 10 % higher, in a new batch."""
    from django.db import connection, transaction

    from yuanqu.stats.models import ImportBatch, MonthlyStat

    last = MonthlyStat.objects.order_by("-period").values_list("period", flat=True).first()
    assert last is not None
    following = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    with transaction.atomic():
        batch = ImportBatch.objects.create(kind="monthly", status="applied", note=f"benchmark {following:%Y-%m}")
        with connection.cursor() as cursor:
            names = ("revenue", "output", "value_added", "profit", "tax", "rd_expense", "energy_tce", "export_value")
            columns = ", ".join(f"{name}_month, {name}_ytd" for name in names)
            copied = ", ".join(f"{name}_month * 1.1, {name}_ytd + {name}_month * 1.1" for name in names)
            cursor.execute(
                f"INSERT INTO stats_monthlystat (enterprise_id, period, months_covered, {columns}, employees, "
                f"batch_id, updated_at) SELECT enterprise_id, %s, 1, {copied}, employees, %s, updated_at "
                "FROM stats_monthlystat WHERE period = %s",
                [following, batch.pk, last],
            )
    return batch, following


def _one_park_correction() -> tuple[object, dt.date, int]:
    """A corrected report of one park's firms for the latest month (rows rewritten in a new batch),
    the everyday incremental case: one park, one period, no new period in the calendar."""
    from django.db import transaction

    from yuanqu.stats.models import ImportBatch, MonthlyStat

    last = MonthlyStat.objects.order_by("-period").values_list("period", flat=True).first()
    park = (
        MonthlyStat.objects.filter(period=last, enterprise__park__isnull=False)
        .values_list("enterprise__park_id", flat=True)
        .first()
    )
    assert last is not None and park is not None
    with transaction.atomic():
        batch = ImportBatch.objects.create(kind="monthly", status="applied", note="benchmark correction")
        rows = MonthlyStat.objects.filter(period=last, enterprise__park_id=park)
        count = rows.update(batch=batch, revenue_ytd=F("revenue_ytd") * Decimal("1.01"))
    return batch, last, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale (1.0 ≈ 12,000 firms)")
    parser.add_argument("--nation", type=int, default=0, help="firms for the nation-scale set instead of the demo")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--var", default="", help="directory for the SQLite database (default: a temporary one)")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the data set a previous run left in the database (skip generating)"
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="profile the full recompute (cProfile) and print its N costliest functions by own time",
    )
    parser.add_argument(
        "--full-only",
        action="store_true",
        help="stop after the full recompute (no month is added: runs with --reuse compare on the same data)",
    )
    args = parser.parse_args()
    var = Path(args.var or tempfile.mkdtemp(prefix="yuanqu-bench-"))
    var.mkdir(parents=True, exist_ok=True)
    database = var / "yuanqu.sqlite3"
    if not args.reuse and not os.environ.get("DATABASE_URL") and database.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    _setup(var)

    from django.db import connection

    from yuanqu.indicators.models import IndicatorValue
    from yuanqu.indicators.services import indicators_compute_all, indicators_recompute_for_batch
    from yuanqu.stats.models import MonthlyStat

    print(f"yuanqu indicator benchmark — {connection.vendor}, Python {platform.python_version()}, {platform.machine()}")
    print(f"  {_threads()}")
    print(f"  {_load()} at the start")
    if args.reuse and MonthlyStat.objects.exists():
        from yuanqu.indicators.models import IndicatorCell

        IndicatorValue.objects.all()._raw_delete(IndicatorValue.objects.db)
        IndicatorCell.objects.all()._raw_delete(IndicatorCell.objects.db)
        print("  reusing the data set already in the database (indicator values cleared)")
    elif args.nation:
        _nation(args.nation, args.months, args.seed)
    else:
        _demo(args.scale, args.seed)
    rows = MonthlyStat.objects.count()

    floor = _floor()
    if args.profile:
        summary, full = _run(lambda: _profiled(indicators_compute_all, args.profile))
    else:
        summary, full = _run(indicators_compute_all)
    values = IndicatorValue.objects.count()
    print(f"  full recompute: {full} ({summary.cells} cells, {values} values, {summary.periods} periods); {_load()}")
    print(f"  floor, one GROUP BY over {rows} monthly rows: {floor.wall * 1000:.1f} ms wall; CPU per run: {floor}")
    print(f"  ratio full / floor: {_ratios(full, floor)}")
    written = _write_floor()
    print(f"  writing the {values} values and {summary.cells} cells alone (bulk, rolled back): {written}")
    print(
        f"  second floor, the GROUP BY plus that writing: {_plus(floor, written)}; "
        f"ratio full / second floor: {_ratios(full, _plus(floor, written))}"
    )
    if args.full_only:
        sys.stdout.flush()
        return

    batch, month = _one_month_import()
    month_floor = _floor(month)
    summary, incremental, spent = _broken_down(
        lambda: indicators_recompute_for_batch(batch=batch)  # type: ignore[arg-type]
    )
    print(
        f"  incremental after a one-month import ({month:%Y-%m}): {incremental} "
        f"({summary.cells} cells, {summary.values} values); {_load()}"
    )
    print(f"  floor, the same GROUP BY over that month: {month_floor.wall * 1000:.1f} ms wall; CPU: {month_floor}")
    print(
        f"  ratio incremental / floor: {_ratios(incremental, month_floor)}; "
        f"full / incremental: {full.wall / incremental.wall:.1f}× in wall time"
    )
    _print_steps(spent, incremental)

    batch, month, count = _one_park_correction()
    summary, correction, spent = _broken_down(
        lambda: indicators_recompute_for_batch(batch=batch)  # type: ignore[arg-type]
    )
    print(
        f"  incremental after correcting one park's {month:%Y-%m} reports ({count} rows): {correction} "
        f"({summary.cells} cells, {summary.values} values); ratio to the one-month floor: "
        f"{_ratios(correction, month_floor)}; full / this: {full.wall / correction.wall:.0f}× in wall time; {_load()}"
    )
    _print_steps(spent, correction)
    sys.stdout.flush()


def _print_steps(spent: dict[str, float], whole: Spent) -> None:
    """The engine's steps of one incremental run (`_broken_down`), each with its CPU, and the rest."""
    for label, seconds in spent.items():
        cpu, server_cpu = _STEP_CPU.get(label, 0.0) * 1000, _STEP_SERVER_CPU.get(label, 0.0) * 1000
        print(f"    {label}: {seconds * 1000:.0f} ms (CPU {cpu:.0f} ms + server CPU {server_cpu:.0f} ms)")
    steps = sum(seconds for label, seconds in spent.items() if label != _DELETES)
    cpu = sum(value for label, value in _STEP_CPU.items() if label != _DELETES)
    server = sum(value for label, value in _STEP_SERVER_CPU.items() if label != _DELETES)
    print(
        f"    the rest (batch checks, run record, data version): {(whole.wall - steps) * 1000:.0f} ms "
        f"(CPU {(whole.cpu - cpu) * 1000:.0f} ms + server CPU {((whole.server or 0.0) - server) * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
