"""`yuanqu data_freshness_check`: tell the districts whose monthly data is late (the cockpit's
freshness rule). Idempotent: one notice per district user and month (YUANQU_SCHEDULE: nightly)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yuanqu.dashboard.freshness_alerts import freshness_notify


class Command(BaseCommand):
    help = "检查各区月度数据是否滞后并通知区级用户（可重复执行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="检查日期（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = freshness_notify(today=options["date"])
        self.stdout.write(f"数据时效检查完成：发送{sent}条通知")
