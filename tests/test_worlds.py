"""A test module takes one fixed world: the world built once per module (`module_world`, or a folder's
module world built on it) or the per-test `world`. A module that takes both fails with a message
naming the two and the tests that take each, before any database work and whichever test would run
first; a test that builds the world into a database that already holds it fails with a message, not
a bare UNIQUE error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import WORLD_TWICE, World, build_world

ROOT = Path(__file__).resolve().parent.parent

MIXED = """
from conftest import World


def test_it_builds_a_world_of_its_own(world: World) -> None:
    assert world.parks


def test_it_reads_the_module_world(module_world: World) -> None:
    assert module_world.parks
"""


def test_a_module_taking_both_worlds_fails_naming_them(tmp_path: Path) -> None:
    module = tmp_path / "test_mixed_worlds.py"
    module.write_text(MIXED, encoding="utf-8")
    # The root conftest as a plugin (the module lives outside the tree); no worker processes.
    command = [sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", "-p", "no:xdist"]
    command += ["-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT), "-q", str(module)]
    run = subprocess.run(  # noqa: S603 - this interpreter running pytest on the module written above
        command,
        cwd=ROOT,
        env={name: value for name, value in os.environ.items() if not name.startswith("PYTEST_XDIST")},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "2 errors" in out, out
    assert "takes both the world built once per module" in out, out
    assert "test_it_reads_the_module_world" in out and "test_it_builds_a_world_of_its_own" in out, out
    assert "IntegrityError" not in out, out


def test_a_second_world_in_one_database_fails_with_a_message(world: World) -> None:
    with pytest.raises(pytest.fail.Exception) as refused:
        build_world()
    assert str(refused.value) == WORLD_TWICE
