"""亩均 grading as a job: the page and the API start it and answer at once; the worker grades with its
steps as progress and links the year's grades; a newer request for the same year supersedes a queued
older one, and two gradings of one year never run at once."""

from __future__ import annotations

from typing import Any

import pytest

from yuanqu.evaluation import jobs
from yuanqu.evaluation.models import EnterpriseGrade
from yuanqu.jobs import services as job_services
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import run_queued_tasks

from .conftest import EvalWorld
from .test_mujun import graded  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _no_heartbeat(settings: Any) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0


def test_the_page_starts_the_grading_job_and_the_job_grades(
    graded: EvalWorld,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    admin = graded.world.client("city_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/evaluation/grades/compute/", {"year": "2025", "confirm": "1"})
    job = Job.objects.get(kind=jobs.GRADES)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.QUEUED and not EnterpriseGrade.objects.exists()
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.step == "保存结果" and job.percent == 100
    assert job.message.startswith("2025年亩均效益评价完成：4 家企业（")
    assert job.result_url == "/evaluation/grades/?year=2025" and job.result_label == "2025年度亩均效益等级"
    assert EnterpriseGrade.objects.filter(year=2025).count() == 4


def test_the_api_answers_202_with_the_job(
    graded: EvalWorld,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = graded.world.client("city_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/evaluation/grades", {"year": 2025}, content_type="application/json")
    job = Job.objects.get(kind=jobs.GRADES)
    assert response.status_code == 202
    assert response.json() == {
        "job": job.pk,
        "status": "queued",
        "url": f"/jobs/{job.pk}/",
        "api_url": f"/api/v1/jobs/{job.pk}",
    }
    refused = graded.world.client("district_jiangxia").post(
        "/api/v1/evaluation/grades", {"year": 2025}, content_type="application/json"
    )
    assert refused.status_code == 403 and Job.objects.count() == 1


def test_a_newer_grading_supersedes_a_queued_one_and_two_never_run_at_once(
    graded: EvalWorld,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    admin = graded.user("city_admin")
    with django_capture_on_commit_callbacks(execute=True):
        older = jobs.grades_job_start(actor=admin, year=2025)
        newer = jobs.grades_job_start(actor=admin, year=2025)
        other_year = jobs.grades_job_start(actor=admin, year=2024)
    older.refresh_from_db()
    assert older.status == Job.Status.CANCELLED and older.message == job_services.MSG_SUPERSEDED
    assert job_services.job_claim(job_id=newer.pk, worker="elsewhere:1") is not None
    again = jobs.grades_job_start(actor=admin, year=2025)
    with pytest.raises(job_services.ScopeBusy):
        job_services.job_claim(job_id=again.pk, worker="here:2")
    # Another year is another scope.
    assert job_services.job_claim(job_id=other_year.pk, worker="here:3") is not None
