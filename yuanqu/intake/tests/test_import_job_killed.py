"""Nothing lost, nothing done twice: a worker killed with SIGKILL in the middle of an import's write
leaves no row written; the next worker marks the job failed with its reason; a retry imports the
file; retrying the finished job changes nothing. Real processes and a real kill: when the suite runs
on SQLite, on a SQLite file of its own with the database queue and with Redis (RQ); when it runs on
PostgreSQL, on a spare database the test creates beside the test database (or the one named by
YUANQU_TEST_KILL_DATABASE_URL, which also adds the case to a SQLite run). The SQLite file starts as a
copy of the suite's migrated test database: the same migrations, without migrating once more."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
from django.conf import settings

from yuanqu.intake.tests.kill_site import FIRMS
from yuanqu.jobs.tests.conftest import redis_reachable, redis_url

if TYPE_CHECKING:
    from pytest_django.plugin import DjangoDbBlocker

ROOT = Path(settings.BASE_DIR)
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
DATABASES = [] if ON_POSTGRESQL else ["sqlite", "sqlite-redis"]
if ON_POSTGRESQL or os.environ.get("YUANQU_TEST_KILL_DATABASE_URL"):
    DATABASES.append("postgresql")


@contextmanager
def _spare_postgresql() -> Iterator[str]:
    """The URL of an empty PostgreSQL database on the suite's server, dropped afterwards."""
    given = os.environ.get("YUANQU_TEST_KILL_DATABASE_URL")
    if given:
        yield given
        return
    import psycopg
    from psycopg import sql

    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_kill_{os.getpid()}"[:60]
    server: dict[str, Any] = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        user = quote(str(db["USER"] or ""), safe="")
        password = f":{quote(str(db['PASSWORD']), safe='')}" if db["PASSWORD"] else ""
        yield f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _environment(tmp_path: Path, database: str, database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "YUANQU_TASKS_BACKEND"}}
    env.update(
        YUANQU_VAR_DIR=str(tmp_path / "var"),
        YUANQU_DEMO="1",
        DJANGO_SETTINGS_MODULE="yuanqu.settings",
        PYTHONPATH=str(ROOT),
        YUANQU_JOBS_HEARTBEAT_SECONDS="1",
        # One import slot: the killed worker's slot must be free again for the retry to run at all.
        YUANQU_INTAKE_CONCURRENT_IMPORTS="1",
        YUANQU_INTAKE_SLOT_WAIT_SECONDS="1",
    )
    if database == "postgresql":
        env["DATABASE_URL"] = database_url
    if database == "sqlite-redis":
        if not redis_reachable():
            pytest.skip(f"no Redis reachable at {redis_url()} (set YUANQU_REDIS_URL; .ci/run starts redis-server)")
        # One process per worker (no work horse), so that the kill hits the process that writes.
        env.update(
            YUANQU_TASKS_BACKEND="rq",
            YUANQU_REDIS_URL=redis_url(offset=8),
            YUANQU_RQ_WORKER_CLASS="rq.worker.SimpleWorker",
        )
    return env


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and modules
        [sys.executable, "-m", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _states(env: dict[str, str], command: str) -> list[dict[str, Any]]:
    """The states a kill_site command printed, one JSON line each."""
    out = _run(env, "yuanqu.intake.tests.kill_site", command)
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


@pytest.fixture(scope="module")
def migrated_sqlite(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory: pytest.TempPathFactory
) -> Path | None:
    """On SQLite, the suite's test database (migrated once for the session) copied to a file, made
    before any test's transaction is open; each case starts from a copy of that file."""
    if ON_POSTGRESQL:
        return None
    from django.db import connection

    target = tmp_path_factory.mktemp("kill-template") / "yuanqu.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    return target


@pytest.mark.parametrize("database", DATABASES)
def test_a_killed_import_writes_nothing_fails_with_its_reason_and_a_retry_imports_once(
    tmp_path: Path, database: str, migrated_sqlite: Path | None, db: None
) -> None:
    with ExitStack() as stack:
        database_url = stack.enter_context(_spare_postgresql()) if database == "postgresql" else ""
        env = _environment(tmp_path, database, database_url)
        if database != "postgresql":
            assert migrated_sqlite is not None
            (tmp_path / "var").mkdir()
            shutil.copyfile(migrated_sqlite, tmp_path / "var" / "yuanqu.sqlite3")
        _kill_and_retry(env, tmp_path)


def _kill_and_retry(env: dict[str, str], tmp_path: Path) -> None:
    _run(env, "yuanqu.intake.tests.kill_site", "setup")
    marker = tmp_path / "writing"
    # Its own process group: the RQ worker forks a scheduler, and the kill takes the whole worker down
    # (as systemd's KillMode=control-group does), so nothing outlives the test.
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "yuanqu.intake.tests.kill_site", "slow-worker", str(marker)],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while not marker.exists():
            assert worker.poll() is None, "the worker ended before it started writing"
            assert time.monotonic() < deadline, "the worker never started writing"
            time.sleep(0.2)
        assert marker.read_text() == "20 rows written in the open transaction"
        os.killpg(worker.pid, signal.SIGKILL)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()

    killed, failed = _states(env, "recover")  # a new worker finds the dead one's job and frees its slot
    assert (killed["status"], killed["rows"], killed["batches"], killed["slots_held"]) == ("running", 0, 0, 1)
    assert (failed["status"], failed["rows"], failed["batches"], failed["slots_held"]) == ("failed", 0, 0, 0)
    assert failed["message"].startswith("执行该任务的进程已中断（进程")
    assert failed["message"].endswith(f":{worker.pid}已退出），未写入任何数据；可点“重试”重新执行")

    [retried] = _states(env, "retry")
    assert (retried["status"], retried["rows"], retried["applied"], retried["attempts"]) == ("succeeded", FIRMS, 1, 2)
    assert retried["slots_held"] == 0
    assert retried["message"].startswith(f"已写入：新增{FIRMS}条")

    [again] = _states(env, "retry")  # retrying a job that succeeded
    assert (again["status"], again["rows"], again["batches"], again["attempts"]) == ("succeeded", FIRMS, 1, 3)
    assert "完全相同" in again["message"]
