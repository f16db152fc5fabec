"""载体 through the intake pipeline, with real spreadsheets: the template, a district's land and floors
written and audited, the same file again changing nothing, every broken row named by row, column and
rule with nothing written, a 载体 of another district left alone, the export re-importing to the same
values, and the unsafe-file corpus refused before any batch is made."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.intake import reading
from yuanqu.intake.kinds import KINDS
from yuanqu.intake.reading import FileRefused
from yuanqu.intake.services import kind_export, limits
from yuanqu.intake.tests.conftest import import_file, media_root, texts, xlsx
from yuanqu.intake.tests.test_corpus import REFUSED
from yuanqu.investment.models import Site
from yuanqu.investment.tests.conftest import DAY, site
from yuanqu.stats.models import ImportBatch

pytestmark = pytest.mark.django_db
__all__ = ["media_root"]  # the intake tests' fixture: the corpus test checks that no file is kept
KIND = "investment_sites"
HEADER = [
    "载体编号",
    "名称",
    "类别",
    "所属区",
    "所在园区",
    "土地面积（亩）",
    "建筑面积（平方米）",
    "楼面荷载（kN/㎡）",
    "可用日期",
]
LAND = ["JX-L-1", "江夏光谷南地块", "土地", "江夏区", "PA", 120.5, None, None, "2026-06-30"]
FLOOR = ["JX-F-1", "江夏标准厂房3号楼2层", "厂房楼层", "江夏区", None, None, 3200, 8, "2026-09-30"]


def test_the_upload_page_offers_the_template(world: World) -> None:
    client = world.client("district_jiangxia")
    assert "载体" in client.get("/intake/upload/").content.decode()
    response = client.get(f"/intake/templates/{KIND}.xlsx")
    assert response.status_code == 200
    headers = reading.read_file("载体.xlsx", response.content, limits()).sheets[0].head(1)[0]
    assert list(headers[:6]) == ["载体编号", "名称", "类别", "所属区", "所在园区", "规划用途"]


def test_a_district_imports_land_and_floors_and_the_same_file_changes_nothing(world: World) -> None:
    content = xlsx([HEADER, LAND, FLOOR])
    outcome = import_file(world, "district_jiangxia", KIND, content)
    assert outcome.status == "applied", texts(outcome)
    assert outcome.counts["created"] == 2
    land, floor = Site.objects.get(code="JX-L-1"), Site.objects.get(code="JX-F-1")
    assert (land.kind, land.area_mu, land.park, land.district) == (
        "land",
        Decimal("120.50"),
        world.parks["PA"],
        world.districts["jiangxia"],
    )
    assert (floor.kind, floor.floor_area_m2, floor.floor_load_kn, floor.park) == ("floor", 3200, Decimal("8.0"), None)
    assert AuditLog.objects.filter(object_type="investment.Site", action="create").count() == 2
    # The same file again is recognised as such; the same rows in another file change nothing.
    assert import_file(world, "district_jiangxia", KIND, content).status == "duplicate"
    again = import_file(world, "district_jiangxia", KIND, xlsx([HEADER, LAND, FLOOR], sheet="载体"))
    assert again.status == "applied" and again.counts["unchanged"] == 2 and again.counts["created"] == 0
    assert AuditLog.objects.filter(object_type="investment.Site").count() == 2
    # A changed row updates its 载体, audited.
    changed = import_file(world, "district_jiangxia", KIND, xlsx([HEADER, [*FLOOR[:6], 3600, 8, "2026-09-30"]]))
    assert changed.counts["updated"] == 1
    assert Site.objects.get(code="JX-F-1").floor_area_m2 == 3600
    assert AuditLog.objects.filter(object_type="investment.Site", action="update").count() == 1


def test_every_broken_row_is_named_and_nothing_is_written(world: World) -> None:
    site("CD-1", world, kind="floor", park="PC", district="caidian", floor_area_m2=1000)
    rows: list[list[Any]] = [
        HEADER,
        ["JX-L-2", "缺面积地块", "土地", "江夏区", "PA", None, None, None, "2026-06-30"],  # row 2
        ["JX-F-2", "缺面积楼层", "厂房楼层", "江夏区", None, None, None, None, "2026-06-30"],  # row 3
        ["CD-2", "蔡甸地块", "土地", "蔡甸区", None, 50, None, None, "2026-06-30"],  # row 4
        ["CD-1", "蔡甸厂房", "厂房楼层", "江夏区", None, None, 900, None, "2026-06-30"],  # row 5
        ["JX-F-3", "荷载为负", "厂房楼层", "江夏区", None, None, 900, -1, "2026-06-30"],  # row 6
        ["JX-F-4", "类别不明", "仓库", "江夏区", None, None, 900, None, "2026-06-30"],  # row 7
        ["JX-F-5", "园区不在区内", "厂房楼层", "江夏区", "PC", None, 900, None, "2026-06-30"],  # row 8
        ["JX-L-9", *LAND[1:8], None],  # row 9: no date
        LAND,  # row 10
        LAND,  # row 11: the same code again
    ]
    outcome = import_file(world, "district_jiangxia", KIND, xlsx(rows))
    assert outcome.status == "rejected"
    found = "\n".join(texts(outcome))
    for expected in (
        "第2行 F列“土地面积（亩）”：土地须填写“土地面积（亩）”",
        "第3行 G列“建筑面积（平方米）”：厂房楼层须填写“建筑面积（平方米）”",
        "第4行 D列“所属区”：不能登记其他区的数据",
        "第5行 A列“载体编号”：载体“CD-1”已存在且不在您的权限范围内",
        "第6行 H列“楼面荷载（kN/㎡）”：不能为负数",
        "第7行 C列“类别”：",
        "第8行 E列“所在园区”：园区“蔡甸特色产业园”属于蔡甸区，与所填的区不一致",
        "第9行 I列“可用日期”：必填，不能为空",
        "第11行 A列“载体编号”：与第10行重复（载体编号相同）",
    ):
        assert expected in found, found
    assert Site.objects.count() == 1 and Site.objects.get().name == "载体CD-1"
    assert outcome.batch.status == ImportBatch.Status.REJECTED


def test_a_park_operator_imports_only_its_park(world: World) -> None:
    outcome = import_file(world, "park_operator", KIND, xlsx([HEADER, FLOOR]))
    assert outcome.status == "rejected"
    assert "第2行 E列“所在园区”：园区运营用户只能填报本园区" in "\n".join(texts(outcome))
    assert import_file(world, "park_operator", KIND, xlsx([HEADER, LAND])).status == "applied"


def test_the_export_reimports_to_the_same_values(world: World) -> None:
    site("JX-9", world, kind="land", area_mu=Decimal("88.80"), planned_use="M1", confirmed_on=DAY)
    content = kind_export(actor=world.users["city_admin"], spec=KINDS[KIND])
    outcome = import_file(world, "city_admin", KIND, content)
    assert outcome.status == "applied", texts(outcome)
    assert outcome.counts["unchanged"] == 1


@pytest.mark.parametrize(("case", "make", "name", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_an_unsafe_file_is_refused_before_any_batch(
    world: World, case: str, make: Callable[[Any], bytes], name: str, message: str, media_root: Path
) -> None:
    with pytest.raises(FileRefused, match=re.escape(message)):
        import_file(world, "district_jiangxia", KIND, make(world), name=name)
    assert not ImportBatch.objects.exists() and not Site.objects.exists()


def test_the_service_checks_the_place_and_the_area_itself(world: World) -> None:
    from django.core.exceptions import ValidationError

    from yuanqu.core.permissions import WriteDenied
    from yuanqu.investment import services

    values: dict[str, object] = {
        "name": "地块",
        "kind": "land",
        "district_id": world.districts["jiangxia"].pk,
        "available_on": DAY,
    }
    with pytest.raises(ValidationError) as refused:
        services.site_upsert(actor=world.users["district_jiangxia"], code="S-1", values=values)
    assert refused.value.message_dict == {"area_mu": ["土地须填写土地面积（亩）"]}
    with pytest.raises(WriteDenied):
        services.site_upsert(actor=world.users["district_caidian"], code="S-1", values={**values, "area_mu": 5})
    assert not Site.objects.exists()


def test_coordinates_are_checked_converted_and_exported_back(world: World) -> None:
    header = [*HEADER, "经度", "纬度", "坐标系"]
    rows: list[list[Any]] = [
        header,
        [*LAND, 114.31, 30.52, None],
        [*FLOOR, 114.3155, 30.5178, "高德"],
    ]
    outcome = import_file(world, "district_jiangxia", KIND, xlsx(rows))
    assert outcome.status == "applied", texts(outcome)
    land, floor = Site.objects.get(code="JX-L-1"), Site.objects.get(code="JX-F-1")
    assert (land.lon, land.lat) == (114.31, 30.52)
    # GCJ-02 (高德) is stored in WGS84, a few hundred metres off.
    assert floor.lon is not None and floor.lat is not None
    assert 0.001 < abs(floor.lon - 114.3155) < 0.01 and 0.001 < abs(floor.lat - 30.5178) < 0.01
    exported = kind_export(actor=world.users["city_admin"], spec=KINDS[KIND])
    back = import_file(world, "city_admin", KIND, exported)
    assert back.status == "applied" and back.counts["unchanged"] == 2, texts(back)
    broken: list[list[Any]] = [
        header,
        ["JX-L-9", "地块", "土地", "江夏区", "PA", 10, None, None, "2026-06-30", 114.31, None, None],  # row 2
        ["JX-L-8", "地块", "土地", "江夏区", "PA", 10, None, None, "2026-06-30", 121.47, 31.23, None],  # row 3
    ]
    refused = import_file(world, "district_jiangxia", KIND, xlsx(broken))
    assert refused.status == "rejected"
    found = "\n".join(texts(refused))
    assert "第2行 K列“纬度”：经度和纬度须同时填写" in found, found
    assert "第3行 J列“经度”：坐标（121.47, 31.23）不在武汉市范围内" in found, found
    assert not Site.objects.filter(code__in=["JX-L-9", "JX-L-8"]).exists()
