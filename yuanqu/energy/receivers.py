"""The energy app's answer to an applied or rolled-back import batch
(`yuanqu.stats.signals.batch_changed`): the carbon accounts the batch fed are rebuilt, and with them
the carbon figures of the indicator catalogue (`energy/figures.py`); and to a change of a firm's dated
state in the registry (`yuanqu.registry.signals.history_changed`): the accounts of the periods it
moved are rebuilt in the firm's park of each period. Connected in `EnergyConfig.ready()`. Inside a
web request the rebuild is queued as a job, so the request answers at once; in a worker, a command
or a test it runs at once. A failure never undoes the import or the change: the next full
recompute (`yuanqu energy_recompute`, or the job on the 能碳 page) repairs the accounts."""

from __future__ import annotations

import logging
from typing import Any

from yuanqu.energy import figures
from yuanqu.energy.services import (
    FEEDING_KINDS,
    carbon_recompute_for_batch,
    carbon_recompute_moved,
    moved_firms_exist,
)
from yuanqu.jobs.requests import in_web_request
from yuanqu.registry.signals import HistoryChange
from yuanqu.stats.models import ImportBatch

logger = logging.getLogger(__name__)


def recompute_after_batch(sender: Any, *, batch: ImportBatch, **kwargs: Any) -> None:
    if batch.kind not in (*FEEDING_KINDS, ImportBatch.Kind.PARK_RESOURCES, ImportBatch.Kind.LABELS):
        return
    try:
        # A park's 固废 feeds one catalogue figure, no account; so do the 认定名单's 绿色设计产品.
        if batch.kind == ImportBatch.Kind.PARK_RESOURCES:
            figures.refresh(figures.SOLID_WASTE)
            return
        if batch.kind == ImportBatch.Kind.LABELS:
            figures.refresh(figures.GREEN_PRODUCTS)
            return
        # The enterprise register feeds the accounts only through a firm that moved.
        if batch.kind == ImportBatch.Kind.ENTERPRISES and not moved_firms_exist():
            return
        if in_web_request():
            from yuanqu.energy.jobs import carbon_job_start

            carbon_job_start(actor=None)
            return
        carbon_recompute_for_batch(batch)
    except Exception:
        logger.exception("碳账户重算失败（批次 %s），将由全量重算补算", batch.pk)


def recompute_after_history(sender: Any, *, change: HistoryChange, **kwargs: Any) -> None:
    """A firm's park or district changed from a day: its accounts of the periods that ended since
    are rebuilt where the registry places it (a park's own type or green level feeds no account)."""
    if change.park_state:
        return
    try:
        if in_web_request():
            from yuanqu.energy.jobs import carbon_job_start

            carbon_job_start(actor=None)
            return
        carbon_recompute_moved()
        figures.refresh(figures.GREEN_PRODUCTS)
    except Exception:
        logger.exception("碳账户重算失败（登记历史变更），将由全量重算补算")
