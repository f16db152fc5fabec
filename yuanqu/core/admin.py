"""Admin screens. Only city administrators and system administrators are staff; every save and
delete made here is audited like a service write (secret columns never enter the entry), and
querysets still pass through `visible_to`. System administrators also revoke API tokens and lift
sign-in waits here."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from yuanqu.core.access import ScopedQuerySet
from yuanqu.core.audit import audit_record, changed, mask_personal, snapshot
from yuanqu.core.models import ApiToken, AuditLog, LoginThrottle, User
from yuanqu.core.permissions import has_role, is_city_admin
from yuanqu.core.roles import Role
from yuanqu.core.services import api_token_revoke
from yuanqu.core.signin import DelayAwareFormMixin, login_throttle_clear

MSG_UNLOCKED = gettext_noop("已解除 {count} 个账号的登录限制")
MSG_REVOKED = gettext_noop("已吊销 {count} 个令牌")


def _is_sysadmin(request: HttpRequest) -> bool:
    return has_role(request.user, {Role.SYSADMIN})


class AdminSignInForm(DelayAwareFormMixin, AdminAuthenticationForm):
    def get_invalid_login_error(self) -> ValidationError:
        return self.delayed_error() or super().get_invalid_login_error()


admin.site.login_form = AdminSignInForm


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The admin pages of the platform's data: open by role (市级管理员 and the system
    administrator), not by Django's per-model permission rows, which the platform never grants."""

    def _admits(self, request: HttpRequest) -> bool:
        return is_city_admin(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._admits(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._admits(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._admits(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._admits(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._admits(request)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        queryset = super().get_queryset(request)
        if isinstance(queryset, ScopedQuerySet):
            return queryset.visible_to(request.user)  # type: ignore[arg-type]
        return queryset

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        after = snapshot(obj)
        actor = request.user if isinstance(request.user, User) else None
        if before is None:
            audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=obj, after=after, detail="管理界面")
        else:
            old, new = changed(before, after)
            audit_record(actor=actor, action=AuditLog.Action.UPDATE, obj=obj, before=old, after=new, detail="管理界面")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        before = snapshot(obj)
        actor = request.user if isinstance(request.user, User) else None
        audit_record(actor=actor, action=AuditLog.Action.DELETE, obj=obj, before=before, detail="管理界面")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(User)
class YuanquUserAdmin(UserAdmin, AuditedModelAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (
            gettext_lazy("角色与权限范围"),
            {"fields": ("role", "display_name", "district", "park", "enterprise", "unit")},
        ),
    )
    list_display = ("username", "display_name", "role", "district", "park", "enterprise", "unit", "is_active")
    list_filter = ("role", "is_active", "district")
    raw_id_fields = ("enterprise", "park")
    search_fields = ("username", "display_name", "email")
    actions = ["unlock_sign_in"]

    def _admits(self, request: HttpRequest) -> bool:
        # Accounts carry roles and scopes: only the system administrator grants them, so a city
        # administrator cannot raise an account (or itself) above the city's line.
        return _is_sysadmin(request)

    @admin.action(description=gettext_lazy("解除登录限制（清除失败计数）"))
    def unlock_sign_in(self, request: HttpRequest, queryset: models.QuerySet[User]) -> None:
        actor = request.user
        assert isinstance(actor, User)
        for user in queryset:
            login_throttle_clear(actor=actor, user=user)
        self.message_user(request, gettext(MSG_UNLOCKED).format(count=len(queryset)), messages.SUCCESS)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not _is_sysadmin(request):
            actions.pop("unlock_sign_in", None)
        return actions


class ReadOnlyMixin:
    """Shows and never writes: for what changes only through audited services (the audit log
    itself, evaluation runs, indicator values, case records). Put it before the admin class."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """A read-only screen seen by whoever Django's own permissions admit (the system administrator)."""


class AuditedReadOnlyAdmin(ReadOnlyMixin, AuditedModelAdmin):
    """A read-only screen of the platform's data, open by role like `AuditedModelAdmin`."""


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_name", "action", "object_type", "object_repr", "ip_address")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "object_repr", "object_id")
    # Personal data shown masked, as on the audit log page.
    exclude = ("before", "after")
    readonly_fields = ("masked_before", "masked_after")

    @admin.display(description=gettext_lazy("修改前"))
    def masked_before(self, obj: AuditLog) -> str:
        return format_html("<code>{}</code>", json.dumps(mask_personal(obj.before), ensure_ascii=False))

    @admin.display(description=gettext_lazy("修改后"))
    def masked_after(self, obj: AuditLog) -> str:
        return format_html("<code>{}</code>", json.dumps(mask_personal(obj.after), ensure_ascii=False))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        return isinstance(user, User) and user.can_read_audit


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every user's tokens, for the system administrator: seen, and revoked (never created or edited
    here: a token's raw value is shown once, to its owner)."""

    list_display = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "name", "prefix")
    exclude = ("token_hash",)
    readonly_fields = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_sysadmin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_sysadmin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_sysadmin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("吊销所选令牌"))
    def revoke(self, request: HttpRequest, queryset: models.QuerySet[ApiToken]) -> None:
        actor = request.user
        assert isinstance(actor, User)
        for token in queryset:
            api_token_revoke(actor=actor, token_id=token.pk)
        self.message_user(request, gettext(MSG_REVOKED).format(count=len(queryset)), messages.SUCCESS)


@admin.register(LoginThrottle)
class LoginThrottleAdmin(AuditedModelAdmin):
    """Sign-in failure counters, for the system administrator: deleting one lifts its wait (audited)."""

    list_display = ("key", "failures", "last_failure_at", "delayed_until")
    search_fields = ("key",)
    readonly_fields = ("key", "failures", "last_failure_at", "delayed_until")

    def _admits(self, request: HttpRequest) -> bool:
        return _is_sysadmin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
