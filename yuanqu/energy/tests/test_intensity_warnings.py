"""Monthly intensity warnings: a month whose 单位工业增加值能耗 jumps against the firm's (or park's)
own previous months, or against the same month's firms of its industry division, by the pack's
`monthly_warnings`; shown on the park and firm pages and on the park's 工作台 card."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import World
from yuanqu.energy import cards, intensity, services
from yuanqu.energy.models import EnergyMonthly
from yuanqu.energy.pack import MonthlyWarnings
from yuanqu.stats.models import ImportBatch, MonthlyStat

RULE = MonthlyWarnings(
    history_months=12, min_history=3, own_ratio=Decimal("1.5"), industry_ratio=Decimal(3), industry_min_firms=5
)


def test_a_month_at_the_ratio_of_its_own_median_is_flagged() -> None:
    series = {(2025, 1): Decimal("0.1"), (2025, 2): Decimal("0.2"), (2025, 3): Decimal("0.12")}
    series[(2025, 4)] = Decimal("0.18")  # the median of 0.1, 0.2, 0.12 is 0.12; ×1.5 = 0.18
    warning = intensity.against_history(series, (2025, 4), RULE)
    assert warning is not None and (warning.kind, warning.reference, warning.count, warning.ratio) == (
        "own",
        Decimal("0.1200"),
        3,
        Decimal("1.50"),
    )
    series[(2025, 4)] = Decimal("0.1799")
    assert intensity.against_history(series, (2025, 4), RULE) is None
    # Two months of history are too few to judge.
    assert intensity.against_history({(2025, 1): Decimal("0.1"), (2025, 2): Decimal("1")}, (2025, 2), RULE) is None


def test_the_history_reaches_back_over_the_new_year_and_no_further_than_the_pack_says() -> None:
    series = {(2024, 11): Decimal("0.1"), (2024, 12): Decimal("0.1"), (2025, 1): Decimal("0.1")}
    series[(2025, 2)] = Decimal("0.2")
    assert intensity.against_history(series, (2025, 2), RULE) is not None
    short = MonthlyWarnings(2, 2, Decimal("1.5"), Decimal(3), 5)
    series[(2024, 12)] = Decimal("1")  # inside the two months: median (1 + 0.1) / 2 = 0.55
    assert intensity.against_history(series, (2025, 2), short) is None


def test_a_month_far_above_its_industrys_median_is_flagged() -> None:
    peers = [Decimal("0.1"), Decimal("0.1"), Decimal("0.2"), Decimal("0.3"), Decimal("0.6")]
    warning = intensity.against_industry(Decimal("0.6"), peers, (2025, 5), RULE)
    assert warning is not None and (warning.kind, warning.reference, warning.ratio) == (
        "industry",
        Decimal("0.2000"),
        Decimal("3.00"),
    )
    assert intensity.against_industry(Decimal("0.6"), peers[1:], (2025, 5), RULE) is None  # four firms


@pytest.fixture
def jump(world: World) -> None:
    """E1 (PA) uses 100,000 kWh a month on 100 万元 of value added from January to April 2025, then
    300,000 kWh in May: 12.29 tce / 100 = 0.1229, then 0.3687 (×3.00)."""
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.ENERGY_MONTHLY, status=ImportBatch.Status.APPLIED)
    stats = ImportBatch.objects.create(kind=ImportBatch.Kind.MONTHLY, status=ImportBatch.Status.APPLIED)
    e1 = world.enterprises["E1"]
    for month in range(1, 6):
        period = dt.date(2025, month, 1)
        kwh = Decimal(300000 if month == 5 else 100000)
        EnergyMonthly.objects.create(enterprise=e1, period=period, electricity_kwh=kwh, batch=batch)
        MonthlyStat.objects.create(enterprise=e1, period=period, value_added_month=Decimal(100), batch=stats)
    services.carbon_recompute_all()


def test_the_park_and_firm_pages_show_the_jump(world: World, jump: None) -> None:
    park = world.client("park_operator").get("/energy/parks/PA/").content.decode()
    assert 'data-testid="intensity-warnings"' in park
    assert "为此前 4 个月中位数 0.1229 的 3.00 倍" in park
    assert "园区合计" in park and "武汉甲光电科技有限公司" in park  # the park jumps with its one firm
    uscc = world.enterprises["E1"].uscc
    firm = world.client("enterprise").get(f"/energy/enterprises/{uscc}/").content.decode()
    assert "2025-05" in firm and "为此前 4 个月中位数 0.1229 的 3.00 倍" in firm


def test_the_parks_card_lists_the_jump(world: World, jump: None) -> None:
    (card,) = cards.cards(world.users["park_operator"], dt.date(2025, 6, 10))
    flagged = [item for item in card.items if "倍" in str(item.note)]
    assert [item.label for item in flagged] == ["园区合计", "武汉甲光电科技有限公司"]
    assert flagged[1].note == "2025-05 单位工业增加值能耗为此前4个月中位数的3.00倍"
