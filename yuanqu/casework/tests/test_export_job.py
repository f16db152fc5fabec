"""A case list longer than YUANQU_EXPORT_INLINE_ROWS is written by a background job: the board
answers with the job's page, the finished job links the file on its page and on 我的任务, and each
download is audited; smaller lists still come at once (test_views)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from yuanqu.casework.models import Case
from yuanqu.core.models import AuditLog
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import run_queued_tasks

from .conftest import CaseWorld, at


@pytest.fixture(autouse=True)
def _jobs(settings: Any, tmp_path: Any) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0
    settings.MEDIA_ROOT = str(tmp_path)
    settings.EXPORT_INLINE_ROWS = 1


def _client(cw: CaseWorld, persona: str) -> Client:
    client = Client()
    client.force_login(cw.user(persona))
    return client


def test_a_long_case_list_is_exported_by_a_job_and_its_download_audited(
    cw: CaseWorld, django_capture_on_commit_callbacks: Any
) -> None:
    first = cw.to_status(Case.Status.IN_PROGRESS)
    second = cw.submit(when=at(2025, 3, 3), persona="enterprise_e2", title="人才公寓")
    client = _client(cw, "city_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/casework/board/?export=xlsx", follow=True)
    job = Job.objects.get(kind="export")
    assert response.redirect_chain == [(f"/jobs/{job.pk}/", 302)]
    assert "共2行，超过1行的导出由后台任务生成，完成后在此页或“我的任务”中下载" in response.content.decode()
    assert not AuditLog.objects.filter(action=AuditLog.Action.EXPORT).exists()
    run_queued_tasks()
    job.refresh_from_db()
    assert (job.status, job.message, job.result_url) == ("succeeded", "已导出2行，可点击下载", f"/jobs/{job.pk}/file/")
    assert f'href="/jobs/{job.pk}/file/"' in client.get("/jobs/").content.decode()
    download = client.get(job.result_url)
    assert download.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(download.content)).get_sheet_by_name("诉求").to_python()
    assert rows[0][0] == "编号" and sorted(row[0] for row in rows[1:]) == sorted([first.number, second.number])
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert (log.actor, log.object_type) == (cw.user("city_admin"), "casework.Case")
    assert log.after == {"rows": 2, "job": job.pk}
    assert log.object_repr.startswith("啄木鸟诉求-") and log.object_repr.endswith(".xlsx")


def test_the_worker_reads_the_list_with_the_starters_scope_and_only_they_download_it(
    cw: CaseWorld, django_capture_on_commit_callbacks: Any
) -> None:
    cw.to_status(Case.Status.IN_PROGRESS)
    cw.submit(when=at(2025, 3, 3), persona="enterprise_e2", title="人才公寓")
    cw.submit(when=at(2025, 3, 4), persona="enterprise_e2", title="用电报装")
    client = _client(cw, "district_jiangxia")
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/casework/board/?export=xlsx")
    run_queued_tasks()
    job = Job.objects.get(kind="export")
    visible = Case.objects.visible_to(cw.user("district_jiangxia")).count()
    assert job.result["rows"] == visible
    assert _client(cw, "district_caidian").get(job.result_url).status_code == 404
