"""Reads of the registry, always through `visible_to(user)`. Views, the API and exports call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from yuanqu.core.access import filtered
from yuanqu.core.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from yuanqu.registry.models import (
    MU_PER_KM2,
    District,
    Enterprise,
    IndustryChain,
    LabelKind,
    LabelLevel,
    LandParcel,
    Park,
)
from yuanqu.registry.park_types import park_type_filter_choices, park_type_names


@dataclass(frozen=True)
class ParkFilters:
    park_type: str = ""
    district: str = ""
    chain: str = ""
    status: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: Any) -> ParkFilters:
        return cls(
            park_type=query.get("type", ""),
            district=query.get("district", ""),
            chain=query.get("chain", ""),
            status=query.get("status", ""),
            q=query.get("q", "").strip(),
        )


def park_list(user: User, filters: ParkFilters | None = None) -> QuerySet[Park]:
    filters = filters or ParkFilters()
    parks = filtered(
        Park.objects.visible_to(user).select_related("district"),
        {
            "park_type": filters.park_type,
            "district__code": filters.district,
            "lead_chains__code": filters.chain,
            "status": filters.status,
        },
    )
    if filters.q:
        parks = parks.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q))
    return parks.annotate(enterprise_count=Count("enterprises", distinct=True)).order_by("code")


@dataclass(frozen=True)
class EnterpriseFilters:
    district: str = ""
    park: str = ""
    industry: str = ""
    label: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: Any) -> EnterpriseFilters:
        return cls(
            district=query.get("district", ""),
            park=query.get("park", ""),
            industry=query.get("industry", "").strip().upper(),
            label=query.get("label", ""),
            q=query.get("q", "").strip(),
        )


def enterprise_list(
    user: User, filters: EnterpriseFilters | None = None, on: dt.date | None = None
) -> QuerySet[Enterprise]:
    filters = filters or EnterpriseFilters()
    enterprises = filtered(
        Enterprise.objects.visible_to(user).select_related("district", "park", "industry"),
        {
            "district__code": filters.district,
            "park__code": filters.park,
            "industry__code__startswith": filters.industry,
        },
    )
    if filters.label in LabelKind.values:
        enterprises = enterprises.with_label(filters.label, on=on or timezone.localdate())  # type: ignore[attr-defined]
    if filters.q:
        enterprises = enterprises.filter(Q(name__icontains=filters.q) | Q(uscc__icontains=filters.q))
    return enterprises.order_by("name", "id")


def label_count(user: User, kind: str, on: dt.date, levels: tuple[str, ...] | None = None) -> int:
    """How many visible enterprises hold a label valid on a date — one query."""
    return Enterprise.objects.visible_to(user).with_label(kind, on=on, levels=levels).count()


@dataclass(frozen=True)
class Overview:
    parks_by_type: Sequence[tuple[str, StrOrPromise, int]]
    enterprise_count: int
    labels: list[tuple[str, int]]
    land_km2: Decimal
    land_in_parks_km2: Decimal
    on: dt.date


def overview(user: User, on: dt.date | None = None) -> Overview:
    day = on or timezone.localdate()
    counts = dict(
        Park.objects.visible_to(user).values_list("park_type").annotate(n=Count("pk")).values_list("park_type", "n")
    )
    parks_by_type = [(value, label, counts.get(value, 0)) for value, label in park_type_filter_choices()]
    labels = [
        ("规上工业企业", label_count(user, LabelKind.ABOVE_SCALE, day)),
        ("高新技术企业", label_count(user, LabelKind.HIGH_TECH, day)),
        (
            "省级以上专精特新企业",
            label_count(user, LabelKind.SRDI, day, (LabelLevel.NATIONAL, LabelLevel.PROVINCIAL)),
        ),
        ("国家级绿色工厂", label_count(user, LabelKind.GREEN_FACTORY, day, (LabelLevel.NATIONAL,))),
    ]
    land = LandParcel.objects.visible_to(user).filter(use__in=["M0", "M1", "M2", "M3"])
    totals = land.aggregate(total=Sum("area_mu"), in_parks=Sum("area_mu", filter=Q(park__isnull=False)))
    return Overview(
        parks_by_type=parks_by_type,
        enterprise_count=Enterprise.objects.visible_to(user).count(),
        labels=labels,
        land_km2=_km2(totals["total"]),
        land_in_parks_km2=_km2(totals["in_parks"]),
        on=day,
    )


def _km2(mu: Decimal | None) -> Decimal:
    return ((mu or Decimal(0)) / MU_PER_KM2).quantize(Decimal("0.01"))


def map_features(user: User) -> dict[str, Any]:
    """The visible parks as a GeoJSON FeatureCollection for the map."""
    parks = Park.objects.visible_to(user).exclude(boundary__isnull=True).select_related("district")
    type_names = park_type_names()
    fields = (
        "pk",
        "code",
        "name",
        "park_type",
        "boundary",
        "district__name",
        "centroid_lon",
        "centroid_lat",
        "boundary_area_km2",
    )
    features = [
        {
            "type": "Feature",
            "properties": {
                "name": park.name,
                "code": park.code,
                "park_type": park.park_type,
                "park_type_label": type_names.get(park.park_type, park.park_type),
                "district": park.district.name,
                "area_km2": float(park.boundary_area_km2 or 0),
                "centroid": [park.centroid_lon, park.centroid_lat],
            },
            "geometry": park.boundary,
        }
        for park in parks.only(*fields)
    ]
    return {"type": "FeatureCollection", "features": features}


def district_list(user: User) -> QuerySet[District]:
    """The city's districts and zones with the parks the user sees in each. A user scoped below the
    city sees only the districts it has parks in (and its own), not a list of empty ones."""
    visible_parks = Park.objects.visible_to(user).values("pk")
    districts: QuerySet[District] = District.objects.visible_to(user).annotate(
        park_count=Count("parks", filter=Q(parks__in=visible_parks), distinct=True)
    )
    if not user.is_city_wide:
        districts = districts.filter(Q(park_count__gt=0) | Q(pk=user.district_id or 0))
    return districts


def chain_list(user: User) -> QuerySet[IndustryChain]:
    visible_parks = Park.objects.visible_to(user).values("pk")
    chains: QuerySet[IndustryChain] = (
        IndustryChain.objects.visible_to(user)
        .prefetch_related("nodes__industry_classes")
        .annotate(park_count=Count("parks", filter=Q(parks__in=visible_parks), distinct=True))
    )
    return chains


def land_list(user: User) -> QuerySet[LandParcel]:
    return LandParcel.objects.visible_to(user).select_related("district", "park", "enterprise")
