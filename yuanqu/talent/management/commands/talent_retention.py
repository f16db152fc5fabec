"""`yuanqu talent_retention`: delete every 人才用户 idle longer than YUANQU_TALENT_RETENTION_DAYS
(profile, consent and account; yuanqu.talent.services.personal.profiles_expire) and every
registration code past its time. Idempotent (YUANQU_SCHEDULE: daily)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from yuanqu.talent.services.personal import profiles_expire, verifications_expire


class Command(BaseCommand):
    help = "删除超过保存期限的人才档案与过期的注册验证码（可重复执行）"

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        deleted = profiles_expire(now=now)
        codes = verifications_expire(now=now)
        self.stdout.write(
            f"已删除{deleted}份超过{settings.TALENT_RETENTION_DAYS}天未登录的人才档案，{codes}条过期的注册验证码"
        )
