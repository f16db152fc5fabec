"""Catalogue terms compiled to the ORM: where each data source's rows are (`SPECS`, `rows_of`), and a
term's row filter and aggregate (`term_condition`, `term_aggregate`: `SUM(measure) FILTER (WHERE …)` /
`COUNT(*) FILTER (…)`, with sub-queries for labels and lead chains), written by the ORM for SQLite
and PostgreSQL alike. The selectors use the same compilation to list the rows behind a value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Sum

from yuanqu.core.periods import Period
from yuanqu.indicators.models import (
    IndicatorValue,
    ScopeKind,
)
from yuanqu.indicators.pack import Term, TermFilter
from yuanqu.registry.models import ChainNode, EnterpriseLabel, IndustryClass, LandParcel, Park
from yuanqu.registry.selectors import enterprises_on, parks_in_state, with_state_on
from yuanqu.stats.measures import MEASURE_BY_CODE
from yuanqu.stats.models import AnnualStat, MonthlyStat, ParkAnnualStat

INDICATOR_SOURCE_PREFIX = "indicator:"


@dataclass(frozen=True)
class SourceSpec:
    """Where a source's rows are, and the paths from a row to its park, district, enterprise and
    industry class (None where the source has none)."""

    park: str
    district: str
    enterprise: str | None
    industry: str | None
    park_attrs: str  # prefix of the park's own fields
    batch: str | None


# The annual and monthly figures are both reported per enterprise in a batch. Their park, district
# and industry class are the enterprise's state at the period's end (`rows_of` annotates them).
_ENTERPRISE_FIGURES = SourceSpec(
    "state_park",
    "state_district",
    "enterprise_id",
    "state_industry",
    "enterprise__park__",
    "batch_id",
)

SPECS: dict[str, SourceSpec] = {
    "annual": _ENTERPRISE_FIGURES,
    "monthly": _ENTERPRISE_FIGURES,
    "enterprises": SourceSpec("state_park", "state_district", "pk", "state_industry", "park__", None),
    "land": SourceSpec("park_id", "district_id", None, None, "park__", "batch_id"),
    "park_annual": SourceSpec("park_id", "park__district_id", None, None, "park__", "batch_id"),
    "parks": SourceSpec("pk", "district_id", None, None, "", None),
    "indicator": SourceSpec("park_id", "district_id", None, None, "park__", None),
}


def source_key(term: Term) -> str:
    """Cells are stored per source; terms reading another indicator are stored per that indicator."""
    return f"{INDICATOR_SOURCE_PREFIX}{term.indicator}" if term.source == "indicator" else term.source


def _spec(key: str) -> SourceSpec:
    return SPECS["indicator" if key.startswith(INDICATOR_SOURCE_PREFIX) else key]


def rows_of(key: str, period: Period) -> models.QuerySet[Any]:
    """The source's rows of one period. Rows of enterprises carry the enterprise's state at the
    period's end (时点口径: `state_park`, `state_district`, `state_industry`): a firm counts in the
    park it belonged to then. The enterprise counts leave out firms 注销 or 迁出 by then."""
    end = period.end
    if key == "annual":
        return with_state_on(AnnualStat.objects.filter(year=end.year), end, enterprise="enterprise__")
    if key == "monthly":
        return with_state_on(MonthlyStat.objects.filter(period=end.replace(day=1)), end, enterprise="enterprise__")
    if key == "enterprises":
        return enterprises_on(end)
    if key == "land":
        return LandParcel.objects.filter(Q(supplied_on__isnull=True) | Q(supplied_on__lte=end))
    if key == "park_annual":
        return ParkAnnualStat.objects.filter(year=end.year)
    if key == "parks":
        return Park.objects.all()
    if key.startswith(INDICATOR_SOURCE_PREFIX):
        return IndicatorValue.objects.filter(
            indicator=key.removeprefix(INDICATOR_SOURCE_PREFIX),
            scope_kind=ScopeKind.PARK,
            frequency=period.frequency,
            period=end,
        )
    raise ValueError(key)


def _measure_field(key: str, measure: str) -> str:
    if key == "monthly":
        flow = MEASURE_BY_CODE[measure].flow
        return f"{measure}_ytd" if flow else measure
    if key.startswith(INDICATOR_SOURCE_PREFIX):
        return "value"
    return measure


def _label_holders(kind: str, levels: tuple[str, ...], on: dt.date) -> models.QuerySet[Any]:
    """Ids of enterprises holding a label valid on the day: an uncorrelated sub-query, which both
    databases evaluate once per statement (a correlated EXISTS per row was 20× slower on SQLite)."""
    labels = EnterpriseLabel.objects.filter(kind=kind).valid_on(on)
    if levels:
        labels = labels.filter(level__in=levels)
    return labels.values("enterprise_id")


# The catalogue's comparison words and Django's lookups.
VALUE_LOOKUPS = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte", "eq": "exact"}


def _value_q(lookup: str, op: str, value: Decimal) -> Q:
    if op == "ne":
        return ~Q(**{lookup: value})
    return Q(**{f"{lookup}__{VALUE_LOOKUPS[op]}": value})


def term_condition(term: Term, key: str, period: Period) -> Q | None:
    """The row filter of a term in a source, for one period; None for no filter."""
    spec = _spec(key)
    where = term.where
    end = period.end
    parts: list[Q] = []
    if spec.enterprise is not None:
        holder = f"{spec.enterprise}__in"
        for label in where.labels:
            if label.left_since is not None:
                # An exit: held the day before `left_since`, holds none at the period's end.
                day_before = label.left_since - dt.timedelta(days=1)
                parts.append(
                    Q(**{holder: _label_holders(label.kind, label.levels, day_before)})
                    & ~Q(**{holder: _label_holders(label.kind, label.levels, end)})
                )
                continue
            if label.new_since is None:
                parts.append(Q(**{holder: _label_holders(label.kind, label.levels, end)}))
                continue
            started = EnterpriseLabel.objects.filter(
                kind=label.kind, valid_from__gte=label.new_since, valid_from__lte=end
            )
            if label.levels:
                started = started.filter(level__in=label.levels)
            day_before = label.new_since - dt.timedelta(days=1)
            parts.append(
                Q(**{holder: started.values("enterprise_id")})
                & ~Q(**{holder: _label_holders(label.kind, label.levels, day_before)})
            )
    if spec.industry is not None:
        # The industry class is the enterprise's at the period's end (an annotated code).
        if where.industry_prefixes:
            any_prefix = Q()
            for prefix in where.industry_prefixes:
                any_prefix |= Q(**{f"{spec.industry}__startswith": prefix})
            parts.append(any_prefix)
        if where.high_tech is not None:
            high_tech = Q(**{f"{spec.industry}__in": IndustryClass.objects.exclude(high_tech_group="").values("pk")})
            parts.append(high_tech if where.high_tech else ~high_tech)
        if where.lead_chains is not None:
            through = ChainNode.industry_classes.through
            in_chain = Q(
                Exists(
                    through.objects.filter(
                        industryclass_id=OuterRef(spec.industry),
                        chainnode__chain__parks=OuterRef(spec.park),
                    )
                )
            )
            parts.append(in_chain if where.lead_chains else ~in_chain)
    park_state = _park_state_q(spec.park, where, end)
    if park_state is not None:
        parts.append(park_state)
    if where.in_park is not None:
        parts.append(Q(**{f"{spec.park}__isnull": not where.in_park}))
    if where.land_uses:
        parts.append(Q(use__in=where.land_uses))
    for condition in where.values:
        lookup = "value" if condition.field == "value" else _measure_field(key, condition.field)
        parts.append(_value_q(lookup, condition.op, condition.value))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined &= part
    return combined


def _park_state_q(park: str, where: TermFilter, end: dt.date) -> Q | None:
    """The park conditions (type, recognition, green level) on the parks' state in force at the
    period's end, as one sub-query of park ids. A row outside parks is "not recognised" when that is
    the only park condition, and meets no other."""
    asked = bool(where.park_types or where.green_levels)
    if not asked and where.recognised is None:
        return None
    parks = parks_in_state(
        end,
        park_types=where.park_types,
        recognised=where.recognised,
        green_levels=where.green_levels,
    )
    found = Q(**{f"{park}__in": parks.values("pk")})
    if where.recognised is False and not asked:
        found |= Q(**{f"{park}__isnull": True})
    return found


def term_aggregate(term: Term, key: str, period: Period) -> Sum | Count:
    condition = term_condition(term, key, period)
    if term.aggregate == "sum":
        return Sum(_measure_field(key, term.measure or ""), filter=condition)
    return Count("pk", filter=condition)
