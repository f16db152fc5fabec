"""`yuanqu import` and `yuanqu template` from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, xlsx
from yuanqu.stats.models import ImportBatch, MonthlyStat


def _write(tmp_path: Path, world: World, revenue: Any = 5, firm: str = "E1") -> Path:
    enterprise = world.enterprises[firm]
    path = tmp_path / "月报.xlsx"
    path.write_bytes(xlsx([MONTHLY_HEADER, [enterprise.uscc, enterprise.name, "2026-01", revenue, revenue, 20]]))
    return path


def test_it_imports_a_file_as_the_system(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import", str(_write(tmp_path, world, firm="E3")), kind="企业月度统计")
    output = capsys.readouterr().out
    assert "已写入：新增1条" in output and "数据行数" in output
    assert MonthlyStat.objects.count() == 1
    entry = AuditLog.objects.get(action="create", object_type="stats.ImportBatch")
    assert entry.actor is None and entry.actor_name.startswith("命令行:")


def test_it_checks_without_writing_in_a_dry_run(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("import", str(_write(tmp_path, world)), kind="monthly", dry_run=True)
    assert "校验通过（仅校验，未写入）" in capsys.readouterr().out
    assert not ImportBatch.objects.exists()


def test_it_fails_with_a_report_beside_a_rejected_file(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, world, revenue=-1)
    with pytest.raises(CommandError, match="校验未通过"):
        call_command("import", str(path), kind="monthly")
    assert "不能为负数" in capsys.readouterr().out
    assert (tmp_path / "月报.校验报告.xlsx").read_bytes().startswith(b"PK")
    assert not MonthlyStat.objects.exists()


def test_it_imports_within_a_users_scope(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="校验未通过"):
        call_command("import", str(_write(tmp_path, world, firm="E3")), kind="monthly", user="t-district-jx")
    with pytest.raises(CommandError, match="账号“nobody”不存在"):
        call_command("import", str(_write(tmp_path, world)), kind="monthly", user="nobody")


def test_it_refuses_unknown_kinds_missing_and_unsafe_files(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="未知的数据类别“stock”"):
        call_command("import", str(_write(tmp_path, world)), kind="stock")
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import", str(tmp_path / "none.xlsx"), kind="monthly")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("统一社会信用代码")
    with pytest.raises(CommandError, match="内容不是Excel工作簿"):
        call_command("import", str(fake), kind="monthly")


def test_it_writes_a_template(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "land.xlsx"
    call_command("template", "土地", output=str(target))
    assert target.read_bytes().startswith(b"PK") and "已生成“土地”模板" in capsys.readouterr().out
    with pytest.raises(CommandError, match="未知的数据类别"):
        call_command("template", "nothing")
