"""`yuanqu serve`: the platform on a real multi-threaded WSGI server (waitress, one process), static
files through WhiteNoise — the embedded case (a demo, one office's machine). `yuanqu serve --gunicorn`
runs gunicorn instead, with workers sized to the cores (core/gunicorn_conf.py): the production path,
behind nginx (docs/operations.md)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


def waitress_options(*, host: str, port: int, threads: int) -> dict[str, Any]:
    """The keyword arguments for waitress.serve.

    waitress trusts at most one proxy address (no networks), and by default strips every
    X-Forwarded-* header. With YUANQU_TRUSTED_PROXIES set it passes them on instead, and
    core.middleware.TrustedProxyMiddleware believes them from the listed proxies only — the same rule
    as under gunicorn, in one place."""
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "threads": threads,
        "ident": "yuanqu",
        # Bodies above the upload cap are refused by waitress before they are buffered; a bit of
        # room lets yuanqu.core.uploads answer the near misses in the platform's own words.
        "max_request_body_size": (settings.UPLOAD_MAX_BODY_MB + 1) * 1024 * 1024,
    }
    if settings.TRUSTED_PROXIES:
        options["clear_untrusted_proxy_headers"] = False
    return options


class Command(BaseCommand):
    help = "启动平台（本机 WSGI 服务）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--threads", type=int, default=8, help="工作线程数")
        parser.add_argument(
            "--gunicorn", action="store_true", help="以 gunicorn 多进程方式运行（生产环境，进程数按 CPU 核数）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["gunicorn"]:
            bind = f"{options['host']}:{options['port']}"
            # exec: gunicorn becomes this process, so a supervisor's signals reach its arbiter.
            os.execv(  # noqa: S606 - a fixed program with fixed arguments
                sys.executable,
                [sys.executable, "-m", "gunicorn", "-c", "python:yuanqu.core.gunicorn_conf", "-b", bind, "yuanqu.wsgi"],
            )
        from django.conf import settings
        from waitress import serve  # type: ignore[import-untyped]

        from yuanqu.wsgi import application

        self.stdout.write(f"园区平台已启动：http://{options['host']}:{options['port']}/  （Ctrl+C 停止）")
        if settings.TRUSTED_PROXIES:
            self.stdout.write(f"信任的反向代理：{', '.join(settings.TRUSTED_PROXIES)}")
        serve(application, **waitress_options(host=options["host"], port=options["port"], threads=options["threads"]))
