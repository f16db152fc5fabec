"""`yuanqu db_statistics`: refresh the query planner's statistics (yuanqu.core.dbstats).
Idempotent; reads and writes no application data (YUANQU_SCHEDULE: daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yuanqu.core.dbstats import planner_statistics_refresh


class Command(BaseCommand):
    help = "更新数据库查询优化器的统计信息（可重复执行）"

    def handle(self, *args: Any, **options: Any) -> None:
        vendor = planner_statistics_refresh()
        self.stdout.write(f"已更新数据库（{vendor}）的查询统计信息")
