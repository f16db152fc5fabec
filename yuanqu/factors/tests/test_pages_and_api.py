"""The land register as a user reaches it: the form and the API refuse a sale below the line without
its approval with the same message, and the register marks a flagged sale; a district's list holds
only its own land."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from conftest import World
from yuanqu.factors.models import LandSupply

pytestmark = pytest.mark.django_db

SALE = {
    "parcel": "L-PA-1",
    "method": "transfer",
    "term_years": 50,
    "area_mu": "100",
    "land_grade": 1,
    "start_price": "500",
    "final_price": "520",
    "supplied_on": "2025-06-30",
}


def test_the_form_refuses_a_sale_below_the_line_without_approval(world: World) -> None:
    response = world.client("district_jiangxia").post("/factors/land/new/", SALE)
    assert response.status_code == 200
    assert "低于70%的下限：须填写低于下限的原因和批准文号" in response.content.decode()
    assert not LandSupply.objects.exists()


def test_the_register_marks_a_sale_kept_with_its_approval(world: World) -> None:
    client = world.client("district_jiangxia")
    body = {**SALE, "exception_reason": "市重大项目", "exception_approval": "武政办〔2025〕12号"}
    assert client.post("/factors/land/new/", body).status_code == 302
    page = client.get("/factors/land/").content.decode()
    assert 'data-testid="below-floor"' in page
    assert "60.97%" in page
    assert "武政办〔2025〕12号" in page


def test_the_api_refuses_the_same_sale_with_422_and_a_district_lists_its_own(world: World, sell: Any) -> None:
    response = world.client("district_jiangxia").post("/api/v1/factors/land", SALE, content_type="application/json")
    assert response.status_code == 422
    assert "须填写低于下限的原因和批准文号" in response.json()["detail"]
    sell("city_admin", parcel="L-PC-1", start=Decimal("600"))
    sell(start=Decimal("700"))
    rows = world.client("district_jiangxia").get("/api/v1/factors/land").json()["items"]
    assert [row["parcel"] for row in rows] == ["L-PA-1"]
    assert Decimal(str(rows[0]["start_ratio"])) == Decimal("0.8536")


def test_the_overview_sums_up_land_and_compliance_per_scope(world: World, sell: Any) -> None:
    sell(start=Decimal("700"), method="long_lease", term=20, area=Decimal("40"))
    sell(
        start=Decimal("500"), area=Decimal("60"), exception_reason="市重大项目", exception_approval="武政办〔2025〕12号"
    )
    sell("city_admin", parcel="L-PC-1", start=Decimal("600"))
    page = world.client("district_jiangxia").get("/factors/").content.decode()
    assert "共2笔供地，1笔低于下限（已批准）。" in page
    figures = world.client("district_jiangxia").get("/api/v1/factors/overview").json()
    assert (figures["land_sales"], figures["below_floor"]) == (2, 1)
    assert Decimal(str(figures["flexible_percent"])) == Decimal("40.0")
    assert world.client("city_admin").get("/api/v1/factors/overview").json()["land_sales"] == 3


def test_the_land_register_exports_each_sale_with_its_check_and_the_shares(world: World, sell: Any) -> None:
    import io

    from python_calamine import CalamineWorkbook

    from yuanqu.core.models import AuditLog

    sell(start=Decimal("700"), method="long_lease", term=20, area=Decimal("40"))
    sell(
        start=Decimal("500"), area=Decimal("60"), exception_reason="市重大项目", exception_approval="武政办〔2025〕12号"
    )
    sell("city_admin", parcel="L-PC-1", start=Decimal("600"))
    client = world.client("district_jiangxia")
    assert 'data-testid="land-export"' in client.get("/factors/land/").content.decode()
    book = CalamineWorkbook.from_filelike(io.BytesIO(client.get("/factors/land/export/").content))
    assert book.sheet_names == ["供地登记", "弹性供地比例"]
    sales = book.get_sheet_by_name("供地登记").to_python()
    assert sales[0][12:16] == ["起始价占基准地价比例（%）", "低于起始价下限", "低于下限的原因", "批准文号"]
    assert [(row[0], row[3], row[12], row[13]) for row in sales[1:]] == [
        ("L-PA-1", "长期租赁", 85.36, ""),
        ("L-PA-1", "出让", 60.97, "是"),
    ]  # 江夏 sees its own two sales, not 蔡甸's
    assert book.get_sheet_by_name("弹性供地比例").to_python()[1][2:] == [40.0, 100.0, 40.0]
    flagged = CalamineWorkbook.from_filelike(io.BytesIO(client.get("/factors/land/export/?flagged=1").content))
    assert [row[15] for row in flagged.get_sheet_by_name("供地登记").to_python()[1:]] == ["武政办〔2025〕12号"]
    assert (
        AuditLog.objects.filter(
            action="export", object_type="factors.LandSupply", actor=world.users["district_jiangxia"]
        ).count()
        == 2
    )
    assert world.client("enterprise").get("/factors/land/export/").status_code == 403
