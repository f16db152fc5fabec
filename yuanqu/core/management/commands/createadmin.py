"""`yuanqu createadmin`: create (or reset the password of) a system administrator."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.roles import Role


class Command(BaseCommand):
    help = "创建系统管理员账号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（用于脚本）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("密码：")
            if password != getpass.getpass("再次输入密码："):
                raise CommandError("两次输入的密码不一致")
        user = User.objects.filter(username=options["username"]).first() or User(username=options["username"])
        try:
            with translation.override(settings.LANGUAGE_CODE):
                validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        user.email = options["email"] or user.email
        user.role = Role.SYSADMIN
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.full_clean()
        created = user.pk is None
        user.save()  # a reset password on an existing account is audited by User.save
        if created:
            audit_record(
                actor=None, action=AuditLog.Action.CREATE, obj=user, after=snapshot(user), detail="命令行创建系统管理员"
            )
        self.stdout.write(self.style.SUCCESS(f"系统管理员 {user.username} 已就绪"))
