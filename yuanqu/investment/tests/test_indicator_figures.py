"""The 招商 figures in the indicator catalogue (`source: provided`): signed projects and amounts, 开工率
and 投产率 of the signing cohort, and 产值兑现率, per park, district and city, worked out by hand; they
follow each stage move and each annual statistics batch, survive a full recompute, and show in 指标
with their definition."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from yuanqu.indicators.models import IndicatorValue
from yuanqu.indicators.services import indicators_compute_all
from yuanqu.investment.models import Project
from yuanqu.investment.tests.conftest import DAY, InvestWorld, pdf
from yuanqu.stats.models import AnnualStat, ImportBatch
from yuanqu.stats.signals import batch_changed

pytestmark = pytest.mark.django_db
END = dt.date(2026, 12, 31)


def _values(code: str) -> dict[tuple[str, str], Decimal | None]:
    return {
        (row.scope_kind, row.scope_code): row.value for row in IndicatorValue.objects.filter(indicator=code, period=END)
    }


def _sign(inv: InvestWorld, **extra: Any) -> Project:
    project = inv.to_negotiating(inv.project(**extra))
    inv.move(project, "district_jiangxia", "signed", DAY + dt.timedelta(days=40), files=[pdf()])
    return project


def test_the_signing_cohort_per_park_district_and_city(inv: InvestWorld) -> None:
    # Three projects signed in 2026 in 江夏: two in PA (one of them started), one outside any park.
    started = _sign(inv, investor="甲公司", expected_output=Decimal("12"))
    _sign(inv, investor="乙公司", planned_investment=Decimal("7.5"))
    _sign(inv, investor="丙公司", park=None, planned_investment=Decimal("5"))
    district = inv.world.districts["jiangxia"].code
    assert _values("investment_signed_projects") == {
        ("park", "PA"): Decimal(2),
        ("district", district): Decimal(3),
        ("city", "city"): Decimal(3),
    }
    assert _values("investment_signed_amount") == {
        ("park", "PA"): Decimal("20.0"),
        ("district", district): Decimal("25.0"),
        ("city", "city"): Decimal("25.0"),
    }
    assert _values("investment_start_rate")[("park", "PA")] == Decimal(0)
    inv.move(started, "district_jiangxia", "land", DAY + dt.timedelta(days=60), files=[pdf("营业执照.pdf")])
    inv.move(started, "district_jiangxia", "started", DAY + dt.timedelta(days=90), files=[pdf("施工许可证.pdf")])
    # 开工率 = started ÷ signed of the same cohort: 1/2 in PA, 1/3 in the district and the city.
    assert _values("investment_start_rate") == {
        ("park", "PA"): Decimal("50.00"),
        ("district", district): Decimal("33.33"),
        ("city", "city"): Decimal("33.33"),
    }
    assert _values("investment_production_rate")[("city", "city")] == Decimal("0.00")
    inv.move(
        started,
        "district_jiangxia",
        "producing",
        DAY + dt.timedelta(days=200),
        enterprise=inv.world.enterprises["E1"],
    )
    assert _values("investment_production_rate")[("district", district)] == Decimal("33.33")
    # 兑现率: nothing until the firm reports a year since 投产; a 2025 report does not count.
    assert _values("investment_output_delivery_rate") == {}
    for year, output in ((2025, "500000"), (2026, "90000")):  # 万元: 50 亿元, then 9 亿元 against 12 promised
        batch = ImportBatch.objects.create(kind=ImportBatch.Kind.ANNUAL, status=ImportBatch.Status.APPLIED)
        firm = inv.world.enterprises["E1"]
        AnnualStat.objects.create(enterprise=firm, year=year, output=Decimal(output), batch=batch)
        batch_changed.send(sender=ImportBatch, batch=batch)
    assert _values("investment_output_delivery_rate") == {
        ("park", "PA"): Decimal("75.00"),
        ("district", district): Decimal("75.00"),
        ("city", "city"): Decimal("75.00"),
    }
    assert not IndicatorValue.objects.filter(indicator="investment_output_delivery_rate", period=dt.date(2025, 12, 31))
    # A full recompute of the catalogue gives the same values.
    indicators_compute_all()
    assert _values("investment_start_rate")[("park", "PA")] == Decimal("50.00")
    assert _values("investment_output_delivery_rate")[("city", "city")] == Decimal("75.00")


def test_the_indicator_page_shows_the_definition_and_the_park_values(inv: InvestWorld) -> None:
    _sign(inv)
    page = inv.world.client("city_viewer").get("/indicators/investment_signed_projects/?period=2026").content.decode()
    assert "招商签约项目数" in page and "当年进入“签约”阶段的招商项目数" in page
    assert "由精准招商模块的项目库提供" in page
    assert "江夏现代产业园" in page


def test_the_cockpit_panel_shows_the_latest_cohort_in_the_readers_scope(inv: InvestWorld) -> None:
    _sign(inv, investor="甲公司")
    _sign(inv, investor="乙公司", planned_investment=Decimal("7.5"))
    page = inv.world.client("district_jiangxia").get("/cockpit/").content.decode()
    assert 'data-testid="investment-panel"' in page and "2026年签约项目" in page
    assert 'data-testid="inv-signed">2<' in page and 'data-testid="inv-amount">20.00<' in page
    assert 'data-testid="inv-start-rate">0.0%<' in page and 'data-testid="inv-delivery-rate">—<' in page
    assert "/indicators/investment_start_rate/" in page
    # Another district sees none of 江夏's projects.
    other = inv.world.client("district_caidian").get("/cockpit/").content.decode()
    assert "暂无签约项目" in other and 'data-testid="inv-signed">0<' in other
    # The 大屏 shows the same figures as a compact strip under its grid, not the panel.
    screen = inv.world.client("district_jiangxia").get("/cockpit/?screen=1").content.decode()
    assert 'data-testid="investment-panel"' not in screen and 'data-testid="investment-strip"' in screen
    assert 'data-testid="inv-signed">2<' in screen and 'data-testid="inv-amount">20.00<' in screen
    assert "investment/screen.css" in screen and "2026年签约项目" in screen
    strip = screen.split('data-testid="inv-funnel"')[1].split("</ol>")[0]
    assert strip.count("<li>") == 8 and "签约 <b>2</b>" in strip
