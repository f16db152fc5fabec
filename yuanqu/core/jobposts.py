"""A page's post that starts a background job, declared once: the form checked through
`core.forms.take_post`, the step that starts the job (a `ValidationError` is a refusal shown as a
message), then the job's page, which follows its progress and says the outcome; a refused post goes
back to the page it came from. Who calls this: the evaluation run and grading starts
(`evaluation/views.py`) and the import of a file a check passed (`intake/views.py`); any page whose
post starts one job and shows nothing else may use it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from yuanqu.core.forms import Posted, take_post


def job_post(
    request: HttpRequest, form: Posted, start: Callable[[dict[str, Any]], models.Model], *, back: str
) -> HttpResponse:
    """`start(cleaned)` with the form's cleaned values returns the job it started; to the job's page,
    or, where the form or the step refused, to the page `back` (a URL name) with the refusals."""
    started: list[models.Model] = []

    def act(cleaned: dict[str, Any]) -> str:
        started.append(start(cleaned))
        return ""  # the job's page says what happens

    if take_post(request, form, act):
        return redirect("jobs:detail", pk=started[0].pk)
    return redirect(back)
