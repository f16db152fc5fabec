"""The intake API: a multipart upload handed to an import job (202 with the job to follow, the batch
and its result at the job's end), scoped list and detail, error report, rollback, templates; a file
refused from its name, size or first bytes is a 422 with the reason, and nothing is kept or queued."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import World
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, xlsx
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import run_queued_tasks
from yuanqu.stats.models import ImportBatch, MonthlyStat


def _file(world: World, revenue: Any = 5, name: str = "月报.xlsx") -> SimpleUploadedFile:
    e1 = world.enterprises["E1"]
    return SimpleUploadedFile(name, xlsx([MONTHLY_HEADER, [e1.uscc, e1.name, "2026-01", revenue, revenue, 20]]))


class Uploads:
    """Uploads through the API as a persona; a job is handed to the queue when the request's
    transaction commits, here as the request ends, and `imported` lets the worker run it."""

    def __init__(self, world: World, on_commit: DjangoCaptureOnCommitCallbacks) -> None:
        self.world, self.on_commit = world, on_commit

    def post(self, persona: str, upload: SimpleUploadedFile, **fields: Any) -> Any:
        with self.on_commit(execute=True):
            return self.world.client(persona).post(
                "/api/v1/intake/batches", {"kind": "monthly", "file": upload, **fields}
            )

    def imported(self, persona: str, upload: SimpleUploadedFile, **fields: Any) -> dict[str, Any]:
        """Upload, run the job, and answer what GET /api/v1/jobs/{id} says at its end."""
        started = self.post(persona, upload, **fields)
        assert started.status_code == 202, started.content
        run_queued_tasks()
        job: dict[str, Any] = self.world.client(persona).get(started.json()["api_url"]).json()
        return job


@pytest.fixture
def uploads(world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> Uploads:
    return Uploads(world, django_capture_on_commit_callbacks)


def _batch_id(job: dict[str, Any]) -> int:
    return int(job["result_url"].rstrip("/").rpartition("/")[2])


def test_it_answers_202_with_the_job_before_reading_the_file(world: World, uploads: Uploads) -> None:
    response = uploads.post("district_jiangxia", _file(world))
    assert response.status_code == 202, response.content
    job = Job.objects.get()
    assert response.json() == {
        "job": job.pk,
        "status": "queued",
        "url": f"/jobs/{job.pk}/",
        "api_url": f"/api/v1/jobs/{job.pk}",
    }
    assert (job.kind, job.started_by) == ("intake_import", world.users["district_jiangxia"])
    assert not ImportBatch.objects.exists() and not MonthlyStat.objects.exists()  # nothing read yet


def test_it_imports_in_the_job_and_the_job_links_the_batch(world: World, uploads: Uploads) -> None:
    job = uploads.imported("district_jiangxia", _file(world))
    assert job["status"] == "succeeded" and job["result"]["status"] == "applied"
    assert job["result"]["counts"]["created"] == 1 and job["message"].startswith("已写入：新增1条")
    batch = ImportBatch.objects.get()
    assert _batch_id(job) == batch.pk and batch.status == "applied"
    assert MonthlyStat.objects.count() == 1


def test_it_returns_the_problems_of_a_rejected_file(world: World, uploads: Uploads) -> None:
    job = uploads.imported("district_jiangxia", _file(world, -1))
    assert job["status"] == "failed" and job["result"]["status"] == "rejected"
    batch_id = _batch_id(job)
    assert job["result"]["report_url"] == f"/intake/batches/{batch_id}/report.xlsx"
    body = world.client("district_jiangxia").get(f"/api/v1/intake/batches/{batch_id}").json()
    assert body["status"] == "rejected" and body["errors_total"] == 2
    assert body["issues"][0]["text"] == "工作表“填报” 第2行 D列“营业收入·本月（万元）”：不能为负数（-1.00）"
    assert body["issues"][0]["row"] == 2 and body["issues"][0]["col"] == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("月报.xlsx", b"plain text", "文件“月报.xlsx”的内容不是Excel工作簿(.xlsx)（无法识别的内容）"),
        ("月报.pdf", b"%PDF-1.4", "文件“月报.pdf”的类型不支持，请上传"),
        ("月报.xlsx", b"", "文件“月报.xlsx”是空文件"),
    ],
)
def test_it_answers_422_at_once_for_what_the_name_size_or_head_tells(
    uploads: Uploads, name: str, content: bytes, message: str
) -> None:
    response = uploads.post("district_jiangxia", SimpleUploadedFile(name, content))
    assert response.status_code == 422
    assert response.json()["errors"][0]["msg"].startswith(message)
    assert not Job.objects.exists() and not ImportBatch.objects.exists()


def test_it_answers_422_for_a_file_over_the_size_limit(world: World, uploads: Uploads, settings: Settings) -> None:
    settings.INTAKE_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("月报.csv", b"x" * (2 * 2**20))
    response = uploads.post("district_jiangxia", big)
    assert response.status_code == 422
    assert response.json()["errors"][0]["msg"] == "文件“月报.csv”大小2.0MB，超过1MB的上限"
    assert not Job.objects.exists()


def test_it_answers_422_for_an_unknown_kind_and_403_without_the_right(world: World, uploads: Uploads) -> None:
    response = world.client("district_jiangxia").post("/api/v1/intake/batches", {"kind": "x", "file": _file(world)})
    assert response.status_code == 422 and "未知的数据类别" in response.json()["errors"][0]["msg"]
    # Uploading is a matter of the role's right: 403 in the error shape (was 422 before the API's one shape).
    refused = uploads.post("city_viewer", _file(world))
    assert refused.status_code == 403
    assert refused.json() == {"detail": "您的角色无权上传数据", "code": "permission_denied"}
    assert not ImportBatch.objects.exists() and not Job.objects.exists()


def test_a_dry_run_and_a_repeated_file_end_without_a_new_batch(world: World, uploads: Uploads) -> None:
    dry = uploads.imported("district_jiangxia", _file(world), dry_run="true")
    assert dry["status"] == "succeeded" and dry["result"]["status"] == "checked"
    # A clean check links to the upload page that offers 写入 for the same file (it used to link nowhere).
    assert dry["result_url"] == f"/intake/upload/?checked={dry['id']}"
    first = uploads.imported("district_jiangxia", _file(world))
    again = uploads.imported("district_jiangxia", _file(world))
    assert again["result"]["status"] == "duplicate" and _batch_id(again) == _batch_id(first)
    assert ImportBatch.objects.count() == 1


def test_it_lists_and_shows_batches_within_scope(world: World, uploads: Uploads) -> None:
    batch_id = _batch_id(uploads.imported("district_jiangxia", _file(world, -1)))
    mine = world.client("district_jiangxia").get("/api/v1/intake/batches").json()
    assert [item["id"] for item in mine["items"]] == [batch_id]
    assert world.client("district_caidian").get("/api/v1/intake/batches").json()["items"] == []
    detail = world.client("district_jiangxia").get(f"/api/v1/intake/batches/{batch_id}").json()
    assert detail["errors_total"] == 2 and detail["issues"][1]["message"].startswith("不能为负数")
    assert world.client("district_caidian").get(f"/api/v1/intake/batches/{batch_id}").status_code == 404


def test_it_downloads_the_report_and_the_template(world: World, uploads: Uploads) -> None:
    batch_id = _batch_id(uploads.imported("district_jiangxia", _file(world, -1)))
    report = world.client("district_jiangxia").get(f"/api/v1/intake/batches/{batch_id}/report")
    assert report.status_code == 200 and report.content.startswith(b"PK")
    template = world.client("district_jiangxia").get("/api/v1/intake/templates/land")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    kinds = world.client("district_jiangxia").get("/api/v1/intake/kinds").json()["items"]
    assert [kind["code"] for kind in kinds] == [
        "enterprises",
        "monthly",
        "annual",
        "park_annual",
        "labels",
        "land",
        "price_index",
        # Declared by the energy app (yuanqu/energy/intake.py).
        "energy_monthly",
        "energy_annual",
        "park_resources",
        # Declared by the investment app (yuanqu/investment/intake.py).
        "investment_sites",
        "target_firms",
        "investment_projects",
        "supply_links",
    ]


def test_it_rolls_back_through_the_api(world: World, uploads: Uploads) -> None:
    uploads.imported("district_jiangxia", _file(world, 5))
    second = _batch_id(uploads.imported("district_jiangxia", _file(world, 9, name="第二版.xlsx")))
    response = world.client("district_jiangxia").post(f"/api/v1/intake/batches/{second}/rollback")
    assert response.status_code == 200 and response.json()["status"] == "rolled_back"
    assert MonthlyStat.objects.get().revenue_ytd == 5
    again = world.client("district_jiangxia").post(f"/api/v1/intake/batches/{second}/rollback")
    assert again.status_code == 422 and "只有“已写入”状态的批次可以回滚" in again.json()["errors"][0]["msg"]
