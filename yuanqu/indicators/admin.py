"""Admin: compute runs and values read-only (the engine writes them); reported values audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yuanqu.core.admin import AuditedModelAdmin
from yuanqu.indicators.models import ComputeRun, IndicatorValue, ReportedValue


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ComputeRun)
class ComputeRunAdmin(ReadOnlyAdmin):
    list_display = ("kind", "batch", "started_at", "finished_at", "cells", "values")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "scope_kind", "scope_code", "frequency", "period", "value", "computed_at")
    list_filter = ("scope_kind", "frequency", "indicator")
    search_fields = ("indicator", "scope_code")


@admin.register(ReportedValue)
class ReportedValueAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "scope_kind", "scope_code", "period", "value", "reported_by", "reported_at")
