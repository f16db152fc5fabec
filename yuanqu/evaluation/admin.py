"""Admin screens for the evaluation: read-only. Runs, results and grades change only through the
services (which audit them and keep a confirmed 产业名园 list frozen)."""

from __future__ import annotations

from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin
from yuanqu.evaluation.models import EnterpriseGrade, EvaluationRun, ParkResult


@admin.register(EvaluationRun)
class EvaluationRunAdmin(ReadOnlyAdmin):
    list_display = ("pk", "year", "status", "selection_status", "seed", "created_by", "created_at")
    list_filter = ("year", "status", "selection_status")


@admin.register(ParkResult)
class ParkResultAdmin(ReadOnlyAdmin):
    list_display = ("run", "park", "park_type", "rank", "score", "p_selected", "selected", "award_wan_yuan")
    list_filter = ("run__year", "park_type", "selected", "veto")
    search_fields = ("park__code", "park__name")
    list_select_related = ("run", "park")


@admin.register(EnterpriseGrade)
class EnterpriseGradeAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "year", "grade", "score", "rank", "park")
    list_filter = ("year", "grade")
    search_fields = ("enterprise__name", "enterprise__uscc")
    list_select_related = ("enterprise", "park")
