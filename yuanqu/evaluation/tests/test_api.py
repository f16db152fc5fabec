"""The evaluation API: start a run (202 with the job's id and page; the job ends failed with the
Chinese reason when there is no data; 403 for a viewer, 422 for bad parameters before anything is
queued), read it, its results, selection and a diagnosis, confirm the list (409 the second time),
compare two runs, grade and read 亩均 grades."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from yuanqu.evaluation.models import EvaluationRun
from yuanqu.indicators.models import IndicatorValue
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import run_queued_tasks

from .conftest import YEAR, EvalWorld

BASE = "/api/v1/evaluation"


def post(client: object, path: str, payload: dict[str, object]) -> object:
    return client.post(path, json.dumps(payload), content_type="application/json")  # type: ignore[attr-defined]


@pytest.fixture
def start(django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> Any:
    """POST /runs (202), let a worker run the job it started, and give back the answer and the job."""

    def started(client: Client, payload: dict[str, object]) -> tuple[Any, Job]:
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, f"{BASE}/runs", payload)
        assert response.status_code == 202, response.content  # type: ignore[attr-defined]
        run_queued_tasks()
        return response, Job.objects.get(pk=response.json()["job"])  # type: ignore[attr-defined]

    return started


def test_it_runs_an_evaluation_through_the_api(ew: EvalWorld, start: Any) -> None:
    client = ew.world.client("city_admin")
    response, job = start(client, {"year": YEAR, "runs": 60, "seed": 3})
    assert response.json() == {
        "job": job.pk,
        "status": "queued",
        "url": f"/jobs/{job.pk}/",
        "api_url": f"/api/v1/jobs/{job.pk}",
    }
    followed = client.get(f"/api/v1/jobs/{job.pk}").json()
    assert (followed["status"], followed["step"], followed["percent"]) == ("succeeded", "保存结果", 100)
    assert followed["result"]["run"] == EvaluationRun.objects.get().pk and followed["result_url"].endswith("/")
    # The job is its starter's (and city-wide roles'): a district user does not find it.
    missing = ew.world.client("district_jiangxia").get(f"/api/v1/jobs/{job.pk}")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    body = client.get(f"{BASE}/runs/{job.result['run']}").json()
    assert body["status"] == "done" and body["seed"] == 3 and body["params"]["runs"] == 60
    assert set(body["index_systems"]) == {"modern", "featured", "urban"}
    run_id = body["id"]
    results = client.get(f"{BASE}/runs/{run_id}/results?park_type=modern").json()["items"]
    assert [row["park"] for row in results] == ["M6", "M5", "M4", "M3", "M2", "PA"]
    assert results[0]["rank"] == 1 and results[0]["flags"] == [] and results[-1]["eligible"] is False
    selection = client.get(f"{BASE}/runs/{run_id}/selection").json()["items"]
    assert [row["park"] for row in selection if row["park_type"] == "modern"] == ["M6", "M5", "M4", "M3"]
    diagnosis = client.get(f"{BASE}/runs/{run_id}/parks/M3/diagnosis").json()
    assert diagnosis["reproduced"] is True and len(diagnosis["improvements"]) <= 3
    assert {row["year"] for row in diagnosis["inputs"]} == {YEAR, YEAR - 1}
    confirm = client.post(f"{BASE}/runs/{run_id}/selection/confirm")
    assert confirm.status_code == 200 and confirm.json()["selection_status"] == "confirmed"
    again = client.post(f"{BASE}/runs/{run_id}/selection/confirm")
    assert again.status_code == 409
    assert again.json() == {"detail": "该评价的产业名园名单已确认，确认后的名单不能更改", "code": "conflict"}


def test_the_job_fails_with_the_reason_when_there_is_no_data(ew: EvalWorld, start: Any) -> None:
    IndicatorValue.objects.all().delete()
    _, job = start(ew.world.client("city_admin"), {"year": YEAR})
    run = EvaluationRun.objects.get()
    assert (job.status, job.message, job.result_url) == ("failed", run.message, f"/evaluation/runs/{run.pk}/")


def test_it_refuses_a_viewer_and_bad_parameters(ew: EvalWorld) -> None:
    viewer = post(ew.world.client("city_viewer"), f"{BASE}/runs", {"year": YEAR})
    assert viewer.status_code == 403  # type: ignore[attr-defined]
    assert viewer.json() == {"detail": "只有市级管理员可以执行此操作", "code": "city_only"}  # type: ignore[attr-defined]
    auditor = ew.world.client("auditor").get(f"{BASE}/runs")
    assert auditor.status_code == 403
    assert auditor.json() == {"detail": "审计员只能查看审计日志", "code": "permission_denied"}
    bad = post(ew.world.client("city_admin"), f"{BASE}/runs", {"year": YEAR, "runs": 0})
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert "蒙特卡洛运行次数应在 1 到 20000 之间" in bad.json()["errors"][0]["msg"]  # type: ignore[attr-defined]
    assert not EvaluationRun.objects.exists() and not Job.objects.exists()


def test_it_compares_two_runs_through_the_api(ew: EvalWorld, start: Any) -> None:
    client = ew.world.client("city_admin")
    a = start(client, {"year": YEAR, "runs": 50})[1].result["run"]
    ew.boost("M2", 2.0)
    b = start(client, {"year": YEAR, "runs": 50})[1].result["run"]
    rows = {row["park"]: row for row in client.get(f"{BASE}/runs/compare?a={a}&b={b}").json()["items"]}
    assert rows["M2"]["rank_a"] == 5 and rows["M2"]["rank_b"] == 1 and rows["M2"]["rank_change"] == 4
    assert rows["M6"]["rank_change"] == -1


def test_a_grading_without_firms_fails_its_job_with_the_reason(
    ew: EvalWorld, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(ew.world.client("city_admin"), f"{BASE}/grades", {"year": YEAR})
    assert response.status_code == 202  # type: ignore[attr-defined]
    run_queued_tasks()
    job = Job.objects.get(pk=response.json()["job"])  # type: ignore[attr-defined]
    assert job.status == Job.Status.FAILED
    assert "没有持有规上工业企业称号的企业" in job.message
    assert post(ew.world.client("city_viewer"), f"{BASE}/grades", {"year": YEAR}).status_code == 403  # type: ignore[attr-defined]


def test_it_documents_the_endpoints_in_openapi(ew: EvalWorld) -> None:
    schema = ew.world.client("city_viewer").get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        f"{BASE}/runs",
        f"{BASE}/runs/{{run_id}}/results",
        f"{BASE}/runs/{{run_id}}/parks/{{park}}/diagnosis",
        f"{BASE}/runs/{{run_id}}/selection/confirm",
        f"{BASE}/grades",
    } <= paths


def test_it_refuses_a_monte_carlo_normalisation_that_needs_targets_at_the_schema(ew: EvalWorld) -> None:
    for method in ("goalposts", "distance_to_target"):
        bad = post(ew.world.client("city_admin"), f"{BASE}/runs", {"year": YEAR, "normalisations": ["minmax", method]})
        assert bad.status_code == 422  # type: ignore[attr-defined]
        assert bad.json()["errors"][0]["loc"][-2:] == ["normalisations", 1]  # type: ignore[attr-defined]
    assert not EvaluationRun.objects.exists()


def test_the_schema_offers_the_monte_carlo_normalisations_the_run_accepts() -> None:
    from typing import get_args

    from yuanqu.evaluation.api import MonteCarloNormalisation
    from yuanqu.evaluation.pack import MONTE_CARLO_NORMALISATIONS

    assert get_args(MonteCarloNormalisation) == MONTE_CARLO_NORMALISATIONS
