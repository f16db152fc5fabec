"""A land sale against the plan's rules: the start price at, above and below 70% of the 基准地价 in
force; a sale below is refused without a reason and an approval, kept flagged with them, and the
database refuses a flagged row without them; the 弹性供地 share per district and year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.factors import selectors, services
from yuanqu.factors.models import LandSupply
from yuanqu.factors.tests.conftest import LINE

pytestmark = pytest.mark.django_db


def test_it_accepts_a_start_price_exactly_at_the_line(sell: Any) -> None:
    row = sell(start=LINE)
    assert row.base_price == Decimal("820.00")
    assert row.base_price_year == 2021
    assert row.start_ratio == Decimal("0.7000")
    assert row.below_floor is False


def test_it_accepts_a_start_price_above_the_line_unflagged(sell: Any) -> None:
    row = sell(start=Decimal("700"))
    assert row.start_ratio == Decimal("0.8536")
    assert row.below_floor is False
    assert AuditLog.objects.filter(object_type="factors.LandSupply", object_id=str(row.pk)).exists()


def test_it_refuses_a_start_price_a_cent_below_the_line_without_approval(sell: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        sell(start=LINE - Decimal("0.01"))
    message = services.BELOW_FLOOR % {
        "start": Decimal("573.99"),
        "base": Decimal("820"),
        "year": 2021,
        "grade": 1,
        "ratio": "69.99",
        "floor": "70",
    }
    assert caught.value.message_dict["start_price"] == [message]
    assert not LandSupply.objects.exists()


def test_it_refuses_a_sale_below_with_a_reason_but_no_approval(sell: Any) -> None:
    with pytest.raises(ValidationError):
        sell(start=Decimal("500"), exception_reason="市重大项目")
    assert not LandSupply.objects.exists()


def test_it_keeps_a_sale_below_with_its_approval_flagged(sell: Any) -> None:
    row = sell(
        start=Decimal("500"), exception_reason="市重大项目，市政府专题会议同意", exception_approval="武政办〔2025〕12号"
    )
    assert row.below_floor is True
    assert row.start_ratio == Decimal("0.6097")
    assert selectors.price_compliance(row.recorded_by).below_floor == 1
    entry = AuditLog.objects.get(object_type="factors.LandSupply", object_id=str(row.pk))
    assert "低于基准地价下限" in entry.detail


def test_the_database_refuses_a_flagged_row_without_approval(sell: Any) -> None:
    row = sell(start=Decimal("600"))
    with pytest.raises(IntegrityError), transaction.atomic():
        LandSupply.objects.filter(pk=row.pk).update(below_floor=True)


def test_it_refuses_a_grade_the_table_does_not_have(sell: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        sell(grade=9)
    assert caught.value.message_dict["land_grade"] == [
        services.NO_BASE_PRICE % {"district": "江夏区", "year": 2025, "grade": 9}
    ]


def test_it_refuses_a_term_longer_than_the_method_allows(sell: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        sell(method="flexible_term", term=30)
    assert caught.value.message_dict["term_years"] == [
        services.TERM_TOO_LONG % {"method": "弹性年期出让", "years": 30, "limit": 20}
    ]


def test_it_refuses_a_final_price_below_the_start(sell: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        sell(start=Decimal("700"), final=Decimal("650"))
    assert "final_price" in caught.value.message_dict


def test_a_district_may_not_record_another_districts_parcel(sell: Any) -> None:
    with pytest.raises(PermissionDenied):
        sell("district_caidian", parcel="L-PA-1")
    assert not LandSupply.objects.exists()


@pytest.mark.parametrize("persona", ["park_operator", "enterprise", "city_viewer", "handler", "auditor"])
def test_roles_without_land_rights_are_refused(sell: Any, persona: str) -> None:
    with pytest.raises(PermissionDenied) as caught:
        sell(persona)
    assert str(caught.value) == services.LAND_NOT_ALLOWED


def test_the_flexible_share_is_by_area_per_district_and_year(sell: Any, world: World) -> None:
    sell(method="transfer", area=Decimal("60"))
    sell(method="long_lease", term=20, area=Decimal("30"))
    sell(method="lease_then_transfer", term=30, area=Decimal("10"))
    sell("city_admin", parcel="L-PC-1", method="flexible_term", term=20, area=Decimal("50"), start=Decimal("540"))
    shares = {(row.district_code, row.year): row for row in selectors.flexible_shares(world.users["city_admin"])}
    assert shares[("420115", 2025)].percent == Decimal("40.0")
    assert shares[("420114", 2025)].percent == Decimal("100.0")
    # A district sees only its own land.
    mine = selectors.flexible_shares(world.users["district_jiangxia"])
    assert [(row.district_code, row.total_mu) for row in mine] == [("420115", Decimal("100"))]
