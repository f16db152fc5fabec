"""The factors writes as the pages and the API call them: the input schema's codes looked up inside
the actor's read scope (a code outside it reads as unknown, exactly like one that does not exist),
then the service.

Who calls this: `factors.views` and `factors.api`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.models import User
from yuanqu.factors import services
from yuanqu.factors.models import LandSupply
from yuanqu.factors.schemas import LandSupplyIn
from yuanqu.investment.models import Project
from yuanqu.registry.models import Enterprise, LandParcel

UNKNOWN_PARCEL = gettext_noop("未找到地块“%(code)s”")
UNKNOWN_PROJECT = gettext_noop("未找到招商项目“%(code)s”")
UNKNOWN_ENTERPRISE = gettext_noop("未找到统一社会信用代码为“%(code)s”的企业")


def land_supply(*, actor: User, data: LandSupplyIn) -> LandSupply:
    services.check_land_writer(actor)
    parcel = LandParcel.objects.visible_to(actor).filter(code=data.parcel).first()
    if parcel is None:
        raise ValidationError({"parcel": _(UNKNOWN_PARCEL) % {"code": data.parcel}})
    project = None
    if data.project:
        project = Project.objects.visible_to(actor).filter(number=data.project).first()
        if project is None:
            raise ValidationError({"project": _(UNKNOWN_PROJECT) % {"code": data.project}})
    enterprise = None
    if data.enterprise:
        enterprise = Enterprise.objects.visible_to(actor).filter(uscc=data.enterprise).first()
        if enterprise is None:
            raise ValidationError({"enterprise": _(UNKNOWN_ENTERPRISE) % {"code": data.enterprise}})
    return services.land_supply_record(
        actor=actor,
        parcel=parcel,
        method=data.method,
        term_years=data.term_years,
        area_mu=data.area_mu,
        land_grade=data.land_grade,
        start_price=data.start_price,
        final_price=data.final_price,
        supplied_on=data.supplied_on,
        project=project,
        enterprise=enterprise,
        with_plan=data.with_plan,
        fee_waiver_wan_yuan=data.fee_waiver_wan_yuan,
        exception_reason=data.exception_reason,
        exception_approval=data.exception_approval,
    )
