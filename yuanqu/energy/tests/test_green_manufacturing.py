"""Green manufacturing on the 能碳 pages: the dated labels of the green-manufacturing lists (国家级/省级
绿色工厂, 绿色供应链管理企业, 绿色设计产品) counted by park on a year's last day, and each park's green level
read from the registry's dated park history. The new lists need a level like 绿色工厂, at import too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from conftest import World
from yuanqu.energy import selectors
from yuanqu.energy.tests.conftest import Importer, texts, xlsx
from yuanqu.indicators.models import IndicatorValue
from yuanqu.registry.history import park_state_change
from yuanqu.registry.models import Enterprise, EnterpriseLabel, LabelKind, LabelLevel


def _world(world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    e1, e2 = world.enterprises["E1"], world.enterprises["E2"]

    def label(firm: Enterprise, kind: str, level: str, start: dt.date, end: dt.date | None = None) -> None:
        EnterpriseLabel.objects.create(enterprise=firm, kind=kind, level=level, valid_from=start, valid_to=end)

    label(e1, LabelKind.GREEN_FACTORY, LabelLevel.NATIONAL, dt.date(2024, 3, 1))
    label(e1, LabelKind.GREEN_SUPPLY_CHAIN, LabelLevel.PROVINCIAL, dt.date(2025, 6, 1))
    label(e1, LabelKind.GREEN_PRODUCT, LabelLevel.NATIONAL, dt.date(2026, 1, 10))
    label(e2, LabelKind.GREEN_FACTORY, LabelLevel.PROVINCIAL, dt.date(2023, 1, 1), dt.date(2024, 12, 31))
    # 江夏现代产业园 became a provincial green park on 1 May 2025.
    with django_capture_on_commit_callbacks(execute=True):
        park_state_change(
            actor=world.users["city_admin"],
            park=world.parks["PA"],
            valid_from=dt.date(2025, 5, 1),
            green_level="provincial",
        )


def test_the_lists_and_green_levels_are_read_on_the_year_end(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    _world(world, django_capture_on_commit_callbacks)
    city = world.users["city_admin"]
    green = selectors.green_manufacturing(city, 2025)
    assert [(row.park.code, row.level, row.since) for row in green.parks] == [("PA", "provincial", dt.date(2025, 5, 1))]
    assert green.parks[0].counts == {
        "factory_national": 1,
        "factory_provincial": 0,
        "supply_chain": 1,
        "product": 0,
        "product_items": 0,
    }
    # At the end of 2024: PA not yet green, E2's provincial green factory still valid.
    earlier = selectors.green_manufacturing(city, 2024)
    assert [
        (row.park.code, row.level, row.counts["factory_national"], row.counts["factory_provincial"])
        for row in earlier.parks
    ] == [
        ("PA", "", 1, 0),
        ("PB", "", 0, 1),
    ]
    assert earlier.totals == {
        "factory_national": 1,
        "factory_provincial": 1,
        "supply_chain": 0,
        "product": 0,
        "product_items": 0,
    }
    # A park operator of PA sees its own park only.
    assert [row.park.code for row in selectors.green_manufacturing(world.users["park_operator"], 2024).parks] == ["PA"]


def test_the_park_page_lists_the_labels_and_the_dated_level(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    _world(world, django_capture_on_commit_callbacks)
    page = world.client("district_jiangxia").get("/energy/parks/PA/").content.decode()
    assert 'data-testid="green-labels"' in page
    assert "省级绿色园区（自2025-05-01起）" in page
    assert "绿色供应链管理企业" in page and "绿色设计产品" in page
    overview = world.client("city_admin").get("/energy/").content.decode()
    assert 'data-testid="green-manufacturing"' in overview


def test_a_green_supply_chain_or_product_label_needs_its_level(world: World, imported: Importer) -> None:
    e1 = world.enterprises["E1"]
    header = ["统一社会信用代码", "称号类别", "级别", "认定日期"]
    outcome = imported("city_admin", "labels", xlsx([header, [e1.uscc, "绿色设计产品", None, "2025-03-01"]]))
    assert outcome.status == "rejected"
    assert "工作表“填报” 第2行 C列“级别”：“绿色设计产品”须注明级别（国家级/省级/市级）" in texts(outcome)
    outcome = imported("city_admin", "labels", xlsx([header, [e1.uscc, "绿色供应链", "国家级", "2025-03-01"]]))
    assert outcome.status == "applied", texts(outcome)
    label = EnterpriseLabel.objects.get(enterprise=e1, kind=LabelKind.GREEN_SUPPLY_CHAIN)
    assert (label.level, label.valid_from) == (LabelLevel.NATIONAL, dt.date(2025, 3, 1))


def test_green_design_products_are_counted_by_product(world: World, imported: Importer) -> None:
    e1, e2, e3 = (world.enterprises[key] for key in ("E1", "E2", "E3"))
    header = ["统一社会信用代码", "称号类别", "级别", "认定日期", "入选产品"]
    rows: list[list[object]] = [
        [e1.uscc, "绿色设计产品", "国家级", "2025-03-01", "节能电机、变频空调；LED灯具"],
        [e2.uscc, "绿色设计产品", "市级", "2025-03-01", "办公椅、书柜"],  # municipal: not counted
        [e3.uscc, "绿色设计产品", "省级", "2025-04-01", None],  # lists none: one product
    ]
    outcome = imported("city_admin", "labels", xlsx([header, *rows]))
    assert outcome.status == "applied", texts(outcome)
    label = EnterpriseLabel.objects.get(enterprise=e1, kind=LabelKind.GREEN_PRODUCT)
    assert (label.product_names, label.product_count) == (["节能电机", "变频空调", "LED灯具"], 3)

    def products(kind: str, code: str) -> Decimal | None:
        return IndicatorValue.objects.get(
            indicator="green_design_products", scope_kind=kind, scope_code=code, period=dt.date(2025, 12, 31)
        ).value

    # The catalogue counts products: PA 3 (one firm), PC 1, the city 4.
    assert (products("park", "PA"), products("park", "PC"), products("city", "city")) == (
        Decimal(3),
        Decimal(1),
        Decimal(4),
    )
    assert products("district", world.districts["jiangxia"].code) == 3
    assert products("park_type", "modern") == 3
    # From the year of the first listing on.
    assert not IndicatorValue.objects.filter(indicator="green_design_products", period__year=2024).exists()
    # The pages: one firm with products in PA, three products; the labels list them.
    green = selectors.green_manufacturing(world.users["city_admin"], 2025)
    pa = next(row for row in green.parks if row.park.code == "PA")
    assert (pa.counts["product"], pa.counts["product_items"]) == (1, 3)
    assert (green.totals["product"], green.totals["product_items"]) == (2, 4)
    page = world.client("park_operator").get("/energy/parks/PA/?year=2025").content.decode()
    assert "节能电机、变频空调、LED灯具" in page
