"""The carbon accounts read the park of each period from the registry's dated history: a firm that
moved park (and district) on 1 July is counted in its old park's months to June and in its new
park's months from July and in the year (时点口径: the state at the period's end). Figures worked out
by hand; the rebuild after the change equals a full one cell by cell."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from conftest import World
from yuanqu.energy import services
from yuanqu.energy.models import CarbonAccount
from yuanqu.energy.tests.conftest import ANNUAL_HEADER, MONTHLY_HEADER, Importer, texts, xlsx
from yuanqu.energy.tests.test_import_and_accounts import accounts
from yuanqu.registry.history import enterprise_state_change

MOVED_ON = dt.date(2025, 7, 1)


def _import(world: World, imported: Importer) -> None:
    e1, e2 = world.enterprises["E1"], world.enterprises["E2"]
    # E1 (江夏现代产业园 PA): 100,000 kWh in every month of 2025; E2 (PB): 1,000,000 kWh in the year.
    months = xlsx([MONTHLY_HEADER, *([e1.uscc, f"2025-{month:02d}", 100000, None] for month in range(1, 13))])
    outcome = imported("city_admin", "energy_monthly", months)
    assert outcome.status == "applied", texts(outcome)
    year = xlsx([ANNUAL_HEADER, [e2.uscc, 2025, 100, None, None, None, None, None, None, None]])
    outcome = imported("city_admin", "energy_annual", year)
    assert outcome.status == "applied", texts(outcome)


def _move(world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    """E1 moves from PA (江夏区) to 蔡甸特色产业园 PC (蔡甸区) on 1 July 2025."""
    with django_capture_on_commit_callbacks(execute=True):
        enterprise_state_change(
            actor=world.users["city_admin"],
            enterprise=world.enterprises["E1"],
            valid_from=MOVED_ON,
            park_id=world.parks["PC"].pk,
            district_id=world.districts["caidian"].pk,
        )


def _figures(level: str, month: int, **owner: object) -> tuple[int, Decimal, Decimal] | None:
    row = CarbonAccount.objects.filter(level=level, year=2025, month=month, **owner).first()
    return (row.firms, row.energy_tce, row.co2_t) if row else None


def _check_by_hand(world: World) -> None:
    pa, pb, pc = world.parks["PA"], world.parks["PB"], world.parks["PC"]
    jiangxia, caidian = world.districts["jiangxia"], world.districts["caidian"]
    # A month of E1: 100,000 kWh × 0.1229 kgce = 12.29 tce; × 0.5366 kgCO₂ (2022 factor) = 53.66 t.
    month = (1, Decimal("12.2900"), Decimal("53.6600"))
    for number in range(1, 7):
        assert _figures("park", number, park=pa) == month
        assert _figures("district", number, district=jiangxia) == month
        assert _figures("park", number, park=pc) is None
    for number in range(7, 13):
        assert _figures("park", number, park=pa) is None
        assert _figures("park", number, park=pc) == month
        assert _figures("district", number, district=caidian) == month
        assert _figures("district", number, district=jiangxia) is None
    # E1's year (the sum of its months, 147.48 tce and 643.92 t) is counted where it was on 31 December.
    e1 = CarbonAccount.objects.get(level="enterprise", enterprise=world.enterprises["E1"], year=2025, month=0)
    assert (e1.park_id, e1.district_id) == (pc.pk, caidian.pk)
    assert _figures("park", 0, park=pc) == (1, Decimal("147.4800"), Decimal("643.9200"))
    assert _figures("district", 0, district=caidian) == (1, Decimal("147.4800"), Decimal("643.9200"))
    assert _figures("park", 0, park=pa) is None
    # E2: 1,000,000 kWh × 0.1229 = 122.9 tce; × 0.5366 = 536.6 t, in PB and 江夏 all year.
    assert _figures("park", 0, park=pb) == (1, Decimal("122.9000"), Decimal("536.6000"))
    assert _figures("district", 0, district=jiangxia) == (1, Decimal("122.9000"), Decimal("536.6000"))
    assert _figures("city", 0) == (2, Decimal("270.3800"), Decimal("1180.5200"))


def test_a_firm_moving_mid_year_is_counted_in_each_park_for_its_months(
    world: World, imported: Importer, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    _import(world, imported)
    assert _figures("park", 9, park=world.parks["PA"]) is not None  # accounted before the move is recorded
    _move(world, django_capture_on_commit_callbacks)
    _check_by_hand(world)
    rebuilt = accounts()
    services.carbon_recompute_all()
    assert accounts() == rebuilt
    # Nothing is out of place any more: a further rebuild changes nothing.
    assert services.carbon_recompute_moved().rows == 0


def test_data_imported_after_the_move_is_placed_by_period_too(
    world: World, imported: Importer, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    _move(world, django_capture_on_commit_callbacks)
    _import(world, imported)
    _check_by_hand(world)
