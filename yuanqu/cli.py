"""The `yuanqu` console command. Subcommands are Django management commands (`yuanqu --help`
lists them all), so each app adds its own: demo, serve, createadmin, import, compute, evaluate …

`yuanqu demo`, and any command on a machine with neither YUANQU_SECRET_KEY nor DATABASE_URL, runs in
demo mode (YUANQU_DEMO=1): the local platform on SQLite."""

from __future__ import annotations

import os
import sys

COMMAND_ALIASES = {"casework-sweep": "casework_sweep"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    # Commands named with a hyphen on the command line (Python modules cannot be).
    if args and args[0] in COMMAND_ALIASES:
        args[0] = COMMAND_ALIASES[args[0]]
    local = not os.environ.get("YUANQU_SECRET_KEY") and not os.environ.get("DATABASE_URL")
    if (args and args[0] == "demo") or local:
        # The embedded single-machine install (SQLite under var/, http on 127.0.0.1). A production
        # deployment sets YUANQU_SECRET_KEY and DATABASE_URL and so never runs in this mode.
        os.environ.setdefault("YUANQU_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yuanqu", *args])


if __name__ == "__main__":
    main()
