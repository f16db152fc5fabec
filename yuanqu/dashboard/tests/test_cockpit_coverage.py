"""The cockpit opens on the newest month that is reported in full: after one park uploads a later
month for two firms only, the city cockpit still opens on the last complete month; the later month is
offered with its report rate, and chosen it says it is incomplete and shows no 同比 (not −80 %).
Real monthly reports, labels and the indicator engine; the rate is the pack's monthly_report_rate."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import translation

from conftest import World
from yuanqu.core.tests.test_i18n import switch
from yuanqu.core.uscc import make as make_uscc
from yuanqu.dashboard import selectors
from yuanqu.indicators.services import indicators_compute_all
from yuanqu.registry.models import Enterprise, EnterpriseLabel
from yuanqu.stats.models import ImportBatch, MonthlyStat

URL = "/cockpit/"


def _firms(world: World) -> list[Enterprise]:
    """Ten 规上 manufacturers: E1–E3 of the world and seven more across the three parks."""
    firms = [world.enterprises[key] for key in ("E1", "E2", "E3")]
    parks = [world.parks["PA"], world.parks["PB"], world.parks["PC"]]
    for n in range(7):
        park = parks[n % 3]
        firm = Enterprise(
            uscc=make_uscc(f"91420100MA4K{n + 100:05d}"),
            name=f"武汉报送测试{n}号制造有限公司",
            industry_id="C3976",
            district=park.district,
            park=park,
            park_assignment="manual",
        )
        firm.full_clean()
        firm.save()
        firms.append(firm)
    for firm in firms:
        EnterpriseLabel.objects.create(enterprise=firm, kind="above_scale", valid_from=dt.date(2020, 1, 1))
    return firms


def _report(firms: list[Enterprise], month: dt.date, revenue_ytd: int) -> None:
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.MONTHLY, status=ImportBatch.Status.APPLIED)
    for firm in firms:
        MonthlyStat.objects.create(
            enterprise=firm,
            period=month,
            revenue_ytd=Decimal(revenue_ytd),
            value_added_ytd=Decimal(revenue_ytd // 4),
            batch=batch,
        )


@pytest.fixture
def reported(world: World) -> World:
    firms = _firms(world)
    _report(firms, dt.date(2024, 10, 1), 800)
    _report(firms, dt.date(2024, 11, 1), 900)
    _report(firms, dt.date(2025, 10, 1), 1000)
    _report(firms[:2], dt.date(2025, 11, 1), 1100)  # one park's upload: two firms of ten
    indicators_compute_all(today=dt.date(2025, 12, 15))
    return world


def _selected_period(page: str) -> str:
    select = re.search(r'<select name="period" data-testid="period-select">(.*?)</select>', page, re.S)
    assert select is not None
    chosen = re.search(r'<option value="([^"]+)" selected>', select.group(1))
    assert chosen is not None
    return chosen.group(1)


def _trend_growth(page: str, name: str) -> str:
    row = re.search(rf"<tr><td>{name}</td>(.*?)</tr>", page, re.S)
    assert row is not None, name
    cells: list[str] = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    # 最新统计期, 本期, 上年同期, 同比（现价）, then 可比价增速（同口径）.
    return cells[3].strip()


def test_it_measures_how_fully_each_month_is_reported(reported: World) -> None:
    coverage = selectors.month_coverage(reported.users["city_admin"], ["PA", "PB", "PC"])
    assert coverage[dt.date(2025, 10, 31)] == selectors.Coverage(1.0, True)
    assert coverage[dt.date(2025, 11, 30)] == selectors.Coverage(0.2, False)


def test_the_city_cockpit_opens_on_the_last_complete_month(reported: World) -> None:
    response = reported.client("city_admin").get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert _selected_period(page) == "2025-10"
    # The partial month is offered, with its report rate.
    assert '<option value="2025-11">2025年1-11月（未报齐，报送率 20%）</option>' in page
    assert 'data-testid="newer-partial"' in page and "2025年1-11月的数据尚未报齐（报送率 20%）" in page
    assert 'data-testid="partial-period"' not in page
    # The complete month compares with the year before: 10 × 1000 against 10 × 800.
    assert _trend_growth(page, "规上工业营业收入（1-本月累计）") == "25.0%"


def test_the_partial_month_shows_its_coverage_and_no_growth(reported: World) -> None:
    page = reported.client("city_admin").get(URL, {"period": "2025-11"}).content.decode()
    assert 'data-testid="partial-period"' in page
    assert "2025年1-11月尚未报齐：报送率 20%，低于 90%。" in page
    # Two firms' 2 200 against ten firms' 9 000 a year before would read −75.6 %: not shown.
    assert _trend_growth(page, "规上工业营业收入（1-本月累计）") == "—"
    assert "-75.6%" not in page and "−75.6%" not in page


def test_a_pack_without_a_report_rate_opens_on_the_newest_month(
    reported: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = selectors.catalogue.indicator_catalogue()
    without = replace(pack, reporting=replace(pack.reporting, indicator=None))
    monkeypatch.setattr(selectors.catalogue, "indicator_catalogue", lambda: without)
    page = reported.client("city_admin").get(URL).content.decode()
    assert _selected_period(page) == "2025-11"


def test_the_english_cockpit_says_a_month_is_not_fully_reported(reported: World) -> None:
    client = reported.client("city_admin")
    switch(client, "en")
    try:
        page = client.get(URL, {"period": "2025-11"}).content.decode()
    finally:
        translation.deactivate()
    assert "Jan–Nov 2025 is not fully reported: 20% of the firms due have reported, below 90%." in page
    assert "Jan–Oct 2025" in page and "(incomplete" not in page.split('value="2025-10"')[1].split("</option>")[0]
