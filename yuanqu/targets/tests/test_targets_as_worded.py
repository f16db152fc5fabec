"""Targets read as the plan words them, on the small statistics world (factories.add_stats) with
numbers checked by hand: lead-industry shares assessed park by park, park scope with the city figure
beside, 绿色工厂 created since 2025, smart-platform coverage with non-filers as not covered, and 亩均
over industrial firms only.

The world: PA (modern) holds E1 (C3976, in PA's lead chain); PB (urban) E2; PC (featured) E3; E4
(software, I6513) is outside every park. Added here: PD, a second modern park with no firms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import World
from yuanqu.core.uscc import make as make_uscc
from yuanqu.indicators.models import IndicatorValue
from yuanqu.indicators.services import indicators_compute_all
from yuanqu.indicators.tests.factories import add_stats, annual_row, batch
from yuanqu.registry.models import Enterprise, EnterpriseLabel, Park
from yuanqu.stats.models import ImportBatch, ParkAnnualStat
from yuanqu.targets.selectors import target_row


def city(indicator: str, year: int) -> Decimal | None:
    return IndicatorValue.objects.get(
        indicator=indicator, scope_kind="city", scope_code="city", frequency="year", period=dt.date(year, 12, 31)
    ).value


def park(indicator: str, code: str, year: int) -> Decimal | None:
    return IndicatorValue.objects.get(
        indicator=indicator, scope_kind="park", scope_code=code, frequency="year", period=dt.date(year, 12, 31)
    ).value


@pytest.fixture
def computed(world: World) -> World:
    add_stats(world)
    pd = Park(
        code="PD",
        name="江夏第二现代产业园",
        district=world.parks["PA"].district,
        park_type="modern",
        planned_area_km2=Decimal("2.000"),
    )
    pd.full_clean()
    pd.save()
    world.parks["PD"] = pd
    # E5: a software firm (not industrial) in PA with value added and land in 2025.
    e5 = Enterprise.objects.create(
        uscc=make_uscc("91420100MA4K00005"),
        name="武汉戊软件有限公司",
        industry_id="I6513",
        district=world.parks["PA"].district,
        park=world.parks["PA"],
        park_assignment="manual",
    )
    annual_row(e5, 2025, (10_000, 300, 0, 10_000, 100, 50), ImportBatch.objects.filter(kind="annual").get())
    # Smart platform: PA files 3 subsystems for 2025; PC (featured) and PD (modern) file nothing.
    park_batch = batch(ImportBatch.Kind.PARK_ANNUAL, "园区年度数据")
    ParkAnnualStat.objects.create(park=world.parks["PA"], year=2025, smart_subsystems=3, batch=park_batch)
    # National green factories: E3 since 2021 (before the count starts), E1 since 2025-11-01.
    for key, start in (("E3", dt.date(2021, 12, 1)), ("E1", dt.date(2025, 11, 1))):
        EnterpriseLabel.objects.create(
            enterprise=world.enterprises[key], kind="green_factory", level="national", valid_from=start
        )
    # 规上: E3 leaves on 2025-06-30 (an exit); E2 enters on 2025-01-01 (add_stats).
    EnterpriseLabel.objects.filter(enterprise=world.enterprises["E3"], kind="above_scale").update(
        valid_to=dt.date(2025, 6, 30)
    )
    indicators_compute_all()
    return world


def test_lead_shares_are_assessed_park_by_park_with_the_aggregate_beside(computed: World) -> None:
    # PA: E1 in the lead chain (1,500,000 万元) and E5 outside it (10,000): 1,500,000 ÷ 1,510,000 =
    # 99.34 %. PD has no revenue: not above the line. 1 of 2 modern parks is above 80 %, while the
    # type's aggregate is 99.34 %.
    assert park("lead_industry_share", "PA", 2025) == Decimal("99.337748")
    assert city("lead_share_parks_above_modern", 2024) == Decimal(50)
    assert city("lead_share_parks_above_modern", 2025) == Decimal(50)
    row = target_row(computed.users["city_admin"], "lead_share_modern")
    assert row.years[-1].value == pytest.approx(99.337748)  # the aggregate stays as context
    assert row.parks_meeting is not None
    assert (row.parks_meeting.meeting, row.parks_meeting.parks) == (1, 2)
    progress = row.progress
    assert progress is not None and not progress.met
    assert progress.goal == 100 and progress.progress == 0  # (50 − 50) ÷ (100 − 50)
    assert progress.status is not None and progress.status.name == "严重滞后"


def test_counts_are_taken_in_parks_with_the_city_figure_beside(computed: World) -> None:
    # 2024: E1 (PA) holds a 高企 certificate from 2024-05-01, E4 (outside parks) until 2025-11-30.
    row = target_row(computed.users["city_admin"], "high_tech_enterprises")
    assert [(item.label, item.value) for item in row.years] == [("2023年", 0), ("2024年", 1), ("2025年", 1)]
    [beside] = row.context
    assert beside.indicator.code == "high_tech_enterprises_city"
    assert beside.latest is not None and beside.latest.value == 1  # 2025: E4's certificate lapsed
    assert city("high_tech_enterprises_city", 2024) == Decimal(2)


def test_green_factories_count_those_created_since_2025(computed: World) -> None:
    row = target_row(computed.users["city_admin"], "national_green_factories")
    assert row.indicator is not None and row.indicator.code == "national_green_factories_new"
    assert row.progress is not None and row.progress.baseline is not None
    assert row.progress.baseline.value == 0 and row.progress.latest is not None and row.progress.latest.value == 1
    [cumulative] = row.context
    assert cumulative.latest is not None and cumulative.latest.value == 2  # E3 (2021) and E1 (2025)


def test_a_key_park_that_does_not_file_counts_as_not_covered(computed: World) -> None:
    # Key parks (modern, featured): PA, PD, PC. Only PA reports a smart platform: 1 ÷ 3, not 1 ÷ 1.
    assert city("smart_platform_coverage", 2025) == Decimal("33.333333")


def test_value_added_per_mu_counts_industrial_firms_above_and_below_the_line(computed: World) -> None:
    # PA 2025: E1 330,000 万元 on 150 亩; E5 (software, 10,000 on 100 亩) is in neither term.
    assert park("value_added_per_mu", "PA", 2025) == Decimal(2200)


def test_the_api_gives_the_parks_over_the_line_and_the_figures_beside(computed: World) -> None:
    client = computed.client("city_viewer")
    lead = client.get("/api/v1/targets/lead_share_modern").json()
    assert lead["assess_by"] == "lead_share_parks_above_modern"
    assert (lead["parks_meeting"], lead["parks_total"]) == (1, 2)
    assert lead["latest"] == 50.0 and lead["goal"] == 100.0
    high_tech = client.get("/api/v1/targets/high_tech_enterprises").json()
    assert high_tech["goal"] == 8001
    assert [(item["indicator"], item["latest"]) for item in high_tech["context"]] == [
        ("high_tech_enterprises_city", 1.0)
    ]


def test_new_above_scale_firms_are_shown_gross_and_net(computed: World) -> None:
    # 2025: E2 enters (gross 1), E3 leaves (1 exit): net 0. 2024: nothing counted yet.
    assert city("new_above_scale_enterprises", 2025) == 1
    assert city("above_scale_exits", 2025) == 1
    assert city("new_above_scale_enterprises_net", 2025) == 0
    assert city("new_above_scale_enterprises_net", 2024) == 0
    row = target_row(computed.users["city_admin"], "new_above_scale_enterprises")
    assert [(c.indicator.code, c.latest.value if c.latest else None) for c in row.context] == [
        ("new_above_scale_enterprises_net", 0),
        ("above_scale_exits", 1),
    ]


def test_the_export_says_which_values_are_the_share_of_parks(computed: World) -> None:
    import io

    from python_calamine import CalamineWorkbook

    from yuanqu.targets.views import PARKS_SHARE_UNIT

    response = computed.client("city_admin").get("/targets/?export=xlsx")
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    header, rows = sheet[0], {row[0]: row for row in sheet[1:]}
    lead = dict(zip(header, rows["lead_share_modern"], strict=True))
    assert lead["单位"] == PARKS_SHARE_UNIT and lead["最新值"] == 50 and lead["2024年基期值"] == 50
    assert dict(zip(header, rows["high_tech_enterprises"], strict=True))["单位"] == "家"
