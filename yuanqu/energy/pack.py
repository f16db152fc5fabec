"""The energy section of the policy pack (energy.yaml): the coefficients that turn each carrier into
tonnes of standard coal (GB/T 2589), the CO₂ emission factors of the fuels and of purchased heat,
the grid emission factors per year, the rules of the accounting (当量值 or 等价值 for electricity,
green electricity deducted or not, which fuels count as clean), and the 零碳园区 indicator set with
its thresholds, and (optional) when a month's intensity is flagged. Every coefficient and factor
carries its source and year.

Who calls this: `energy.accounting` (the pure arithmetic, given the config) through
`energy.services`, and the pages that print the method. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from yuanqu.core.pack import LineMap, Obj, Ref, Section, SectionContext, Source, check_unique, register
from yuanqu.energy.measures import COMBUSTION_FUELS, FUELS

ENERGY_FILE = "energy.yaml"

# The units a coefficient or factor may be written in, with the multiplier to the carrier's stored
# unit (kWh, m³, t, GJ) and the fuels each may be given for.
COEFFICIENT_UNITS: dict[str, tuple[Decimal, tuple[str, ...]]] = {
    "kgce/kWh": (Decimal(1), ("electricity",)),
    "kgce/m³": (Decimal(1), ("natural_gas",)),
    "kgce/kg": (Decimal(1000), ("raw_coal", "washed_coal", "coke", "fuel_oil", "diesel")),
    "kgce/MJ": (Decimal(1000), ("heat",)),
}
FACTOR_UNITS: dict[str, tuple[Decimal, tuple[str, ...]]] = {
    "kgCO2/m³": (Decimal("0.001"), ("natural_gas",)),
    "tCO2/t": (Decimal(1), ("raw_coal", "washed_coal", "coke", "fuel_oil", "diesel")),
    "tCO2/GJ": (Decimal(1), ("heat",)),
}
EQUIVALENT, EQUIVALENT_VALUE = "equivalent", "equivalent_value"
DEDUCT, NO_DEDUCTION = "deduct", "none"
# What a 零碳 indicator may test (CarbonAccount and park figures; see energy.zero_carbon).
ZERO_CARBON_INDICATORS = (
    "co2_per_tce",
    "clean_share",
    "renewable_share",
    "solid_waste_utilisation",
    "water_recycling",
    "water_reuse",
)


@dataclass(frozen=True, slots=True)
class Sourced:
    """A number with what it is and where it comes from."""

    value: Decimal  # as written in the pack, in `unit`
    unit: str
    source: str
    year: int
    per_stored_unit: Decimal  # kgce (coefficients) or tCO₂ (factors) per stored unit of the carrier


@dataclass(frozen=True, slots=True)
class GridFactor:
    year: int
    value: Decimal  # kgCO₂/kWh
    source: str
    region: str = ""  # 全国, or the province of a provincial factor


@dataclass(frozen=True, slots=True)
class Band:
    """The core indicator's threshold for parks whose annual energy use is in [min, max) tce."""

    min_tce: Decimal
    max_tce: Decimal | None
    threshold: Decimal


@dataclass(frozen=True, slots=True)
class ZeroCarbonRule:
    indicator: str
    name: str
    core: bool
    # At most (core indicator, by band) or at least (`minimum`) this value.
    bands: tuple[Band, ...]
    minimum: Decimal | None


@dataclass(frozen=True, slots=True)
class MonthlyWarnings:
    """When a month's intensity (tce per 万元 of value added) is flagged: at `own_ratio` times the
    median of the firm's or park's previous `history_months` (with at least `min_history` values), or
    at `industry_ratio` times the median of the same month's firms of its industry division (at least
    `industry_min_firms` of them)."""

    history_months: int
    min_history: int
    own_ratio: Decimal
    industry_ratio: Decimal
    industry_min_firms: int


@dataclass(frozen=True, slots=True)
class EnergyConfig:
    electricity_basis: str
    coefficients: dict[str, Sourced]
    electricity_equivalent_value: Sourced | None
    factors: dict[str, Sourced]
    grid_region: str
    grid: tuple[GridFactor, ...]  # by year, ascending
    green_electricity: str
    clean_fuels: tuple[str, ...]
    zero_carbon_source: str
    zero_carbon: tuple[ZeroCarbonRule, ...]
    monthly_warnings: MonthlyWarnings | None = None  # None: the pack asks for no monthly warnings
    # The thresholds are not yet checked against the notice's annex: pages and API say so.
    zero_carbon_illustrative: bool = False
    # The province's own grid factors where published (`grid.provincial`), by year, ascending.
    provincial_region: str = ""
    provincial_grid: tuple[GridFactor, ...] = ()

    def electricity_coefficient(self) -> Sourced:
        if self.electricity_basis == EQUIVALENT_VALUE and self.electricity_equivalent_value is not None:
            return self.electricity_equivalent_value
        return self.coefficients["electricity"]

    def grid_for(self, year: int) -> tuple[GridFactor | None, bool]:
        """The grid factor of the year: the province's of that year where the pack has one, else the
        national one of the year, or the latest earlier one (then True: it is a stand-in); a year
        before every published factor takes the earliest, also as a stand-in."""
        provincial = next((factor for factor in self.provincial_grid if factor.year == year), None)
        if provincial is not None:
            return provincial, False
        earlier = [factor for factor in self.grid if factor.year <= year]
        if earlier:
            return earlier[-1], earlier[-1].year != year
        return (self.grid[0], True) if self.grid else (None, True)

    def provincial_missing(self, year: int) -> bool:
        """Whether the pack names a province whose factor of the year is not (yet) in it: the national
        factor is used, and the method says so."""
        return bool(self.provincial_region) and all(factor.year != year for factor in self.provincial_grid)


def _decimal(obj: Obj, key: str) -> Decimal:
    return Decimal(repr(obj.number(key)))


def _sourced(
    src: Source, data: LineMap, label: str, units: dict[str, tuple[Decimal, tuple[str, ...]]], fuel: str
) -> Sourced:
    obj = Obj(src, data, label, ("value", "unit", "source", "year"), ("fuel", "name"))
    unit = obj.choice("unit", tuple(units), "单位")
    value = _decimal(obj, "value")
    if value <= 0:
        obj.error("value", "须大于0")
    multiplier, fuels = units.get(unit, (Decimal(1), ()))
    if unit and fuel and fuel not in fuels:
        obj.error("unit", f"不适用于“{fuel}”")
    return Sourced(
        value=value,
        unit=unit,
        source=obj.text("source"),
        year=obj.integer("year", minimum=1900),
        per_stored_unit=value * multiplier,
    )


def _grid_factors(src: Source, parent: Obj, region: str, label: str) -> list[GridFactor]:
    """The factors by year of a grid (national or a province's), each with its source; a year twice
    is refused."""
    found: list[GridFactor] = []
    year_refs: list[Ref] = []
    for item in parent.objects("factors"):
        obj = Obj(src, item, f"{label}“{item.get('year', '?')}”", ("year", "value", "source"))
        year = obj.integer("year", minimum=1900)
        year_refs.append(Ref(str(year), obj.line("year")))
        value = _decimal(obj, "value")
        if value <= 0:
            obj.error("value", "须大于0")
        found.append(GridFactor(year, value, obj.text("source"), region))
    check_unique(src, f"{label}年度", year_refs)
    return found


def _read_energy(top: Obj | None) -> EnergyConfig | None:
    if top is None:
        return None
    src = top.src
    basis = top.choice("electricity_basis", (EQUIVALENT, EQUIVALENT_VALUE), "电力折标方法")

    coefficients: dict[str, Sourced] = {}
    refs: list[Ref] = []
    for data in top.objects("coefficients"):
        label = f"折标准煤系数“{data.get('fuel', '?')}”"
        fuel = Obj(src, data, label, ("fuel",), ("value", "unit", "source", "year", "name")).choice(
            "fuel", FUELS, "能源品种"
        )
        refs.append(Ref(fuel, data.key_lines.get("fuel", data.line)))
        coefficients[fuel] = _sourced(src, data, label, COEFFICIENT_UNITS, fuel)
    check_unique(src, "折标准煤系数", refs)
    for fuel in FUELS:
        if fuel not in coefficients:
            top.error("coefficients", f"缺少“{fuel}”的折标准煤系数")

    equivalent_value = None
    equivalent_data = top.mapping("electricity_equivalent_value")
    if equivalent_data is not None:
        equivalent_value = _sourced(src, equivalent_data, "电力等价值系数", COEFFICIENT_UNITS, "electricity")
    if basis == EQUIVALENT_VALUE and equivalent_value is None:
        top.error("electricity_basis", "为等价值时须给出 electricity_equivalent_value")

    factors: dict[str, Sourced] = {}
    refs = []
    for data in top.objects("emission_factors"):
        label = f"排放因子“{data.get('fuel', '?')}”"
        fuel = Obj(src, data, label, ("fuel",), ("value", "unit", "source", "year", "name")).choice(
            "fuel", (*COMBUSTION_FUELS, "heat"), "能源品种"
        )
        refs.append(Ref(fuel, data.key_lines.get("fuel", data.line)))
        factors[fuel] = _sourced(src, data, label, FACTOR_UNITS, fuel)
    check_unique(src, "排放因子", refs)
    for fuel in (*COMBUSTION_FUELS, "heat"):
        if fuel not in factors:
            top.error("emission_factors", f"缺少“{fuel}”的排放因子")

    grid: list[GridFactor] = []
    provincial: list[GridFactor] = []
    region = provincial_region = ""
    grid_data = top.mapping("grid")
    if grid_data is not None:
        grid_obj = Obj(src, grid_data, "电网排放因子", ("region", "unit", "factors"), ("provincial",))
        region = grid_obj.text("region")
        if grid_obj.text("unit") != "kgCO2/kWh":
            grid_obj.error("unit", "应为 kgCO2/kWh")
        grid = _grid_factors(src, grid_obj, region, "电网排放因子")
        provincial_data = grid_obj.mapping("provincial")
        if provincial_data is not None:
            provincial_obj = Obj(src, provincial_data, "省级电网排放因子", ("region", "factors"))
            provincial_region = provincial_obj.text("region")
            provincial = _grid_factors(src, provincial_obj, provincial_region, "省级电网排放因子")
    if not grid:
        top.error("grid", "须至少给出一个年度的电网排放因子")

    rules: list[ZeroCarbonRule] = []
    zero_source = ""
    zero_illustrative = False
    zero = top.mapping("zero_carbon")
    if zero is not None:
        zero_obj = Obj(src, zero, "零碳园区指标", ("source", "indicators"), ("illustrative",))
        zero_source = zero_obj.text("source")
        zero_illustrative = zero_obj.boolean("illustrative")
        for item in zero_obj.objects("indicators"):
            obj = Obj(
                src,
                item,
                f"零碳园区指标“{item.get('indicator', '?')}”",
                ("indicator", "name"),
                ("core", "bands", "min"),
            )
            bands: list[Band] = []
            for band in obj.objects("bands"):
                band_obj = Obj(src, band, "单位能耗碳排放分档", ("min_tce", "max"), ("max_tce",))
                bands.append(
                    Band(
                        min_tce=_decimal(band_obj, "min_tce"),
                        max_tce=_decimal(band_obj, "max_tce") if band_obj.has("max_tce") else None,
                        threshold=_decimal(band_obj, "max"),
                    )
                )
            minimum = _decimal(obj, "min") if obj.has("min") else None
            if not bands and minimum is None:
                obj.problem("indicator", "须给出 bands（分档上限）或 min（下限）")
            rules.append(
                ZeroCarbonRule(
                    indicator=obj.choice("indicator", ZERO_CARBON_INDICATORS, "指标"),
                    name=obj.text("name"),
                    core=obj.boolean("core"),
                    bands=tuple(bands),
                    minimum=minimum,
                )
            )

    warnings = None
    warnings_data = top.mapping("monthly_warnings")
    if warnings_data is not None:
        obj = Obj(
            src,
            warnings_data,
            "月度强度预警",
            ("history_months", "min_history", "own_ratio", "industry_ratio", "industry_min_firms"),
        )
        warnings = MonthlyWarnings(
            history_months=obj.integer("history_months", minimum=1),
            min_history=obj.integer("min_history", minimum=1),
            own_ratio=_decimal(obj, "own_ratio"),
            industry_ratio=_decimal(obj, "industry_ratio"),
            industry_min_firms=obj.integer("industry_min_firms", minimum=2),
        )
        for key in ("own_ratio", "industry_ratio"):
            if getattr(warnings, key) <= 1:
                obj.error(key, "须大于1")

    return EnergyConfig(
        electricity_basis=basis,
        coefficients=coefficients,
        electricity_equivalent_value=equivalent_value,
        factors=factors,
        grid_region=region,
        grid=tuple(sorted(grid, key=lambda factor: factor.year)),
        green_electricity=top.choice("green_electricity", (DEDUCT, NO_DEDUCTION), "绿电扣减规则"),
        clean_fuels=top.choices("clean_fuels", COMBUSTION_FUELS),
        provincial_region=provincial_region,
        provincial_grid=tuple(sorted(provincial, key=lambda factor: factor.year)),
        zero_carbon_source=zero_source,
        zero_carbon_illustrative=zero_illustrative,
        zero_carbon=tuple(rules),
        monthly_warnings=warnings,
    )


def _read(ctx: SectionContext) -> EnergyConfig | None:
    return _read_energy(
        ctx.top(
            ENERGY_FILE,
            ("electricity_basis", "coefficients", "emission_factors", "grid", "green_electricity", "zero_carbon"),
            ("electricity_equivalent_value", "clean_fuels", "monthly_warnings"),
        )
    )


ENERGY: Section[EnergyConfig] = register(Section("energy", (ENERGY_FILE,), _read))
