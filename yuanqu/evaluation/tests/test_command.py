"""`yuanqu evaluate --year 2025`: runs the evaluation with progress and prints the per-type summary;
says clearly when there is nothing to evaluate; `--check-pack` validates the evaluation files."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from yuanqu.evaluation.models import EvaluationRun
from yuanqu.indicators.models import IndicatorValue

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
