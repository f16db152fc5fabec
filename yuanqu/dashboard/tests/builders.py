"""Data the cockpit, profile and report tests (and the browser journeys) need on top of the root
`world`: park, park-type and city indicator values for two years and the months of 2025 and 2026,
a 2027 target's indicator, a few cases, and a finished evaluation run of 2025 with more parks of
each type so that ranks and intervals mean something. Values are fixed, so tests assert them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.utils import timezone

from conftest import World
from yuanqu.core.periods import month_end
from yuanqu.indicators.models import IndicatorValue
from yuanqu.registry.models import Park
from yuanqu.stats.models import ImportBatch, ParkAnnualStat

YEAR = 2025
# Annual park values of 2025 (2024 is 90 % of them): PA leads, PB trails.
REVENUE = {"PA": 500_000, "PB": 120_000, "PC": 300_000}
TAX_PER_MU = {"PA": 30.0, "PB": 12.0, "PC": 22.0}
# 规上 revenue, 1–本月累计, of 2026-10 (2025-10 is 80 % of it).
MONTHLY = {"PA": 100_000, "PB": 20_000, "PC": 60_000}
EXTRA_PARKS = {"modern": ["M2", "M3", "M4"], "featured": ["F2", "F3", "F4"], "urban": ["U2", "U3", "U4"]}
# Typical sizes of what the index systems read (as in the evaluation tests).
SCALE: dict[str, float] = {
    "revenue": 500_000.0,
    "tax": 20_000.0,
    "tax_per_mu": 25.0,
    "value_added_per_mu": 80.0,
    "value_added_per_energy": 1.5,
    "labour_productivity": 30.0,
    "high_tech_enterprises": 40.0,
    "specialized_sme_provincial_plus": 12.0,
    "rd_intensity": 2.5,
    "lead_industry_share": 70.0,
    "producer_services_share": 20.0,
    "above_scale_enterprises": 30.0,
    "digital_transformation_share": 60.0,
    "national_green_factories": 2.0,
    "national_green_factories_new": 1.0,
    "new_project_investment_per_mu": 300.0,
    "industrial_investment": 100_000.0,
}


def put(indicator: str, kind: str, code: str, end: dt.date, value: float | None, *, park: Park | None = None) -> None:
    """A year value (`end` is 31 December) of a park, park type or the city."""
    IndicatorValue.objects.update_or_create(
        indicator=indicator,
        scope_kind=kind,
        scope_code=code,
        frequency="year",
        period=end,
        defaults={
            "park": park,
            "district": park.district if park else None,
            "value": None if value is None else Decimal(str(round(value, 6))),
            "computed_at": timezone.now(),
        },
    )


def put_month(indicator: str, park: Park, end: dt.date, value: float) -> None:
    IndicatorValue.objects.update_or_create(
        indicator=indicator,
        scope_kind="park",
        scope_code=park.code,
        frequency="month",
        period=end,
        defaults={
            "park": park,
            "district": park.district,
            "value": Decimal(str(value)),
            "computed_at": timezone.now(),
        },
    )


def indicator_values(world: World) -> None:
    """Park values of PA, PB, PC; the park-type and city values of a target's indicator."""
    for code, park in world.parks.items():
        for year, factor in ((YEAR - 1, 0.9), (YEAR, 1.0)):
            end = dt.date(year, 12, 31)
            put("revenue", "park", code, end, REVENUE[code] * factor, park=park)
            put("tax_per_mu", "park", code, end, TAX_PER_MU[code] * factor, park=park)
        for year, factor in ((2025, 0.8), (2026, 1.0)):
            for month in range(2, 11):
                put_month("above_scale_revenue", park, month_end(year, month), MONTHLY[code] * factor * month / 10)
                put_month(
                    "above_scale_value_added", park, month_end(year, month), MONTHLY[code] * 0.25 * factor * month / 10
                )
    # The 2027 target 建成现代产业园数量 (park_count_modern, city scope): 10 in 2024, 15 in 2025.
    for year, value in ((2024, 10), (2025, 15)):
        put("park_count_modern", "city", "city", dt.date(year, 12, 31), value)
    put("revenue", "park_type", "modern", dt.date(YEAR, 12, 31), 2_000_000)


def generated(seed: int, codes: tuple[str, ...], strength: float) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    values = {}
    for code in codes:
        value = SCALE.get(code, 10.0) * strength * float(rng.uniform(0.85, 1.15))
        values[code] = min(98.0, value) if code.endswith("_share") else value
    return values


@dataclass
class Evaluated:
    run: Any
    parks: dict[str, Park]


def evaluated(world: World) -> Evaluated:
    """More recognised parks of each type with the values their index systems read for 2024 and
    2025, and a finished 2025 evaluation run (200 Monte Carlo runs) by the city admin."""
    from yuanqu.evaluation.pack import installed_pack
    from yuanqu.evaluation.services import evaluation_run

    jiangxia, caidian = world.districts["jiangxia"], world.districts["caidian"]
    parks = dict(world.parks)
    for park_type, codes in EXTRA_PARKS.items():
        for number, code in enumerate(codes):
            park = Park(
                code=code,
                name=f"测试{code}园区",
                district=jiangxia if number % 2 == 0 else caidian,
                park_type=park_type,
                planned_area_km2=Decimal("12.000") if park_type == "modern" else Decimal("1.500"),
                status=Park.Status.RECOGNISED,
                recognised_on=dt.date(2024, 1, 1),
            )
            park.full_clean()
            park.save()
            parks[code] = park
    Park.objects.filter(code__in=["PA", "PB", "PC"]).update(
        status=Park.Status.RECOGNISED, recognised_on=dt.date(2024, 1, 1)
    )
    Park.objects.filter(code="PA").update(planned_area_km2=Decimal("15.000"))
    for park in parks.values():
        park.refresh_from_db()
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.PARK_ANNUAL, status=ImportBatch.Status.APPLIED)
    pack = installed_pack()
    order = {"modern": ["PA", *EXTRA_PARKS["modern"]], "featured": ["PC", *EXTRA_PARKS["featured"]]}
    order["urban"] = ["PB", *EXTRA_PARKS["urban"]]
    seed = 0
    for park_type, codes in order.items():
        read = pack.index_system(park_type).codes_read()
        for number, code in enumerate(codes):
            seed += 1
            # PA is the strongest modern park: its profile shows rank 1 of 4.
            strength = 1.6 if code == "PA" else 0.5 + 0.1 * number
            current = generated(seed, read, strength)
            for key, value in current.items():
                if key in ("revenue", "tax_per_mu") and code in REVENUE:
                    continue  # keep the fixed values of indicator_values()
                put(key, "park", code, dt.date(YEAR, 12, 31), value, park=parks[code])
                put(key, "park", code, dt.date(YEAR - 1, 12, 31), value * 0.9, park=parks[code])
            ParkAnnualStat.objects.update_or_create(
                park=parks[code],
                year=YEAR,
                defaults={
                    "batch": batch,
                    "safety_accidents": 0,
                    "environmental_accidents": 0,
                    "smart_subsystems": 2,
                    "facility_kinds": 3,
                },
            )
    run = evaluation_run(actor=world.users["city_admin"], year=YEAR, params={"runs": 200})
    assert run.status == "done", run.message
    return Evaluated(run=run, parks=parks)


def case_for(world: World, *, title: str = "厂区用电增容", enterprise: str = "E1") -> Any:
    """A request of the world's enterprise E1 (in PA), submitted through the casework service."""
    from yuanqu.casework.models import CaseKind, Category
    from yuanqu.casework.services import case_submit

    category, _ = Category.objects.get_or_create(
        code="t_dash",
        defaults={
            "name": "用电用能",
            "kind": CaseKind.REQUEST,
            "time_limit_days": 10,
            "default_unit": world.unit,
            "sort_order": 100,
        },
    )
    user = world.users["enterprise"]
    return case_submit(actor=user, category=category, title=title, description="新增产线需要增容800千伏安。")
