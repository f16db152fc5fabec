"""A worker process beside the web server, for the one-command local platform (`yuanqu demo`):
started with the server, stopped with it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

STOP_WAIT_SECONDS = 10


@contextmanager
def worker_beside() -> Iterator[subprocess.Popen[bytes]]:
    """Run `yuanqu worker` in a child process for as long as the block runs. On leaving, the
    worker is asked to stop (SIGTERM: it finishes the job in hand) and killed if it does not."""
    process = subprocess.Popen(
        [sys.executable, "-m", "yuanqu.cli", "worker", "--verbosity", "0"], env=os.environ.copy()
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_WAIT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
