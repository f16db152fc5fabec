"""The suite's test database, migrated once per run and cloned into each pytest-xdist worker's
database, instead of every worker running the 100-odd migrations itself (about 35 s of CPU time each,
nearly all of it Django rendering the migration states). Called by the root conftest's
`django_db_keepdb` and `django_db_setup` fixtures.

The first worker to take the lock migrates its own database as usual (pytest-django) and then saves
it as the template; every other worker waits for the lock and starts from a copy of it: on SQLite a
copy of the migrated file into its in-memory (or, for the browser journeys, file) database through
SQLite's backup API, on PostgreSQL `CREATE DATABASE … TEMPLATE`. A worker that starts from a copy
still runs `migrate`, which finds nothing to apply. The template lives in the run's shared
temporary folder, or in `YUANQU_TEST_DB_TEMPLATE_DIR` when a later run of the same tree should start
from it too (CI: the browser journeys after the SQLite suite); its name carries a digest of what the
migrations build from (their files, the policy pack their data migrations read, Django's and
chinesecalendar's versions), so a changed migration never meets an old template."""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent / "yuanqu"


@dataclass
class _State:
    lock: IO[str] | None = None
    builder: bool = False
    cloned: bool = False
    original_name: str = ""
    keep_alive: list[sqlite3.Connection] = field(default_factory=list)
    shared: Path | None = None


_state = _State()


def shared_folder(basetemp: Path) -> Path | None:
    """Where the template lives, or None when one process migrates its own database (no workers and
    no folder given: a template would only add a copy)."""
    given = os.environ.get("YUANQU_TEST_DB_TEMPLATE_DIR")
    if given:
        Path(given).mkdir(parents=True, exist_ok=True)
        return Path(given)
    if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
        return basetemp.parent
    return None


def digest() -> str:
    import django
    from django.db import connection

    hasher = hashlib.sha256(f"{connection.vendor} {django.__version__} {version('chinesecalendar')}".encode())
    for path in sorted([*ROOT.glob("*/migrations/*.py"), *ROOT.glob("policy_packs/**/*")]):
        if path.is_file():
            hasher.update(str(path.relative_to(ROOT)).encode())
            hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


def start(shared: Path) -> bool:
    """Before pytest-django creates the worker's database: take the lock; when the template exists,
    copy it into the worker's database and answer True (pytest-django then keeps that database and
    only checks its migrations); otherwise keep the lock (released by `finish` once this worker's
    migrated database is saved as the template) and answer False."""
    from django.db import connection

    key = digest()
    _state.shared = shared
    _state.lock = (shared / f"test-db-{key}.lock").open("w")
    fcntl.flock(_state.lock, fcntl.LOCK_EX)
    done = shared / f"test-db-{key}.{connection.vendor}.done"
    if not done.exists():
        _state.builder = True
        return False
    _state.original_name = connection.settings_dict["NAME"]
    creation: Any = connection.creation
    worker: str = creation._get_test_db_name()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(worker, uri=worker.startswith("file:"))
        with sqlite3.connect(done.read_text(encoding="utf-8")) as source:
            source.backup(target)
        # An in-memory database lives as long as a connection to it is open.
        _state.keep_alive.append(target)
    else:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(worker)}")
            cursor.execute(
                f"CREATE DATABASE {connection.ops.quote_name(worker)} "
                f"TEMPLATE {connection.ops.quote_name(done.read_text(encoding='utf-8'))}"
            )
    _state.cloned = True
    _release()
    return True


def finish() -> None:
    """After pytest-django migrated this worker's database: the builder saves it as the template
    and lets the other workers go."""
    from django.db import connection

    if not _state.builder or _state.shared is None:
        return
    key = digest()
    done = _state.shared / f"test-db-{key}.{connection.vendor}.done"
    if connection.vendor == "sqlite":
        path = _state.shared / f"test-db-{key}.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            raw: Any = connection.connection
            raw.backup(target)
        done.write_text(str(path), encoding="utf-8")
    else:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        template = f"{connection.settings_dict['NAME'].removesuffix(f'_{worker}')}_template"
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template)}")
            cursor.execute(
                f"CREATE DATABASE {connection.ops.quote_name(template)} "
                f"TEMPLATE {connection.ops.quote_name(connection.settings_dict['NAME'])}"
            )
        done.write_text(template, encoding="utf-8")
    _state.builder = False
    _release()


def teardown() -> None:
    """At the end of a worker's session: drop the database it cloned (pytest-django keeps a database
    it did not create); the builder's own database pytest-django drops itself. The PostgreSQL
    template is dropped by the next run's builder or with the CI's database server."""
    from django.db import connection

    if _state.cloned and connection.vendor != "sqlite":
        connection.creation.destroy_test_db(_state.original_name, verbosity=0, keepdb=False)
    for kept in _state.keep_alive:
        kept.close()
    _state.keep_alive.clear()
    _state.cloned = False


def _release() -> None:
    if _state.lock is not None:
        fcntl.flock(_state.lock, fcntl.LOCK_UN)
        _state.lock.close()
        _state.lock = None
