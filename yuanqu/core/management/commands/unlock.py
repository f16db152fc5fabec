"""`yuanqu unlock USERNAME`: lift a user's sign-in wait from the server, for when no system
administrator can sign in to do it in the admin. Audited like the admin's unlock."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuanqu.core.models import User
from yuanqu.core.signin import login_throttle_clear

ERR_NO_USER = "没有用户名为“{username}”的账号"


class Command(BaseCommand):
    help = "解除账号的登录限制（清除登录失败计数）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(ERR_NO_USER.format(username=options["username"]))
        cleared = login_throttle_clear(actor=None, user=user)
        self.stdout.write(self.style.SUCCESS(f"已解除 {user.username} 的登录限制（清除 {cleared} 项计数）"))
