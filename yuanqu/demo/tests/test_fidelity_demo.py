"""The demo's price indices and dated history: every division and month the demo's monthly reports
cover has an index, so the cockpit gives a comparable-price growth for the demo months; a few firms
move or are 注销 and a park becomes green, through the registry's history services."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from yuanqu.demo.fidelity import CANCEL_DAY, GREEN_DAY, MOVE_DAY, history_demo_generate, prices_demo_generate
from yuanqu.demo.generator import demo_generate
from yuanqu.demo.tests.test_generator import SCALE, SEED, _policy_pack_rows
from yuanqu.indicators.comparable import value_added_growth
from yuanqu.intake.services import system_actor
from yuanqu.registry.models import EnterpriseVersion, Park, ParkVersion, RegistrationStatus
from yuanqu.stats.models import MonthlyStat, PriceIndex

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def city(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[int, int]]:
    with django_db_blocker.unblock(), transaction.atomic():
        _policy_pack_rows()
        demo_generate(seed=SEED, scale=SCALE)
        yield prices_demo_generate(seed=SEED), history_demo_generate(seed=SEED)
        transaction.set_rollback(True)


def test_every_division_and_month_of_the_monthly_reports_has_an_index(city: tuple[int, int]) -> None:
    reported = {
        (industry[:3], period)
        for industry, period in MonthlyStat.objects.values_list("enterprise__industry_id", "period").distinct()
    }
    indexed = set(PriceIndex.objects.exclude(ytd_index=None).values_list("division_id", "period"))
    assert reported and reported <= indexed
    assert city[0] == PriceIndex.objects.count()


def test_the_demo_gives_a_comparable_price_growth_for_its_latest_month(city: tuple[int, int]) -> None:
    latest = MonthlyStat.objects.order_by("-period").values_list("period", flat=True).first()
    assert latest is not None
    end = latest.replace(day=28)
    codes = list(Park.objects.values_list("code", flat=True))
    growth = value_added_growth(system_actor("test"), codes, end)
    assert growth.firms > 0 and growth.note == ""
    assert growth.comparable_growth is not None


def test_the_demo_has_moves_a_cancellation_and_a_park_change_in_its_history(city: tuple[int, int]) -> None:
    assert city[1] == 6
    moves = EnterpriseVersion.objects.filter(valid_from=MOVE_DAY)
    assert moves.count() == 3
    cancelled = EnterpriseVersion.objects.filter(valid_from=CANCEL_DAY)
    assert [row.registration_status for row in cancelled] == [RegistrationStatus.CANCELLED] * 2
    assert ParkVersion.objects.filter(valid_from=GREEN_DAY, green_level=Park.GreenLevel.PROVINCIAL).count() == 1
