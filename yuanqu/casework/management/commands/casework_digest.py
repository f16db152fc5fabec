"""`yuanqu casework_digest`: each handler's daily notice of due and overdue cases. At most one per
handler and day, so a re-run (or a second host's timer) sends nothing twice (YUANQU_SCHEDULE: daily)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yuanqu.casework.notify import digest_send


class Command(BaseCommand):
    help = "向办理人发送每日待办诉求汇总（每人每天至多一条，可重复执行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="汇总日期（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digest_send(today=options["date"])
        self.stdout.write(f"每日待办汇总完成：发送{sent}条")
