"""gunicorn's settings for production: `yuanqu serve --gunicorn`, or
`gunicorn -c python:yuanqu.core.gunicorn_conf yuanqu.wsgi` under a process supervisor.

Workers are sized to the cores: pages are CPU work in Python (templates, read models), so more
processes than cores only queue for them, while a second thread per worker covers the time a
request waits for the database or the read cache. The application is loaded once, before the
workers are forked (`preload_app`): a worker starts (and is replaced) in milliseconds, ready to
serve, instead of importing Django on a busy machine while requests wait. Every value can be set from
the environment (docs/operations.md).
"""

from __future__ import annotations

import os


def _positive(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return value


CORES = os.cpu_count() or 1

bind = os.environ.get("YUANQU_BIND", "127.0.0.1:8000")
workers = _positive("YUANQU_WEB_WORKERS", 2 * CORES + 1)
worker_class = "gthread"
threads = _positive("YUANQU_WEB_THREADS", 2)
# Only nginx in front may say who the client is and that the request came over https
# (core.middleware.TrustedProxyMiddleware applies the same list).
forwarded_allow_ips = os.environ.get("YUANQU_TRUSTED_PROXIES", "127.0.0.1")
# Uploads are streamed to the store and imports leave the request (jobs), so no request should
# take long; a stuck one is ended and its worker replaced.
timeout = _positive("YUANQU_WEB_TIMEOUT_SECONDS", 120)
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so memory a long-lived process gathers is given back.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("YUANQU_ACCESS_LOG", "-")
proc_name = "yuanqu"
preload_app = True


def pre_fork(server: object, worker: object) -> None:
    """No database connection opened while the application loaded is shared with a worker."""
    from django.db import connections

    connections.close_all()
