"""`yuanqu policy check PATH` names file, line and problem; `yuanqu policy apply` loads units, chains
and tasks."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import World
from yuanqu.targets.models import SupervisedTask
from yuanqu.targets.tests.test_progress import SHIPPED


def test_it_passes_the_shipped_pack(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("policy", "check", str(SHIPPED))
    out = capsys.readouterr().out
    # 35, the monthly report rate, 10 beside the targets, 发展环境指数 and 市级统筹保障新增建设用地
    assert "校验通过" in out and "69 个指标" in out


def test_it_names_file_line_and_problem_of_a_broken_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(SHIPPED, pack)
    path = pack / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    formula: rd / revenue\n", "    formula: rd / sales\n"), encoding="utf-8")
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "rd / sales" in row)
    with pytest.raises(CommandError, match="校验未通过，共 2 个问题"):  # an unknown term, an unused one
        call_command("policy", "check", str(pack))
    out = capsys.readouterr().out
    assert f"indicators.yaml:{line}: 指标“rd_intensity”：“formula”中的“sales”不是本指标 terms 中定义的项" in out


def test_it_applies_the_pack_to_the_database(world: World) -> None:
    call_command("policy", "apply", stdout=StringIO())
    assert SupervisedTask.objects.count() == 24
