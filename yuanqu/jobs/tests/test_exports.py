"""The export job itself (yuanqu.jobs.exports behind core.exports.export_respond), through a real
export (the park list): the file is kept until files_prune removes it after the retention period,
after which the download answers 404 with its message; the same export asked again while the first
is still queued supersedes it; the job runs through Redis as through the database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.test import TestCase
from django.utils import timezone
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.jobs.files import files_prune
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import export_by_job, run_queued_tasks, xlsx_sheets
from yuanqu.jobs.tests.conftest import run_worker

if TYPE_CHECKING:
    from rq import Queue


@pytest.fixture(autouse=True)
def _small_exports(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.EXPORT_INLINE_ROWS = 1


def test_an_export_file_is_pruned_after_the_retention_period(world: World, settings: Settings, tmp_path: Path) -> None:
    settings.JOB_FILES_RETENTION_DAYS = 30
    client = world.client("city_admin")
    job, _ = export_by_job(client, "/registry/parks/?export=xlsx")
    kept = tmp_path / job.result["kept"]
    assert kept.is_file() and job.result["kept"].startswith("exports/")
    assert files_prune() == 0  # within the period
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=31))
    assert files_prune() == 1 and not kept.exists()
    job.refresh_from_db()
    assert job.result_url == "" and job.message == "文件已超过保留期限（30天）并已删除；如仍需要，请重新生成"
    gone = client.get(f"/jobs/{job.pk}/file/")
    assert gone.status_code == 404


def test_the_same_export_asked_again_while_queued_supersedes_the_first(world: World) -> None:
    client = world.client("district_jiangxia")
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.get("/registry/enterprises/?export=xlsx&q=武汉")
        client.get("/registry/enterprises/?export=xlsx&q=武汉")
        client.get("/registry/enterprises/?export=xlsx&q=有限公司")  # another query: its own job
    first, second, other = Job.objects.filter(kind="export").order_by("pk")
    assert (first.status, first.message) == ("cancelled", "已被同一范围的新请求取代，未执行")
    run_queued_tasks()
    second.refresh_from_db()
    other.refresh_from_db()
    assert (second.status, second.result["rows"], other.status) == ("succeeded", 3, "succeeded")


def test_without_a_connected_queue_a_long_export_still_comes_at_once(world: World, monkeypatch: Any) -> None:
    from yuanqu.core import exports

    monkeypatch.setattr(exports, "_queue", [])
    response = world.client("city_admin").get("/registry/parks/?export=xlsx")
    assert response.status_code == 200 and not Job.objects.exists()


def test_a_long_export_is_written_through_redis_too(transactional_db: None, world: World, rq_backend: Queue) -> None:
    client = world.client("district_jiangxia")
    response = client.get("/registry/enterprises/?export=xlsx")
    (job,) = Job.objects.filter(kind="export")
    assert response["Location"] == f"/jobs/{job.pk}/" and rq_backend.count == 1
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.result["rows"]) == ("succeeded", 3)
    rows = xlsx_sheets(client.get(job.result_url).content)["企业"]
    assert len(rows) == 4 and rows[0][0] == "统一社会信用代码"
