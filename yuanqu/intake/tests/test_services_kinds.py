"""The other kinds: 企业名录 (through the registry services, scoped and audited), 认定名单, 土地,
企业年度数据 and 园区年度数据."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.core.uscc import make as make_uscc
from yuanqu.intake.tests.conftest import import_file, texts, xlsx
from yuanqu.registry.models import Enterprise, EnterpriseLabel, LandParcel
from yuanqu.stats.models import AnnualStat, ParkAnnualStat

ENTERPRISE_HEADER = ["统一社会信用代码", "企业名称", "行业代码", "所属区", "所在园区", "地址", "经度", "纬度"]
NEW_USCC = make_uscc("91420115MA4KNEW01")


def test_it_creates_and_updates_enterprises_by_uscc(world: World) -> None:
    e2 = world.enterprises["E2"]
    content = xlsx(
        [
            ENTERPRISE_HEADER,
            [NEW_USCC, "武汉新光电有限公司", "C3976", "江夏区", "", "江夏大道1号", 114.31, 30.36],
            [e2.uscc, "武汉乙精密制造股份有限公司", "", "", "", "", None, None],
        ]
    )
    outcome = import_file(world, "district_jiangxia", "enterprises", content)
    assert outcome.status == "applied", texts(outcome)
    assert outcome.counts["created"] == 1 and outcome.counts["updated"] == 1
    new = Enterprise.objects.get(uscc=NEW_USCC)
    assert (new.park, new.park_assignment) == (world.parks["PA"], "auto")  # placed by coordinates
    e2.refresh_from_db()
    assert e2.name == "武汉乙精密制造股份有限公司" and e2.industry_id == "C3976"  # blanks keep old values
    assert AuditLog.objects.filter(object_type="registry.Enterprise", action="create", object_id=str(new.pk)).exists()
    assert AuditLog.objects.get(object_type="registry.Enterprise", action="update", object_id=str(e2.pk)).before == {
        "name": "武汉乙精密制造有限公司"
    }


def test_it_refuses_enterprises_outside_the_uploaders_district(world: World) -> None:
    content = xlsx(
        [
            ENTERPRISE_HEADER,
            [NEW_USCC, "武汉新光电有限公司", "C3976", "蔡甸区", "", "", None, None],
            [world.enterprises["E3"].uscc, "改名", "", "", "", "", None, None],
            [make_uscc("91420115MA4KNEW02"), "缺行业的企业", "", "江夏区", "", "", None, None],
            [make_uscc("91420115MA4KNEW03"), "坐标错误的企业", "C9999", "江夏", "PC", "", 116.4, 39.9],
        ]
    )
    outcome = import_file(world, "district_jiangxia", "enterprises", content)
    assert outcome.status == "rejected"
    joined = "\n".join(texts(outcome))
    assert "工作表“填报” 第2行 D列“所属区”：不能登记其他区的数据（您属于江夏区）" in joined
    assert "工作表“填报” 第3行 A列“统一社会信用代码”：统一社会信用代码“" in joined
    assert "已由您权限范围以外的企业登记，区级用户（江夏区）不能新增或修改该企业" in joined
    assert "工作表“填报” 第4行 C列“行业代码”：新企业必须填写此项" in joined
    assert "工作表“填报” 第5行 C列“行业代码”：行业代码“C9999”不在《国民经济行业分类》(GB/T 4754-2017)中" in joined
    assert "工作表“填报” 第5行 E列“所在园区”：园区“蔡甸特色产业园”属于蔡甸区，与所填的区不一致" in joined
    assert "工作表“填报” 第5行 G列“经度”：坐标（116.4, 39.9）不在武汉市范围内" in joined
    assert Enterprise.objects.count() == 4 and world.enterprises["E3"].name == "武汉丙生物医药有限公司"


def test_it_adds_and_updates_labels(world: World) -> None:
    e1, e2 = world.enterprises["E1"], world.enterprises["E2"]
    header = ["称号类别", "级别", "统一社会信用代码", "企业名称", "证书编号", "认定日期", "有效期至"]
    content = xlsx(
        [
            header,
            ["高企", "", e1.uscc, e1.name, "GR202442000009", "2024-05-01", "2027-04-30"],
            ["专精特新", "省级", e2.uscc, e2.name, "", dt.date(2025, 3, 1), ""],
            ["高新技术企业", "", e2.uscc, e2.name, "GR202542000002", "2025年11月20日", ""],
        ]
    )
    outcome = import_file(world, "city_admin", "labels", content)
    assert outcome.status == "applied", texts(outcome)
    assert (outcome.counts["created"], outcome.counts["updated"]) == (2, 1)
    assert EnterpriseLabel.objects.get(enterprise=e1, kind="high_tech").certificate_no == "GR202442000009"
    assert EnterpriseLabel.objects.get(enterprise=e2, kind="high_tech").valid_to == dt.date(2028, 11, 19)
    assert EnterpriseLabel.objects.get(enterprise=e2, kind="srdi").level == "provincial"


def test_it_requires_a_level_for_leveled_labels(world: World) -> None:
    e1 = world.enterprises["E1"]
    content = xlsx(
        [
            ["称号类别", "统一社会信用代码", "认定日期"],
            ["绿色工厂", e1.uscc, "2025-01-01"],
            ["金牌企业", e1.uscc, "2025-01-01"],
        ]
    )
    outcome = import_file(world, "city_admin", "labels", content)
    joined = "\n".join(texts(outcome))
    assert "“绿色工厂”须注明级别（国家级/省级/市级）" in joined
    assert "工作表“填报” 第3行 A列“称号类别”：“金牌企业”不是可选值" in joined


def test_it_creates_and_updates_land_parcels(world: World) -> None:
    header = [
        "地块编号",
        "所属区",
        "所在园区",
        "使用企业统一社会信用代码",
        "面积（公顷）",
        "用途",
        "供地方式",
        "供地日期",
    ]
    content = xlsx(
        [
            header,
            ["JX-NEW-1", "江夏区", "江夏现代产业园", world.enterprises["E1"].uscc, 2, "M1", "出让", "2025-06-30"],
            ["L-PA-1", "江夏区", "PA", "", 12, "一类工业用地", "弹性年期出让", ""],
        ]
    )
    outcome = import_file(world, "district_jiangxia", "land", content)
    assert outcome.status == "applied", texts(outcome)
    new = LandParcel.objects.get(code="JX-NEW-1")
    assert (new.area_mu, new.park, new.enterprise) == (Decimal("30.00"), world.parks["PA"], world.enterprises["E1"])
    old = LandParcel.objects.get(code="L-PA-1")
    assert (old.area_mu, old.supply_method) == (Decimal("180.00"), "flexible_term")


def test_it_refuses_land_in_another_district(world: World) -> None:
    header = ["地块编号", "所属区", "面积（亩）", "用途", "供地方式"]
    outcome = import_file(world, "district_caidian", "land", xlsx([header, ["L-PA-1", "江夏区", 10, "M1", "出让"]]))
    assert "地块“L-PA-1”已存在且不在您的权限范围内" in texts(outcome)[0]
    outcome = import_file(world, "park_operator", "land", xlsx([header, ["PB-9", "江夏区", 10, "M1", "出让"]]))
    assert "园区运营用户只能填报本园区（江夏现代产业园）的数据" in texts(outcome)[0]
    assert LandParcel.objects.count() == 3


def test_it_imports_annual_enterprise_data(world: World) -> None:
    e1 = world.enterprises["E1"]
    header = ["统一社会信用代码", "年度", "营业收入（亿元）", "利润总额（万元）", "用地面积（亩）", "研发人员数（人）"]
    outcome = import_file(world, "city_admin", "annual", xlsx([header, [e1.uscc, "2025年", 1.52, -30, 85.5, 48]]))
    assert outcome.status == "applied", texts(outcome)
    row = AnnualStat.objects.get(enterprise=e1, year=2025)
    assert (row.revenue, row.profit, row.land_mu, row.rd_staff) == (
        Decimal("15200.00"),
        Decimal("-30.00"),
        Decimal("85.50"),
        48,
    )
    jump = import_file(world, "city_admin", "annual", xlsx([header, [e1.uscc, 2026, 15.2, 10, 85.5, 48]]))
    # Revenue ×10 is warned once, by the pack's year-on-year band (the old 5× jump warning no longer
    # repeats it for a measure the band covers).
    assert [(issue.rule, issue.message) for issue in jump.validation.warnings] == [
        (
            "yoy_band",
            "审核规则“同比变化超出合理区间”：较上年（2025年）的15,200增长900.0%，超出-50%～100%的区间，"
            "须在上传时的“说明”中写明原因",
        )
    ]


def test_it_imports_park_annual_data_within_scope(world: World) -> None:
    header = ["园区编码", "年度", "建成区面积（平方公里）", "园区服务人员数（人）", "可再生能源使用比例（%）"]
    ok = import_file(world, "park_operator", "park_annual", xlsx([header, ["PA", 2025, 6.8, 45, "18.5%"]]))
    assert ok.status == "applied", texts(ok)
    stat = ParkAnnualStat.objects.get(park=world.parks["PA"], year=2025)
    assert (stat.built_area_km2, stat.service_staff, stat.renewable_share) == (Decimal("6.80"), 45, Decimal("18.50"))
    refused = import_file(
        world,
        "park_operator",
        "park_annual",
        xlsx([header, ["江夏都市工业园", 2025, 1, 1, 120], ["PZ", 2025, 1, 1, 1]]),
    )
    assert texts(refused) == [
        "工作表“填报” 第2行 A列“园区编码”：园区“江夏都市工业园”不在您的权限范围内",
        "工作表“填报” 第2行 E列“可再生能源使用比例（%）”：不能大于100（120.00）",
        "工作表“填报” 第3行 A列“园区编码”：园区“PZ”不存在",
    ]


def test_it_lets_a_park_operator_update_its_own_enterprises_only(world: World) -> None:
    e1, e2 = world.enterprises["E1"], world.enterprises["E2"]
    content = xlsx([ENTERPRISE_HEADER, [e1.uscc, "武汉甲光电科技股份有限公司", "", "", "", "", None, None]])
    assert import_file(world, "park_operator", "enterprises", content).status == "applied"
    moved = xlsx([ENTERPRISE_HEADER, [e1.uscc, "", "", "", "PB", "", None, None]])
    assert (
        "园区运营用户只能填报本园区（江夏现代产业园）的数据"
        in texts(import_file(world, "park_operator", "enterprises", moved))[0]
    )
    other = xlsx([ENTERPRISE_HEADER, [e2.uscc, "改名", "", "", "", "", None, None]])
    refused = texts(import_file(world, "park_operator", "enterprises", other))[0]
    assert "已由您权限范围以外的企业登记" in refused and e2.name not in refused
    e1.refresh_from_db()
    assert (e1.name, e1.park) == ("武汉甲光电科技股份有限公司", world.parks["PA"])


def test_it_refuses_to_move_an_enterprise_into_another_districts_park(world: World) -> None:
    content = xlsx([ENTERPRISE_HEADER, [world.enterprises["E2"].uscc, "", "", "", "PC", "", None, None]])
    outcome = import_file(world, "district_jiangxia", "enterprises", content)
    assert texts(outcome) == ["工作表“填报” 第2行 E列“所在园区”：园区“蔡甸特色产业园”不在您的权限范围内"]


def test_it_refuses_land_used_by_an_enterprise_outside_scope(world: World) -> None:
    header = ["地块编号", "所属区", "使用企业统一社会信用代码", "面积（亩）", "用途", "供地方式"]
    row = ["JX-9", "江夏区", world.enterprises["E3"].uscc, 10, "M1", "出让"]
    outcome = import_file(world, "district_jiangxia", "land", xlsx([header, row]))
    assert "不在您的权限范围内" in texts(outcome)[0] and not LandParcel.objects.filter(code="JX-9").exists()


def test_the_land_writer_checks_the_place_again_if_validation_let_a_move_through(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pytest
    from django.core.exceptions import PermissionDenied

    from yuanqu.intake import validation

    # A gap in validation must not become a write outside the uploader's line: the writer asks the
    # permission module itself, as the registry services do.
    monkeypatch.setattr(validation, "_check_write_scope", lambda *args, **kwargs: None)
    header = ["地块编号", "所属区", "面积（亩）", "用途", "供地方式"]
    with pytest.raises(PermissionDenied):
        import_file(world, "district_jiangxia", "land", xlsx([header, ["L-PA-1", "蔡甸区", 10, "M1", "出让"]]))
    assert LandParcel.objects.get(code="L-PA-1").district == world.districts["jiangxia"]
