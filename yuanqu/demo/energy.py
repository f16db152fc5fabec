"""Synthetic 能碳 data for the demo: for every synthetic firm and year with annual data (2023 on),
its energy use split into carriers by industry — steel burns coke and coal, chemicals coal, gas and
steam, car makers gas and electricity, electronics and software mostly electricity — with some green
electricity bought and some generated on the roof; the 规上 firms' months from 2025 (from their
monthly reports' 综合能耗·本月, a few months made heavier so the monthly intensity warnings show);
and every synthetic park's 固废 and wastewater; and, among the firms with a 绿色工厂 label, some on the
绿色供应链管理企业 and 绿色设计产品 lists of the same level, listed a year or two after the factory.
The firm's 综合能耗 of its annual data is kept: the carriers are that energy divided by the pack's
coefficients, so intensities differ by industry as the annual data already make them differ. Then
the carbon accounts are built. Deterministic for a seed; rows written in bulk under one synthetic
batch per kind (made-up rows need neither the import's checks nor its audit entries).

Who calls this: the `demo` management command, after the registry's demo data and before the
亩均 grading (which reads the firms' CO₂)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from yuanqu.energy.measures import CARRIERS
from yuanqu.energy.models import EnergyAnnual, EnergyMonthly, ParkResourceAnnual
from yuanqu.energy.rules import config
from yuanqu.energy.services import carbon_recompute_all
from yuanqu.registry.models import EnterpriseLabel, LabelKind, Park
from yuanqu.stats.models import AnnualStat, ImportBatch, MonthlyStat

FIRST_YEAR = 2023
# Monthly energy data: the 规上 firms' months from this year on (two years keep the demo quick and
# give every month of the last year a year of history).
MONTHLY_FROM = 2025
JUMP, JUMP_EVERY, LATEST_JUMP_EVERY = 2.5, 150, 15
# The column of each fuel (electricity: the electricity bought).
CARRIER_OF = {fuel: next(c.code for c in CARRIERS if c.fuel == fuel) for fuel in {c.fuel for c in CARRIERS} if fuel}
CENT = Decimal("0.01")
# Share of a firm's 综合能耗 per fuel, by the first characters of its GB/T 4754 class (longest first).
MIXES: tuple[tuple[str, dict[str, float]], ...] = (
    ("C31", {"electricity": 0.25, "coke": 0.45, "raw_coal": 0.20, "natural_gas": 0.10}),
    ("C30", {"electricity": 0.30, "raw_coal": 0.45, "natural_gas": 0.20, "diesel": 0.05}),
    ("C26", {"electricity": 0.30, "raw_coal": 0.30, "natural_gas": 0.25, "heat": 0.15}),
    ("C25", {"electricity": 0.20, "fuel_oil": 0.30, "natural_gas": 0.30, "heat": 0.20}),
    ("C36", {"electricity": 0.65, "natural_gas": 0.25, "heat": 0.10}),
    ("C39", {"electricity": 0.88, "natural_gas": 0.10, "diesel": 0.02}),
    ("C38", {"electricity": 0.80, "natural_gas": 0.15, "diesel": 0.05}),
    ("C27", {"electricity": 0.55, "natural_gas": 0.20, "heat": 0.25}),
    ("I", {"electricity": 1.0}),
    ("", {"electricity": 0.60, "natural_gas": 0.25, "heat": 0.10, "diesel": 0.05}),
)
NOTE = "示例数据（能碳）"
# Of the firms with a 绿色工厂 label: the share also on each of the other two green lists.
GREEN_LISTS = ((LabelKind.GREEN_SUPPLY_CHAIN, 0.25), (LabelKind.GREEN_PRODUCT, 0.35))
LATEST_LISTING = dt.date(2026, 6, 30)


def _mix(industry: str) -> dict[str, float]:
    return next(mix for prefix, mix in MIXES if industry.startswith(prefix))


def _amount(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _batch(kind: str, rows: int) -> ImportBatch:
    return ImportBatch.objects.create(
        kind=kind,
        status=ImportBatch.Status.APPLIED,
        synthetic=True,
        note=NOTE,
        file_name=NOTE,
        rows_total=rows,
        rows_ok=rows,
    )


@transaction.atomic
def energy_demo_generate(*, seed: int) -> tuple[int, int]:
    """Write the demo's energy and park resource rows and build the carbon accounts: (firm rows,
    park rows)."""
    energy_demo_clear()  # a second run replaces the first
    rng = random.Random(f"{seed}-energy")
    settings = config()
    per_unit = {fuel: float(item.per_stored_unit) for fuel, item in settings.coefficients.items()}
    per_unit["electricity"] = float(settings.electricity_coefficient().per_stored_unit)
    stats = (
        AnnualStat.objects.filter(enterprise__synthetic=True, year__gte=FIRST_YEAR, energy_tce__gt=0)
        .select_related("enterprise")
        .order_by("enterprise_id", "year")
    )
    firm_rows: list[EnergyAnnual] = []
    green_share: dict[int, float] = {}
    for stat in stats.iterator(chunk_size=2000):
        firm = stat.enterprise
        tce = float(stat.energy_tce or 0)
        values: dict[str, Decimal | None] = {}
        mix = _mix(firm.industry_id)
        for carrier in CARRIERS:
            # Green and self-generated electricity are parts of the electricity, set below.
            if carrier.code == "electricity_kwh" or carrier.fuel not in ("", "electricity"):
                share = mix.get(carrier.fuel, 0.0)
                if share:
                    values[carrier.code] = _amount(tce * share * 1000 / per_unit[carrier.fuel])
        # A firm's green share grows a little each year from where it started.
        start = green_share.setdefault(firm.pk, rng.choice((0.0, 0.0, 0.05, 0.1, 0.2, 0.3)))
        green = start * (1 + 0.25 * (stat.year - FIRST_YEAR))
        electricity = values.get("electricity_kwh") or Decimal(0)
        own = electricity * Decimal(str(rng.choice((0.0, 0.0, 0.02, 0.05))))
        bought = (electricity - own).quantize(CENT)
        values["electricity_kwh"] = bought
        values["green_electricity_kwh"] = (bought * Decimal(str(min(green, 0.9)))).quantize(CENT)
        values["self_renewable_kwh"] = own.quantize(CENT)
        values["water_t"] = _amount(tce * rng.uniform(2.0, 6.0))
        firm_rows.append(EnergyAnnual(enterprise_id=firm.pk, year=stat.year, **values))
    batch = _batch(ImportBatch.Kind.ENERGY_ANNUAL, len(firm_rows))
    for row in firm_rows:
        row.batch = batch
    EnergyAnnual.objects.bulk_create(firm_rows, batch_size=2000)

    month_rows = _monthly_rows(rng, per_unit, {(row.enterprise_id, row.year) for row in firm_rows})
    month_batch = _batch(ImportBatch.Kind.ENERGY_MONTHLY, len(month_rows))
    for month_row in month_rows:
        month_row.batch = month_batch
    EnergyMonthly.objects.bulk_create(month_rows, batch_size=2000)

    park_rows = []
    years = sorted({row.year for row in firm_rows})
    for park in Park.objects.filter(synthetic=True).order_by("code"):
        for year in years:
            waste = rng.uniform(5_000, 80_000)
            water = rng.uniform(200_000, 3_000_000)
            park_rows.append(
                ParkResourceAnnual(
                    park=park,
                    year=year,
                    solid_waste_generated_t=_amount(waste),
                    solid_waste_utilised_t=_amount(waste * rng.uniform(0.6, 0.98)),
                    wastewater_t=_amount(water),
                    wastewater_recycled_t=_amount(water * rng.uniform(0.1, 0.7)),
                )
            )
    park_batch = _batch(ImportBatch.Kind.PARK_RESOURCES, len(park_rows))
    for park_row in park_rows:
        park_row.batch = park_batch
    ParkResourceAnnual.objects.bulk_create(park_rows, batch_size=2000)
    _green_lists(rng)
    carbon_recompute_all()
    return len(firm_rows), len(park_rows)


def _green_lists(rng: random.Random) -> int:
    """Some of the synthetic green factories also on the 绿色供应链管理企业 or 绿色设计产品 list, at the
    factory's level, listed 200 to 700 days after it (not after LATEST_LISTING); a 绿色设计产品 listing
    names one to four products."""
    factories = (
        EnterpriseLabel.objects.filter(enterprise__synthetic=True, kind=LabelKind.GREEN_FACTORY)
        .order_by("enterprise_id", "valid_from")
        .values_list("enterprise_id", "level", "valid_from")
    )
    rows = []
    for firm, level, start in factories:
        for kind, share in GREEN_LISTS:
            listed = start + dt.timedelta(days=rng.randint(200, 700))
            if rng.random() < share and listed <= LATEST_LISTING:
                # A 绿色设计产品 listing names one to four products (by the firm's id, so the random
                # draws of the rest of the demo stay as they were).
                products = (
                    "、".join(f"示例绿色设计产品{n + 1}" for n in range(1 + firm % 4))
                    if kind == LabelKind.GREEN_PRODUCT
                    else ""
                )
                rows.append(
                    EnterpriseLabel(
                        enterprise_id=firm, kind=kind, level=level, valid_from=listed, source=NOTE, products=products
                    )
                )
    batch = _batch(ImportBatch.Kind.LABELS, len(rows))
    for row in rows:
        row.batch = batch
    EnterpriseLabel.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


def _monthly_rows(rng: random.Random, per_unit: dict[str, float], annual: set[tuple[int, int]]) -> list[EnergyMonthly]:
    """The 规上 firms' months from MONTHLY_FROM, in the years they have annual energy data (`annual`:
    firm, year): the 综合能耗·本月 of their monthly report split into carriers like the year (a
    combined 1–2月 report stays on February, as in the statistics). A few months are made JUMP times
    heavier — one in JUMP_EVERY, and one firm in LATEST_JUMP_EVERY in the latest month — so the
    monthly intensity warnings have something to show."""
    rows: list[EnergyMonthly] = []
    stats = (
        MonthlyStat.objects.filter(enterprise__synthetic=True, period__year__gte=MONTHLY_FROM, energy_tce_month__gt=0)
        .values_list("enterprise_id", "enterprise__industry_id", "period", "energy_tce_month")
        .order_by("enterprise_id", "period")
    )
    latest = max((period for firm, _, period, _ in stats if (firm, period.year) in annual), default=None)
    for firm, industry, period, month_tce in stats.iterator(chunk_size=5000):
        if (firm, period.year) not in annual:
            continue
        odds = 1 / LATEST_JUMP_EVERY if period == latest else 1 / JUMP_EVERY
        tce = float(month_tce or 0) * (JUMP if rng.random() < odds else 1.0)
        mix = _mix(industry).items()
        values = {CARRIER_OF[fuel]: _amount(tce * share * 1000 / per_unit[fuel]) for fuel, share in mix}
        rows.append(EnergyMonthly(enterprise_id=firm, period=period, **values))
    return rows


def energy_demo_clear() -> None:
    """Remove the demo's energy rows and their batches, and rebuild the carbon accounts from what
    stays."""
    batches = ImportBatch.objects.filter(
        synthetic=True,
        kind__in=(ImportBatch.Kind.ENERGY_ANNUAL, ImportBatch.Kind.ENERGY_MONTHLY, ImportBatch.Kind.PARK_RESOURCES),
    )
    green = ImportBatch.objects.filter(synthetic=True, kind=ImportBatch.Kind.LABELS, note=NOTE)
    EnterpriseLabel.objects.filter(batch__in=green).delete()
    green.delete()
    EnergyAnnual.objects.filter(batch__in=batches).delete()
    ParkResourceAnnual.objects.filter(batch__in=batches).delete()
    EnergyMonthly.objects.filter(batch__in=batches).delete()
    batches.delete()
    carbon_recompute_all()
