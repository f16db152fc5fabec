"""Admin screens for casework: categories (time limits, materials, questions) are editable; cases are
read-only here (their lifecycle runs only through the services). The holiday table of core is
registered here too — casework is what uses it — unless core registers it itself; the changelist of
years warns when this or next year is missing."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from yuanqu.casework.models import ApprovalRequest, Case, CaseEvent, Category, Visit
from yuanqu.casework.selectors import uncovered_years_ahead
from yuanqu.core.admin import AuditedModelAdmin, AuditedReadOnlyAdmin
from yuanqu.core.models import CalendarDay, CalendarYear
from yuanqu.core.permissions import is_holiday_keeper


class HolidayKeeperMixin:
    """The holiday table is kept by the city administrator and the system administrator (core.roles
    HOLIDAY_TABLE_KEEPERS) by role, not by Django's per-model permissions, which the platform does
    not grant: the banner's link 录入节假日年度 must open for the city administrator."""

    def _admits(self, request: HttpRequest) -> bool:
        return is_holiday_keeper(request.user)


class CalendarWarningMixin:
    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        missing = uncovered_years_ahead()
        if missing:
            years = "、".join(str(year) for year in missing)
            messages.warning(
                request,
                _(
                    "%(years)s年的节假日安排尚未录入：涉及该年度的诉求期限暂按周末计算。"
                    "录入全部放假和调休日期后，在“节假日年度”中新增该年度，巡检会自动重算期限。"
                )
                % {"years": years},
            )
        response: HttpResponse = super().changelist_view(request, extra_context)  # type: ignore[misc]
        return response


@admin.register(Category)
class CategoryAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "time_limit_days", "default_unit", "default_unit_code", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")


class CaseEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("at", "actor_label", "action", "text", "note", "visible_to_enterprise")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(CalendarWarningMixin, AuditedReadOnlyAdmin):
    list_display = (
        "number",
        "title",
        "status",
        "category",
        "enterprise",
        "lead_unit",
        "deadline",
        "deadline_uncovered",
    )
    list_filter = ("status", "kind", "category", "deadline_uncovered", "channel")
    search_fields = ("number", "title", "enterprise__name")
    inlines = [CaseEventInline]


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("case", "kind", "days", "status", "requested_at", "decided_at")
    list_filter = ("kind", "status")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Visit)
class VisitAdmin(AuditedModelAdmin):
    list_display = ("visited_on", "enterprise", "visited_by")
    raw_id_fields = ("enterprise",)


if not admin.site.is_registered(CalendarDay):

    @admin.register(CalendarDay)
    class CalendarDayAdmin(HolidayKeeperMixin, CalendarWarningMixin, AuditedModelAdmin):
        list_display = ("date", "kind", "name")
        list_filter = ("kind",)
        date_hierarchy = "date"


if not admin.site.is_registered(CalendarYear):

    @admin.register(CalendarYear)
    class CalendarYearAdmin(HolidayKeeperMixin, CalendarWarningMixin, AuditedModelAdmin):
        list_display = ("year", "complete", "source")
