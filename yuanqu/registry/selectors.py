"""Reads of the registry, always through `visible_to(user)`. Views, the API and exports call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Case, CharField, Count, F, Field, FilteredRelation, IntegerField, Q, QuerySet, Sum, When
from django.utils import timezone

from yuanqu.core.access import filtered, own_scope
from yuanqu.core.listing import Choices, QueryFilters, filters_from_query, named_in
from yuanqu.core.models import User
from yuanqu.core.roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from yuanqu.registry.models import (
    MU_PER_KM2,
    District,
    Enterprise,
    EnterpriseVersion,
    IndustryChain,
    LabelKind,
    LabelLevel,
    LandParcel,
    Park,
    ParkVersion,
    RegistrationStatus,
)
from yuanqu.registry.park_types import park_type_filter_choices, park_type_names


def park_type_filter_code(code: str) -> bool:
    """A park type of the pack, or 未分类 (the list's filter offers these)."""
    return code in dict(park_type_filter_choices())


def districts_in_scope(user: User) -> QuerySet[District]:
    """The districts a list's district filter may name: a district user's own, a park operator's
    park's and an enterprise user's enterprise's; every district for the roles whose rows span the
    city (the city-wide roles, a handler's cases)."""
    districts = District.objects.visible_to(user)
    own = own_scope(user, district="pk", park="parks", enterprise="enterprises")
    return districts.filter(own) if own is not None else districts


def parks_in_scope(user: User) -> QuerySet[Park]:
    """The parks a list's park filter may name: the parks the reader sees; every park for a handler,
    whose cases lie in any park."""
    return Park.objects.all() if user.role == Role.HANDLER else Park.objects.visible_to(user)


# The park list's query parameters that are not named as its filters (the page's and the API's).
PARK_QUERY_NAMES = {"park_type": "type"}


@dataclass(frozen=True)
class ParkFilters(QueryFilters):
    park_type: str = ""
    district: str = ""
    chain: str = ""
    status: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: Any, reader: User) -> ParkFilters:
        choices: dict[str, Choices] = {
            "park_type": park_type_filter_code,
            "status": Park.Status.values,
            "district": named_in(districts_in_scope(reader)),
            "chain": named_in(IndustryChain.objects.visible_to(reader)),
        }
        return filters_from_query(cls, query, names=PARK_QUERY_NAMES, choices=choices)


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
class EnterpriseFilters(QueryFilters):
    district: str = ""
    park: str = ""
    industry: str = ""
    label: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: Any, reader: User) -> EnterpriseFilters:
        choices: dict[str, Choices] = {
            "label": LabelKind.values,
            "district": named_in(districts_in_scope(reader)),
            "park": named_in(parks_in_scope(reader)),
        }
        return filters_from_query(cls, query, choices=choices)

    def __post_init__(self) -> None:
        # Industry classes are coded in capitals (C26); a lower-case prefix finds the same ones.
        object.__setattr__(self, "industry", self.industry.upper())


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


# ---------------------------------------------------------------- dated state (时点口径)
# System-wide reads of the state in force on a day, for the indicator engine and the apps that
# aggregate by park over time (energy and carbon): not scoped to a user. A page showing a history
# reads `enterprise_history` / `park_history`, which are.

STATE_ALIAS = "state_on_day"


def _on_day(prefix: str, day: dt.date) -> Q:
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def with_state_on(queryset: QuerySet[Any], day: dt.date, *, enterprise: str = "") -> QuerySet[Any]:
    """Rows annotated with their enterprise's state in force on `day`: `state_park` (None outside
    parks), `state_district`, `state_industry` and `state_status`. `enterprise` is the path from a
    row to its enterprise ("enterprise__" for statistics rows, "" for enterprises). An enterprise
    without any version is read at its own fields."""
    relation = f"{enterprise}versions"
    joined = queryset.annotate(**{STATE_ALIAS: FilteredRelation(relation, condition=_on_day(f"{relation}__", day))})

    def pick(name: str, output: Field[Any, Any]) -> Case:
        return Case(
            When(**{f"{STATE_ALIAS}__id__isnull": True}, then=F(f"{enterprise}{name}")),
            default=F(f"{STATE_ALIAS}__{name}"),
            output_field=output,
        )

    annotated: QuerySet[Any] = joined.annotate(
        state_park=pick("park_id", IntegerField()),
        state_district=pick("district_id", IntegerField()),
        state_industry=pick("industry_id", CharField()),
        state_status=pick("registration_status", CharField()),
    )
    return annotated


def enterprises_on(day: dt.date, *, active: bool = True) -> QuerySet[Enterprise]:
    """Enterprises with their state on `day` (see `with_state_on`): founded by then and, with
    `active`, neither 注销 nor 迁出 on that day. `.filter(state_park=park.pk)` gives a park's firms."""
    rows = with_state_on(Enterprise.objects.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=day)), day)
    return rows.filter(state_status=RegistrationStatus.ACTIVE) if active else rows


@dataclass(frozen=True)
class Membership:
    """Where an enterprise was on a day: its park (None outside parks), district, industry class
    and registration status, and the stretch of time that state held."""

    park_id: int | None
    district_id: int
    industry_id: str
    registration_status: str
    valid_from: dt.date | None
    valid_to: dt.date | None


def membership_at(enterprise: Enterprise, day: dt.date) -> Membership:
    """The enterprise's state on `day` (its own fields when it has no version)."""
    version = EnterpriseVersion.objects.filter(enterprise=enterprise).valid_on(day).first()
    if version is None:
        return Membership(
            enterprise.park_id,
            enterprise.district_id,
            enterprise.industry_id,
            enterprise.registration_status,
            None,
            None,
        )
    return Membership(
        version.park_id,
        version.district_id,
        version.industry_id,
        version.registration_status,
        version.valid_from,
        version.valid_to,
    )


def memberships_in(start: dt.date, end: dt.date) -> QuerySet[EnterpriseVersion]:
    """The versions of enterprise state in force on some day from `start` to `end`: a firm that moved
    within the period has two. Enterprises without any version are not in it (read their fields)."""
    return EnterpriseVersion.objects.overlapping(start, end)


@dataclass(frozen=True)
class ParkState:
    park_type: str
    status: str
    recognised_on: dt.date | None
    green_level: str
    smart_platform: bool

    @property
    def recognised(self) -> bool:
        return self.status == Park.Status.RECOGNISED

    def recognised_by(self, day: dt.date) -> bool:
        return self.recognised and self.recognised_on is not None and self.recognised_on <= day


def park_states_on(day: dt.date) -> dict[int, ParkState]:
    """Every park's type, status and green level in force on `day` (its own fields when it has no
    version); the smart-platform flag has no history and is read as it is now."""
    states = {
        pk: ParkState(park_type, status, recognised_on, green, smart)
        for pk, park_type, status, recognised_on, green, smart in Park.objects.values_list(
            "pk", "park_type", "status", "recognised_on", "green_level", "smart_platform"
        )
    }
    versions = ParkVersion.objects.valid_on(day).values_list(
        "park_id", "park_type", "status", "recognised_on", "green_level"
    )
    for pk, park_type, status, recognised_on, green in versions:
        if pk in states:
            states[pk] = ParkState(park_type, status, recognised_on, green, states[pk].smart_platform)
    return states


def park_type_history() -> dict[int, list[tuple[dt.date | None, dt.date | None, str]]]:
    """Per park with versions, the stretches of its types (from, to, type)."""
    found: dict[int, list[tuple[dt.date | None, dt.date | None, str]]] = {}
    for pk, start, end, park_type in ParkVersion.objects.values_list("park_id", "valid_from", "valid_to", "park_type"):
        found.setdefault(pk, []).append((start, end, park_type))
    return found


def enterprise_history(user: User, enterprise: Enterprise) -> QuerySet[EnterpriseVersion]:
    """The enterprise's versions the user may see, newest first."""
    return (
        EnterpriseVersion.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("park", "district", "industry")
        .order_by(F("valid_from").desc(nulls_last=True))
    )


def park_history(user: User, park: Park) -> QuerySet[ParkVersion]:
    """The park's versions the user may see, newest first."""
    return ParkVersion.objects.visible_to(user).filter(park=park).order_by(F("valid_from").desc(nulls_last=True))


def parks_in_state(
    day: dt.date,
    *,
    park_types: Sequence[str] = (),
    recognised: bool | None = None,
    green_levels: Sequence[str] = (),
) -> QuerySet[Park]:
    """The parks whose state in force on `day` meets every condition given: type among
    `park_types`, recognised by that day (or not), green level among `green_levels`. One query,
    usable as a sub-query."""
    versioned = ParkVersion.objects.valid_on(day)
    plain = Park.objects.exclude(pk__in=ParkVersion.objects.values("park_id"))
    if park_types:
        versioned = versioned.filter(park_type__in=park_types)
        plain = plain.filter(park_type__in=park_types)
    if green_levels:
        versioned = versioned.filter(green_level__in=green_levels)
        plain = plain.filter(green_level__in=green_levels)
    if recognised is not None:
        by_day = Q(status=Park.Status.RECOGNISED, recognised_on__lte=day)
        versioned = versioned.filter(by_day) if recognised else versioned.exclude(by_day)
        plain = plain.filter(by_day) if recognised else plain.exclude(by_day)
    return Park.objects.filter(Q(pk__in=versioned.values("park_id")) | Q(pk__in=plain.values("pk")))
