"""Imports as jobs (yuanqu.intake.jobs): the steps the job reports, a cancel that stops it before it
writes, a cancel refused once it writes, and the same pipeline and outcome as a direct import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.intake import services
from yuanqu.intake.jobs import import_job_start
from yuanqu.intake.kinds import KINDS
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, xlsx
from yuanqu.intake.validation import validate as validation_validate
from yuanqu.jobs.context import job_execute
from yuanqu.jobs.kinds import JobRefused
from yuanqu.jobs.models import Job
from yuanqu.jobs.services import job_cancel
from yuanqu.stats import services as stats_services
from yuanqu.stats.models import ImportBatch, MonthlyStat


@pytest.fixture(autouse=True)
def _no_heartbeat(settings: Settings) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0


def _file(world: World, revenue: Any = 5) -> bytes:
    rows: list[list[Any]] = [MONTHLY_HEADER]
    for key in ("E1", "E2"):
        firm = world.enterprises[key]
        rows.append([firm.uscc, firm.name, "2026-01", revenue, revenue, 20])
    return xlsx(rows)


def _start(world: World, content: bytes) -> Job:
    return import_job_start(
        actor=world.users["district_jiangxia"], spec=KINDS["monthly"], file_name="月报.xlsx", content=content
    )


def test_it_imports_through_the_pipeline_and_reports_each_step(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    steps: list[tuple[str, int, int]] = []
    real = services.batch_import

    def recording(**kwargs: Any) -> Any:
        progress = kwargs["progress"]

        def report(step: str, done: int, total: int) -> None:
            steps.append((step, done, total))
            progress(step, done, total)

        return real(**{**kwargs, "progress": report})

    monkeypatch.setattr(services, "batch_import", recording)
    job = _start(world, _file(world))
    assert job.title == "导入企业月度统计（规上）：月报.xlsx" and job.arguments["dry_run"] is False
    job_execute(job.pk)
    job.refresh_from_db()
    batch = ImportBatch.objects.get()
    assert (job.status, job.result_url, job.result_label) == (
        "succeeded",
        f"/intake/batches/{batch.pk}/",
        f"批次#{batch.pk}",
    )
    assert job.message == "已写入：新增2条，修改0条（原值已存为修订，可回滚），未变0条" and job.step == "重算"
    assert [step for step, _, _ in steps[:3]] == ["读取文件", "读取文件", "校验"]
    assert ("写入", 0, 2) in steps and steps[-1] == ("重算", 0, 1)
    assert batch.uploaded_by == world.users["district_jiangxia"] and MonthlyStat.objects.count() == 2


def test_a_cancel_while_validating_stops_the_import_before_it_writes(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _start(world, _file(world))
    real = validation_validate

    def validate_then_cancel(*args: Any, **kwargs: Any) -> Any:
        validation = real(*args, **kwargs)
        job_cancel(actor=world.users["district_jiangxia"], job=Job.objects.get(pk=job.pk))  # clicked meanwhile
        return validation

    monkeypatch.setattr(services, "validate", validate_then_cancel)
    job_execute(job.pk)
    job.refresh_from_db()
    assert (job.status, job.message) == ("cancelled", "已按您的要求取消，未写入任何数据")
    assert not ImportBatch.objects.exists() and not MonthlyStat.objects.exists()


def test_a_cancel_is_refused_once_the_import_writes(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    job = _start(world, _file(world))
    real = stats_services.stats_write
    refusals: list[str] = []

    def write_while_the_user_clicks_cancel(**kwargs: Any) -> Any:
        try:
            job_cancel(actor=world.users["district_jiangxia"], job=Job.objects.get(pk=job.pk))
        except JobRefused as exc:
            refusals.append(str(exc))
        return real(**kwargs)

    monkeypatch.setattr(services, "stats_write", write_while_the_user_clicks_cancel)
    job_execute(job.pk)
    assert refusals == ["任务已开始写入，不能再取消；请等它完成，需要时再按批次回滚"]
    assert Job.objects.get(pk=job.pk).status == "succeeded" and MonthlyStat.objects.count() == 2


def test_a_rejected_file_ends_the_job_failed_with_its_error_report(world: World) -> None:
    job = _start(world, _file(world, -3))
    job_execute(job.pk)
    job.refresh_from_db()
    batch = ImportBatch.objects.get()
    assert (job.status, batch.status) == ("failed", "rejected")
    assert job.message == "校验未通过，未写入任何数据：4个错误（涉及2行）。请下载错误报告，修改后重新上传"
    assert job.result["report_url"] == f"/intake/batches/{batch.pk}/report.xlsx" and job.incident == ""


def test_it_fails_with_a_message_when_the_original_is_gone(world: World) -> None:
    job = _start(world, _file(world))
    services.original_path(job.arguments["sha256"]).unlink()
    job_execute(job.pk)
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", "上传的原始文件已不在平台存储中，请重新上传")


def test_the_command_line_hands_a_file_to_a_background_job(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import CommandError, call_command

    path = tmp_path / "月报.xlsx"
    path.write_bytes(_file(world))
    with pytest.raises(CommandError, match="后台导入需要用 --user 指定发起人账号"):
        call_command("import", str(path), kind="monthly", background=True)
    call_command("import", str(path), kind="monthly", background=True, user="t-district-jx")
    job = Job.objects.get()
    assert f"已提交后台任务#{job.pk}" in capsys.readouterr().out and not ImportBatch.objects.exists()
    job_execute(job.pk)
    assert Job.objects.get(pk=job.pk).status == "succeeded" and MonthlyStat.objects.count() == 2


def test_an_import_waits_in_the_queue_while_every_import_slot_is_taken(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    job = _start(world, _file(world))

    def busy(**kwargs: Any) -> Any:
        raise services.ImportBusy(services.ERR_BUSY.format(slots=2))

    monkeypatch.setattr(services, "batch_import", busy)
    job_execute(job.pk)
    job.refresh_from_db()
    assert (job.status, job.message, job.worker, job.attempts) == ("queued", "", "", 1)
    later = DBTaskResult.objects.get()  # looked at again a few seconds on
    assert later.args_kwargs == {"args": [job.pk], "kwargs": {}} and later.run_after > timezone.now()
    monkeypatch.undo()
    job_execute(job.pk)
    assert Job.objects.get(pk=job.pk).status == "succeeded" and MonthlyStat.objects.count() == 2
