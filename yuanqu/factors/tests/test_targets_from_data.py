"""The three targets the city used to type in compute from data: the 产业名园 count from the confirmed
selections, the award-cap targets from the ledger (the highest park of the type against its cap), and
the 70% start-price target from the land sales (a sale kept below the line with its approval shows)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from conftest import World
from yuanqu.factors.services import ledger
from yuanqu.indicators.services import indicators_compute_all
from yuanqu.targets.selectors import target_row

pytestmark = pytest.mark.django_db


def _latest(world: World, code: str) -> tuple[str, float] | None:
    row = target_row(world.users["city_admin"], code)
    return (row.years[-1].label, row.years[-1].value) if row.years else None


def test_the_count_and_the_award_caps_follow_the_selection_and_the_ledger(world: World, selection: Any) -> None:
    admin = world.users["city_admin"]
    assert _latest(world, "famous_parks_selected") is None
    ledger.award_ledger_generate(
        actor=admin, run=selection(2025), decision_number="武财〔2026〕1号", approved_on=dt.date(2026, 1, 15)
    )
    assert _latest(world, "famous_parks_selected") == ("2025年", 2)
    assert _latest(world, "award_cap_modern") == ("2025年", 4000)
    assert _latest(world, "award_cap_featured") == ("2025年", 1600)
    # A second year's selection names PA again (counted once) and awards it 1000 more (5000 in all).
    entries = ledger.award_ledger_generate(
        actor=admin,
        run=selection(2026, {"PA": 1000}),
        decision_number="武财〔2026〕8号",
        approved_on=dt.date(2026, 6, 1),
    )
    assert _latest(world, "famous_parks_selected") == ("2026年", 2)
    assert _latest(world, "award_cap_modern") == ("2026年", 5000)
    # Clawed back, the 2026 award no longer counts: the park stands at its 2025 total.
    ledger.ledger_entry_claw_back(actor=admin, entry=entries[0], on=dt.date(2026, 7, 1), reason="核减")
    assert _latest(world, "award_cap_modern") == ("2025年", 4000)
    # A full recompute of the catalogue gives the same values.
    indicators_compute_all()
    assert _latest(world, "famous_parks_selected") == ("2026年", 2)
    assert _latest(world, "award_cap_modern") == ("2025年", 4000)


def test_the_start_price_target_shows_the_lowest_sale_of_the_year(world: World, sell: Any) -> None:
    sell(start=Decimal("700"))
    assert _latest(world, "land_start_price_ratio") == ("2025年", 85.36)
    sell(start=Decimal("500"), exception_reason="市重大项目", exception_approval="武政办〔2025〕12号")
    assert _latest(world, "land_start_price_ratio") == ("2025年", 60.97)


def test_the_flexible_share_is_an_indicator_per_district_and_city_beside_the_start_price_target(
    world: World, sell: Any
) -> None:
    from yuanqu.indicators.models import IndicatorValue

    sell(start=Decimal("700"), method="long_lease", term=20, area=Decimal("40"))  # 江夏, flexible
    sell(start=Decimal("700"), area=Decimal("60"))  # 江夏, 出让
    sell("city_admin", parcel="L-PC-1", start=Decimal("600"), area=Decimal("100"))  # 蔡甸, 出让
    values = {
        (row.scope_kind, row.scope_code): row.value
        for row in IndicatorValue.objects.filter(indicator="land_flexible_share", period=dt.date(2025, 12, 31))
    }
    jiangxia, caidian = world.districts["jiangxia"].code, world.districts["caidian"].code
    assert values == {
        ("district", jiangxia): Decimal("40.0"),
        ("district", caidian): Decimal("0.0"),
        ("city", "city"): Decimal("20.0"),  # 40 of 200 亩
    }
    row = target_row(world.users["city_admin"], "land_start_price_ratio")
    assert [(c.indicator.code, c.latest.value if c.latest else None) for c in row.context] == [
        ("land_flexible_share", 20.0)
    ]
    # On the board's constraints and on the target's page, beside the 70% line.
    board = world.client("city_admin").get("/targets/").content.decode()
    constraints = board[board.index('data-testid="constraints"') :]
    assert 'data-testid="context">弹性供地比例：20.00 %（2025年）</span>' in constraints
    detail = world.client("city_admin").get("/targets/land_start_price_ratio/").content.decode()
    assert 'data-testid="context">弹性供地比例' in detail
