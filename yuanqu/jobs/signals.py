"""What the job engine tells the apps whose jobs it runs, so that it need not import them.

`worker_lost` is sent by the reaper (yuanqu.jobs.services.jobs_reap) once for each worker it found
gone, with the keyword argument `worker` (the job's `worker`: “host:pid”). An app that lets a job
hold something outside the job's own transaction frees it there (the intake app frees the import
slot the dead worker held). A receiver's failure is logged and stops neither the reaper nor the
other receivers."""

from __future__ import annotations

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

worker_lost = Signal()


def worker_lost_send(worker: str) -> None:
    for receiver, result in worker_lost.send_robust(sender=None, worker=worker):
        if isinstance(result, Exception):
            logger.error("后台任务进程%s中断后，%r未能释放其占用", worker, receiver, exc_info=result)
