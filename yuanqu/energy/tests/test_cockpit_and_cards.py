"""能碳 in the cockpit (the panel of the parks of the cockpit's filters, each linked to its carbon
account) and on the 工作台 (a park's firms that have not reported last month's energy data, and its
零碳 gaps)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from conftest import World
from yuanqu.energy import cards, selectors
from yuanqu.energy.tests.conftest import MONTHLY_HEADER, Importer, texts, xlsx
from yuanqu.energy.tests.test_import_and_accounts import import_fixture
from yuanqu.registry.models import Park

TODAY = dt.date(2025, 6, 15)  # the month due is May 2025


def test_the_cockpit_panel_links_each_park_to_its_carbon_account(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    html = world.client("city_admin").get("/cockpit/").content.decode()
    assert 'data-testid="carbon-panel"' in html
    assert 'href="/energy/parks/PA/?year=2025"' in html and 'href="/energy/parks/PB/?year=2025"' in html
    assert "2025年 · 2 个园区有碳账户" in html
    # The cockpit's filters narrow the panel: 蔡甸 has no park with an account.
    caidian = world.client("city_admin").get(f"/cockpit/?district={world.districts['caidian'].code}").content.decode()
    assert "/energy/parks/PA/" not in caidian and "暂无碳账户" in caidian
    # A park operator's panel has its own park only.
    own = world.client("park_operator").get("/cockpit/").content.decode()
    assert "/energy/parks/PA/" in own and "/energy/parks/PB/" not in own


def test_the_big_screen_has_no_carbon_panel(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    html = world.client("city_admin").get("/cockpit/?screen=1").content.decode()
    assert 'data-testid="carbon-panel"' not in html


def monthly_fixture(world: World, imported: Importer) -> None:
    """E1 (PA) and E2 (PB) reported April 2025; only E2 reported May."""
    e1, e2 = world.enterprises["E1"], world.enterprises["E2"]
    rows: list[list[Any]] = [MONTHLY_HEADER, [e1.uscc, "2025-04", 1000, None], [e2.uscc, "2025-04", 1000, None]]
    rows.append([e2.uscc, "2025-05", 1000, None])
    outcome = imported("city_admin", "energy_monthly", xlsx(rows))
    assert outcome.status == "applied", texts(outcome)


def test_a_park_operator_sees_the_firms_that_have_not_reported_and_the_parks_gaps(
    world: World, imported: Importer
) -> None:
    import_fixture(world, imported)
    monthly_fixture(world, imported)
    (card,) = cards.cards(world.users["park_operator"], TODAY)
    assert card.key == "energy-park"
    labels = [(item.label, item.note) for item in card.items]
    assert ("武汉甲光电科技有限公司", "未报2025年5月能源数据") in labels
    assert card.figures[0].value == 1
    gaps = [item for item in card.items if item.url == "/energy/parks/PA/"]
    assert card.figures[2].value == len(gaps)


def test_a_district_user_sees_each_park_with_something_to_do(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    monthly_fixture(world, imported)
    (card,) = cards.cards(world.users["district_jiangxia"], TODAY)
    notes = {item.label: item.note for item in card.items}
    assert notes["江夏现代产业园"].startswith("1家企业未报2025年5月能源数据")
    assert card.figures[0].value == 1


def test_a_firm_sees_whether_its_last_month_is_reported(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    assert cards.cards(world.users["enterprise"], TODAY) == []  # E1 reports no monthly data yet
    monthly_fixture(world, imported)
    (card,) = cards.cards(world.users["enterprise"], TODAY)
    assert [item.label for item in card.items] == ["2025年5月能源数据未报送"]
    assert cards.cards(world.users["enterprise"], dt.date(2025, 5, 20))[0].items == []


def test_the_panel_reads_in_three_queries_however_many_parks(
    world: World, imported: Importer, django_assert_num_queries: Any
) -> None:
    import_fixture(world, imported)
    user = world.users["city_admin"]
    # The latest year, the park accounts with their parks, the parks' resource rows.
    with django_assert_num_queries(3):
        panel = selectors.cockpit_panel(user, Park.objects.visible_to(user))
    assert [row.park.code for row in panel.rows] == ["PA", "PB"]
    assert (panel.energy_tce, panel.co2_t) == (Decimal("294.0422"), Decimal("970.5222"))
