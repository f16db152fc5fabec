"""Benchmark: the job system's throughput for a trivial job and the time from enqueue to start.

A trivial job (it reports one progress step and returns) is enqueued N times through
`yuanqu.jobs.services.job_enqueue` and worked by W `yuanqu worker` processes, with the database queue
(the platform's SQLite or PostgreSQL) or with Redis (RQ). Printed: jobs per second from the first
enqueue to the last finish, and enqueue-to-start latency (median, 95th percentile, max) of jobs
queued behind a backlog and of single jobs sent to an idle worker. Floor, measured in the same run:
the same N jobs run in this process by `job_execute` with no queue and no worker (the bookkeeping
every job pays: claim, progress, finish, audit); the ratio to it is the price of the queue.

Run from the repository root, on a throwaway database it creates under a temporary folder:
  .venv/bin/python -m benchmarks.bench_jobs [--jobs 500] [--workers 2] [--database-url postgres://…]
  .venv/bin/python -m benchmarks.bench_jobs --backend rq --redis-url redis://127.0.0.1:6379/0
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_KIND = "bench_noop"


def setup_django(workdir: Path, *, database_url: str, backend: str, redis_url: str) -> None:
    os.environ["YUANQU_DEMO"] = "1"
    os.environ["YUANQU_DEBUG"] = "0"
    os.environ["YUANQU_VAR_DIR"] = str(workdir / "var")
    os.environ["YUANQU_MEDIA_ROOT"] = str(workdir / "files")
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["YUANQU_TASKS_BACKEND"] = backend
    os.environ["YUANQU_REDIS_URL"] = redis_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    import django

    django.setup()
    register_kind()


def register_kind() -> None:
    from yuanqu.jobs.kinds import JobKind, JobResult, job_kind_register

    def noop(context: object) -> JobResult:
        context.progress("运行", 1, 1)  # type: ignore[attr-defined]
        return JobResult()

    job_kind_register(JobKind(code=BENCH_KIND, label="基准测试", handler=noop, steps=("运行",)))


def worker_main() -> None:
    """`python -m benchmarks.bench_jobs --worker`: a `yuanqu worker` that knows the trivial kind."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    import django

    django.setup()
    register_kind()
    from django.core.management import call_command

    call_command("worker", interval=float(os.environ.get("BENCH_INTERVAL", "1")), verbosity=0)


def start_workers(count: int, interval: float) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "BENCH_INTERVAL": str(interval), "PYTHONPATH": str(Path.cwd())}
    return [
        subprocess.Popen([sys.executable, "-m", "benchmarks.bench_jobs", "--worker"], env=env) for _ in range(count)
    ]


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for process in workers:
        process.terminate()
    for process in workers:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_done(ids: list[int], timeout: float = 600) -> None:
    from yuanqu.jobs.models import Job

    deadline = time.monotonic() + timeout
    while Job.objects.filter(pk__in=ids, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exists():
        if time.monotonic() > deadline:
            raise SystemExit("jobs did not finish in time")
        time.sleep(0.05)


def latencies(ids: list[int]) -> list[float]:
    from yuanqu.jobs.models import Job

    rows = Job.objects.filter(pk__in=ids).values_list("created_at", "started_at")
    return sorted((started - created).total_seconds() for created, started in rows if started is not None)


def describe(values: list[float]) -> str:
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return f"median {statistics.median(values) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {values[-1] * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--singles", type=int, default=30, help="single jobs sent to an idle worker")
    parser.add_argument("--interval", type=float, default=1.0, help="database worker's idle polling interval")
    parser.add_argument("--backend", choices=["database", "rq"], default="database")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default=os.environ.get("YUANQU_REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()
    if args.worker:
        worker_main()
        return
    workdir = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    setup_django(workdir, database_url=args.database_url, backend=args.backend, redis_url=args.redis_url)
    from django.core.management import call_command
    from django.db import connection

    from yuanqu.jobs.context import job_execute
    from yuanqu.jobs.models import Job
    from yuanqu.jobs.services import job_enqueue

    call_command("migrate", verbosity=0)
    if args.backend == "rq":
        import django_rq

        django_rq.get_queue("default").empty()  # type: ignore[no-untyped-call]
    Job.objects.all().delete()
    print(f"{args.backend} queue on {connection.vendor}; {args.jobs} trivial jobs, {args.workers} workers")

    # Floor: the jobs' own bookkeeping, run here without a queue.
    floor_ids = [Job.objects.create(kind=BENCH_KIND, title="floor").pk for _ in range(args.jobs)]
    started = time.perf_counter()
    for job_id in floor_ids:
        job_execute(job_id)
    floor = time.perf_counter() - started
    print(f"floor (job_execute in process): {floor:.2f} s, {args.jobs / floor:.0f} jobs/s")

    # Throughput and latency behind a backlog: enqueue everything, then let the workers drain it.
    workers = start_workers(args.workers, args.interval)
    try:
        time.sleep(3)  # the workers start (Django set-up) before the clock runs
        started = time.perf_counter()
        ids = [job_enqueue(actor=None, kind=BENCH_KIND, arguments={"n": n}).pk for n in range(args.jobs)]
        enqueued = time.perf_counter() - started
        wait_done(ids)
        elapsed = time.perf_counter() - started
        done = Job.objects.filter(pk__in=ids, status=Job.Status.SUCCEEDED).count()
        print(f"enqueue: {args.jobs / enqueued:.0f} jobs/s ({enqueued:.2f} s)")
        rate, ratio = done / elapsed, elapsed / floor
        print(f"throughput: {rate:.1f} jobs/s ({elapsed:.2f} s; {done} succeeded); ratio to floor {ratio:.1f}×")
        print(f"enqueue to start behind the backlog: {describe(latencies(ids))}")

        # Single jobs to idle workers.
        singles = []
        for n in range(args.singles):
            job_id = job_enqueue(actor=None, kind=BENCH_KIND, arguments={"single": n}).pk
            wait_done([job_id])
            singles.append(job_id)
            time.sleep(0.1)
        print(f"enqueue to start, idle worker: {describe(latencies(singles))}")
    finally:
        stop_workers(workers)


if __name__ == "__main__":
    main()
