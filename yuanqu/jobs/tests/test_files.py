"""Kept files: a job's file older than the retention period is deleted by the daily prune and its
job says the file has expired; a file a newer job still hands over is kept; pruning twice is
harmless."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from yuanqu.jobs.files import file_keep, files_prune, kept_path, kept_result
from yuanqu.jobs.models import Job


def kept_job(name: str, *, days_ago: int, media: Path) -> tuple[Job, Path]:
    path = kept_path("reports", hashlib.sha256(name.encode()).hexdigest())
    if not path.exists():
        file_keep(b"PK report", path)
    job = Job.objects.create(
        kind="report_park",
        status=Job.Status.SUCCEEDED,
        result_url="/reports/files/1/",
        message="报告已生成，可点击下载",
        result={"name": f"{name}.docx", **kept_result(path)},
    )
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=days_ago))
    return job, path


def test_old_files_are_deleted_and_their_jobs_say_so(db: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.JOB_FILES_RETENTION_DAYS = 30
    old, old_path = kept_job("旧报告", days_ago=31, media=tmp_path)
    asked_again, shared_path = kept_job("再次索取", days_ago=40, media=tmp_path)
    kept_job("再次索取", days_ago=2, media=tmp_path)  # the same file handed over again recently
    fresh, fresh_path = kept_job("新报告", days_ago=29, media=tmp_path)
    out = StringIO()
    call_command("files_prune", stdout=out)
    assert out.getvalue().strip() == "已删除1个超过30天的报告和导出文件"
    assert not old_path.exists() and shared_path.exists() and fresh_path.exists()
    old.refresh_from_db()
    assert old.message == "文件已超过保留期限（30天）并已删除；如仍需要，请重新生成"
    assert old.result_url == "" and old.result["expired"] is True and old.status == Job.Status.SUCCEEDED
    asked_again.refresh_from_db()
    fresh.refresh_from_db()
    assert asked_again.result_url and fresh.result_url
    assert files_prune() == 0  # again: nothing more


def test_a_result_naming_a_path_outside_the_kept_areas_is_never_deleted(db: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    outside = tmp_path / "originals" / "keep.xlsx"
    outside.parent.mkdir()
    outside.write_bytes(b"original")
    job = Job.objects.create(kind="report_park", status=Job.Status.SUCCEEDED, result={"kept": "../originals/keep.xlsx"})
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=400))
    assert files_prune() == 0 and outside.exists()
