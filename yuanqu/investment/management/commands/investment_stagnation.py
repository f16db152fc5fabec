"""`yuanqu investment_stagnation`: tell the owners of 招商 projects that stayed in a stage longer than
the pack allows, and the district when they stay longer still. A thin command over
`investment.services.projects_stagnation_notify`, which the periodic schedule may call directly; safe
to run again on the same day (each notice goes once per stage entry)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuanqu.investment.services import projects_stagnation_notify


class Command(BaseCommand):
    help = "招商项目停滞提醒：超过阶段停留上限的项目通知负责人，再超期的通知所在区（可重复执行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default=None, help="按哪一天检查（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期“{options['date']}”无效，应为 YYYY-MM-DD") from exc
        told, escalated = projects_stagnation_notify(today=day)
        self.stdout.write(f"停滞提醒：通知负责人{told}个项目，上报所在区{escalated}个项目")
