"""Admin pages of 精准招商: the 载体 inventory and the nodes each 链主 buys from are kept here (and by the
demo; 载体 also by import); projects are read-only
here, since every change of a project goes through the services and their audit entries."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yuanqu.core.admin import AuditedModelAdmin, AuditedReadOnlyAdmin
from yuanqu.investment.models import ClaimConflict, Project, Site, SupplyLink


@admin.register(Site)
class SiteAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "district", "park", "available_on", "confirmed_on")
    list_filter = ("kind", "district")
    search_fields = ("code", "name")


@admin.register(Project)
class ProjectAdmin(AuditedReadOnlyAdmin):
    list_display = ("number", "name", "investor_name", "district", "park", "stage", "stage_since")
    list_filter = ("stage", "district")
    search_fields = ("number", "name", "investor_name")


@admin.register(ClaimConflict)
class ClaimConflictAdmin(AuditedModelAdmin):
    list_display = ("first", "second", "matched_by", "status", "outcome")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SupplyLink)
class SupplyLinkAdmin(AuditedModelAdmin):
    list_display = ("leader", "node", "source")
    list_filter = ("node__chain",)
    search_fields = ("leader__name", "leader__uscc", "node__name")
    raw_id_fields = ("leader",)
