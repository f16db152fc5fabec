"""要素保障 API (/api/v1/factors/): land supply records (list, record), the share of 弹性供地 per
district and year, and the start-price compliance. Reads go through `visible_to` (a district sees its
own land, a park operator its park's); writes through `factors.actions` with the bodies of
`factors/schemas.py`. A role with no part here answers 403."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from yuanqu.core.apiauth import api_user
from yuanqu.core.contract.pagination import Mapped, Page
from yuanqu.core.models import User
from yuanqu.factors import actions, schemas, selectors
from yuanqu.factors.access import check_reader
from yuanqu.factors.models import LandSupply

router = Router(tags=["要素保障"])


def _reader(request: HttpRequest) -> User:
    return check_reader(api_user(request))


class LandSupplyOut(Schema):
    id: int
    parcel: str
    district: str
    park: str | None
    method: str
    method_name: str
    term_years: int
    area_mu: Decimal
    land_grade: int
    start_price: Decimal
    final_price: Decimal
    base_price: Decimal
    base_price_year: int
    base_price_source: str
    start_ratio: Decimal
    below_floor: bool
    exception_reason: str
    exception_approval: str
    supplied_on: dt.date
    project: str | None
    enterprise: str | None
    with_plan: bool
    fee_waiver_wan_yuan: Decimal


def _land_out(row: LandSupply) -> dict[str, Any]:
    return {
        "id": row.pk,
        "parcel": row.parcel.code,
        "district": row.district.code,
        "park": row.park.code if row.park else None,
        "method": row.method,
        "method_name": row.get_method_display(),
        "term_years": row.term_years,
        "area_mu": row.area_mu,
        "land_grade": row.land_grade,
        "start_price": row.start_price,
        "final_price": row.final_price,
        "base_price": row.base_price,
        "base_price_year": row.base_price_year,
        "base_price_source": row.base_price_source,
        "start_ratio": row.start_ratio,
        "below_floor": row.below_floor,
        "exception_reason": row.exception_reason,
        "exception_approval": row.exception_approval,
        "supplied_on": row.supplied_on,
        "project": row.project.number if row.project else None,
        "enterprise": row.enterprise.uscc if row.enterprise else None,
        "with_plan": row.with_plan,
        "fee_waiver_wan_yuan": row.fee_waiver_wan_yuan,
    }


@router.get("/land", response=list[LandSupplyOut], summary="供地记录")
@paginate(Page, page_size=100)
def list_land(request: HttpRequest) -> Any:
    return Mapped(selectors.land_supplies(_reader(request)), _land_out)


@router.post("/land", response={201: LandSupplyOut}, summary="登记供地（起始价低于基准地价70%须填原因和批准文号）")
def record_land(request: HttpRequest, payload: schemas.LandSupplyIn) -> Any:
    user = _reader(request)
    row = actions.land_supply(actor=user, data=payload)
    return Status(201, _land_out(selectors.land_supplies(user).get(pk=row.pk)))


class ShareOut(Schema):
    district: str
    district_name: str
    year: int
    flexible_mu: Decimal
    total_mu: Decimal
    percent: Decimal | None


@router.get("/land/flexible-share", response=list[ShareOut], summary="弹性供地比例（按区、年，面积口径）")
def flexible_share(request: HttpRequest) -> Any:
    return [
        {
            "district": row.district_code,
            "district_name": row.district_name,
            "year": row.year,
            "flexible_mu": row.flexible_mu,
            "total_mu": row.total_mu,
            "percent": row.percent,
        }
        for row in selectors.flexible_shares(_reader(request))
    ]
