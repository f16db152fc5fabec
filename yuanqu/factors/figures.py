"""The figures factors hands to the indicator catalogue (`source: provided`), so the three targets
the city used to type in compute from data:

- `famous_parks_selected` (city, per year): the parks named in the confirmed 产业名园 selections up to
  that year, each park once;
- `famous_park_award` (per park, and per park type as the highest park of the type, per year): the
  awards granted to the park's operator up to that year, less those clawed back — the award-cap
  targets compare the type's value with the cap;
- `land_start_price_ratio` (city, per year, in %): the lowest start price as a share of the 基准地价
  among the year's land sales, approved exceptions included, so a sale below 70% shows on the board;
- `land_flexible_share` (per district and for the city, per year, in %): the area supplied by the
  弹性供地 methods (弹性年期出让, 长期租赁, 租让结合, 先租后让 in the pack) over all area supplied,
  shown beside the start-price target on the board.

Registered with `indicators.providers` in `FactorsConfig.ready()`; refreshed by the factors services
after a write that changes them. Who calls this: the indicator engine (full recompute) and
`factors.services`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Min, Sum
from django.db.models.functions import ExtractYear

from yuanqu.evaluation.models import EvaluationRun, ParkResult
from yuanqu.factors.models import LandSupply, LedgerEntry, LedgerKind
from yuanqu.indicators.models import CITY_CODE, ScopeKind
from yuanqu.indicators.providers import ProvidedValue, provided_refresh_many
from yuanqu.registry.models import District, Park

SELECTED = "famous_parks_selected"
AWARD = "famous_park_award"
START_RATIO = "land_start_price_ratio"
FLEXIBLE_SHARE = "land_flexible_share"


def _end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def parks_selected() -> list[ProvidedValue]:
    rows = ParkResult.objects.filter(
        run__selection_status=EvaluationRun.SelectionStatus.CONFIRMED, selected=True
    ).values_list("run__year", "park_id")
    first: dict[int, int] = {}
    years_seen: set[int] = set()
    for year, park in rows:
        first[park] = min(year, first.get(park, year))
        years_seen.add(year)
    years = sorted(years_seen)
    return [
        ProvidedValue(ScopeKind.CITY, CITY_CODE, _end(year), Decimal(sum(1 for y in first.values() if y <= year)))
        for year in years
    ]


def awards_granted() -> list[ProvidedValue]:
    rows = (
        LedgerEntry.objects.standing()
        .filter(kind=LedgerKind.FAMOUS_PARK_AWARD)
        .values("park_id", "year")
        .annotate(total=Sum("amount_wan_yuan"))
        .order_by()
    )
    by_park: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in rows:
        by_park[row["park_id"]][row["year"]] = row["total"]
    if not by_park:
        return []
    parks = {park.pk: park for park in Park.objects.filter(pk__in=by_park)}
    years = sorted({year for per_year in by_park.values() for year in per_year})
    values: list[ProvidedValue] = []
    highest: dict[tuple[str, int], Decimal] = {}
    for park_id, per_year in by_park.items():
        park = parks[park_id]
        for year in years:
            if year < min(per_year):
                continue
            granted = sum((amount for y, amount in per_year.items() if y <= year), Decimal(0))
            values.append(ProvidedValue(ScopeKind.PARK, park.code, _end(year), granted, park.pk, park.district_id))
            key = (park.park_type, year)
            highest[key] = max(highest.get(key, Decimal(0)), granted)
    values += [
        ProvidedValue(ScopeKind.PARK_TYPE, park_type, _end(year), value) for (park_type, year), value in highest.items()
    ]
    return values


def lowest_start_ratio() -> list[ProvidedValue]:
    rows = (
        LandSupply.objects.annotate(year=ExtractYear("supplied_on"))
        .values("year")
        .annotate(lowest=Min("start_ratio"))
        .order_by("year")
    )
    return [
        ProvidedValue(ScopeKind.CITY, CITY_CODE, _end(row["year"]), row["lowest"] * 100)
        for row in rows
        if row["lowest"] is not None
    ]


def flexible_share() -> list[ProvidedValue]:
    """Each district's share per year, and the city's (all districts' area together)."""
    from yuanqu.factors.selectors import flexible_shares_of

    shares = flexible_shares_of(LandSupply.objects.all())
    districts = dict(District.objects.values_list("code", "pk"))
    city: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    values = []
    for share in shares:
        city[share.year][0] += share.flexible_mu
        city[share.year][1] += share.total_mu
        if share.percent is not None:
            values.append(
                ProvidedValue(
                    ScopeKind.DISTRICT,
                    share.district_code,
                    _end(share.year),
                    share.percent,
                    district_id=districts.get(share.district_code),
                    terms={"flexible_mu": str(share.flexible_mu), "total_mu": str(share.total_mu)},
                )
            )
    for year, (flexible, total) in sorted(city.items()):
        if total:
            percent = (flexible * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            terms = {"flexible_mu": str(flexible), "total_mu": str(total)}
            values.append(ProvidedValue(ScopeKind.CITY, CITY_CODE, _end(year), percent, terms=terms))
    return values


PROVIDERS = {
    SELECTED: parks_selected,
    AWARD: awards_granted,
    START_RATIO: lowest_start_ratio,
    FLEXIBLE_SHARE: flexible_share,
}


# Store the named figures anew (each only where the pack marks it `source: provided`).
refresh = provided_refresh_many
