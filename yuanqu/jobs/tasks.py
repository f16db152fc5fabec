"""The task that runs job N. Everything else about a job is in its row (yuanqu.jobs.models.Job), so
the queue holds no arguments, no scope and no secret. (The queue's one other task sends new email
and webhook deliveries by id: yuanqu.notifications.tasks.)"""

from __future__ import annotations

from django_tasks import task


@task()
def job_run(job_id: int) -> None:
    from yuanqu.jobs.context import job_execute

    job_execute(job_id)
