"""The energy import kinds: 企业月度能源数据, 企业年度能源数据 and 园区年度资源循环数据. Their columns (units
converted at import: 万千瓦时, 万立方米, 万吨 …), their row checks after the intake's cell checks, and
their writers (through `yuanqu.stats.services.stats_write`: revisions and rollback like the other
statistics). Registered with the intake pipeline in `EnergyConfig.ready()` through
`intake_kind_register`, since intake sits below this app and imports none of it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from statistics import median
from typing import Any

from yuanqu.core.models import User
from yuanqu.energy.measures import CARRIERS, ENERGY_FIELDS, PARK_RESOURCE_FIELDS, PARK_RESOURCE_MEASURES
from yuanqu.energy.models import EnergyAnnual, EnergyMonthly, ParkResourceAnnual
from yuanqu.intake.kinds import (
    DECIMAL,
    NAME_CHECK_COLUMN,
    PARK_CODE_COLUMN,
    USCC_COLUMN,
    YEAR,
    Column,
    KindSpec,
    kind_spec,
)
from yuanqu.intake.services import Progress, intake_kind_register
from yuanqu.intake.validation import (
    MSG_NO_VALUES,
    WARNING,
    Record,
    Validation,
    enterprise_period_records,
    resolve_park_years,
)
from yuanqu.stats.models import AnnualStat, ImportBatch
from yuanqu.stats.services import StatRow, StatTable, stat_table_register, stats_write

Kind = ImportBatch.Kind

MSG_GREEN_ABOVE_PURCHASED = "其中绿电{green}千瓦时大于外购电力{purchased}千瓦时：绿电是外购电力的一部分"
MSG_COMBINED_MONTHS = "能源数据须逐月填报，不能按“1-2月”合并报送"
MSG_UTILISED_ABOVE_GENERATED = "综合利用量{used}吨大于产生量{made}吨（含利用往年贮存量时请核实）"
MSG_RECYCLED_ABOVE_WASTEWATER = "废水循环利用量{recycled}吨大于废水产生量{made}吨，请核实"
# The intensity warning is a finding the importer must explain before the batch is written (the
# intake's soft audit findings: `Validation.to_explain`).
RULE_INTENSITY = "energy_intensity"
MSG_INTENSITY = (
    "单位工业增加值能耗{value}吨标准煤/万元，为同行业（{industry}）中位数{median}的{ratio}倍，明显异常，请核实后确认"
)

CARRIER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "electricity_kwh": ("外购电量", "购入电力", "电力消费量", "用电量", "外购电"),
    "green_electricity_kwh": ("绿电", "绿色电力", "其中绿电", "绿电绿证电量", "绿证电量"),
    "self_renewable_kwh": ("自发自用光伏", "自发自用可再生能源电量", "光伏发电自用量", "自发可再生电力"),
    "natural_gas_m3": ("天然气消费量", "天然气用量", "天然气（气态）"),
    "raw_coal_t": ("原煤消费量", "煤炭", "原煤用量"),
    "washed_coal_t": ("洗精煤消费量",),
    "coke_t": ("焦炭消费量",),
    "fuel_oil_t": ("燃料油消费量", "重油"),
    "diesel_t": ("柴油消费量",),
    "heat_gj": ("外购热力", "外购蒸汽", "热力", "蒸汽", "外购蒸汽热力"),
    "water_t": ("用水总量", "新水取用量", "取水量"),
}
CARRIER_EXAMPLES: dict[str, Decimal] = {
    "electricity_kwh": Decimal("1250000.00"),
    "green_electricity_kwh": Decimal("200000.00"),
    "self_renewable_kwh": Decimal("80000.00"),
    "natural_gas_m3": Decimal("36000.00"),
    "heat_gj": Decimal("950.00"),
    "water_t": Decimal("8600.00"),
}


# The most one firm may report of a carrier in a month or a year: above any plant's use, and low
# enough that every account figure keeps its four decimals in the embedded database too (SQLite reads
# decimals back through 15 significant digits).
CARRIER_MAXIMA: dict[str, Decimal] = {
    "electricity_kwh": Decimal("100000000000"),
    "green_electricity_kwh": Decimal("100000000000"),
    "self_renewable_kwh": Decimal("100000000000"),
    "natural_gas_m3": Decimal("10000000000"),
    "raw_coal_t": Decimal("100000000"),
    "washed_coal_t": Decimal("100000000"),
    "coke_t": Decimal("100000000"),
    "fuel_oil_t": Decimal("100000000"),
    "diesel_t": Decimal("100000000"),
    "heat_gj": Decimal("1000000000"),
    "water_t": Decimal("10000000000"),
}


def _carrier_columns(scale: int) -> tuple[Column, ...]:
    return tuple(
        Column(
            carrier.code,
            carrier.name.split("（")[0],
            DECIMAL,
            unit=carrier.unit,
            synonyms=CARRIER_SYNONYMS.get(carrier.code, ()),
            minimum=Decimal(0),
            maximum=CARRIER_MAXIMA[carrier.code],
            note="绿电为外购电力中的绿电交易或绿证电量" if carrier.code == "green_electricity_kwh" else "",
            example=CARRIER_EXAMPLES[carrier.code] * scale if carrier.code in CARRIER_EXAMPLES else None,
        )
        for carrier in CARRIERS
    )


# The 报告期 column of the monthly 规上 reports (its headers, format and example), with this kind's own
# note: energy is reported month by month, never as a combined 1-2月.
MONTH_COLUMN = replace(
    next(column for column in kind_spec(Kind.MONTHLY).columns if column.key == "period"),
    note="如 2026-06、2026年6月、202606",
)

UNITS_NOTE = "表头可写“万千瓦时”“万立方米”“万吨”“兆焦”等单位，导入时自动换算为千瓦时、立方米、吨、吉焦。"

ENERGY_MONTHLY = KindSpec(
    Kind.ENERGY_MONTHLY,
    "企业月度能源数据",
    (
        USCC_COLUMN,
        NAME_CHECK_COLUMN,
        MONTH_COLUMN,
        *_carrier_columns(1),
    ),
    (
        "每行是一家企业一个月的能源消费：外购电力（其中绿电）、自发自用可再生能源电力、天然气、煤炭、油品、外购热力和用水。",
        UNITS_NOTE,
        "同一企业同一报告期已有数据时，新值替换旧值，旧值保存为修订记录，可随批次回滚。",
    ),
    "企业月度能源数据",
    stats=True,
)

ENERGY_ANNUAL = KindSpec(
    Kind.ENERGY_ANNUAL,
    "企业年度能源数据",
    (
        USCC_COLUMN,
        NAME_CHECK_COLUMN,
        Column("year", "年度", YEAR, required=True, cell_required=True, synonyms=("统计年度", "年份"), example=2025),
        *_carrier_columns(12),
    ),
    (
        "每行是一家企业一个年度的能源消费。已填报年度数据的企业按年度数据核算，否则按月度数据合计。",
        UNITS_NOTE,
        "同一企业同一年度已有数据时，新值替换旧值，旧值保存为修订记录，可随批次回滚。",
    ),
    "企业年度能源数据",
    stats=True,
)

PARK_RESOURCE_EXAMPLES = {
    "solid_waste_generated_t": Decimal("52000.00"),
    "solid_waste_utilised_t": Decimal("47500.00"),
    "wastewater_t": Decimal("1800000.00"),
    "wastewater_recycled_t": Decimal("650000.00"),
}
PARK_RESOURCES = KindSpec(
    Kind.PARK_RESOURCES,
    "园区年度资源循环数据",
    (
        PARK_CODE_COLUMN,
        Column("year", "年度", YEAR, required=True, cell_required=True, synonyms=("统计年度", "年份"), example=2025),
        *(
            Column(
                measure.code,
                measure.name,
                DECIMAL,
                unit=measure.unit,
                minimum=Decimal(0),
                example=PARK_RESOURCE_EXAMPLES[measure.code],
            )
            for measure in PARK_RESOURCE_MEASURES
        ),
    ),
    (
        "每行是一个园区一个年度的一般工业固体废物产生量、综合利用量，工业废水产生量和循环利用量。",
        "园区运营用户只能填报本园区，区级用户只能填报本区园区。",
    ),
    "园区年度资源循环数据",
    stats=True,
)


# ---------------------------------------------------------------- checks


def _rows_with_figures(result: Validation, records: list[Record], fields: tuple[str, ...]) -> Iterator[Record]:
    """The rows that carry at least one of `fields` (of those the file has); a row without any is
    skipped, with a warning."""
    keys = [key for key in fields if result.mapping and key in result.mapping.columns]
    for record in records:
        if all(record.values.get(key) is None for key in keys):
            result.add(record, "", MSG_NO_VALUES, WARNING)
            record.skip = True
        else:
            yield record


def _carrier_rules(result: Validation, records: list[Record]) -> None:
    for record in _rows_with_figures(result, records, ENERGY_FIELDS):
        values = record.values
        green, purchased = values.get("green_electricity_kwh"), values.get("electricity_kwh")
        if green is not None and green > (purchased or 0):
            message = MSG_GREEN_ABOVE_PURCHASED.format(green=green, purchased=purchased or 0)
            result.add(record, "green_electricity_kwh", message)


def check_energy_monthly(result: Validation, user: User) -> None:
    records = enterprise_period_records(result, user, "period")
    for record in records:
        if record.values["period"].months_covered != 1:
            result.add(record, "period", MSG_COMBINED_MONTHS)
    _carrier_rules(result, records)


def check_energy_annual(result: Validation, user: User) -> None:
    records = enterprise_period_records(result, user, "year")
    _carrier_rules(result, records)
    _intensity_warnings(result, [r for r in records if not r.skip and not r.failed])


def check_park_resources(result: Validation, user: User) -> None:
    resolve_park_years(result, user)
    parks = [r for r in result.records if "park" in r.refs and "duplicate" not in r.refs]
    for record in _rows_with_figures(result, parks, PARK_RESOURCE_FIELDS):
        values = record.values
        made, used = values.get("solid_waste_generated_t"), values.get("solid_waste_utilised_t")
        if made is not None and used is not None and used > made:
            result.add(
                record, "solid_waste_utilised_t", MSG_UTILISED_ABOVE_GENERATED.format(used=used, made=made), WARNING
            )
        water, recycled = values.get("wastewater_t"), values.get("wastewater_recycled_t")
        if water is not None and recycled is not None and recycled > water:
            message = MSG_RECYCLED_ABOVE_WASTEWATER.format(recycled=recycled, made=water)
            result.add(record, "wastewater_recycled_t", message, WARNING)


# An intensity this many times the median of the firm's industry class (or this fraction of it) is
# flagged: a warning the importer must explain (the batch is refused until a note is written).
INTENSITY_FACTOR = Decimal(10)
INTENSITY_MIN_PEERS = 3


def _intensity_warnings(result: Validation, records: list[Record]) -> None:
    """Warn where a firm's energy per value added is far outside its industry class's (GB/T 4754
    大类, the first three characters) distribution in the stored data of the same year. The energy
    here is the electricity and fuels at their 当量值 with the installed pack's coefficients."""
    from yuanqu.energy import accounting
    from yuanqu.energy.rules import config
    from yuanqu.registry.models import Enterprise

    if not records:
        return
    settings = config()
    years = {record.values["year"] for record in records}
    added = {
        (e, y): v
        for e, y, v in AnnualStat.objects.filter(year__in=years, value_added__gt=0).values_list(
            "enterprise_id", "year", "value_added"
        )
    }
    industry = dict(Enterprise.objects.values_list("pk", "industry_id"))
    peers: dict[tuple[str, int], list[Decimal]] = defaultdict(list)
    for row in EnergyAnnual.objects.filter(year__in=years).values("enterprise_id", "year", *ENERGY_FIELDS):
        value_added = added.get((row["enterprise_id"], row["year"]))
        if value_added:
            tce = accounting.account(row, year=row["year"], config=settings).energy_tce
            peers[(str(industry.get(row["enterprise_id"]) or "")[:3], row["year"])].append(tce / value_added)
    for record in records:
        ref = record.refs["enterprise"]
        year = record.values["year"]
        value_added = added.get((ref.id, year))
        group = peers.get((str(industry.get(ref.id) or "")[:3], year), [])
        if not value_added or len(group) < INTENSITY_MIN_PEERS:
            continue
        middle = Decimal(median(group))
        if middle <= 0:
            continue
        value = accounting.account(record.values, year=year, config=settings).energy_tce / value_added
        ratio = value / middle
        if ratio > INTENSITY_FACTOR or ratio < 1 / INTENSITY_FACTOR:
            result.add(
                record,
                "electricity_kwh",
                MSG_INTENSITY.format(
                    value=f"{value:.4f}",
                    industry=str(industry.get(ref.id) or "")[:3],
                    median=f"{middle:.4f}",
                    ratio=f"{ratio:.1f}" if ratio >= 1 else f"{ratio:.2f}",
                ),
                WARNING,
                RULE_INTENSITY,
            )


# ---------------------------------------------------------------- writers


def _write(
    actor: User, batch: ImportBatch, records: list[Record], validation: Validation, progress: Progress | None
) -> dict[str, int]:
    mapped = set(validation.mapping.columns) if validation.mapping else set()
    fields = PARK_RESOURCE_FIELDS if batch.kind == Kind.PARK_RESOURCES else ENERGY_FIELDS
    rows: list[StatRow] = []
    for record in records:
        if batch.kind == Kind.ENERGY_MONTHLY:
            key: tuple[int, Any] = (record.refs["enterprise"].id, record.values["period"].first_day)
        elif batch.kind == Kind.ENERGY_ANNUAL:
            key = (record.refs["enterprise"].id, record.values["year"])
        else:
            key = (record.refs["park"].pk, record.values["year"])
        values = {
            name: record.values[name] for name in fields if name in mapped and record.values.get(name) is not None
        }
        rows.append(StatRow(key, values))
    summary = stats_write(actor=actor, batch=batch, rows=rows, progress=progress)
    return {"created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged}


def _number(value: Any) -> Any:
    return float(value) if value is not None else None


def _monthly_rows(user: Any) -> Iterator[list[Any]]:
    rows = EnergyMonthly.objects.visible_to(user).select_related("enterprise")
    for row in rows.order_by("enterprise__uscc", "period").iterator(chunk_size=2000):
        yield [row.enterprise.uscc, row.enterprise.name, f"{row.period:%Y-%m}"] + [
            _number(getattr(row, name)) for name in ENERGY_FIELDS
        ]


def _annual_rows(user: Any) -> Iterator[list[Any]]:
    rows = EnergyAnnual.objects.visible_to(user).select_related("enterprise")
    for row in rows.order_by("enterprise__uscc", "year").iterator(chunk_size=2000):
        yield [row.enterprise.uscc, row.enterprise.name, row.year] + [
            _number(getattr(row, name)) for name in ENERGY_FIELDS
        ]


def _park_rows(user: Any) -> Iterator[list[Any]]:
    rows = ParkResourceAnnual.objects.visible_to(user).select_related("park")
    for row in rows.order_by("park__code", "year"):
        yield [row.park.code, row.year] + [_number(getattr(row, name)) for name in PARK_RESOURCE_FIELDS]


TABLES = (
    StatTable(Kind.ENERGY_MONTHLY, EnergyMonthly, ("enterprise_id", "period"), ENERGY_FIELDS),
    StatTable(Kind.ENERGY_ANNUAL, EnergyAnnual, ("enterprise_id", "year"), ENERGY_FIELDS),
    StatTable(Kind.PARK_RESOURCES, ParkResourceAnnual, ("park_id", "year"), PARK_RESOURCE_FIELDS),
)


def register() -> None:
    """Declare the three kinds to the statistics layer and the intake pipeline (from ready())."""
    for table in TABLES:
        stat_table_register(table)
    intake_kind_register(spec=ENERGY_MONTHLY, check=check_energy_monthly, writer=_write, rows=_monthly_rows)
    intake_kind_register(spec=ENERGY_ANNUAL, check=check_energy_annual, writer=_write, rows=_annual_rows)
    intake_kind_register(spec=PARK_RESOURCES, check=check_park_resources, writer=_write, rows=_park_rows)
