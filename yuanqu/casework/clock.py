"""The one source of "now" for casework. Services ask here instead of calling timezone.now(), so that
the demo can replay two years of cases and tests can stand on a given day (`frozen`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_frozen: ContextVar[dt.datetime | None] = ContextVar("casework_now", default=None)


def now() -> dt.datetime:
    return _frozen.get() or timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


@contextmanager
def frozen(at: dt.datetime) -> Iterator[dt.datetime]:
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    token = _frozen.set(at)
    try:
        yield at
    finally:
        _frozen.reset(token)
