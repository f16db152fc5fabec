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
