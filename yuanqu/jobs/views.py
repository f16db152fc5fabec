"""Job pages: 我的任务 (the user's jobs), one job with its live progress bar (an htmx partial polled
every second while the job is queued or running), cancel and retry. Reads through
`Job.objects.visible_to`; writes through yuanqu.jobs.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_POST

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.listing import page_of
from yuanqu.core.models import User
from yuanqu.core.sessions import passive
from yuanqu.jobs import services
from yuanqu.jobs.kinds import KINDS, JobRefused
from yuanqu.jobs.models import Job
from yuanqu.jobs.wording import job_message, job_result_label, job_title

# Shown when the database is busy with a large write (SQLite) and the request cannot wait for it.
ERR_BUSY = gettext_noop("平台正忙于写入数据，请稍后再试")
ISSUES_SHOWN = 50


def _member(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _get_job(user: User, pk: int) -> Job:
    return get_visible_or_404(Job.objects.all(), user, pk=pk)


def _steps(job: Job) -> list[dict[str, str]]:
    """The kind's steps with their state (done, current, waiting) for the progress display."""
    kind = KINDS.get(job.kind)
    names = list(kind.steps) if kind else []
    if job.step and job.step not in names:
        names.append(job.step)
    current = names.index(job.step) if job.step in names else -1
    succeeded = job.status == Job.Status.SUCCEEDED
    states = []
    for index, name in enumerate(names):
        state = "done" if succeeded or index < current else "current" if index == current else "waiting"
        states.append({"name": name, "state": state})
    return states


def progress_context(request: HttpRequest, job: Job) -> dict[str, object]:
    issues = job.result.get("issues", []) if isinstance(job.result, dict) else []
    return {
        "job": job,
        "message": job_message(job),
        "title": job_title(job),
        "result_label": job_result_label(job),
        "notes": job.result.get("notes", []) if isinstance(job.result, dict) else [],
        "steps": _steps(job),
        "kind_label": KINDS[job.kind].label if job.kind in KINDS else job.kind,
        "issues": issues[:ISSUES_SHOWN],
        "may_act": job.started_by_id == _member(request).pk or _member(request).is_city_wide,
    }


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    jobs = Job.objects.visible_to(user).filter(started_by=user)
    page = page_of(request, jobs)
    rows = [(job, job_title(job), job_result_label(job), job_message(job)) for job in page.object_list]
    return render(request, "jobs/job_list.html", {"page": page, "rows": rows})


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_job(_member(request), pk)
    return render(request, "jobs/job_detail.html", progress_context(request, job))


@passive
@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress partial. While the job runs this also looks for a worker that is gone, so a
    killed worker's job turns failed on the page without waiting for another worker to start."""
    job = _get_job(_member(request), pk)
    if job.status == Job.Status.RUNNING:
        try:
            if services.jobs_reap():
                job.refresh_from_db()
        except OperationalError:
            pass  # SQLite busy with a write: the next poll looks again
    return render(request, "jobs/_progress.html", progress_context(request, job))


def _act(request: HttpRequest, pk: int, *, cancel: bool) -> HttpResponse:
    user = _member(request)
    job = _get_job(user, pk)
    try:
        if cancel:
            services.job_cancel(actor=user, job=job)
        else:
            services.job_retry(actor=user, job=job)
    except JobRefused as exc:
        messages.error(request, gettext(str(exc)))
    except PermissionDenied:
        raise
    except OperationalError:
        messages.error(request, gettext(ERR_BUSY))
    else:
        messages.success(request, gettext("已请求取消任务") if cancel else gettext("任务已重新排队"))
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_POST
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, cancel=True)


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, cancel=False)
