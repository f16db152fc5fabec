"""A job's stored message (Chinese, as the worker wrote it) in the page's language: the jobs app's
own messages here, a kind's messages through the kind's `wording` (the intake outcome messages
through yuanqu.intake.wording). What is stored stays Chinese."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from django.utils.translation import gettext

from yuanqu.core.language import english
from yuanqu.jobs import services
from yuanqu.jobs.kinds import KINDS
from yuanqu.jobs.models import Job

MESSAGES = (
    services.MSG_SUPERSEDED,
    services.MSG_CANCELLED,
    services.MSG_FAILED,
    services.MSG_WORKER_LOST,
    services.MSG_NOT_QUEUED,
    services.REASON_EXITED,
    services.REASON_SILENT,
)


@lru_cache(maxsize=8)
def _patterns(templates: Sequence[str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    found = []
    for template in templates:
        parts = re.split(r"\{(\w+)\}", template)
        pattern = "".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)" for index, part in enumerate(parts))
        found.append((re.compile(f"^{pattern}$", re.S), template))
    return tuple(found)


def translated(text: str, templates: Sequence[str] = MESSAGES) -> str:
    """`text`, made from one of `templates`, in the active language (its values translated too)."""
    if not text or not english():
        return text
    for pattern, template in _patterns(tuple(templates)):
        match = pattern.match(text)
        if match:
            values = {name: translated(value, templates) for name, value in match.groupdict().items()}
            return gettext(template).format(**values)
    return gettext(text)


def _worded(job: Job, text: str) -> str:
    kind = KINDS.get(job.kind)
    if kind is not None and (kind.wording is not None or kind.messages) and text:
        worded = kind.wording(text) if kind.wording is not None else translated(text, kind.messages)
        if worded != text or not english():
            return worded
    return translated(text)


def job_message(job: Job) -> str:
    return _worded(job, job.message)


def job_title(job: Job) -> str:
    return _worded(job, job.title)


def job_result_label(job: Job) -> str:
    return _worded(job, job.result_label)
