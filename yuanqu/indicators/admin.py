"""Admin: compute runs and values read-only (the engine writes them); reported values audited."""

from __future__ import annotations

from django.contrib import admin

from yuanqu.core.admin import AuditedReadOnlyAdmin
from yuanqu.indicators.models import ComputeRun, IndicatorValue, ReportedValue


@admin.register(ComputeRun)
class ComputeRunAdmin(AuditedReadOnlyAdmin):
    list_display = ("kind", "batch", "started_at", "finished_at", "cells", "values")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(AuditedReadOnlyAdmin):
    list_display = ("indicator", "scope_kind", "scope_code", "frequency", "period", "value", "computed_at")
    list_filter = ("scope_kind", "frequency", "indicator")
    search_fields = ("indicator", "scope_code")


@admin.register(ReportedValue)
class ReportedValueAdmin(AuditedReadOnlyAdmin):
    list_display = ("indicator", "scope_kind", "scope_code", "period", "value", "reported_by", "reported_at")
