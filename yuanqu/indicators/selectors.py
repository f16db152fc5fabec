"""Reads of indicator values, always through `IndicatorValue.objects.visible_to(user)`, and the
drill-down from a value to the enterprises (parcels, parks) behind it, through the registry's own
`visible_to` — a district user drilling into the city figure sees its own enterprises only.

Views, the API, exports and the targets app call these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext, pgettext_lazy

from yuanqu.core.models import User
from yuanqu.core.periods import Period
from yuanqu.indicators import catalogue
from yuanqu.indicators.engine import SPECS, rows_of, source_key, term_aggregate
from yuanqu.indicators.models import CITY_CODE, IndicatorValue, ScopeKind
from yuanqu.indicators.pack import Indicator, Term
from yuanqu.registry.models import District, Enterprise, LandParcel, Park
from yuanqu.registry.park_types import park_type_names
from yuanqu.registry.selectors import parks_in_state

SCOPE_KIND_NAMES = dict(ScopeKind.choices)


@dataclass(frozen=True)
class Scope:
    kind: str
    code: str

    @staticmethod
    def parse(text: str) -> Scope:
        """ "city", "park:P001", "district:420115", "park_type:modern"; ValueError otherwise."""
        if text in ("", CITY_CODE):
            return Scope(ScopeKind.CITY, CITY_CODE)
        kind, _, code = text.partition(":")
        if kind not in ScopeKind.values or not code:
            raise ValueError(text)
        return Scope(kind, code)

    @property
    def key(self) -> str:
        return CITY_CODE if self.kind == ScopeKind.CITY else f"{self.kind}:{self.code}"


def values(user: User, indicator: str) -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.visible_to(user).filter(indicator=indicator)


def series(user: User, indicator: str, scope: Scope, frequency: str | None = None) -> list[IndicatorValue]:
    rows = values(user, indicator).filter(scope_kind=scope.kind, scope_code=scope.code)
    if frequency:
        rows = rows.filter(frequency=frequency)
    return list(rows.order_by("period", "frequency"))


def periods(user: User, indicator: str) -> list[Period]:
    found = values(user, indicator).values_list("period", "frequency").distinct()
    return sorted({Period(end, frequency) for end, frequency in found}, reverse=True)


def value_at(user: User, indicator: str, scope: Scope, period: Period) -> IndicatorValue | None:
    return (
        values(user, indicator)
        .filter(scope_kind=scope.kind, scope_code=scope.code, frequency=period.frequency, period=period.end)
        .first()
    )


def children(user: User, indicator: str, scope: Scope, period: Period) -> dict[str, list[IndicatorValue]]:
    """The values one level down, visible to the user: for the city its districts, park types and
    parks; for a district its parks, for a park type the parks of that type at the period's end."""
    rows = values(user, indicator).filter(frequency=period.frequency, period=period.end)
    found: dict[str, list[IndicatorValue]] = {}
    if scope.kind == ScopeKind.CITY:
        for kind in (ScopeKind.DISTRICT, ScopeKind.PARK_TYPE, ScopeKind.PARK):
            found[kind] = list(rows.filter(scope_kind=kind).order_by("scope_code"))
    elif scope.kind == ScopeKind.DISTRICT:
        found[ScopeKind.PARK] = list(
            rows.filter(scope_kind=ScopeKind.PARK, park__district__code=scope.code).order_by("scope_code")
        )
    elif scope.kind == ScopeKind.PARK_TYPE:
        # The parks of the type at the period's end, as the type's value sums them (时点口径).
        of_type = parks_in_state(period.end, park_types=(scope.code,)).values("pk")
        found[ScopeKind.PARK] = list(rows.filter(scope_kind=ScopeKind.PARK, park__in=of_type).order_by("scope_code"))
    return found


def scope_names(scopes: Sequence[IndicatorValue | Scope]) -> dict[tuple[str, str], str]:
    """Display names of the scopes (one query per kind)."""
    keys = {
        (item.scope_kind, item.scope_code) if isinstance(item, IndicatorValue) else (item.kind, item.code)
        for item in scopes
    }
    names: dict[tuple[str, str], str] = {}
    parks = [code for kind, code in keys if kind == ScopeKind.PARK]
    districts = [code for kind, code in keys if kind == ScopeKind.DISTRICT]
    for code, name in Park.objects.filter(code__in=parks).values_list("code", "name"):
        names[(ScopeKind.PARK, code)] = name
    for code, name in District.objects.filter(code__in=districts).values_list("code", "name"):
        names[(ScopeKind.DISTRICT, code)] = name
    type_names = park_type_names()
    for kind, code in keys:
        if kind == ScopeKind.PARK_TYPE:
            names[(kind, code)] = type_names.get(code, code)
        elif kind == ScopeKind.CITY:
            names[(kind, code)] = gettext("全市")
    return names


def scope_visible(user: User, scope: Scope) -> bool:
    """Whether the user may read this scope's values: the rule of `IndicatorValue.visible_to`,
    applied to the values stored for the scope."""
    return IndicatorValue.objects.visible_to(user).filter(scope_kind=scope.kind, scope_code=scope.code).exists()


# ── drill-down ─────────────────────────────────────────────────────────────────────────────

UNIT_KINDS = {
    "annual": "enterprise",
    "monthly": "enterprise",
    "enterprises": "enterprise",
    "land": "parcel",
    "park_annual": "park",
    "parks": "park",
    "indicator": "park",
}
# The kinds of units behind a value, as a page names them in a sentence ("the enterprises behind it").
UNIT_NAMES = {
    "enterprise": pgettext_lazy("units behind a value", "企业"),
    "parcel": pgettext_lazy("units behind a value", "地块"),
    "park": pgettext_lazy("units behind a value", "园区"),
}


@dataclass(frozen=True)
class DrillRow:
    key: str  # USCC, parcel code or park code
    name: str
    park: str
    district: str
    terms: dict[str, Decimal]
    link_kind: str


@dataclass(frozen=True)
class DrillDown:
    unit_kind: str
    terms: list[Term]
    rows: list[DrillRow]
    total: int


def _unit_path(source: str) -> str:
    return {
        "annual": "enterprise_id",
        "monthly": "enterprise_id",
        "enterprises": "pk",
        "land": "pk",
        "park_annual": "park_id",
        "parks": "pk",
        "indicator": "park_id",
    }[source]


def _scope_q(term: Term, item: Indicator, scope: Scope, period: Period) -> Q:
    """The rows of a scope in a period: parks as they were at the period's end (时点口径)."""
    spec = SPECS[term.source]
    if scope.kind == ScopeKind.PARK:
        return Q(**{f"{spec.park}__in": Park.objects.filter(code=scope.code).values("pk")})
    if scope.kind == ScopeKind.PARK_TYPE:
        return Q(**{f"{spec.park}__in": parks_in_state(period.end, park_types=(scope.code,)).values("pk")})
    in_park = Q(**{f"{spec.park}__isnull": False})
    if scope.kind == ScopeKind.DISTRICT:
        district = Q(**{f"{spec.district}__in": District.objects.filter(code=scope.code).values("pk")})
        return district if item.coverage == "city" else district & in_park
    return Q() if item.coverage == "city" else in_park


def _visible_units(user: User, unit_kind: str) -> QuerySet[Any]:
    if unit_kind == "enterprise":
        return Enterprise.objects.visible_to(user).values("pk")
    if unit_kind == "parcel":
        return LandParcel.objects.visible_to(user).values("pk")
    return Park.objects.visible_to(user).values("pk")


def drill_down(
    user: User, item: Indicator, scope: Scope, period: Period, *, offset: int = 0, limit: int | None = 50
) -> DrillDown:
    """The units behind a value (enterprises for enterprise data, parcels for land, parks for park
    data), each with its own term values, largest first; only units the user may see."""
    if item.external or not item.terms:
        return DrillDown("", [], [], 0)
    unit_kind = UNIT_KINDS[item.terms[0].source]
    terms = [term for term in item.terms if UNIT_KINDS[term.source] == unit_kind]
    source = terms[0].source
    key = source_key(terms[0])
    same_source = [term for term in terms if source_key(term) == key]
    queryset = rows_of(key, period).filter(_scope_q(terms[0], item, scope, period))
    unit = _unit_path(source)
    queryset = queryset.filter(**{f"{unit}__in": _visible_units(user, unit_kind)})
    aliases = {f"t{index}": term for index, term in enumerate(same_source)}
    grouped = queryset.values(unit_id=F(unit)).annotate(
        **{alias: term_aggregate(term, key, period) for alias, term in aliases.items()}
    )
    any_value = Q()
    for alias in aliases:
        any_value |= Q(**{f"{alias}__gt": 0})
    grouped = grouped.filter(any_value).order_by(*(f"-{alias}" for alias in aliases), "unit_id")
    total = grouped.count()
    page = list(grouped[offset : offset + limit] if limit is not None else grouped)
    ids = [row["unit_id"] for row in page]
    names = _unit_names(unit_kind, ids)
    rows = []
    for row in page:
        label = names.get(row["unit_id"], ("", str(row["unit_id"]), "", ""))
        rows.append(
            DrillRow(
                key=label[0],
                name=label[1],
                park=label[2],
                district=label[3],
                terms={term.name: Decimal(row[alias] or 0) for alias, term in aliases.items()},
                link_kind=unit_kind,
            )
        )
    return DrillDown(unit_kind, same_source, rows, total)


def _unit_names(unit_kind: str, ids: list[int]) -> dict[int, tuple[str, str, str, str]]:
    found: Any
    if unit_kind == "enterprise":
        found = Enterprise.objects.filter(pk__in=ids).values_list("pk", "uscc", "name", "park__name", "district__name")
    elif unit_kind == "parcel":
        found = LandParcel.objects.filter(pk__in=ids).values_list("pk", "code", "code", "park__name", "district__name")
    else:
        found = Park.objects.filter(pk__in=ids).values_list("pk", "code", "name", "name", "district__name")
    return {pk: (key or "", name or "", park or "", district or "") for pk, key, name, park, district in found}


def indicator_or_none(code: str) -> Indicator | None:
    try:
        return catalogue.indicator(code)
    except KeyError:
        return None


def indicator_or_404(code: str) -> Indicator:
    """The catalogue's indicator for a page or an API call; 404 for a code it does not hold."""
    item = indicator_or_none(code)
    if item is None:
        raise Http404("指标不存在")
    return item


def scope_or_404(user: User, text: str) -> Scope:
    """The scope a page or an API call names ("city", "park:P001", …); 404 when the text names none
    or the user may not see it."""
    try:
        scope = Scope.parse(text)
    except ValueError as exc:
        raise Http404("统计范围无效") from exc
    if not scope_visible(user, scope):
        raise Http404("对象不存在或不在您的权限范围内")
    return scope
