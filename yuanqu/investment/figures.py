"""The 招商 figures this app hands to the indicator catalogue (`source: provided` in indicators.yaml),
so they appear in 指标 with their definition, their values per park, district and city, and can be
set as targets on the board:

- `investment_signed_projects` (个) and `investment_signed_amount` (亿元): the projects signed in the
  year (the signing cohort) and the sum of their planned investment;
- `investment_start_rate` and `investment_production_rate` (%): of that cohort, the share that has
  reached 开工 and 投产 (same cohort for numerator and denominator, as on the 招商指标 page);
- `investment_output_delivery_rate` (%): 产值兑现率 of the year — over the projects in production
  whose firm reported that year (not before the year it went into production), Σ reported 工业总产值
  ÷ Σ output promised at signing for full production.

A park's value counts the projects placed in the park; a district's and the city's count all their
projects, in a park or not. Terminated projects keep the dates they reached. Registered with
`indicators.providers` in `InvestmentConfig.ready()`; refreshed after each stage move
(`services.project_advance`) and after an annual statistics batch (兑现率), and by every full
recompute. Who calls this: the indicator engine and `investment.services`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from yuanqu.indicators.models import CITY_CODE, ScopeKind
from yuanqu.indicators.providers import ProvidedValue, provided_refresh_many
from yuanqu.investment.models import Project
from yuanqu.registry.models import District, Park
from yuanqu.stats.models import AnnualStat, ImportBatch

SIGNED = "investment_signed_projects"
AMOUNT = "investment_signed_amount"
START_RATE = "investment_start_rate"
PRODUCTION_RATE = "investment_production_rate"
DELIVERY_RATE = "investment_output_delivery_rate"
STAGE_CODES = (SIGNED, AMOUNT, START_RATE, PRODUCTION_RATE)
WAN_PER_YI = Decimal("10000")
HUNDRED = Decimal("100")
PLACES = Decimal("0.01")


def _end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


@dataclass
class _Sums:
    signed: int = 0
    amount: Decimal = Decimal(0)
    started: int = 0
    producing: int = 0
    promised: Decimal = Decimal(0)
    reported: Decimal = Decimal(0)


Scope = tuple[str, str, int | None, int | None]  # scope kind, code, park id, district id


class _Places:
    def __init__(self, projects: Iterable[Project]) -> None:
        projects = list(projects)
        self.parks = {p.pk: p for p in Park.objects.filter(pk__in={x.park_id for x in projects if x.park_id})}
        self.districts = {d.pk: d for d in District.objects.filter(pk__in={x.district_id for x in projects})}

    def scopes(self, project: Project) -> list[Scope]:
        district = self.districts[project.district_id]
        found: list[Scope] = [
            (ScopeKind.CITY, CITY_CODE, None, None),
            (ScopeKind.DISTRICT, district.code, None, district.pk),
        ]
        if project.park_id is not None:
            park = self.parks[project.park_id]
            found.append((ScopeKind.PARK, park.code, park.pk, park.district_id))
        return found


def _values(sums: dict[tuple[Scope, int], _Sums], value: Callable[[_Sums], Decimal | None]) -> list[ProvidedValue]:
    rows = []
    for ((kind, code, park_id, district_id), year), row in sorted(sums.items(), key=lambda item: item[0][1]):
        found = value(row)
        if found is not None:
            rows.append(ProvidedValue(kind, code, _end(year), found, park_id, district_id))
    return rows


def _cohorts() -> dict[tuple[Scope, int], _Sums]:
    projects = list(
        Project.objects.filter(signed_on__isnull=False).only(
            "district_id", "park_id", "signed_on", "started_on", "producing_on", "planned_investment"
        )
    )
    places = _Places(projects)
    sums: dict[tuple[Scope, int], _Sums] = defaultdict(_Sums)
    for project in projects:
        assert project.signed_on is not None
        for scope in places.scopes(project):
            row = sums[(scope, project.signed_on.year)]
            row.signed += 1
            row.amount += project.planned_investment or Decimal(0)
            row.started += project.started_on is not None
            row.producing += project.producing_on is not None
    return sums


def _rate(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(PLACES) if whole else None


def signed_projects() -> list[ProvidedValue]:
    return _values(_cohorts(), lambda row: Decimal(row.signed))


def signed_amount() -> list[ProvidedValue]:
    return _values(_cohorts(), lambda row: row.amount)


def start_rate() -> list[ProvidedValue]:
    return _values(_cohorts(), lambda row: _rate(row.started, row.signed))


def production_rate() -> list[ProvidedValue]:
    return _values(_cohorts(), lambda row: _rate(row.producing, row.signed))


def output_delivery_rate() -> list[ProvidedValue]:
    projects = list(
        Project.objects.filter(enterprise__isnull=False, producing_on__isnull=False, expected_output__gt=0).only(
            "district_id", "park_id", "enterprise_id", "producing_on", "expected_output"
        )
    )
    if not projects:
        return []
    places = _Places(projects)
    reports: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    stats = AnnualStat.objects.filter(
        enterprise_id__in={p.enterprise_id for p in projects}, output__isnull=False
    ).values_list("enterprise_id", "year", "output")
    for enterprise_id, year, output in stats:
        if output is not None:
            reports[enterprise_id].append((year, output))
    sums: dict[tuple[Scope, int], _Sums] = defaultdict(_Sums)
    for project in projects:
        assert project.producing_on is not None and project.expected_output is not None
        for year, output in reports.get(project.enterprise_id or 0, []):
            if year < project.producing_on.year:
                continue
            for scope in places.scopes(project):
                row = sums[(scope, year)]
                row.promised += project.expected_output
                row.reported += output / WAN_PER_YI
    return _values(sums, lambda row: _rate(row.reported, row.promised))


PROVIDERS = {
    SIGNED: signed_projects,
    AMOUNT: signed_amount,
    START_RATE: start_rate,
    PRODUCTION_RATE: production_rate,
    DELIVERY_RATE: output_delivery_rate,
}


# Store the named figures anew (each only where the pack marks it `source: provided`).
refresh = provided_refresh_many


def refresh_after_batch(sender: Any, *, batch: ImportBatch, **kwargs: Any) -> None:
    """An annual statistics batch changes what producing firms report: 兑现率 follows."""
    if batch.kind == ImportBatch.Kind.ANNUAL:
        refresh(DELIVERY_RATE)
