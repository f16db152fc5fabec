"""The first attempt of new email and webhook deliveries, as a task for the worker (Django's task
framework, the same queue as the jobs): the process that made the notice only queues it after its
transaction commits, so no request waits for a mail server or a gateway. The delivery rows are the
record (status, attempts, last error), so the task carries their ids only; a task lost with its
queue leaves the deliveries due for the retry sweep (`yuanqu notifications_retry`)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliveries_send_task(ids: list[int]) -> None:
    from yuanqu.notifications.services import deliveries_send

    deliveries_send(ids=ids)
