"""Whether this code runs inside a web request, for work announced by a lower layer that must not
hold a request (an indicator recompute after a batch is rolled back from a page): such work is
queued as a job there, and done at once in a worker, a command or a test. Set by Django's
request_started and request_finished signals, connected in JobsConfig.ready()."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.core.signals import request_finished, request_started

_in_request: ContextVar[bool] = ContextVar("yuanqu_in_web_request", default=False)


def in_web_request() -> bool:
    return _in_request.get()


def _started(**kwargs: Any) -> None:
    _in_request.set(True)


def _finished(**kwargs: Any) -> None:
    _in_request.set(False)


def connect() -> None:
    request_started.connect(_started, dispatch_uid="jobs.requests.started")
    request_finished.connect(_finished, dispatch_uid="jobs.requests.finished")
