"""`yuanqu notifications_retry`: send the email and webhook deliveries that are due (first tries
left over and retries after their backoff). Idempotent and safe to run from several processes — for
the job engine, cron or a systemd timer (YUANQU_SCHEDULE: every 5 minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yuanqu.notifications.services import deliveries_send


class Command(BaseCommand):
    help = "重试待发送的通知（邮件、短信/政务微信），可重复执行"

    def handle(self, *args: Any, **options: Any) -> None:
        result = deliveries_send()
        self.stdout.write(
            f"通知重试完成：发送成功{result.sent}条，待重试{result.retrying}条，转入发送失败{result.dead}条"
        )
