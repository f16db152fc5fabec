"""The 陪跑 test world: the shared world plus the casework category a visit need becomes (the pack's
`need_category`) and two specialists of the Jiangxia district and park PA."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone, translation

from conftest import World, make_user
from yuanqu.casework import clock
from yuanqu.casework.models import CaseKind, Category
from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.service.config import config


@dataclass
class ServiceWorld:
    world: World
    category: Category
    specialist: User  # a second park-PA operator
    district_specialist: User  # a second Jiangxia district user

    def user(self, persona: str) -> User:
        return self.world.users[persona]


@pytest.fixture
def sv(world: World) -> ServiceWorld:
    # The pack's categories are in the test database already (synced at migration); make sure.
    category, _ = Category.objects.get_or_create(
        code=config().need_category,
        defaults={
            "name": "求助",
            "kind": CaseKind.REQUEST,
            "time_limit_days": 10,
            "default_unit": world.unit,
            "sort_order": 100,
        },
    )
    return ServiceWorld(
        world=world,
        category=category,
        specialist=make_user("t-park-pa-2", Role.PARK_OPERATOR, park=world.parks["PA"]),
        district_specialist=make_user("t-district-jx-2", Role.DISTRICT, district=world.districts["jiangxia"]),
    )


@pytest.fixture
def on_day() -> Iterator[Any]:
    """Stand on a given day (10:00 local time) inside a test: `with on_day(dt.date(2026, 3, 2)): …`."""

    def enter(day: dt.date) -> Any:
        return clock.frozen(dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=timezone.get_current_timezone()))

    yield enter


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A page read in English leaves English active in this thread; the messages tests assert are Chinese.
    yield
    translation.deactivate()
