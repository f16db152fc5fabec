"""For tests of apps that start jobs: run every task the database backend holds, in this process and
inside the test's transaction, through the backend's own worker code (claim, run, record)."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks(*, limit: int = 100) -> int:
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit and (task := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        task.claim("tests")
        worker.run_task(task)
        ran += 1
    return ran
