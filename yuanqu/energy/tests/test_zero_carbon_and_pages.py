"""A park's standing against the pack's 零碳园区 indicators (thresholds by band of energy use, gaps),
and the pages that show a park's carbon account and a firm's energy with the method of each figure."""

from __future__ import annotations

from decimal import Decimal

from conftest import World
from yuanqu.energy import selectors, zero_carbon
from yuanqu.energy.models import CarbonAccount, ParkResourceAnnual
from yuanqu.energy.rules import config
from yuanqu.energy.tests.conftest import Importer
from yuanqu.energy.tests.test_import_and_accounts import import_fixture


def test_the_core_indicator_takes_the_threshold_of_the_parks_band() -> None:
    figures = {
        "energy_tce": Decimal(300_000),
        "co2_per_tce": Decimal("0.25"),
        "clean_share": Decimal("92.00"),
        "solid_waste_utilisation": Decimal("95.00"),
        "water_reuse": Decimal("85.00"),
    }
    standings = zero_carbon.standing(config(), figures)
    core = standings[0]
    assert (core.threshold, core.met, core.gap) == (Decimal("0.2"), False, Decimal("0.05"))
    assert [s.met for s in standings[1:]] == [True, True, True]
    assert not zero_carbon.qualifies(standings)
    # Above 1,000,000 tce the threshold is 0.3: the same park qualifies.
    big = zero_carbon.standing(config(), {**figures, "energy_tce": Decimal(1_200_000)})
    assert big[0].threshold == Decimal("0.3") and zero_carbon.qualifies(big)


def test_a_park_below_every_band_is_outside_the_range_not_failed() -> None:
    standings = zero_carbon.standing(config(), {"energy_tce": Decimal("294.0422"), "co2_per_tce": Decimal("3.3")})
    assert standings[0].met is None
    assert standings[0].note == "年综合能耗294吨标准煤，不在通知的适用范围内（200000吨标准煤起）"
    assert standings[1].note == "缺少数据"


def test_the_park_page_shows_the_account_its_method_and_its_standing(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    html = world.client("district_jiangxia").get("/energy/parks/PA/").content.decode()
    assert "702.2222" in html and "232.5922" in html
    assert "该年度尚无公布的因子，采用2022年因子" in html
    assert "GB/T 2589-2020 附录A" in html
    assert "单位能耗碳排放（吨CO₂/吨标准煤）（核心指标）" in html
    assert "武汉甲光电科技有限公司" in html  # the top emitter
    overview = world.client("district_jiangxia").get("/energy/").content.decode()
    assert "江夏现代产业园" in overview and "蔡甸特色产业园" not in overview


def test_the_firm_page_shows_its_years(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    e1 = world.enterprises["E1"]
    html = world.client("enterprise").get(f"/energy/enterprises/{e1.uscc}/").content.decode()
    assert "217.9422" in html and "484.2800" in html
    assert world.client("enterprise").get(f"/energy/enterprises/{world.enterprises['E2'].uscc}/").status_code == 404


def test_the_thresholds_follow_the_reference_and_say_they_are_illustrative(world: World, imported: Importer) -> None:
    settings = config()
    assert [(rule.indicator, rule.minimum) for rule in settings.zero_carbon[1:]] == [
        ("clean_share", Decimal("90")),
        ("solid_waste_utilisation", Decimal("80")),
        ("water_reuse", Decimal("80")),
    ]
    assert settings.zero_carbon_illustrative
    import_fixture(world, imported)
    html = world.client("district_jiangxia").get("/energy/parks/PA/").content.decode()
    assert "示例阈值：待对照通知附件核实后用于认定。" in html
    body = world.client("district_jiangxia").get("/api/v1/energy/parks/PA/zero-carbon").json()
    assert body["illustrative"] is True
    assert [item["indicator"] for item in body["indicators"]][-1] == "water_reuse"


def test_water_reuse_is_recycled_water_over_it_and_the_firms_new_water() -> None:
    resources = ParkResourceAnnual(
        year=2025,
        wastewater_t=Decimal(800_000),
        wastewater_recycled_t=Decimal(650_000),
    )
    account = CarbonAccount(year=2025, month=0, energy_tce=Decimal(1), co2_t=Decimal(1), water_t=Decimal(350_000))
    figures = selectors.park_figures(None, account, 2025, resources)  # type: ignore[arg-type]
    # 650,000 ÷ (650,000 + 350,000) = 65 %; 废水循环利用率 650,000 ÷ 800,000 = 81.25 %.
    assert (figures["water_reuse"], figures["water_recycling"]) == (Decimal("65.00"), Decimal("81.25"))


def test_the_parks_profile_shows_its_carbon_account_and_links_to_it(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    html = world.client("district_jiangxia").get("/cockpit/parks/PA/").content.decode()
    assert 'data-testid="park-carbon"' in html and "702.22" in html
    assert 'href="/energy/parks/PA/"' in html
