"""Statistics on top of the root `world` fixture, with numbers small enough to check by hand.

world: PA 江夏现代产业园 (modern), PB 江夏都市工业园 (urban), PC 蔡甸特色产业园 (featured); E1 in PA,
E2 in PB, E3 in PC, E4 in 江夏 outside every park. Here E1 makes optical devices (C3976, high-tech,
in PA's lead chain), E2 metal structures (C3311), E3 drug ingredients (C2710, high-tech), E4
software (I6513, a producer service)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from conftest import World
from yuanqu.indicators.models import IndicatorValue
from yuanqu.registry.models import ChainNode, Enterprise, EnterpriseLabel, IndustryChain, IndustryClass
from yuanqu.stats.models import AnnualStat, ImportBatch, MonthlyStat

# revenue, tax, rd_expense, value_added, land_mu, employees per firm and year (万元, 亩, 人)
ANNUAL = {
    "E1": {
        2023: (900_000, 20_000, 27_000, 200_000, 150, 2000),
        2024: (1_200_000, 30_000, 36_000, 260_000, 150, 2100),
        2025: (1_500_000, 36_000, 48_000, 330_000, 150, 2200),
    },
    "E2": {
        2023: (40_000, 1_000, 400, 9_000, 30, 300),
        2024: (50_000, 1_200, 500, 11_000, 30, 310),
        2025: (60_000, 1_500, 700, 13_000, 30, 320),
    },
    "E3": {
        2023: (150_000, 5_000, 4_500, 40_000, 300, 800),
        2024: (200_000, 6_000, 6_000, 50_000, 300, 820),
        2025: (220_000, 6_600, 7_000, 55_000, 300, 850),
    },
    "E4": {
        2023: (20_000, 600, 1_600, 0, 0, 100),
        2024: (30_000, 900, 2_400, 0, 0, 120),
        2025: (35_000, 1_000, 2_800, 0, 0, 130),
    },
}
INDUSTRY = {"E1": "C3976", "E2": "C3311", "E3": "C2710", "E4": "I6513"}


@dataclass
class Stats:
    annual_batch: ImportBatch
    monthly_batch: ImportBatch


def batch(kind: str, note: str = "") -> ImportBatch:
    return ImportBatch.objects.create(kind=kind, status=ImportBatch.Status.APPLIED, note=note)


def annual_row(enterprise: Enterprise, year: int, values: tuple[int, ...], into: ImportBatch) -> AnnualStat:
    revenue, tax, rd, value_added, land, employees = values
    return AnnualStat.objects.create(
        enterprise=enterprise,
        year=year,
        revenue=Decimal(revenue),
        tax=Decimal(tax),
        rd_expense=Decimal(rd),
        value_added=Decimal(value_added) if value_added else None,
        land_mu=Decimal(land) if land else None,
        employees=employees,
        batch=into,
    )


def monthly_row(enterprise: Enterprise, period: dt.date, value_added_ytd: int, into: ImportBatch) -> MonthlyStat:
    return MonthlyStat.objects.create(
        enterprise=enterprise,
        period=period,
        months_covered=2 if period.month == 2 else 1,
        value_added_ytd=Decimal(value_added_ytd),
        revenue_ytd=Decimal(value_added_ytd * 4),
        batch=into,
    )


def add_stats(world: World) -> Stats:
    firms = world.enterprises
    for key, code in INDUSTRY.items():
        firms[key].industry_id = code
        firms[key].save(update_fields=["industry"])
    chain = IndustryChain.objects.create(code="opto", name="光电子信息", kind="key_chain")
    node = ChainNode.objects.create(chain=chain, name="光电子器件", stage="midstream")
    node.industry_classes.set([IndustryClass.objects.get(code="C3976")])
    world.parks["PA"].lead_chains.set([chain])
    annual = batch(ImportBatch.Kind.ANNUAL, "年度数据")
    for key, years in ANNUAL.items():
        for year, values in years.items():
            annual_row(firms[key], year, values, annual)
    # 规上: E1 and E3 throughout, E2 from 2025 (a new entry); E4 is not industrial.
    for key, start in (("E1", dt.date(2018, 1, 1)), ("E3", dt.date(2019, 1, 1)), ("E2", dt.date(2025, 1, 1))):
        EnterpriseLabel.objects.create(enterprise=firms[key], kind="above_scale", valid_from=start)
    # 高企: E1's certificate (from the world fixture) runs 2024-05-01 … 2027-04-30; E4's lapsed in 2025.
    EnterpriseLabel.objects.create(
        enterprise=firms["E4"], kind="high_tech", valid_from=dt.date(2022, 12, 1), valid_to=dt.date(2025, 11, 30)
    )
    monthly = batch(ImportBatch.Kind.MONTHLY, "月度数据")
    for year in (2024, 2025):
        for key, february, december in (("E1", 40_000, 260_000), ("E3", 8_000, 50_000)):
            monthly_row(firms[key], dt.date(year, 2, 1), february + (year - 2024) * 1000, monthly)
            monthly_row(firms[key], dt.date(year, 12, 1), december + (year - 2024) * 10_000, monthly)
    monthly_row(firms["E2"], dt.date(2025, 2, 1), 2_000, monthly)
    monthly_row(firms["E2"], dt.date(2025, 12, 1), 13_000, monthly)
    return Stats(annual, monthly)


def revenue_correction(world: World, revenue: int) -> ImportBatch:
    """A correction of E1's 2024 annual revenue by a new annual batch, as the intake app writes it."""
    fixed = batch(ImportBatch.Kind.ANNUAL, "更正")
    AnnualStat.objects.filter(enterprise=world.enterprises["E1"], year=2024).update(
        revenue=Decimal(revenue), batch=fixed
    )
    return fixed


Snapshot = dict[tuple[str, str, str, str, dt.date], Decimal | None]


def snapshot() -> Snapshot:
    """Every stored indicator value by (indicator, scope kind, scope code, frequency, period)."""
    return {
        (row.indicator, row.scope_kind, row.scope_code, row.frequency, row.period): row.value
        for row in IndicatorValue.objects.all()
    }


def year_value(indicator: str, kind: str, code: str, period: dt.date) -> Decimal | None:
    """The stored year value of one scope, None when there is none."""
    row = IndicatorValue.objects.filter(
        indicator=indicator, scope_kind=kind, scope_code=code, frequency="year", period=period
    ).first()
    return None if row is None else row.value
