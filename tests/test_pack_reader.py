"""One reader for the policy pack: no module but `yuanqu.core.pack` parses the pack's YAML, every
section reports a missing file in the same words, the installed pack is reloaded when a file changes
(its fingerprint changes with it), and a broken pack stops start-up with file, line and rule."""

from __future__ import annotations

import ast
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.test import override_settings

from yuanqu.casework.pack import CASEWORK
from yuanqu.casework.rules import rules
from yuanqu.core.pack import (
    Obj,
    PolicyPackError,
    Section,
    SectionContext,
    check_pack,
    installed_pack,
    load_pack,
    messages,
    pack_files,
)
from yuanqu.evaluation.pack import EVALUATION
from yuanqu.indicators.pack import INDICATORS
from yuanqu.registry.pack import LAYOUT
from yuanqu.targets.pack import TARGETS

PACKAGE = Path(__file__).resolve().parents[1] / "yuanqu"
READER = PACKAGE / "core" / "pack"
READING_CALLS = {"open", "read_text", "read_bytes", "safe_load", "load", "load_all", "full_load"}


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(settings.POLICY_PACK_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _line_of(path: Path, snippet: str) -> int:
    return next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if snippet in row)


def _yaml_readers(path: Path) -> list[str]:
    """Where a module imports PyYAML or passes a .yaml name to a call that reads a file."""
    found: list[str] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(alias.name.split(".")[0] == "yaml" for alias in node.names):
            found.append(f"{path}:{node.lineno}: import yaml")
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "yaml":
            found.append(f"{path}:{node.lineno}: from yaml import …")
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            texts = [
                sub.value
                for sub in ast.walk(node)
                if isinstance(sub, ast.Constant)
                and isinstance(sub.value, str)
                and sub.value.endswith((".yaml", ".yml"))
            ]
            if name in READING_CALLS and texts:
                found.append(f"{path}:{node.lineno}: {name}({texts[0]})")
    return found


# Modules that read YAML that is not the pack. Migrations are left out too: each carries a frozen copy
# of the little it read from the pack when it was written, so that later changes to the pack's reader
# cannot change what an old migration does (docs/architecture.md, "Self-contained migrations").
NOT_THE_PACK = {"demo/calibration.py": "the demo's calibration tables (yuanqu/demo/calibration.yaml)"}


def test_no_module_but_the_pack_reader_opens_the_packs_yaml() -> None:
    modules = [
        path
        for path in PACKAGE.rglob("*.py")
        if READER not in path.parents
        and not {"tests", "migrations"} & set(path.relative_to(PACKAGE).parts)
        and path.relative_to(PACKAGE).as_posix() not in NOT_THE_PACK
    ]
    assert len(modules) > 100
    assert [hit for path in modules for hit in _yaml_readers(path)] == []


def test_the_scan_finds_a_module_that_reads_a_pack_file_itself(tmp_path: Path) -> None:
    module = tmp_path / "rules.py"
    module.write_text(
        'import yaml\n\ndef load(path):\n    return yaml.safe_load((path / "casework.yaml").read_text())\n',
        encoding="utf-8",
    )
    assert [hit.split(": ", 1)[1] for hit in _yaml_readers(module)] == [
        "import yaml",
        "safe_load(casework.yaml)",
        "read_text(casework.yaml)",
    ]


def test_every_section_is_read_from_the_installed_pack() -> None:
    pack = installed_pack()
    assert pack.section(LAYOUT).lead_chain_limit == 3
    assert len(pack.section(INDICATORS).indicators) == 69
    assert len(pack.section(TARGETS).tasks) == 18
    assert pack.section(CASEWORK).max_extension_days == 30
    assert set(pack.section(EVALUATION).index_systems) == {"modern", "featured", "urban"}


def test_every_file_of_every_section_is_missing_in_the_same_words(pack_dir: Path) -> None:
    files = pack_files()
    assert {"units.yaml", "indicators.yaml", "targets.yaml", "casework.yaml", "mujun.yaml"} <= set(files)
    for name in files:
        moved = pack_dir / f"{name}.away"
        (pack_dir / name).rename(moved)
        problems = check_pack(pack_dir)
        moved.rename(pack_dir / name)
        assert (name, 0, messages.FILE_MISSING) in [(p.file, p.line, p.message) for p in problems], name


def test_every_section_reports_a_file_that_is_not_a_mapping_in_the_same_words(pack_dir: Path) -> None:
    for name in ("units.yaml", "casework.yaml", "selection.yaml"):
        (pack_dir / name).write_text("- a list\n", encoding="utf-8")
    problems = [str(problem) for problem in check_pack(pack_dir)]
    expected = messages.FILE_NOT_MAPPING.format(actual=messages.LIST)
    assert problems == [f"units.yaml:1: {expected}", f"casework.yaml:1: {expected}", f"selection.yaml:1: {expected}"]


def test_the_fingerprint_and_the_installed_pack_change_when_a_file_changes(pack_dir: Path) -> None:
    with override_settings(POLICY_PACK_DIR=pack_dir):
        before = installed_pack()
        assert installed_pack() is before
        assert rules().max_extension_days == 30
        _edit(pack_dir / "casework.yaml", "max_extension_days: 30 ", "max_extension_days: 20 ")
        after = installed_pack()
        assert after is not before and after.content_hash != before.content_hash
        assert rules().max_extension_days == 20


def test_a_broken_casework_yaml_stops_start_up_with_file_line_and_rule(pack_dir: Path) -> None:
    file = pack_dir / "casework.yaml"
    _edit(file, "    time_limit_days: 2\n", "    time_limit_days: 二\n")
    line = _line_of(file, "time_limit_days: 二")
    message = "诉求类别“consultation”：“time_limit_days”" + messages.WRONG_TYPE.format(
        expected=messages.INTEGER, actual=messages.TEXT
    )
    with override_settings(POLICY_PACK_DIR=pack_dir):
        with pytest.raises(SystemCheckError) as stopped:
            call_command("check")
        assert f"casework.yaml:{line}: {message}" in str(stopped.value)
        with pytest.raises(PolicyPackError):
            installed_pack()
        out = StringIO()
        with pytest.raises(CommandError, match="校验未通过，共 1 个问题"):
            call_command("policy", "check", stdout=out)


def test_a_section_added_by_an_app_is_read_and_refused_like_the_others(pack_dir: Path) -> None:
    """What adding a section takes (docs/architecture.md, "The policy pack"): a file, a reader built
    on `Obj`, a `Section` naming both."""

    def read(ctx: SectionContext) -> tuple[str, ...] | None:
        src, root = ctx.file("cockpit.yaml")
        if root is None:
            return None
        codes = Obj(src, root, "", ("indicators",)).refs("indicators")
        known = ctx.get(INDICATORS)
        for ref in codes:
            if known is not None and ref.value not in {item.code for item in known.indicators}:
                src.add(ref.line, f"未知的指标代码“{ref.value}”")
        return tuple(ref.value for ref in codes)

    cockpit: Section[tuple[str, ...]] = Section("cockpit", ("cockpit.yaml",), read, needs=(INDICATORS,))
    (pack_dir / "cockpit.yaml").write_text("indicators: [revenue, turnover]\n", encoding="utf-8")
    problems = [str(problem) for problem in check_pack(pack_dir, sections=[cockpit])]
    assert problems == ["cockpit.yaml:1: 未知的指标代码“turnover”"]
    _edit(pack_dir / "cockpit.yaml", "turnover", "output")
    assert load_pack(pack_dir, sections=[cockpit]).section(cockpit) == ("revenue", "output")


def test_a_lead_chain_limit_below_one_is_refused(pack_dir: Path) -> None:
    file = pack_dir / "chains.yaml"
    _edit(file, "lead_chain_limit: 3\n", "lead_chain_limit: 0\n")
    problems = [str(problem) for problem in check_pack(pack_dir)]
    minimum = messages.BELOW_MINIMUM.format(minimum=1, value=0)
    assert problems == [f"chains.yaml:{_line_of(file, 'lead_chain_limit')}: “lead_chain_limit”{minimum}"]
