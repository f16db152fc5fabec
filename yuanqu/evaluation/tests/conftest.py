"""Evaluation fixtures on top of the root `world`: more parks of each type (recognised, with planned
areas), park indicator values for 2024 and 2025 written directly as `IndicatorValue` rows, park annual
statistics, and helpers to change single values. Values are deterministic (seeded)."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from django.utils import timezone

from conftest import World
from yuanqu.core.models import User
from yuanqu.evaluation.models import EvaluationRun
from yuanqu.evaluation.pack import installed_pack
from yuanqu.indicators.models import IndicatorValue
from yuanqu.registry.models import Park
from yuanqu.stats.models import ImportBatch, ParkAnnualStat

if TYPE_CHECKING:
    from pytest_django.plugin import DjangoDbBlocker

YEAR = 2025
# Typical magnitudes of the catalogue indicators the index systems read.
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
    "business_environment_index": 70.0,
    "above_scale_enterprises": 30.0,
    "digital_transformation_share": 60.0,
    "national_green_factories": 2.0,
    "national_green_factories_new": 1.0,
    "new_project_investment_per_mu": 300.0,
    "industrial_investment": 100_000.0,
}

EXTRA_PARKS = {
    "modern": ["M2", "M3", "M4", "M5", "M6"],
    "featured": ["F2", "F3", "F4"],
    "urban": ["U2", "U3", "U4"],
}


@dataclass
class EvalWorld:
    world: World
    parks: dict[str, Park]
    batch: ImportBatch

    def user(self, persona: str) -> User:
        return self.world.users[persona]

    def put(self, park: str, year: int, values: dict[str, float | None]) -> None:
        """Write (or replace) park indicator values of a year."""
        for code, value in values.items():
            IndicatorValue.objects.update_or_create(
                indicator=code,
                scope_kind="park",
                scope_code=park,
                frequency="year",
                period=dt.date(year, 12, 31),
                defaults={
                    "park": self.parks[park],
                    "district": self.parks[park].district,
                    "value": None if value is None else Decimal(str(round(value, 6))),
                    "computed_at": timezone.now(),
                },
            )

    def boost(self, park: str, factor: float, year: int = YEAR) -> None:
        """Multiply every indicator value of a park (to move it up the ranking)."""
        for row in IndicatorValue.objects.filter(scope_code=park, period=dt.date(year, 12, 31)):
            value = float(row.value or 0) * factor
            if row.indicator.endswith("_share"):
                value = min(99.0, value)
            row.value = Decimal(str(round(value, 6)))
            row.save(update_fields=["value"])

    def remove(self, park: str, year: int, code: str) -> None:
        IndicatorValue.objects.filter(
            indicator=code, scope_code=park, period=dt.date(year, 12, 31), scope_kind="park"
        ).delete()

    def stat(self, park: str, year: int = YEAR, **values: Any) -> None:
        ParkAnnualStat.objects.update_or_create(
            park=self.parks[park], year=year, defaults={"batch": self.batch, **values}
        )


def codes_for(park_type: str) -> tuple[str, ...]:
    return installed_pack().index_system(park_type).codes_read()


def generated_values(seed: int, park_type: str, strength: float) -> dict[str, float]:
    """Plausible values: each indicator's typical size × a park strength × seeded noise."""
    rng = np.random.default_rng(seed)
    values = {}
    for code in codes_for(park_type):
        noise = float(rng.uniform(0.85, 1.15))
        value = SCALE[code] * strength * noise
        if code.endswith("_share"):
            value = min(98.0, value)
        values[code] = value
    return values


@pytest.fixture
def ew(world: World) -> EvalWorld:
    return build_eval_world(world)


@pytest.fixture(scope="module")
def _module_run(
    request: pytest.FixtureRequest, _module_world: World, django_db_blocker: DjangoDbBlocker
) -> tuple[EvalWorld, EvaluationRun]:
    """The evaluation world (on the root module world, `conftest.module_world`) and one finished run
    of YEAR, built once for a test module inside the module's transaction (its run's parameters are
    the module's RUN_PARAMS); each test reads them in a savepoint of its own, so what a test writes
    (a value, a confirmation, a second run, a deletion) is gone for the next."""
    from yuanqu.evaluation import services

    params = getattr(request.module, "RUN_PARAMS", {"runs": 100})
    with django_db_blocker.unblock():
        ew = build_eval_world(_module_world)
        return ew, services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params=params)


@pytest.fixture
def module_ew(_module_run: tuple[EvalWorld, EvaluationRun], db: None) -> EvalWorld:
    """The module's evaluation world, read again from the database (a test may change an object in
    memory)."""
    ew = _module_run[0]
    ew.world.refresh()
    for park in ew.parks.values():
        park.refresh_from_db()
    return ew


@pytest.fixture
def module_run(_module_run: tuple[EvalWorld, EvaluationRun], module_ew: EvalWorld) -> EvaluationRun:
    """The module's run as the service returned it, a fresh copy per test (a test may change it in
    memory; read from PostgreSQL, its JSON fields would come back with their keys reordered)."""
    return copy.deepcopy(_module_run[1])


def build_eval_world(world: World) -> EvalWorld:
    """PA (modern), PB (urban), PC (featured) plus five more modern, three featured and three urban
    parks; all recognised; modern parks planned ≥ 10 km². Strength rises with the park's number,
    so within a type the last park is best. 2024 values are 90 % of 2025's (必达 indicators rise)."""
    jiangxia, caidian = world.districts["jiangxia"], world.districts["caidian"]
    parks = dict(world.parks)
    for park_type, codes in EXTRA_PARKS.items():
        for number, code in enumerate(codes):
            district = jiangxia if number % 2 == 0 else caidian
            park = Park(
                code=code,
                name=f"测试{code}园区",
                district=district,
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
    result = EvalWorld(world=world, parks=parks, batch=batch)
    order = {
        "modern": ["PA", *EXTRA_PARKS["modern"]],
        "featured": ["PC", *EXTRA_PARKS["featured"]],
        "urban": ["PB", *EXTRA_PARKS["urban"]],
    }
    seed = 0
    rows: list[IndicatorValue] = []
    stats: list[ParkAnnualStat] = []
    now = timezone.now()
    for park_type, codes in order.items():
        for number, code in enumerate(codes):
            seed += 1
            current = generated_values(seed, park_type, 0.6 + 0.15 * number)
            park = parks[code]
            for year, factor in ((YEAR, 1.0), (YEAR - 1, 0.9)):
                rows.extend(
                    IndicatorValue(
                        indicator=indicator,
                        scope_kind="park",
                        scope_code=code,
                        park=park,
                        district_id=park.district_id,
                        frequency="year",
                        period=dt.date(year, 12, 31),
                        value=Decimal(str(round(value * factor, 6))),
                        computed_at=now,
                    )
                    for indicator, value in current.items()
                )
            stats.append(
                ParkAnnualStat(
                    park=park,
                    year=YEAR,
                    batch=batch,
                    safety_accidents=0,
                    environmental_accidents=0,
                    smart_subsystems=2,
                    facility_kinds=3,
                )
            )
    IndicatorValue.objects.bulk_create(rows)
    ParkAnnualStat.objects.bulk_create(stats)
    return result
