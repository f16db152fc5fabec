"""What the statistics layer tells the apps above it, so that they need not be imported by the apps
that write statistics.

`batch_changed` is sent once an import batch's rows were applied or rolled back and the transaction
has committed, with the keyword argument `batch` (the `ImportBatch`). The intake app sends it through
`batch_changed_on_commit`; the indicators app connects its recompute in its `AppConfig.ready()`.
A receiver's failure never undoes the batch and never stops the other receivers: it is logged."""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

from yuanqu.stats.models import ImportBatch

logger = logging.getLogger(__name__)

batch_changed = Signal()


def batch_changed_on_commit(batch: ImportBatch) -> None:
    """Send `batch_changed` for the batch when the current transaction commits (at once outside one;
    never if it rolls back)."""
    transaction.on_commit(lambda: _send(batch))


def _send(batch: ImportBatch) -> None:
    for receiver, result in batch_changed.send_robust(sender=ImportBatch, batch=batch):
        if isinstance(result, Exception):
            logger.error("批次 %s 的后续处理 %r 失败", batch.pk, receiver, exc_info=result)
