"""Admin screens. Only city administrators and system administrators are staff; every save and
delete made here is audited like a service write, and querysets still pass through `visible_to`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.http import HttpRequest

from yuanqu.core.access import ScopedQuerySet
from yuanqu.core.audit import audit_record, changed, snapshot
from yuanqu.core.models import ApiToken, AuditLog, User


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
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
        ("角色与权限范围", {"fields": ("role", "display_name", "district", "park", "enterprise", "unit")}),
    )
    list_display = ("username", "display_name", "role", "district", "park", "enterprise", "unit", "is_active")
    list_filter = ("role", "is_active", "district")
    raw_id_fields = ("enterprise", "park")
    search_fields = ("username", "display_name", "email")


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("created_at", "actor_name", "action", "object_type", "object_repr", "ip_address")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "object_repr", "object_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        return isinstance(user, User) and user.can_read_audit


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("token_hash", "prefix")
