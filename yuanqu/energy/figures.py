"""The carbon figures energy hands to the indicator catalogue (`source: provided`), so a target on the
board and every indicator page can use them like any other indicator: per park, park type, district
and the city, per year from the annual carbon accounts and per month (1–本月累计, the sum of the year's
monthly accounts up to that month, as the catalogue's other monthly values) from the monthly ones
(the parks' annual resource data for 固废, annual only):

- `energy_tce` 综合能耗 (吨标准煤), `co2_total` 碳排放总量 (吨CO₂), `co2_scope1` 直接排放 (范围一) and
  `co2_scope2` 间接排放 (范围二) (吨CO₂): the account's sums;
- `renewable_energy_share` 可再生能源消费占比 (%): renewable electricity (绿电 and self-generated) in
  tce over 综合能耗;
- `energy_intensity` 单位工业增加值能耗 (吨标准煤/万元), `co2_intensity` 单位增加值碳排放 (吨CO₂/万元):
  the sums over value added, none where a firm of the scope lacks value added;
- `co2_per_energy` 单位能耗碳排放 (吨CO₂/吨标准煤), the 零碳园区 core indicator;
- `green_electricity_share` 绿电占比 (%): 绿电 and self-generated renewable electricity over all
  electricity used;
- `solid_waste_utilisation` 工业固废综合利用率 (%): the parks' 固废 utilised over generated;
- `green_design_products` 绿色设计产品数 (项): the products on the national and provincial 绿色设计产品
  labels valid at the year's end, counted by product (the label's list; one where it lists none).

A park type's value is the sum over its parks' accounts; a district's and the city's are their own
accounts (every firm of the district or city, inside a park or not: 全市口径). Each value carries its
terms (the numerator and denominator) and the import batches of the firm accounts behind it, so its
lineage reaches the firms (the park's carbon account page lists them).

Registered with `indicators.providers` in `EnergyConfig.ready()`; refreshed after every carbon
recompute and park-resource import (`refresh`). Who calls this: the indicator engine (full
recompute), `energy.services` and `energy.receivers`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils import timezone

from yuanqu.energy.models import CarbonAccount, ParkResourceAnnual
from yuanqu.indicators.models import CITY_CODE, Frequency, ScopeKind
from yuanqu.indicators.providers import ProvidedValue, provided_refresh_many
from yuanqu.registry.models import District, EnterpriseLabel, LabelKind, LabelLevel, Park, product_names
from yuanqu.registry.selectors import with_state_on

Level = CarbonAccount.Level
PLACES = Decimal("0.0001")


@dataclass
class _Sums:
    """What a scope's year adds up to; value added None once a part lacks it."""

    energy_tce: Decimal = Decimal(0)
    co2_t: Decimal = Decimal(0)
    scope1_t: Decimal = Decimal(0)
    scope2_t: Decimal = Decimal(0)
    renewable_tce: Decimal = Decimal(0)
    electricity_kwh: Decimal = Decimal(0)
    green_kwh: Decimal = Decimal(0)
    value_added: Decimal | None = Decimal(0)
    batches: set[int] = field(default_factory=set)

    def merge(self, other: _Sums) -> None:
        self.energy_tce += other.energy_tce
        self.co2_t += other.co2_t
        self.scope1_t += other.scope1_t
        self.scope2_t += other.scope2_t
        self.renewable_tce += other.renewable_tce
        self.electricity_kwh += other.electricity_kwh
        self.green_kwh += other.green_kwh
        if self.value_added is not None and other.value_added is not None:
            self.value_added += other.value_added
        else:
            self.value_added = None
        self.batches |= other.batches

    def copy(self) -> _Sums:
        return replace(self, batches=set(self.batches))

    def add(self, account: CarbonAccount) -> None:
        self.energy_tce += account.energy_tce
        self.co2_t += account.co2_t
        self.scope1_t += account.scope1_t
        self.scope2_t += account.scope2_t
        self.renewable_tce += account.renewable_tce
        self.electricity_kwh += account.electricity_kwh
        self.green_kwh += account.green_kwh
        if self.value_added is not None and account.value_added is not None:
            self.value_added += account.value_added
        else:
            self.value_added = None


@dataclass(frozen=True)
class _Scope:
    kind: str
    code: str
    park_id: int | None = None
    district_id: int | None = None


def _end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _ratio(top: Decimal, bottom: Decimal | None, scale: int = 1) -> Decimal | None:
    if bottom is None or bottom <= 0:
        return None
    return (top * scale / bottom).quantize(PLACES)


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


# A value's place in the catalogue: its scope, frequency and period end.
Key = tuple[_Scope, str, dt.date]

# The sums read once for a refresh of all six account figures (`refresh`), not once per figure.
_READ: list[dict[Key, _Sums]] = []


def _sums() -> dict[Key, _Sums]:
    return _READ[-1] if _READ else _read_sums()


def _scopes(account: CarbonAccount) -> list[_Scope]:
    if account.level == Level.PARK and account.park is not None:
        park = account.park
        return [
            _Scope(ScopeKind.PARK, park.code, park.pk, park.district_id),
            _Scope(ScopeKind.PARK_TYPE, park.park_type),
        ]
    if account.level == Level.DISTRICT and account.district is not None:
        return [_Scope(ScopeKind.DISTRICT, account.district.code, None, account.district_id)]
    if account.level == Level.CITY:
        return [_Scope(ScopeKind.CITY, CITY_CODE)]
    return []


def _read_sums() -> dict[Key, _Sums]:
    """Every scope's sums: parks, park types, districts and the city; per year (the annual accounts)
    and per month, 1–本月累计 (the monthly accounts of the year's months up to that one, as the
    catalogue's other monthly values)."""
    found: dict[Key, _Sums] = {}
    firm_batches: dict[tuple[str, int | None, int, int], set[int]] = defaultdict(set)
    for park_id, district_id, year, month, batch_ids in CarbonAccount.objects.filter(
        level=Level.ENTERPRISE
    ).values_list("park_id", "district_id", "year", "month", "batch_ids"):
        firm_batches[(Level.PARK, park_id, year, month)].update(batch_ids)
        firm_batches[(Level.DISTRICT, district_id, year, month)].update(batch_ids)
        firm_batches[(Level.CITY, None, year, month)].update(batch_ids)
    rows = CarbonAccount.objects.filter(level__in=(Level.PARK, Level.DISTRICT, Level.CITY)).select_related(
        "park", "district"
    )
    months: dict[tuple[_Scope, int], dict[int, _Sums]] = defaultdict(dict)
    for account in rows:
        owner = account.park_id if account.level == Level.PARK else account.district_id
        batches = firm_batches[
            (account.level, owner if account.level != Level.CITY else None, account.year, account.month)
        ]
        for scope in _scopes(account):
            if account.month == 0:
                sums = found.setdefault((scope, Frequency.YEAR, _end(account.year)), _Sums())
            else:
                sums = months[(scope, account.year)].setdefault(account.month, _Sums())
            sums.add(account)
            sums.batches |= batches
    for (scope, year), by_month in months.items():
        running = _Sums()
        for month in sorted(by_month):
            running.merge(by_month[month])
            found[(scope, Frequency.MONTH, _month_end(year, month))] = running.copy()
    return found


Figure = Callable[[_Sums], tuple[Decimal | None, dict[str, Decimal | None]]]

FIGURES: dict[str, Figure] = {
    "energy_tce": lambda s: (s.energy_tce, {"energy_tce": s.energy_tce}),
    "co2_total": lambda s: (s.co2_t, {"co2_t": s.co2_t}),
    "co2_scope1": lambda s: (s.scope1_t, {"scope1_t": s.scope1_t}),
    "co2_scope2": lambda s: (s.scope2_t, {"scope2_t": s.scope2_t}),
    "renewable_energy_share": lambda s: (
        _ratio(s.renewable_tce, s.energy_tce, 100),
        {"renewable_tce": s.renewable_tce, "energy_tce": s.energy_tce},
    ),
    "energy_intensity": lambda s: (
        _ratio(s.energy_tce, s.value_added),
        {"energy_tce": s.energy_tce, "value_added": s.value_added},
    ),
    "co2_intensity": lambda s: (_ratio(s.co2_t, s.value_added), {"co2_t": s.co2_t, "value_added": s.value_added}),
    "co2_per_energy": lambda s: (_ratio(s.co2_t, s.energy_tce), {"co2_t": s.co2_t, "energy_tce": s.energy_tce}),
    "green_electricity_share": lambda s: (
        _ratio(s.green_kwh, s.electricity_kwh, 100),
        {"green_kwh": s.green_kwh, "electricity_kwh": s.electricity_kwh},
    ),
}
SOLID_WASTE = "solid_waste_utilisation"


def _order(item: tuple[Key, object]) -> tuple[dt.date, str, str, str]:
    (scope, frequency, end), _ = item
    return end, frequency, scope.kind, scope.code


def _account_figure(code: str) -> Callable[[], list[ProvidedValue]]:
    figure = FIGURES[code]

    def provide() -> list[ProvidedValue]:
        values = []
        for (scope, frequency, end), sums in sorted(_sums().items(), key=_order):
            value, terms = figure(sums)
            values.append(
                ProvidedValue(
                    scope.kind,
                    scope.code,
                    end,
                    value,
                    scope.park_id,
                    scope.district_id,
                    terms={name: str(term) for name, term in terms.items() if term is not None},
                    batch_ids=tuple(sorted(sums.batches)),
                    frequency=frequency,
                )
            )
        return values

    return provide


def solid_waste_utilisation() -> list[ProvidedValue]:
    """Per park its 固废 utilised over generated; per park type, district and the city the same over
    the sums of their parks that report both."""
    groups: dict[Key, list[Decimal]] = {}
    batches: dict[Key, set[int]] = defaultdict(set)
    rows = ParkResourceAnnual.objects.filter(
        solid_waste_generated_t__isnull=False, solid_waste_utilised_t__isnull=False
    ).select_related("park", "park__district")
    for row in rows:
        park = row.park
        scopes = [
            _Scope(ScopeKind.PARK, park.code, park.pk, park.district_id),
            _Scope(ScopeKind.PARK_TYPE, park.park_type),
            _Scope(ScopeKind.DISTRICT, park.district.code, None, park.district_id),
            _Scope(ScopeKind.CITY, CITY_CODE),
        ]
        for scope in scopes:
            key = (scope, Frequency.YEAR, _end(row.year))
            sums = groups.setdefault(key, [Decimal(0), Decimal(0)])
            assert row.solid_waste_utilised_t is not None and row.solid_waste_generated_t is not None
            sums[0] += row.solid_waste_utilised_t
            sums[1] += row.solid_waste_generated_t
            batches[key].add(row.batch_id)
    return [
        ProvidedValue(
            scope.kind,
            scope.code,
            end,
            _ratio(utilised, generated, 100),
            scope.park_id,
            scope.district_id,
            terms={"solid_waste_utilised_t": str(utilised), "solid_waste_generated_t": str(generated)},
            batch_ids=tuple(sorted(batches[(scope, frequency, end)])),
        )
        for (scope, frequency, end), (utilised, generated) in sorted(groups.items(), key=_order)
    ]


GREEN_PRODUCTS = "green_design_products"
GREEN_PRODUCT_LEVELS = (LabelLevel.NATIONAL, LabelLevel.PROVINCIAL)


def green_design_products() -> list[ProvidedValue]:
    """绿色设计产品 counted by product, not by firm: per park, park type, district and the city, per year,
    the products named on the national and provincial 绿色设计产品 labels valid on the year's last day
    (a label naming none counts one), each firm in the park and district it was in that day."""
    labels = EnterpriseLabel.objects.filter(kind=LabelKind.GREEN_PRODUCT, level__in=GREEN_PRODUCT_LEVELS)
    first = labels.order_by("valid_from").values_list("valid_from", flat=True).first()
    if first is None:
        return []
    parks = {park.pk: park for park in Park.objects.select_related("district")}
    districts = dict(District.objects.values_list("pk", "code"))
    values: list[ProvidedValue] = []
    for year in range(first.year, timezone.localdate().year + 1):
        end = _end(year)
        counts: dict[_Scope, int] = defaultdict(int)
        batches: dict[_Scope, set[int]] = defaultdict(set)
        counts[_Scope(ScopeKind.CITY, CITY_CODE)] = 0
        rows = with_state_on(labels.valid_on(end), end, enterprise="enterprise__").values_list(
            "products", "state_park", "state_district", "batch_id"
        )
        for products, park_id, district_id, batch_id in rows:
            scopes = [_Scope(ScopeKind.CITY, CITY_CODE)]
            if district_id in districts:
                scopes.append(_Scope(ScopeKind.DISTRICT, districts[district_id], None, district_id))
            park = parks.get(park_id) if park_id is not None else None
            if park is not None:
                scopes.append(_Scope(ScopeKind.PARK, park.code, park.pk, park.district_id))
                scopes.append(_Scope(ScopeKind.PARK_TYPE, park.park_type))
            for scope in scopes:
                counts[scope] += len(product_names(products)) or 1
                if batch_id is not None:
                    batches[scope].add(batch_id)
        for scope, count in sorted(counts.items(), key=lambda item: (item[0].kind, item[0].code)):
            values.append(
                ProvidedValue(
                    scope.kind,
                    scope.code,
                    end,
                    Decimal(count),
                    scope.park_id,
                    scope.district_id,
                    terms={"products": str(count)},
                    batch_ids=tuple(sorted(batches[scope])),
                )
            )
    return values


PROVIDERS: dict[str, Callable[[], list[ProvidedValue]]] = {code: _account_figure(code) for code in FIGURES}
PROVIDERS[SOLID_WASTE] = solid_waste_utilisation
PROVIDERS[GREEN_PRODUCTS] = green_design_products


def refresh(*codes: str) -> None:
    """Store the figures anew (all of them when no code is named)."""
    wanted = codes or tuple(PROVIDERS)
    if not set(wanted) & set(FIGURES):
        provided_refresh_many(*wanted)
        return
    _READ.append(_read_sums())
    try:
        provided_refresh_many(*wanted)
    finally:
        _READ.pop()
