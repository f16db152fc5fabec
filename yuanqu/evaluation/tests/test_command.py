"""`yuanqu evaluate --year 2025`: runs the evaluation with progress and prints the per-type summary;
says clearly when there is nothing to evaluate; `--check-pack` validates the evaluation files;
`--background --user NAME` hands the run and the grading to jobs started by that city administrator."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase
from pytest_django.fixtures import Settings

from yuanqu.evaluation.models import EvaluationRun
from yuanqu.indicators.models import IndicatorValue
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import run_queued_tasks

from .conftest import YEAR, EvalWorld


def test_it_evaluates_a_year_from_the_command_line(ew: EvalWorld, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("evaluate", "--year", str(YEAR), "--runs", "50")
    run = EvaluationRun.objects.get()
    assert run.status == "done" and run.created_by is None and run.params["runs"] == 50
    out = capsys.readouterr().out
    assert f"2025年度园区评价 #{run.pk}" in out and "现代产业园" in out


def test_it_fails_clearly_without_indicator_values(ew: EvalWorld) -> None:
    IndicatorValue.objects.all().delete()
    with pytest.raises(CommandError, match="2025年没有园区年度指标值"):
        call_command("evaluate", "--year", str(YEAR), stdout=io.StringIO())


def test_it_checks_the_pack(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("evaluate", "--check-pack")
    assert "评价文件校验通过：3 套指标体系，遴选 20 个产业名园，亩均效益 6 项指标" in capsys.readouterr().out


def test_it_hands_the_run_and_the_grading_to_background_jobs(
    ew: EvalWorld, capsys: pytest.CaptureFixture[str], settings: Settings
) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0
    admin = ew.user("city_admin")
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command(
            "evaluate", "--year", str(YEAR), "--runs", "50", "--grades", "--background", "--user", admin.username
        )
    run_job, grades_job = Job.objects.order_by("pk")
    assert (run_job.kind, run_job.started_by, run_job.arguments) == (
        "evaluation_run",
        admin,
        {"year": 2025, "params": {"runs": 50}},
    )
    assert (grades_job.kind, grades_job.status) == ("evaluation_grades", "queued")
    assert not EvaluationRun.objects.exists()  # returned at once
    out = capsys.readouterr().out
    assert f"已提交后台任务#{run_job.pk}（2025年度园区评价）：由 yuanqu worker 执行" in out
    assert f"已提交后台任务#{grades_job.pk}（2025年度亩均效益评价）" in out
    run_queued_tasks()
    run_job.refresh_from_db()
    assert run_job.status == "succeeded" and EvaluationRun.objects.get().created_by == admin


def test_a_background_evaluation_needs_a_city_administrator(ew: EvalWorld) -> None:
    with pytest.raises(CommandError, match=r"^后台评价需要用 --user 指定发起人账号（须为市级管理员，任务记在其名下）$"):
        call_command("evaluate", "--year", str(YEAR), "--background", stdout=io.StringIO())
    district = ew.user("district_jiangxia").username
    with pytest.raises(CommandError, match=r"^只有市级管理员可以执行此操作$"):
        call_command("evaluate", "--year", str(YEAR), "--background", "--user", district, stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"^账号“nobody”不存在或已停用$"):
        call_command("evaluate", "--year", str(YEAR), "--background", "--user", "nobody", stdout=io.StringIO())
    assert not Job.objects.exists()
