"""The intake pages: history within scope, upload answered at once with the progress of its import
job (htmx) or a redirect to it, batch detail, error report, rollback and template downloads; no
inline script anywhere."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.fixtures import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, import_file, xlsx
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import run_queued_tasks
from yuanqu.stats.models import ImportBatch, MonthlyStat


def _upload(world: World, revenue: Any = 5) -> SimpleUploadedFile:
    e1 = world.enterprises["E1"]
    return SimpleUploadedFile("月报.xlsx", xlsx([MONTHLY_HEADER, [e1.uscc, e1.name, "2026-01", revenue, revenue, 20]]))


def _no_inline_script(html: str) -> bool:
    return all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))


def test_it_lists_batches_and_links_templates(world: World) -> None:
    outcome = import_file(
        world,
        "district_jiangxia",
        "monthly",
        xlsx([MONTHLY_HEADER, [world.enterprises["E1"].uscc, "", "2026-01", 1, 1, 1]]),
    )
    response = world.client("district_jiangxia").get("/intake/")
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        f"#{outcome.batch.pk}" in html and "企业月度统计（规上）" in html and "/intake/templates/monthly.xlsx" in html
    )
    assert 'data-testid="upload-link"' in html and _no_inline_script(html)
    other = world.client("district_caidian").get("/intake/").content.decode()
    assert "暂无导入批次" in other


def test_it_keeps_the_batch_list_to_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for revenue in range(1, 6):
        import_file(
            world,
            "district_jiangxia",
            "monthly",
            xlsx([MONTHLY_HEADER, [world.enterprises["E1"].uscc, "", f"2026-0{revenue}", -1, 1, 1]]),
        )
    client = world.client("city_admin")
    # 8, the holiday years of the administrator's warning and the header's unread notifications.
    with django_assert_max_num_queries(10):
        assert client.get("/intake/").status_code == 200


def test_it_refuses_the_upload_page_to_read_only_roles(world: World) -> None:
    assert world.client("city_viewer").get("/intake/upload/").status_code == 403
    assert world.client("anonymous").get("/intake/upload/").status_code == 302
    page = world.client("park_operator").get("/intake/upload/")
    assert (
        page.status_code == 200
        and 'id="dropzone"' in page.content.decode()
        and _no_inline_script(page.content.decode())
    )


def _post(client: Client, data: dict[str, Any], capture: DjangoCaptureOnCommitCallbacks, **extra: Any) -> Any:
    """Post the upload form, then let a worker run the job it started (the database backend)."""
    with capture(execute=True):
        response = client.post("/intake/upload/", data, **extra)
    run_queued_tasks()
    return response


def test_it_uploads_and_follows_the_import_job_to_the_batch(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client = world.client("district_jiangxia")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/intake/upload/", {"kind": "monthly", "file": _upload(world)})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.kind, job.started_by) == ("queued", "intake_import", world.users["district_jiangxia"])
    assert not ImportBatch.objects.exists()  # answered before anything was read
    queued = client.get(response["Location"]).content.decode()
    assert (
        'data-status="queued"' in queued and 'hx-trigger="every 1s"' in queued and 'data-testid="job-cancel"' in queued
    )
    run_queued_tasks()
    batch = ImportBatch.objects.get()
    page = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert (
        'data-status="succeeded"' in page and "hx-trigger" not in page and f'href="/intake/batches/{batch.pk}/"' in page
    )
    assert "已写入：新增1条" in page
    detail = client.get(f"/intake/batches/{batch.pk}/").content.decode()
    assert "已写入：新增1条" in detail and 'data-testid="rollback-form"' in detail


def test_it_answers_an_htmx_upload_with_the_progress_and_then_the_error_report(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client = world.client("district_jiangxia")
    response = _post(
        client,
        {"kind": "monthly", "file": _upload(world, -3)},
        django_capture_on_commit_callbacks,
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    job = Job.objects.get()
    assert response.status_code == 200 and "<html" not in html and f'hx-get="/jobs/{job.pk}/progress/"' in html
    page = client.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    batch = ImportBatch.objects.get()
    assert batch.status == "rejected" and 'data-status="failed"' in page
    assert f'href="/intake/batches/{batch.pk}/report.xlsx"' in page and "校验未通过，未写入任何数据" in page
    assert "不能为负数（-3.00）" in client.get(f"/intake/batches/{batch.pk}/").content.decode()
    assert not MonthlyStat.objects.exists()


def test_it_shows_a_refused_file_on_the_job(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    bogus = SimpleUploadedFile("月报.xlsx", b"just text")
    client = world.client("district_jiangxia")
    _post(client, {"kind": "monthly", "file": bogus}, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == "failed" and "内容不是Excel工作簿" in job.message
    assert "内容不是Excel工作簿" in client.get(f"/jobs/{job.pk}/").content.decode()
    assert not ImportBatch.objects.exists()


def test_it_runs_a_dry_run_without_a_batch(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client = world.client("district_jiangxia")
    _post(client, {"kind": "monthly", "file": _upload(world), "dry_run": "on"}, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert "校验通过（仅校验，未写入）" in client.get(f"/jobs/{job.pk}/").content.decode()
    assert not ImportBatch.objects.exists()


def test_it_tells_the_user_a_file_was_already_imported(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client = world.client("district_jiangxia")
    _post(client, {"kind": "monthly", "file": _upload(world)}, django_capture_on_commit_callbacks)
    again = _post(client, {"kind": "monthly", "file": _upload(world)}, django_capture_on_commit_callbacks)
    assert "完全相同" in client.get(again.url).content.decode() and ImportBatch.objects.count() == 1


def test_it_hides_batches_outside_scope(world: World) -> None:
    outcome = import_file(
        world,
        "district_jiangxia",
        "monthly",
        xlsx([MONTHLY_HEADER, [world.enterprises["E1"].uscc, "", "2026-01", -1, 1, 1]]),
    )
    client = world.client("district_caidian")
    for url in (f"/intake/batches/{outcome.batch.pk}/", f"/intake/batches/{outcome.batch.pk}/report.xlsx"):
        assert client.get(url).status_code == 404
    assert client.post(f"/intake/batches/{outcome.batch.pk}/rollback/").status_code == 404


def test_it_downloads_the_error_report_and_audits_it(world: World) -> None:
    outcome = import_file(
        world,
        "district_jiangxia",
        "monthly",
        xlsx([MONTHLY_HEADER, [world.enterprises["E1"].uscc, "", "2026-01", -1, 1, 1]]),
    )
    response = world.client("district_jiangxia").get(f"/intake/batches/{outcome.batch.pk}/report.xlsx")
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert "attachment" in response["Content-Disposition"]
    assert AuditLog.objects.filter(action="export", object_id=str(outcome.batch.pk)).exists()


def test_it_rolls_back_from_the_page(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client = world.client("district_jiangxia")
    _post(client, {"kind": "monthly", "file": _upload(world, 5)}, django_capture_on_commit_callbacks)
    _post(client, {"kind": "monthly", "file": _upload(world, 8)}, django_capture_on_commit_callbacks)
    second = ImportBatch.objects.order_by("-id").first()
    assert second is not None
    unticked = client.post(f"/intake/batches/{second.pk}/rollback/", follow=True)
    assert "请勾选确认框" in unticked.content.decode()
    assert MonthlyStat.objects.get().revenue_ytd == 8
    response = client.post(f"/intake/batches/{second.pk}/rollback/", {"confirm": "on"}, follow=True)
    assert "已回滚" in response.content.decode()
    assert MonthlyStat.objects.get().revenue_ytd == 5


@pytest.mark.parametrize("kind", ["monthly", "企业名录", "labels"])
def test_it_downloads_templates(world: World, kind: str) -> None:
    response = world.client("enterprise").get(f"/intake/templates/{kind}.xlsx")
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert world.client("enterprise").get("/intake/templates/nonsense.xlsx").status_code == 404


def test_it_lists_a_batch_that_belongs_to_no_district_or_park(world: World) -> None:
    ImportBatch.objects.create(kind=ImportBatch.Kind.MONTHLY, status=ImportBatch.Status.APPLIED, file_name="全市.xlsx")
    for persona in ("city_admin", "city_viewer"):
        response = world.client(persona).get("/intake/")
        assert response.status_code == 200
        assert "全市.xlsx" in response.content.decode()
