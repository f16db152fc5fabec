"""A worker process beside the web server, for the one-command local platform (`yuanqu demo`):
started with the server, stopped with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_WAIT_SECONDS = 10


@contextmanager
def worker_beside() -> Iterator[subprocess.Popen[bytes]]:
    """Run `yuanqu worker` in a child process for as long as the block runs. On leaving, the
    worker is asked to stop (SIGTERM: it finishes the job in hand) and killed if it does not.

    The server stopped by SIGTERM (`kill`, systemd, a terminal closing) leaves the block like Ctrl+C
    does, so the worker is never left running on its own."""
    process = subprocess.Popen(
        [sys.executable, "-m", "yuanqu.cli", "worker", "--verbosity", "0"], env=os.environ.copy()
    )
    previous = None
    if threading.current_thread() is threading.main_thread():

        def stop(signum: int, frame: FrameType | None) -> None:
            raise SystemExit(128 + signum)

        previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield process
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_WAIT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
