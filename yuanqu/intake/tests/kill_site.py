"""A small platform in its own database for the kill-and-retry test (test_import_job_killed.py), driven
in separate processes so that a worker can really be killed: `python -m yuanqu.intake.tests.kill_site
setup|slow-worker|state|recover|retry`. The database is YUANQU_VAR_DIR's SQLite file (the test hands
it a copy of its own migrated test database, so `migrate` finds nothing to do), or DATABASE_URL.

`recover` and `retry` end as the platform's `worker --batch` does: they run the queued jobs, then
print the state; `recover` prints the state before the worker as well. One process where the test
once started three, each a Django start-up of its own."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

FIRMS = 60
USERNAME = "kill-district"


def _setup() -> None:
    from django.conf import settings
    from django.core.management import call_command

    from yuanqu.core.models import User
    from yuanqu.core.roles import Role
    from yuanqu.core.uscc import make as make_uscc
    from yuanqu.intake.jobs import import_job_start
    from yuanqu.intake.kinds import KINDS
    from yuanqu.intake.tests.conftest import MONTHLY_HEADER, xlsx
    from yuanqu.registry.models import District, Enterprise
    from yuanqu.registry.services import reference_data_load

    if settings.JOBS_BACKEND == "rq":
        import django_rq

        django_rq.get_queue("default").empty()  # type: ignore[no-untyped-call]  # rq ships no annotation
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    reference_data_load()
    district = District.objects.get(code="420115")
    user = User(username=USERNAME, role=Role.DISTRICT, district=district, display_name=USERNAME)
    user.set_unusable_password()
    user.save()
    rows: list[list[Any]] = [MONTHLY_HEADER]
    for n in range(1, FIRMS + 1):
        firm = Enterprise.objects.create(
            uscc=make_uscc(f"91420100MA4K{n:05d}"),
            name=f"武汉测试{n}号有限公司",
            industry_id="C3976",
            district=district,
        )
        rows.append([firm.uscc, firm.name, "2026-01", n, n, 10])
    job = import_job_start(actor=user, spec=KINDS["monthly"], file_name="月报.xlsx", content=xlsx(rows))
    print(job.pk)


def _slow_worker(marker: str) -> None:
    """A worker whose import stops inside its write transaction, after some rows are written, and
    says so in `marker`: the test kills it there."""
    from django.core.management import call_command

    import yuanqu.stats.services as stats_services

    stats_services.WRITE_CHUNK = 10
    real = stats_services._insert
    calls: list[int] = []

    def slow(table: Any, batch: Any, keys: Any, rows: Any) -> None:
        real(table, batch, keys, rows)
        calls.append(len(rows))
        if len(calls) == 2:
            Path(marker).write_text(f"{sum(calls)} rows written in the open transaction")
            time.sleep(600)

    stats_services._insert = slow
    call_command("worker", interval=0.1, verbosity=0)


def _state() -> None:
    from yuanqu.jobs.models import Job
    from yuanqu.stats.models import ImportBatch, ImportSlot, MonthlyStat

    job = Job.objects.get()
    print(
        json.dumps(
            {
                "status": job.status,
                "message": job.message,
                "attempts": job.attempts,
                "rows": MonthlyStat.objects.count(),
                "batches": ImportBatch.objects.count(),
                "applied": ImportBatch.objects.filter(status=ImportBatch.Status.APPLIED).count(),
                "slots_held": ImportSlot.objects.exclude(holder="").count(),
            },
            ensure_ascii=False,
        )
    )


def _work() -> None:
    """What `yuanqu worker --batch` does: run the queued jobs, then stop."""
    from django.core.management import call_command

    call_command("worker", batch=True, verbosity=0)


def _retry() -> None:
    from yuanqu.core.models import User
    from yuanqu.jobs.models import Job
    from yuanqu.jobs.services import job_retry

    job_retry(actor=User.objects.get(username=USERNAME), job=Job.objects.get())


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    import django

    django.setup()
    command = argv[0]
    if command == "setup":
        _setup()
    elif command == "slow-worker":
        _slow_worker(argv[1])
    elif command == "state":
        _state()
    elif command == "recover":  # the state a dead worker left, a new worker's batch, the state after it
        _state()
        _work()
        _state()
    elif command == "retry":  # a user's retry, a worker's batch, the state after it
        _retry()
        _work()
        _state()
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
