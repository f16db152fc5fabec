"""规上工业增加值增速 at comparable prices over the same firms (同口径), against hand-computed values.

Fixture (1–本月累计 value added, 万元, June): E1 (C3976, division C39, PA) 1,000 in 2024 and 1,100 in
2025; E2 (C3311, division C33, PB) 400 and 500; E3 (C2710, division C27, PC) reports only in 2025
(300), so it is not in the same set. All three hold the 规上 label. Price indices (1–本月累计, 上年同期=100)
for June 2025: C39 98.00, C33 105.00.

By hand, PA + PB + PC:
- current prices, all firms (the cockpit's 现价同比): (1,100 + 500 + 300) / (1,000 + 400) − 1 = 35.714 %;
- current prices, same firms: (1,100 + 500) / 1,400 − 1 = 14.2857 %;
- comparable prices, same firms: (1,100 × 100/98 + 500 × 100/105) / 1,400 − 1
  = (1,122.44898 + 476.19048) / 1,400 − 1 = 14.18853 %."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from conftest import World, build_world, module_transaction
from yuanqu.indicators.comparable import NOTE_MISSING, NOTE_NO_INDEX, value_added_growth
from yuanqu.indicators.tests.factories import INDUSTRY
from yuanqu.registry.models import EnterpriseLabel, LabelKind
from yuanqu.stats.models import ImportBatch, MonthlyStat, PriceIndex

if TYPE_CHECKING:
    from pytest_django.plugin import DjangoDbBlocker

JUNE_2025 = dt.date(2025, 6, 30)


def _batch(kind: str) -> ImportBatch:
    return ImportBatch.objects.create(kind=kind, status=ImportBatch.Status.APPLIED)


@pytest.fixture(scope="module")
def _reported(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    """The June figures of the module docstring, built once per test module."""
    with module_transaction(django_db_blocker):
        world = build_world()
        monthly = _batch(ImportBatch.Kind.MONTHLY)
        for code, values in {"E1": (1000, 1100), "E2": (400, 500), "E3": (None, 300)}.items():
            firm = world.enterprises[code]
            firm.industry_id = INDUSTRY[code]  # the world's firms have no dated history: their fields hold
            firm.save(update_fields=["industry"])
            EnterpriseLabel.objects.create(enterprise=firm, kind=LabelKind.ABOVE_SCALE, valid_from=dt.date(2020, 1, 1))
            for year, value in zip((2024, 2025), values, strict=True):
                if value is not None:
                    MonthlyStat.objects.create(
                        enterprise=firm, period=dt.date(year, 6, 1), value_added_ytd=Decimal(value), batch=monthly
                    )
        yield world


@pytest.fixture
def reported(_reported: World, db: None) -> World:
    """The module's world, read again from the database; each test runs in a savepoint of its own."""
    _reported.refresh()
    return _reported


def _indices(**by_division: str) -> None:
    batch = _batch(ImportBatch.Kind.PRICE_INDEX)
    for division, index in by_division.items():
        PriceIndex.objects.create(
            division_id=division, period=dt.date(2025, 6, 1), ytd_index=Decimal(index), batch=batch
        )


PARKS = ("PA", "PB", "PC")


def test_it_deflates_each_firm_by_its_division_over_the_same_firms(reported: World) -> None:
    _indices(C39="98.00", C33="105.00")
    growth = value_added_growth(reported.users["city_admin"], PARKS, JUNE_2025)
    assert growth.firms == 2  # E3 did not report in 2024
    assert (growth.current, growth.previous) == (Decimal(1600), Decimal(1400))
    assert growth.current_growth == pytest.approx(0.142857, abs=1e-6)
    assert growth.deflated == pytest.approx(Decimal("1598.639456"), abs=Decimal("0.000001"))
    assert growth.comparable_growth == pytest.approx(0.1418853, abs=1e-7)
    assert growth.note == ""


def test_without_indices_it_says_plainly_that_the_current_price_figure_is_shown(reported: World) -> None:
    growth = value_added_growth(reported.users["city_admin"], PARKS, JUNE_2025)
    assert growth.comparable_growth is None
    assert growth.current_growth == pytest.approx(0.142857, abs=1e-6)
    assert growth.note == NOTE_NO_INDEX


def test_a_division_without_an_index_leaves_the_comparable_growth_unknown(reported: World) -> None:
    _indices(C39="98.00")
    growth = value_added_growth(reported.users["city_admin"], PARKS, JUNE_2025)
    assert growth.comparable_growth is None
    assert growth.missing == ("C33",)
    assert growth.note == NOTE_MISSING.format(divisions="C33", month="2025-06")


def test_the_firms_are_those_of_the_parks_asked_for_and_in_the_users_scope(reported: World) -> None:
    _indices(C39="98.00", C33="105.00")
    only_pa = value_added_growth(reported.users["city_admin"], ("PA",), JUNE_2025)
    # E1 alone: 1,100 × 100 / 98 / 1,000 − 1 = 12.244898 %.
    assert only_pa.comparable_growth == pytest.approx(0.12244898, abs=1e-8)
    only_pb = value_added_growth(reported.users["city_admin"], ("PB",), JUNE_2025)
    # E2 alone: 500 × 100 / 105 / 400 − 1 = 19.047619 %.
    assert only_pb.comparable_growth == pytest.approx(0.19047619, abs=1e-8)
    # PA's operator asking for every park sees E1 alone.
    operator = reported.users["park_operator"]
    assert value_added_growth(operator, PARKS, JUNE_2025).comparable_growth == pytest.approx(0.12244898, abs=1e-8)


def test_the_indicator_page_shows_both_growths_with_their_definitions(reported: World) -> None:
    from yuanqu.indicators.comparable import DEFINITION_COMPARABLE, DEFINITION_CURRENT
    from yuanqu.indicators.services import indicators_compute_all

    _indices(C39="98.00", C33="105.00")
    indicators_compute_all()
    response = reported.client("city_admin").get("/indicators/above_scale_value_added/")
    assert response.status_code == 200
    page = response.content.decode()
    assert DEFINITION_CURRENT in page and DEFINITION_COMPARABLE in page
    # June 2025, by hand (module docstring): 35.7 % at current prices over all firms, 14.3 % over the
    # same firms, 14.2 % at comparable prices.
    row = page[page.index('data-testid="growth"') :]
    assert "35.7%" in row and "14.3%" in row
    assert 'data-testid="comparable-2025-06">14.2%' in row
