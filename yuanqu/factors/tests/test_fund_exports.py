"""The 产业基金 spreadsheets: the funds register and a fund's portfolio as .xlsx, each holding only
the investments the reader sees, and each export audited with who took it."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.factors.tests.test_funds import invest, make_fund

pytestmark = pytest.mark.django_db


def _book(content: bytes) -> CalamineWorkbook:
    return CalamineWorkbook.from_filelike(io.BytesIO(content))


def test_the_register_exports_each_fund_and_the_investments_the_reader_sees(world: World) -> None:
    fund = make_fund(world, concessions="超额收益50%让利")
    invest(world, fund)  # E1, 江夏
    invest(world, fund, enterprise=world.enterprises["E3"], amount_wan_yuan=Decimal("250"), stage="growth")
    response = world.client("city_admin").get("/factors/funds/export/")
    assert response.status_code == 200
    book = _book(response.content)
    assert book.sheet_names == ["产业基金", "基金投资"]
    funds_sheet = book.get_sheet_by_name("产业基金").to_python()
    assert funds_sheet[0][:3] == ["基金编号", "基金名称", "基金类别"]
    assert funds_sheet[1][:3] == ["F-ANGEL-1", "武汉市天使投资基金", "天使基金"]
    assert funds_sheet[1][14] == 5000.0  # paid in: 3000 city + 2000 social
    assert funds_sheet[1][16:] == ["超额收益50%让利", 1250.0, 2.0]
    investments = book.get_sheet_by_name("基金投资").to_python()
    assert sorted(row[11] for row in investments[1:]) == [250.0, 1000.0]
    assert AuditLog.objects.filter(
        action="export", object_type="factors.Fund", actor=world.users["city_admin"], after={"rows": 3}
    ).exists()
    # 蔡甸 reads the fund but only the investment in its own firm (E3).
    caidian = _book(world.client("district_caidian").get("/factors/funds/export/").content)
    assert [row[2] for row in caidian.get_sheet_by_name("基金投资").to_python()[1:]] == [world.enterprises["E3"].name]
    assert caidian.get_sheet_by_name("产业基金").to_python()[1][17:] == [250.0, 1.0]


def test_a_portfolio_exports_its_investments_by_chain_and_stage_and_is_audited(world: World) -> None:
    fund = make_fund(world)
    invest(world, fund)
    invest(world, fund, amount_wan_yuan=Decimal("500"), stage="growth")
    client = world.client("district_jiangxia")
    page = client.get(f"/factors/funds/{fund.pk}/").content.decode()
    assert f"/factors/funds/{fund.pk}/export/" in page
    response = client.get(f"/factors/funds/{fund.pk}/export/")
    assert response.status_code == 200
    book = _book(response.content)
    assert book.sheet_names == ["投资组合", "按产业链", "按投资阶段"]
    assert [row[11] for row in book.get_sheet_by_name("投资组合").to_python()[1:]] == [1000.0, 500.0]
    by_stage = book.get_sheet_by_name("按投资阶段").to_python()
    assert by_stage[0] == ["分组", "投资金额（万元）", "投资笔数", "覆盖企业数", "已退出（万元）"]
    assert sorted((row[0], row[1]) for row in by_stage[1:]) == [("成长期", 500.0), ("种子期", 1000.0)]
    entry = AuditLog.objects.get(action="export", object_type="factors.FundInvestment")
    assert entry.actor == world.users["district_jiangxia"]
    assert entry.detail == "导出基金投资组合：F-ANGEL-1 武汉市天使投资基金"


def test_a_role_without_the_register_is_refused_and_an_unknown_fund_is_not_found(world: World) -> None:
    fund = make_fund(world)
    assert world.client("enterprise").get("/factors/funds/export/").status_code == 403
    assert world.client("enterprise").get(f"/factors/funds/{fund.pk}/export/").status_code == 403
    assert world.client("city_admin").get(f"/factors/funds/{fund.pk + 1000}/export/").status_code == 404
    assert not AuditLog.objects.filter(action="export").exists()
