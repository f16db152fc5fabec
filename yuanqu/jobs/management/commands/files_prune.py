"""`yuanqu files_prune`: delete the report and export files kept longer than
YUANQU_JOB_FILES_RETENTION_DAYS (yuanqu.jobs.files.files_prune); their jobs say the file has expired.
Idempotent (YUANQU_SCHEDULE: daily)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from yuanqu.jobs.files import files_prune


class Command(BaseCommand):
    help = "删除超过保留期限的报告和导出文件（可重复执行）"

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = files_prune()
        self.stdout.write(f"已删除{deleted}个超过{settings.JOB_FILES_RETENTION_DAYS}天的报告和导出文件")
