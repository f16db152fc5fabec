"""Factors fixtures on top of the root `world`: a helper that records a land sale as a persona, on
the world's parcels (L-PA-1 in 江夏, park PA; L-PC-1 in 蔡甸, park PC). 江夏's grade-1 基准地价 in
the pack is 820 元/平方米 (2021), so the 70% line is 574.00."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from conftest import World
from yuanqu.factors import services
from yuanqu.factors.models import LandSupply
from yuanqu.registry.models import LandParcel

DAY = dt.date(2025, 6, 30)
LINE = Decimal("574.00")


@pytest.fixture
def sell(world: World) -> Any:
    def record(
        persona: str = "district_jiangxia",
        *,
        parcel: str = "L-PA-1",
        start: Decimal = Decimal("600"),
        final: Decimal | None = None,
        method: str = "transfer",
        term: int = 50,
        area: Decimal = Decimal("100"),
        on: dt.date = DAY,
        **extra: Any,
    ) -> LandSupply:
        return services.land_supply_record(
            actor=world.users[persona],
            parcel=LandParcel.objects.get(code=parcel),
            method=method,
            term_years=term,
            area_mu=area,
            land_grade=extra.pop("grade", 1),
            start_price=start,
            final_price=final if final is not None else start,
            supplied_on=on,
            **extra,
        )

    return record


@pytest.fixture
def selection(world: World) -> Any:
    """A confirmed 产业名园 selection of a year: PA (modern, cap 5000万元) and PC (featured, cap
    2000万元) selected with the given awards; PB (urban) evaluated but not selected."""
    from django.utils import timezone

    from yuanqu.evaluation.models import EvaluationRun, ParkResult

    def make(year: int = 2025, awards: dict[str, int] | None = None, *, confirmed: bool = True) -> EvaluationRun:
        awards = {"PA": 4000, "PC": 1600} if awards is None else awards
        run = EvaluationRun.objects.create(
            year=year,
            status=EvaluationRun.Status.DONE,
            pack_hash="test",
            seed=1,
            selection_status="confirmed" if confirmed else "proposed",
            confirmed_by=world.users["city_admin"] if confirmed else None,
            confirmed_at=timezone.now() if confirmed else None,
        )
        for code, park in world.parks.items():
            ParkResult.objects.create(
                run=run,
                park=park,
                park_type=park.park_type,
                district=park.district,
                availability=1.0,
                selected=code in awards,
                award_wan_yuan=awards.get(code),
            )
        return run

    return make
