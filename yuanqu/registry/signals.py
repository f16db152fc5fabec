"""What the registry tells the apps above it when dated history changes, so that they need not be
imported by the registry.

`history_changed` is sent once a change of an enterprise's or a park's dated state has committed,
with the keyword argument `change` (a `HistoryChange`): the cells whose figures may differ and the
days whose state changed. The indicators app connects its recompute in its `AppConfig.ready()`. A
receiver's failure never undoes the change: it is logged."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

history_changed = Signal()


@dataclass(frozen=True)
class HistoryChange:
    """A change of dated state. `cells`: (park or None, district) pairs whose figures may differ;
    `start`/`end`: the first and last day whose state changed (None: since the first record / still
    open); `park_state`: a park's own state changed (type, status, green level), which every data
    source reads, where an enterprise's version feeds only the sources of enterprise rows."""

    cells: frozenset[tuple[int | None, int]]
    start: dt.date | None
    end: dt.date | None
    park_state: bool = False

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def history_changed_on_commit(change: HistoryChange) -> None:
    transaction.on_commit(lambda: _send(change))


def _send(change: HistoryChange) -> None:
    for receiver, result in history_changed.send_robust(sender=HistoryChange, change=change):
        if isinstance(result, Exception):
            logger.error("历史状态变更的后续处理 %r 失败", receiver, exc_info=result)
