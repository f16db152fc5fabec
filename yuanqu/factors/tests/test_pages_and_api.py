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
