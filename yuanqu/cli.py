"""The `yuanqu` console command. Subcommands are Django management commands (`yuanqu --help`
lists them all), so each app adds its own: demo, serve, createadmin, import, compute, evaluate …

`yuanqu demo` runs in demo mode (YUANQU_DEMO=1): a local platform on SQLite with synthetic data."""

from __future__ import annotations

import os
import sys

DEMO_COMMANDS = {"demo"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in DEMO_COMMANDS:
        os.environ.setdefault("YUANQU_DEMO", "1")
    if args and args[0] == "serve" and not os.environ.get("YUANQU_SECRET_KEY"):
        # A local `serve` of the demo database; production sets YUANQU_SECRET_KEY and runs gunicorn.
        os.environ.setdefault("YUANQU_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yuanqu", *args])


if __name__ == "__main__":
    main()
