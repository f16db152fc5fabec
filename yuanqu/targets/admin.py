"""Admin: 督办 records read-only (tasks come from the policy pack, reports and comments from their
services, which validate and audit)."""

from __future__ import annotations

from django.contrib import admin

from yuanqu.core.admin import AuditedReadOnlyAdmin
from yuanqu.targets.models import SupervisedTask, TaskComment, TaskReport


@admin.register(SupervisedTask)
class SupervisedTaskAdmin(AuditedReadOnlyAdmin):
    list_display = ("code", "kind", "number", "title", "status")
    list_filter = ("kind", "status", "group_code")


@admin.register(TaskReport)
class TaskReportAdmin(AuditedReadOnlyAdmin):
    list_display = ("task", "unit", "period", "percent_done", "submitted_at")
    list_filter = ("period",)


@admin.register(TaskComment)
class TaskCommentAdmin(AuditedReadOnlyAdmin):
    list_display = ("task", "kind", "unit", "author", "created_at")
