"""The admin's view of deliveries: the city administrators find failed ones and resend them (the
same service as the dead-letter page, so the resend is audited). Notices themselves are personal and
not in the admin."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuanqu.core.models import User
from yuanqu.core.permissions import is_city_admin
from yuanqu.notifications import services
from yuanqu.notifications.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("created_at", "channel", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status", "channel")
    readonly_fields = (
        "notification",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    )
    actions = ("resend",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_city_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Delivery | None = None) -> bool:
        return is_city_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Delivery | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Delivery | None = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("重发所选的失败通知"))
    def resend(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        assert isinstance(request.user, User)
        try:
            count = services.deliveries_resend(actor=request.user, ids=list(queryset.values_list("pk", flat=True)))
        except (PermissionDenied, ValidationError) as exc:
            self.message_user(request, " ".join(_(m) for m in getattr(exc, "messages", [str(exc)])), messages.ERROR)
            return
        self.message_user(request, _("已重新排队发送 %(count)s 条") % {"count": count}, messages.SUCCESS)
