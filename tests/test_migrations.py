"""The migrations: every app's migrations apply forwards from zero on an empty database and build the
schema the models describe; the models need no migration that is not written yet; and migrations are
self-contained: they import no application code that still changes (a data migration carries its own
copy of what it needs), only the model attributes Django itself writes into a migration (validators,
storage, upload paths).

Applying them is not repeated here: the suite's test database is that run. It starts empty and is
built by `migrate` from zero (pytest-django; each worker's copy is cloned from it, see conftest.py),
so these tests read what that run left: every migration on disk recorded as applied, each after the
migrations it depends on, nothing left to apply, and every model's table with the model's columns."""

from __future__ import annotations

import ast
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

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


@pytest.mark.django_db
def test_every_migration_was_applied_from_zero_in_dependency_order() -> None:
    executor = MigrationExecutor(connection)
    on_disk = set(executor.loader.disk_migrations)
    order = {(row.app, row.name): row.pk for row in MigrationRecorder.Migration.objects.order_by("pk")}
    assert set(order) == on_disk
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    late = [
        f"{key[0]}.{key[1]} before its dependency {dependency[0]}.{dependency[1]}"
        for key in on_disk
        for dependency in executor.loader.graph.node_map[key].parents
        if order[dependency.key] > order[key]
    ]
    assert late == []


@pytest.mark.django_db
def test_the_migrated_tables_have_the_models_columns() -> None:
    tables = set(connection.introspection.table_names())
    wrong: list[str] = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if not meta.managed or meta.proxy:
                continue
            if meta.db_table not in tables:
                wrong.append(f"{meta.label}: no table {meta.db_table}")
                continue
            have = {column.name for column in connection.introspection.get_table_description(cursor, meta.db_table)}
            want = {field.column for field in meta.local_concrete_fields}
            if have != want:
                wrong.append(f"{meta.label}: missing {sorted(want - have)}, extra {sorted(have - want)}")
    assert wrong == []
