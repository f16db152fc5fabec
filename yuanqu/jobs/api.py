"""Jobs API (/api/v1/jobs/): one job as its starter (or a city-wide role) sees it, for a client that
started work answered with 202 and follows it: status, step, done of total, the result's link and
data, and the message. Reads through `Job.objects.visible_to` (404 outside it)."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.contract.schemas import IdPath
from yuanqu.core.models import User
from yuanqu.jobs.models import Job

router = Router(tags=["后台任务"])


class JobStartedOut(Schema):
    """The 202 answer of an operation that started a job: its id, its page and its API address."""

    job: int
    status: str
    url: str
    api_url: str


def job_started(job: Job) -> Status[dict[str, Any]]:
    """The 202 answer for a job just started, in the JobStartedOut shape."""
    return Status(
        202,
        {
            "job": job.pk,
            "status": job.status,
            "url": reverse("jobs:detail", kwargs={"pk": job.pk}),
            "api_url": f"/api/v1/jobs/{job.pk}",
        },
    )


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    step: str
    done: int
    total: int
    percent: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    result_url: str
    result_label: str
    result: dict[str, Any]
    message: str
    incident: str


@router.get("/{job_id}", response=JobOut, summary="后台任务状态")
def get_job(request: HttpRequest, job_id: IdPath) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    job = get_visible_or_404(Job.objects.all(), user, pk=job_id)
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "step": job.step,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "result_url": job.result_url,
        "result_label": job.result_label,
        "result": job.result if isinstance(job.result, dict) else {},
        "message": job.message,
        "incident": job.incident,
    }
