"""要素保障 writes: recording a land supply transaction against the plan's rules.

The 基准地价 in force is looked up in the pack's table (district, land grade, the latest year not
after the supply day) and copied onto the row; the start price as a share of it is computed, and a
share below the pack's floor (70%) is refused unless the reason and the approval's document number
are given, in which case the row is kept flagged. A refused write raises `WriteDenied` (403); a
broken rule raises `ValidationError` naming the field (422 on the API, a message on the page)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.core.models import User
from yuanqu.core.permissions import WriteDenied, has_role
from yuanqu.core.roles import Role
from yuanqu.core.writes import create_audited
from yuanqu.factors import figures
from yuanqu.factors.config import config
from yuanqu.factors.models import LandSupply, SupplyMethod
from yuanqu.investment.models import Project
from yuanqu.registry.models import Enterprise, LandParcel

# Who records land supply: the city, and a district for its own land (保障措施三: 所在区优先保障).
LAND_WRITER_ROLES = frozenset({Role.CITY_ADMIN, Role.SYSADMIN, Role.DISTRICT})

LAND_NOT_ALLOWED = gettext_noop("只有市级管理员和区级用户可以登记供地")
PARCEL_OUT_OF_SCOPE = gettext_noop("地块“%(code)s”不在您的管理范围内")
METHOD_UNKNOWN = gettext_noop("供地方式“%(value)s”不是出让、弹性年期出让、长期租赁、租让结合或先租后让")
TERM_TOO_LONG = gettext_noop("%(method)s的年期%(years)s年超过政策包规定的最长%(limit)s年")
NO_BASE_PRICE = gettext_noop("%(district)s在%(year)s年及以前没有土地等别%(grade)s的基准地价，无法核验起始价")
FINAL_BELOW_START = gettext_noop("成交价%(final)s元/平方米低于起始价%(start)s元/平方米")
BELOW_FLOOR = gettext_noop(
    "起始价%(start)s元/平方米为基准地价%(base)s元/平方米（%(year)s年，土地等别%(grade)s）的%(ratio)s%%，"
    "低于%(floor)s%%的下限：须填写低于下限的原因和批准文号"
)
SUPPLY_IN_FUTURE = gettext_noop("供地日期不能晚于今天")
PROJECT_OTHER_DISTRICT = gettext_noop("招商项目“%(number)s”属于另一个区，不能用于本区地块")
ENTERPRISE_OUT_OF_SCOPE = gettext_noop("用地企业“%(uscc)s”不在您的管理范围内")

HUNDRED = Decimal(100)


def check_land_writer(actor: User) -> None:
    """Asked before anything else, so a role that may not record land is refused (403) whatever the
    input names."""
    if not has_role(actor, LAND_WRITER_ROLES):
        raise WriteDenied(_(LAND_NOT_ALLOWED), code="factors_not_allowed")


def _percent(value: Decimal, rounding: str = ROUND_HALF_UP) -> str:
    return f"{(value * HUNDRED).quantize(Decimal('0.01'), rounding=rounding).normalize():f}"


@transaction.atomic
def land_supply_record(
    *,
    actor: User,
    parcel: LandParcel,
    method: str,
    term_years: int,
    area_mu: Decimal,
    land_grade: int,
    start_price: Decimal,
    final_price: Decimal,
    supplied_on: dt.date,
    project: Project | None = None,
    enterprise: Enterprise | None = None,
    with_plan: bool = False,
    fee_waiver_wan_yuan: Decimal = Decimal(0),
    exception_reason: str = "",
    exception_approval: str = "",
    synthetic: bool = False,
) -> LandSupply:
    """Record one land supply transaction; a start price below the floor needs its reason and approval
    and is kept flagged (never accepted silently)."""
    check_land_writer(actor)
    if not LandParcel.objects.visible_to(actor).filter(pk=parcel.pk).exists():
        raise WriteDenied(_(PARCEL_OUT_OF_SCOPE) % {"code": parcel.code}, code="out_of_scope")
    rules = config().land
    if method not in SupplyMethod.values:
        raise ValidationError({"method": _(METHOD_UNKNOWN) % {"value": method[:40]}})
    limit = rules.max_term_years.get(method)
    if limit is not None and term_years > limit:
        label = SupplyMethod(method).label
        raise ValidationError({"term_years": _(TERM_TOO_LONG) % {"method": label, "years": term_years, "limit": limit}})
    if supplied_on > clock.today():
        raise ValidationError({"supplied_on": _(SUPPLY_IN_FUTURE)})
    if final_price < start_price:
        raise ValidationError({"final_price": _(FINAL_BELOW_START) % {"final": final_price, "start": start_price}})
    if project is not None and project.district_id != parcel.district_id:
        raise ValidationError({"project": _(PROJECT_OTHER_DISTRICT) % {"number": project.number}})
    if enterprise is not None and not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise WriteDenied(_(ENTERPRISE_OUT_OF_SCOPE) % {"uscc": enterprise.uscc}, code="out_of_scope")
    district = parcel.district
    base = rules.base_price(district.code, land_grade, supplied_on)
    if base is None:
        raise ValidationError(
            {
                "land_grade": _(NO_BASE_PRICE)
                % {"district": district.name, "year": supplied_on.year, "grade": land_grade}
            }
        )
    # Kept rounded down, so a price under the line never shows as on it.
    ratio = (start_price / base.yuan_per_m2).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
    # The comparison is on the exact quotient, so a price a hair under the line is not rounded onto it.
    below = start_price < base.yuan_per_m2 * rules.start_price_floor
    reason, approval = exception_reason.strip(), exception_approval.strip()
    if below and not (reason and approval):
        raise ValidationError(
            {
                "start_price": _(BELOW_FLOOR)
                % {
                    "start": start_price,
                    "base": base.yuan_per_m2,
                    "year": base.year,
                    "grade": land_grade,
                    "ratio": _percent(start_price / base.yuan_per_m2, ROUND_DOWN),
                    "floor": _percent(rules.start_price_floor),
                }
            }
        )
    row = LandSupply(
        parcel=parcel,
        district=district,
        park_id=parcel.park_id,
        method=method,
        term_years=term_years,
        area_mu=area_mu,
        land_grade=land_grade,
        start_price=start_price,
        final_price=final_price,
        base_price=base.yuan_per_m2,
        base_price_year=base.year,
        base_price_source=base.source[:300],
        start_ratio=ratio,
        below_floor=below,
        exception_reason=reason if below else "",
        exception_approval=approval if below else "",
        supplied_on=supplied_on,
        project=project,
        enterprise=enterprise,
        with_plan=with_plan,
        fee_waiver_wan_yuan=fee_waiver_wan_yuan,
        recorded_by=actor,
        recorded_at=clock.now(),
        synthetic=synthetic,
    )
    detail = "供地登记：起始价低于基准地价下限（已批准）" if below else "供地登记"
    create_audited(actor=actor, row=row, detail=detail)
    figures.refresh(figures.START_RATIO, figures.FLEXIBLE_SHARE)
    return row
