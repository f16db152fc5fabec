from __future__ import annotations

from django.contrib import admin

from yuanqu.core.admin import AuditedModelAdmin
from yuanqu.registry import models


@admin.register(models.District)
class DistrictAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind")


@admin.register(models.IndustryClass)
class IndustryClassAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "level", "high_tech_group_name")
    list_filter = ("level", "high_tech_group")
    search_fields = ("code", "name")


@admin.register(models.ResponsibleUnit)
class ResponsibleUnitAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "district")


class ChainNodeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.ChainNode
    filter_horizontal = ("industry_classes",)
    extra = 0


@admin.register(models.IndustryChain)
class IndustryChainAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "illustrative")
    inlines = (ChainNodeInline,)


class FacilityInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.ParkFacility
    extra = 0


@admin.register(models.Park)
class ParkAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "district", "park_type", "status", "planned_area_km2", "synthetic")
    list_filter = ("park_type", "status", "district", "lead_chains")
    search_fields = ("code", "name", "operator_name")
    filter_horizontal = ("lead_chains",)
    inlines = (FacilityInline,)


class LabelInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.EnterpriseLabel
    extra = 0


@admin.register(models.Enterprise)
class EnterpriseAdmin(AuditedModelAdmin):
    list_display = ("uscc", "name", "industry", "district", "park", "park_assignment")
    list_filter = ("district", "park_assignment")
    search_fields = ("uscc", "name")
    raw_id_fields = ("industry", "park")
    inlines = (LabelInline,)


@admin.register(models.EnterpriseLabel)
class EnterpriseLabelAdmin(AuditedModelAdmin):
    list_display = ("enterprise", "kind", "level", "valid_from", "valid_to")
    list_filter = ("kind", "level")
    raw_id_fields = ("enterprise",)


@admin.register(models.LandParcel)
class LandParcelAdmin(AuditedModelAdmin):
    list_display = ("code", "district", "park", "use", "supply_method", "area_mu")
    list_filter = ("use", "supply_method", "district")
    raw_id_fields = ("enterprise", "park")


@admin.register(models.ParkFacility)
class ParkFacilityAdmin(AuditedModelAdmin):
    list_display = ("park", "kind", "name", "floor_area_m2")
    list_filter = ("kind",)
