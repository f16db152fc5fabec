"""`yuanqu casework-sweep` (this file is casework_sweep; the CLI aliases the hyphenated name): send due
reminders and escalations, remind overdue follow-ups, close unrated replies, recompute deadlines the
holiday table now covers. Idempotent — for cron or a systemd timer, e.g. every 15 minutes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yuanqu.casework.sweep import sweep_run

LABELS = {
    "recalculated": "重算期限",
    "response_reminders": "受理催办",
    "deadline_reminders": "到期前催办",
    "escalations": "超期上报",
    "follow_up_reminders": "回访催办",
    "auto_closed": "自动办结",
}


class Command(BaseCommand):
    help = "诉求巡检：催办、超期上报、回访提醒、自动办结、期限重算（可重复执行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--recalculate-all", action="store_true", help="重算所有在办诉求的期限（修改了节假日安排之后）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep_run(recalculate_all=options["recalculate_all"])
        summary = "，".join(f"{LABELS[key]}{value}件" for key, value in result.as_dict().items())
        self.stdout.write(f"诉求巡检完成：{summary}")
