"""Migrations are self-contained: they import no application code that still changes (a data
migration carries its own copy of what it needs), only the model attributes Django itself writes
into a migration (validators, storage, upload paths); and the models need no migration that is not
written yet."""

from __future__ import annotations

import ast
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent / "yuanqu"


def _application_imports(path: Path) -> list[str]:
    """The yuanqu modules a migration imports, other than an app's models module."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "yuanqu" and not (len(parts) == 3 and parts[2] == "models"):
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} {name}")
    return found


def test_it_finds_the_migrations() -> None:
    assert len(list(ROOT.glob("*/migrations/0*.py"))) >= 10


def test_migrations_import_no_application_code() -> None:
    found = [line for path in sorted(ROOT.glob("*/migrations/0*.py")) for line in _application_imports(path)]
    assert found == []


@pytest.mark.django_db
def test_the_models_need_no_unwritten_migration() -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
