"""The indicators' answers to what lower layers announce: an applied or rolled-back import batch
(`yuanqu.stats.signals.batch_changed`) recomputes what the batch touched. Connected in
`IndicatorsConfig.ready()`; the work itself is the service's."""

from __future__ import annotations

import logging
from typing import Any

from yuanqu.indicators.services import indicators_recompute_for_batch
from yuanqu.stats.models import ImportBatch

logger = logging.getLogger(__name__)


def recompute_after_batch(sender: Any, *, batch: ImportBatch, **kwargs: Any) -> None:
    """Recompute the indicators of the parks and periods the batch touched. A failure here never
    undoes the import: the batch stays pending and the next `yuanqu compute` picks it up."""
    try:
        indicators_recompute_for_batch(batch)
    except Exception:
        logger.exception("指标重算失败（批次 %s），将由 yuanqu compute 补算", batch.pk)
