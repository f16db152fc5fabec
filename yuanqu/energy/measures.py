"""The energy carriers and resource measures the energy tables carry, with their Chinese names and
stored units. One list, used by the models, the import kinds, the accounting and the demo. Pure."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Carrier:
    code: str  # the field name in EnergyMonthly / EnergyAnnual
    name: str
    unit: str  # the unit stored (the import converts 万千瓦时, 万立方米 … to it)
    # The accounting key the pack's coefficients and factors are given for ("" for water).
    fuel: str


# Electricity: purchased, of it green (绿电交易或绿证), and self-generated renewable (自发自用).
CARRIERS: tuple[Carrier, ...] = (
    Carrier("electricity_kwh", "外购电力", "千瓦时", "electricity"),
    Carrier("green_electricity_kwh", "其中：绿电（绿电交易或绿证）", "千瓦时", "electricity"),
    Carrier("self_renewable_kwh", "自发自用可再生能源电力", "千瓦时", "electricity"),
    Carrier("natural_gas_m3", "天然气", "立方米", "natural_gas"),
    Carrier("raw_coal_t", "原煤", "吨", "raw_coal"),
    Carrier("washed_coal_t", "洗精煤", "吨", "washed_coal"),
    Carrier("coke_t", "焦炭", "吨", "coke"),
    Carrier("fuel_oil_t", "燃料油", "吨", "fuel_oil"),
    Carrier("diesel_t", "柴油", "吨", "diesel"),
    Carrier("heat_gj", "外购热力（蒸汽、热水）", "吉焦", "heat"),
    Carrier("water_t", "用水量", "吨", ""),
)
CARRIER_BY_CODE = {carrier.code: carrier for carrier in CARRIERS}
ENERGY_FIELDS: tuple[str, ...] = tuple(carrier.code for carrier in CARRIERS)
# Fuels burnt on site (scope 1); electricity and heat are bought (scope 2).
COMBUSTION_FUELS = ("natural_gas", "raw_coal", "washed_coal", "coke", "fuel_oil", "diesel")
FUELS = ("electricity", *COMBUSTION_FUELS, "heat")


@dataclass(frozen=True)
class ParkMeasure:
    code: str
    name: str
    unit: str


# A park's annual resource data (固废 and wastewater), beside its ParkAnnualStat.
PARK_RESOURCE_MEASURES: tuple[ParkMeasure, ...] = (
    ParkMeasure("solid_waste_generated_t", "一般工业固体废物产生量", "吨"),
    ParkMeasure("solid_waste_utilised_t", "一般工业固体废物综合利用量", "吨"),
    ParkMeasure("wastewater_t", "工业废水产生量", "吨"),
    ParkMeasure("wastewater_recycled_t", "废水循环利用量", "吨"),
)
PARK_RESOURCE_FIELDS: tuple[str, ...] = tuple(measure.code for measure in PARK_RESOURCE_MEASURES)
