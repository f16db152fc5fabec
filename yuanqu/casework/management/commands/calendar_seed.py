"""`yuanqu calendar_seed`: fill the holiday table from chinesecalendar (2004–2026). Idempotent.
Later years are added by admins (管理界面 → 节假日安排/节假日年度) when the State Council publishes them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yuanqu.casework.services import calendar_seed_from_chinesecalendar


class Command(BaseCommand):
    help = "从 chinesecalendar 载入2004–2026年节假日安排（可重复执行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--first-year", type=int, default=None)
        parser.add_argument("--last-year", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        result = calendar_seed_from_chinesecalendar(first_year=options["first_year"], last_year=options["last_year"])
        self.stdout.write(f"节假日安排：新增{result['days']}天，新增{result['years']}个年度")
