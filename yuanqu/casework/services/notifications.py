"""Notifications read by their recipient."""

from __future__ import annotations

from collections.abc import Sequence

from yuanqu.casework import clock
from yuanqu.core.models import User


def notifications_mark_read(*, user: User, ids: Sequence[int] | None = None) -> int:
    from yuanqu.casework.models import Notification

    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=clock.now())
