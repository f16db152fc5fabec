"""The energy and carbon arithmetic of one report, and the sum of several. Pure: no Django.

`account(amounts, year=…, config=…)` turns one firm's carriers (in the stored units of measures.py)
into 综合能耗 in tonnes of standard coal and CO₂ in tonnes, with the pack's coefficients and factors:

- 综合能耗 = Σ carrier × its coefficient (kgce per unit) / 1000. Electricity counts purchased plus
  self-generated renewable electricity, at 当量值 or 等价值 as the pack says; water is not energy.
- Scope 1 = Σ fuel burnt × its emission factor (tCO₂ per unit).
- Scope 2 = (purchased electricity − green electricity, when the pack deducts it) × the grid factor
  of the year (kgCO₂/kWh) / 1000 + purchased heat × its factor: the province's factor of the year
  where the pack has one, else the national one; a year without a published national factor takes
  the latest earlier one. The method says which factor, region and year were used.
- 可再生能源 = green plus self-generated electricity, in tce; 清洁能源 = that plus the fuels the pack
  counts as clean.

Every figure is rounded once, half up, to four places (0.0001 t), so that a park's figure is the
exact sum of its firms' figures. Called by `energy.services` (recompute) and by the tests, which
recompute fixtures by hand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from yuanqu.energy.measures import CARRIERS, COMBUSTION_FUELS
from yuanqu.energy.pack import DEDUCT, EnergyConfig

PLACES = Decimal("0.0001")
ZERO = Decimal(0)
THOUSAND = Decimal(1000)


def _round(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


# The figures of an account that add up: a park's, district's and the city's are the sums of their
# firms' (`energy.services`, with `sum_by_fuel`).
SUM_FIELDS = (
    "energy_tce",
    "scope1_t",
    "scope2_t",
    "co2_t",
    "clean_tce",
    "renewable_tce",
    "electricity_kwh",
    "green_kwh",
    "water_t",
)


@dataclass
class Account:
    energy_tce: Decimal = ZERO
    scope1_t: Decimal = ZERO
    scope2_t: Decimal = ZERO
    co2_t: Decimal = ZERO
    clean_tce: Decimal = ZERO
    renewable_tce: Decimal = ZERO
    electricity_kwh: Decimal = ZERO
    green_kwh: Decimal = ZERO
    water_t: Decimal = ZERO
    # fuel → {"tce": …, "co2": …} as strings (JSON)
    by_fuel: dict[str, dict[str, str]] = field(default_factory=dict)
    method: dict[str, Any] = field(default_factory=dict)


def _amount(amounts: Mapping[str, Decimal | None], code: str) -> Decimal:
    value = amounts.get(code)
    return Decimal(value) if value is not None else ZERO


def method_of(config: EnergyConfig, year: int) -> dict[str, Any]:
    """What the accounting of a year used: the electricity basis and coefficient, the grid factor
    (its region, year, value and source; whether it is a stand-in from an earlier year; whether the
    province's factor of the year is missing), the green-electricity rule."""
    electricity = config.electricity_coefficient()
    grid, stand_in = config.grid_for(year)
    return {
        "electricity_basis": config.electricity_basis,
        "electricity_coefficient": {
            "value": str(electricity.value),
            "unit": electricity.unit,
            "source": electricity.source,
            "year": electricity.year,
        },
        "grid": {
            "region": (grid.region if grid else "") or config.grid_region,
            "year": grid.year if grid else None,
            "value": str(grid.value) if grid else None,
            "source": grid.source if grid else "",
            "stand_in": stand_in,
            # The province the pack names whose factor of the year it lacks (the national one is used).
            "provincial_missing": config.provincial_region if config.provincial_missing(year) else "",
        },
        "green_electricity": config.green_electricity,
        "clean_fuels": list(config.clean_fuels),
    }


def account(amounts: Mapping[str, Decimal | None], *, year: int, config: EnergyConfig) -> Account:
    """One report's energy and carbon (see the module docstring)."""
    purchased = _amount(amounts, "electricity_kwh")
    green = _amount(amounts, "green_electricity_kwh")
    own = _amount(amounts, "self_renewable_kwh")
    electricity_coefficient = config.electricity_coefficient().per_stored_unit
    tce: dict[str, Decimal] = {"electricity": (purchased + own) * electricity_coefficient / THOUSAND}
    co2: dict[str, Decimal] = {}
    for carrier in CARRIERS:
        if carrier.fuel in ("", "electricity"):
            continue
        amount = _amount(amounts, carrier.code)
        tce[carrier.fuel] = amount * config.coefficients[carrier.fuel].per_stored_unit / THOUSAND
        co2[carrier.fuel] = amount * config.factors[carrier.fuel].per_stored_unit
    grid, _stand_in = config.grid_for(year)
    emitting = purchased - green if config.green_electricity == DEDUCT else purchased
    co2["electricity"] = max(emitting, ZERO) * (grid.value if grid else ZERO) / THOUSAND
    scope1 = sum((co2[fuel] for fuel in COMBUSTION_FUELS), ZERO)
    scope2 = co2["electricity"] + co2["heat"]
    renewable = (green + own) * electricity_coefficient / THOUSAND
    clean = renewable + sum((tce[fuel] for fuel in config.clean_fuels), ZERO)
    result = Account(
        energy_tce=_round(sum(tce.values(), ZERO)),
        scope1_t=_round(scope1),
        scope2_t=_round(scope2),
        clean_tce=_round(clean),
        renewable_tce=_round(renewable),
        electricity_kwh=purchased + own,
        green_kwh=green + own,
        water_t=_amount(amounts, "water_t"),
        by_fuel={
            fuel: {"tce": str(_round(tce[fuel])), "co2": str(_round(co2.get(fuel, ZERO)))}
            for fuel in tce
            if tce[fuel] or co2.get(fuel)
        },
        method=method_of(config, year),
    )
    result.co2_t = result.scope1_t + result.scope2_t
    return result


def sum_by_fuel(mixes: Iterable[Mapping[str, Mapping[str, str]]]) -> dict[str, dict[str, str]]:
    """The sum of several accounts' `by_fuel` (tce and CO₂ by fuel), fuels in alphabetical order."""
    sums: dict[str, dict[str, Decimal]] = {}
    for mix in mixes:
        for fuel, figures in mix.items():
            found = sums.setdefault(fuel, {"tce": ZERO, "co2": ZERO})
            found["tce"] += Decimal(figures["tce"])
            found["co2"] += Decimal(figures["co2"])
    return {fuel: {key: str(value) for key, value in found.items()} for fuel, found in sorted(sums.items())}
