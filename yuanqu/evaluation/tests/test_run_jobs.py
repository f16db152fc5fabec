"""Evaluation runs as jobs (yuanqu.evaluation.jobs), run through the database backend: the Monte Carlo
draws reported as they go, a retry after success that finds the run already made (nothing computed or
written twice) while changed data makes a new run, one run per year at a time, and the job seen only
by whoever may see it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from yuanqu.core.models import AuditLog
from yuanqu.core.tests.test_i18n import switch
from yuanqu.evaluation import services
from yuanqu.evaluation.jobs import MSG_DONE, MSG_REUSED, run_job_start
from yuanqu.evaluation.models import EvaluationRun, ParkResult
from yuanqu.jobs.context import job_execute
from yuanqu.jobs.models import Job
from yuanqu.jobs.services import job_retry, worker_name
from yuanqu.jobs.testing import run_queued_tasks

from .conftest import YEAR, EvalWorld


@pytest.fixture(autouse=True)
def _no_heartbeat(settings: Settings) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0


def _start(ew: EvalWorld, capture: DjangoCaptureOnCommitCallbacks, **params: Any) -> Job:
    with capture(execute=True):
        job = run_job_start(actor=ew.user("city_admin"), year=YEAR, params={"runs": 40, "seed": 7, **params})
    return job


def test_it_reports_the_monte_carlo_draws_of_every_park_type(
    ew: EvalWorld, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps: list[tuple[str, int, int]] = []
    real = services.evaluation_run

    def recording(**kwargs: Any) -> EvaluationRun:
        progress = kwargs["progress"]

        def report(step: str, done: int, total: int) -> None:
            steps.append((step, done, total))
            progress(step, done, total)

        return real(**{**kwargs, "progress": report})

    monkeypatch.setattr(services, "evaluation_run", recording)
    job = _start(ew, django_capture_on_commit_callbacks)
    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert job.status == "succeeded" and job.message == MSG_DONE
    draws = [(done, total) for step, done, total in steps if step == "蒙特卡洛模拟"]
    # Three park types of 40 draws each: the bar counts 0 … 120 of 120.
    assert draws[0] == (0, 120) and draws[-1] == (120, 120) and {total for _, total in draws} == {120}
    assert [done for done, _ in draws] == sorted(done for done, _ in draws)
    assert steps[0] == ("读取指标值", 0, 1) and steps[-1] == ("保存结果", 1, 1)


def test_a_retry_after_success_returns_the_same_run_and_writes_nothing(
    ew: EvalWorld, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    job = _start(ew, django_capture_on_commit_callbacks)
    run_queued_tasks()
    job.refresh_from_db()
    run = EvaluationRun.objects.get()
    results, audits = ParkResult.objects.count(), AuditLog.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(actor=ew.user("city_admin"), job=job)
    run_queued_tasks()
    job.refresh_from_db()
    assert (job.status, job.result["run"], job.message) == ("succeeded", run.pk, MSG_REUSED)
    assert EvaluationRun.objects.count() == 1 and ParkResult.objects.count() == results
    assert AuditLog.objects.count() == audits + 1  # the retry itself, nothing of a run
    # A new request with the same inputs and seed finds it too; a new seed or changed data does not.
    again = _start(ew, django_capture_on_commit_callbacks)
    run_queued_tasks()
    again.refresh_from_db()
    assert again.result["run"] == run.pk and again.result["reused"] is True
    other_seed = _start(ew, django_capture_on_commit_callbacks, seed=8)
    run_queued_tasks()
    other_seed.refresh_from_db()
    ew.boost("M2", 2.0)
    changed = _start(ew, django_capture_on_commit_callbacks)
    run_queued_tasks()
    changed.refresh_from_db()
    assert len({run.pk, other_seed.result["run"], changed.result["run"]}) == 3
    assert EvaluationRun.objects.count() == 3


def test_two_runs_of_the_same_year_never_run_at_once(
    ew: EvalWorld, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    first = _start(ew, django_capture_on_commit_callbacks)
    # The first is being worked (by this process, so the reaper leaves it alone).
    Job.objects.filter(pk=first.pk).update(status=Job.Status.RUNNING, worker=worker_name())
    second = _start(ew, django_capture_on_commit_callbacks, seed=9)
    assert second.scope_key == first.scope_key == f"evaluation:{YEAR}"
    job_execute(second.pk)
    second.refresh_from_db()
    assert second.status == "queued" and not EvaluationRun.objects.exists()  # waits for the first
    # A newer request supersedes a queued older one of the same year.
    third = _start(ew, django_capture_on_commit_callbacks, seed=10)
    second.refresh_from_db()
    assert second.status == "cancelled" and third.status == "queued"


def test_the_job_is_seen_only_by_whoever_may_see_it(
    ew: EvalWorld, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    job = _start(ew, django_capture_on_commit_callbacks)
    run_queued_tasks()
    assert ew.world.client("city_admin").get(f"/jobs/{job.pk}/").status_code == 200
    assert ew.world.client("district_jiangxia").get(f"/jobs/{job.pk}/").status_code == 404
    assert ew.world.client("district_jiangxia").get(f"/jobs/{job.pk}/progress/").status_code == 404
    assert ew.world.client("district_jiangxia").post(f"/jobs/{job.pk}/retry/").status_code == 404


def test_the_job_page_speaks_english(
    ew: EvalWorld, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    job = _start(ew, django_capture_on_commit_callbacks)
    run_queued_tasks()
    run = EvaluationRun.objects.get()
    client = ew.world.client("city_admin")
    switch(client, "en")
    try:
        page = client.get(f"/jobs/{job.pk}/").content.decode()
    finally:
        translation.deactivate()
    assert f"Park evaluation {YEAR}" in page and f"Run #{run.pk}" in page
    assert "The evaluation is finished" in page and "Monte Carlo draws" in page


def test_a_diagnosis_report_is_made_once_and_retried_without_making_it_again(
    ew: EvalWorld,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
    tmp_path: Path,
) -> None:
    from yuanqu.evaluation import documents

    settings.MEDIA_ROOT = tmp_path
    made: list[int] = []
    real = documents.diagnosis_docx

    def counting(found: Any) -> bytes:
        made.append(1)
        return real(found)

    monkeypatch.setattr(documents, "diagnosis_docx", counting)
    run = services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params={"runs": 40})
    client = ew.world.client("district_jiangxia")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/evaluation/runs/{run.pk}/parks/PA/report.docx")
    run_queued_tasks()
    job = Job.objects.get()
    assert (job.status, job.message, made) == ("succeeded", "报告已生成，可点击下载", [1])
    content = client.get(job.result_url).content
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(actor=ew.user("district_jiangxia"), job=job)
    run_queued_tasks()
    job.refresh_from_db()
    assert (job.status, job.message, made) == ("succeeded", "该报告此前已生成，可点击下载", [1])
    assert client.get(job.result_url).content == content
    # A park outside the district: no job is started.
    assert client.post(f"/evaluation/runs/{run.pk}/parks/PC/report.docx").status_code == 404
    assert Job.objects.count() == 1
