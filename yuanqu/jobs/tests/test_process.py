"""`yuanqu demo` runs a worker beside the server (yuanqu.jobs.process.worker_beside) and stops it with
the server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any, cast

import pytest

from yuanqu.jobs import process


class FakeProcess:
    def __init__(self, args: list[str], **kwargs: Any) -> None:
        self.args, self.events = args, ["started"]

    def poll(self) -> int | None:
        return None

    def terminate(self) -> None:
        self.events.append("terminated")

    def wait(self, timeout: float | None = None) -> int:
        self.events.append("waited")
        return 0

    def kill(self) -> None:  # pragma: no cover - only when terminate is not enough
        self.events.append("killed")


def test_the_worker_runs_while_the_server_runs_and_stops_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subprocess, "Popen", FakeProcess)  # the module object process.py uses
    with pytest.raises(KeyboardInterrupt), process.worker_beside() as started:
        worker = cast(FakeProcess, started)
        assert worker.args == [sys.executable, "-m", "yuanqu.cli", "worker", "--verbosity", "0"]
        assert worker.events == ["started"]
        raise KeyboardInterrupt  # Ctrl+C stops the server
    assert worker.events == ["started", "terminated", "waited"]


def test_a_server_stopped_by_sigterm_stops_its_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subprocess, "Popen", FakeProcess)
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit), process.worker_beside() as started:
        worker = cast(FakeProcess, started)
        os.kill(os.getpid(), signal.SIGTERM)  # `kill <server>`, systemd stopping the demo
    assert worker.events == ["started", "terminated", "waited"]
    assert signal.getsignal(signal.SIGTERM) == before
