"""`yuanqu casework_setup`: seed the holiday table and (re)load the categories from the policy pack.
Idempotent; run after changing casework.yaml or after the responsible units are loaded."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yuanqu.casework.rules import rules_reload
from yuanqu.casework.services import calendar_seed_from_chinesecalendar, category_sync


class Command(BaseCommand):
    help = "载入节假日安排和诉求类别（可重复执行）"

    def handle(self, *args: Any, **options: Any) -> None:
        calendar = calendar_seed_from_chinesecalendar()
        policy = rules_reload()
        count = category_sync()
        self.stdout.write(f"节假日安排新增{calendar['days']}天；诉求类别{count}个（来源：{policy.source}）")
