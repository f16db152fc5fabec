"""Users with their role and scope, the audit log, API tokens and platform flags.

A user's scope points at registry objects (district, park, enterprise, responsible unit) by lazy
reference; core never imports registry code, so the layering of DESIGN.md holds in Python."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from yuanqu.core.roles import AUDIT_READER_ROLES, CITY_WIDE_ROLES, REQUIRED_SCOPE, Role

# The attribute of a cached signed-in user that holds its session hash (User.get_session_auth_hash).
SESSION_HASH_KEPT = "_session_auth_hash_kept"
SCOPE_FIELD_LABELS = {
    "district": _("所属区/开发区"),
    "park": _("所属园区"),
    "enterprise": _("所属企业"),
    "unit": _("责任单位"),
}


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.CITY_VIEWER)
    district = models.ForeignKey(
        "registry.District", verbose_name=_("所属区/开发区"), null=True, blank=True, on_delete=models.PROTECT
    )
    park = models.ForeignKey(
        "registry.Park", verbose_name=_("所属园区"), null=True, blank=True, on_delete=models.PROTECT
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("所属企业"), null=True, blank=True, on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        "registry.ResponsibleUnit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    display_name = models.CharField(_("姓名"), max_length=60, blank=True)

    # Never in an audit entry (core.audit): the password hash.
    AUDIT_EXCLUDE = frozenset({"password"})

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def clean(self) -> None:
        super().clean()
        needed = REQUIRED_SCOPE.get(Role(self.role))
        scope_fields = SCOPE_FIELD_LABELS
        errors: dict[str, str] = {}
        for field in scope_fields:
            has_value = getattr(self, f"{field}_id") is not None
            if field == needed and not has_value:
                errors[field] = _("角色“%(role)s”必须指定%(scope)s") % {
                    "role": self.get_role_display(),
                    "scope": SCOPE_FIELD_LABELS[field],
                }
            elif field != needed and has_value:
                errors[field] = _("角色“%(role)s”不应指定%(scope)s") % {
                    "role": self.get_role_display(),
                    "scope": SCOPE_FIELD_LABELS[field],
                }
        if errors:
            raise ValidationError(errors)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_city_wide(self) -> bool:
        return self.is_active and (self.role in CITY_WIDE_ROLES or self.is_superuser)

    @property
    def can_read_audit(self) -> bool:
        return self.is_active and (self.role in AUDIT_READER_ROLES or self.is_superuser)

    @property
    def scope_label(self) -> str:
        """What the header shows next to the role: the district, park, enterprise or unit."""
        for field in ("district", "park", "enterprise", "unit"):
            obj = getattr(self, field)
            if obj is not None:
                return str(obj)
        return gettext_noop("全市") if self.is_city_wide else ""  # translated where shown

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_session_auth_hash(self) -> str:
        # A user served from the signed-in users' cache (core/signin.py) comes without its password
        # and with the hash that password gave instead; once a password is set on it, the hash
        # is computed from that password again.
        kept = self.__dict__.get(SESSION_HASH_KEPT)
        if isinstance(kept, str) and "password" not in self.__dict__:
            return kept
        return super().get_session_auth_hash()

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A new password on an existing account is audited wherever it was set (the admin's form,
        # `yuanqu createadmin`, any later page): set_password leaves the raw value in _password until
        # the save. Only the fact is recorded, never the password or its hash.
        password_changed = self._password is not None and not self._state.adding  # type: ignore[attr-defined]
        super().save(*args, **kwargs)
        if password_changed:
            from yuanqu.core.audit import audit_record, request_actor

            audit_record(actor=request_actor(), action=AuditLog.Action.PASSWORD, obj=self, detail="修改密码")


def acting_user_field(
    verbose_name: Any, *, blank: bool = False, on_delete: Any = models.SET_NULL
) -> models.ForeignKey[Any, Any]:
    """The user who did something to a row (submitted, decided, uploaded …): optional, with no reverse
    accessor on the user; the row outlives the user (SET_NULL) unless `on_delete` says otherwise."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=blank,
        on_delete=on_delete,
        related_name="+",
        verbose_name=verbose_name,
    )


def optional_link(
    to: Any, verbose_name: Any, *, on_delete: Any = models.PROTECT, related_name: str = "+", one_to_one: bool = False
) -> models.ForeignKey[Any, Any]:
    """An optional link from a row to a row of another table (the park or project a record may name):
    null and blank allowed, no reverse accessor unless `related_name` gives one; the other row may not
    be deleted while linked (PROTECT) unless `on_delete` says otherwise. `one_to_one` makes it a
    one-to-one link (a record that at most one row may point at)."""
    options: dict[str, Any] = {"null": True, "blank": True, "related_name": related_name, "verbose_name": verbose_name}
    if one_to_one:
        return models.OneToOneField(to, on_delete, **options)
    return models.ForeignKey(to, on_delete, **options)


class AuditLog(models.Model):
    """Append-only record of every write and every export. Readable by 审计员 and sysadmins only."""

    class Action(models.TextChoices):
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        EXPORT = "export", _("导出")
        LOGIN = "login", _("登录")
        TOKEN = "token", _("令牌")
        PASSWORD = "password", _("密码")
        DOWNLOAD = "download", _("下载")
        READ = "read", _("批量读取")

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("对象类型"), max_length=60, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A per-user API token for systems. Only its SHA-256 is stored; the raw value is shown once.
    A token answers until it expires or is revoked, whichever comes first."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=60)
    prefix = models.CharField(_("前缀"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    # Never in an audit entry (core.audit): the digest would let anyone test guesses offline.
    AUDIT_EXCLUDE = frozenset({"token_hash"})

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class LoginThrottle(models.Model):
    """Failed sign-ins counted per user name and per client address (and per known browser), in the
    database so that every web process and host sees the same counts. Past the limit each further
    failure doubles the delay before the next attempt is even checked (docs/operations.md)."""

    key = models.CharField(_("计数对象"), max_length=200, unique=True)
    failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    last_failure_at = models.DateTimeField(_("最近失败时间"), db_index=True)
    delayed_until = models.DateTimeField(_("暂停至"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败计数")
        verbose_name_plural = _("登录失败计数")

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"


class PlatformFlag(models.Model):
    """Small named facts about this installation, e.g. that the synthetic demo is loaded."""

    DEMO_LOADED = "demo_loaded"

    key = models.CharField(max_length=60, unique=True)
    value: Any = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("平台标记")
        verbose_name_plural = _("平台标记")

    def __str__(self) -> str:
        return self.key


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday on a weekday, or a weekend day that is
    worked (调休). Seeded from chinesecalendar for the years it covers; admins add later years."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日（休）")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ("date",)

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class CalendarYear(models.Model):
    """A year whose holiday schedule is complete in the table (the State Council publishes each
    next year's schedule in November). Deadlines in other years fall back to weekends only."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    complete = models.BooleanField(_("安排已完整录入"), default=True)

    class Meta:
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度")
        ordering = ("year",)

    def __str__(self) -> str:
        return str(self.year)

    @classmethod
    def missing_ahead(cls, today: dt.date) -> list[int]:
        """This year and, from November (when the State Council publishes it), the next, when the
        table lacks their complete schedule: deadlines there fall back to weekends only."""
        wanted = [today.year] + ([today.year + 1] if today.month >= 11 else [])
        covered = set(cls.objects.filter(complete=True, year__in=wanted).values_list("year", flat=True))
        return [year for year in wanted if year not in covered]


class StoredAttachment(models.Model):
    """What every app keeps about a file a user uploaded (checked by `core.attachments`): the name
    shown, the type confirmed from its first bytes, size, digest, who and when. The subclass adds the
    object it belongs to and the file field with its own storage."""

    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name
