"""The indicators' answers to what lower layers announce: an applied or rolled-back import batch
(`yuanqu.stats.signals.batch_changed`) recomputes what the batch touched, and a change of dated
state in the registry (`yuanqu.registry.signals.history_changed`) what that change touched. Connected in
`IndicatorsConfig.ready()`; the work itself is the service's. In a worker (an import job), a command
or a test the recompute runs at once; announced inside a web request (a batch rolled back from a page
or the API) it is queued as an incremental recompute job, so the request answers at once."""

from __future__ import annotations

import logging
from typing import Any

from yuanqu.indicators.models import ComputeRun, IndicatorCell
from yuanqu.indicators.services import indicators_recompute_for_batch, indicators_recompute_for_history
from yuanqu.jobs.requests import in_web_request
from yuanqu.registry.signals import HistoryChange
from yuanqu.stats.models import ImportBatch

logger = logging.getLogger(__name__)


def recompute_after_batch(sender: Any, *, batch: ImportBatch, **kwargs: Any) -> None:
    """Recompute the indicators of the parks and periods the batch touched. A failure here never
    undoes the import: the batch stays pending and the next `yuanqu compute` picks it up."""
    try:
        if in_web_request():
            from yuanqu.indicators.jobs import compute_job_start

            compute_job_start(actor=None, full=False)
            return
        indicators_recompute_for_batch(batch)
    except Exception:
        logger.exception("指标重算失败（批次 %s），将由 yuanqu compute 补算", batch.pk)


def recompute_after_history(sender: Any, *, change: HistoryChange, **kwargs: Any) -> None:
    """Recompute the cells and periods a change of dated state touched. Announced inside a web
    request it queues a full recompute job (the change names no batch an incremental job could
    pick up), so the request answers at once; a failure leaves the values to `yuanqu compute --all`."""
    try:
        if not ComputeRun.objects.exists():
            return  # nothing computed yet: the first `yuanqu compute` reads the history as it is
        if change.start is not None and not IndicatorCell.objects.filter(period__gte=change.start).exists():
            # No computed period ends on a changed day: a change entered without a date holds from
            # today, after every period computed so far (an enterprise list moving many firms costs
            # one such query per firm, not a recompute).
            return
        if in_web_request():
            from yuanqu.indicators.jobs import compute_job_start

            compute_job_start(actor=None, full=True)
            return
        indicators_recompute_for_history(change)
    except Exception:
        logger.exception("指标重算失败（历史状态变更），将由 yuanqu compute --all 补算")
