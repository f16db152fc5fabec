"""用地计划 (保障措施三): each district's annual plan of new construction land for industry, and the
city's top-up (市级统筹) when a district's plan falls short: “符合要求的工业项目由所在区优先保障新增建设
用地计划，不足部分由市级统筹保障”.

The city sets a district's plan of a year once (the amount and the document that set it) and may
correct it; it adds top-ups, each with its document, which accumulate. Both are audited. What the
plan is measured against (the land supplied in the year and the unmet land needs of 招商 projects
signed or later) is read by `factors.selectors.land_plan`.

Who writes: the city's administrators. Who calls this: `factors.actions` (pages and API) and the demo."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import is_city_admin, write_gate
from yuanqu.core.roles import Role
from yuanqu.core.writes import audit_change
from yuanqu.factors.models import LandQuota
from yuanqu.registry.models import District

CITY_ROLES = frozenset({Role.CITY_ADMIN, Role.SYSADMIN})

PLAN_CITY_ONLY = gettext_noop("用地计划和市级统筹由市级管理员登记")
QUOTA_NEGATIVE = gettext_noop("用地计划不能小于0亩")
TOPUP_NOT_POSITIVE = gettext_noop("市级统筹保障面积应大于0亩")
BASIS_REQUIRED = gettext_noop("请填写文号")
YEAR_RANGE = gettext_noop("年度应在%(first)s年至%(last)s年之间")
NO_QUOTA = gettext_noop("%(district)s尚未登记%(year)s年度的用地计划，请先登记计划再安排市级统筹")

FIRST_YEAR = 2020


check_plan_writer = write_gate(is_city_admin, PLAN_CITY_ONLY, "factors_not_allowed")


def _check_year(year: int) -> None:
    last = clock.today().year + 1
    if not FIRST_YEAR <= year <= last:
        raise ValidationError({"year": _(YEAR_RANGE) % {"first": FIRST_YEAR, "last": last}})


@transaction.atomic
def land_quota_set(
    *, actor: User, district: District, year: int, quota_mu: Decimal, basis: str, synthetic: bool = False
) -> LandQuota:
    """Set (or correct) a district's plan of a year; its top-ups stay."""
    check_plan_writer(actor)
    _check_year(year)
    if quota_mu < 0:
        raise ValidationError({"quota_mu": _(QUOTA_NEGATIVE)})
    if not basis.strip():
        raise ValidationError({"basis": _(BASIS_REQUIRED)})
    row = LandQuota.objects.select_for_update().filter(district=district, year=year).first()
    before = snapshot(row) if row is not None else None
    if row is None:
        row = LandQuota(district=district, year=year, synthetic=synthetic)
    row.quota_mu = quota_mu
    row.quota_basis = basis.strip()[:100]
    row.recorded_by = actor
    row.recorded_at = clock.now()
    row.full_clean(validate_unique=False)
    row.save()
    audit_record(
        actor=actor,
        action=AuditLog.Action.CREATE if before is None else AuditLog.Action.UPDATE,
        obj=row,
        before=before,
        after=snapshot(row),
        detail=f"用地计划：{district.name}{year}年度",
    )
    return row


@transaction.atomic
def land_topup_add(*, actor: User, district: District, year: int, topup_mu: Decimal, basis: str) -> LandQuota:
    """Add the city's top-up to a district's plan of a year (after its plan is set)."""
    check_plan_writer(actor)
    _check_year(year)
    if topup_mu <= 0:
        raise ValidationError({"topup_mu": _(TOPUP_NOT_POSITIVE)})
    if not basis.strip():
        raise ValidationError({"basis": _(BASIS_REQUIRED)})
    row = LandQuota.objects.select_for_update().filter(district=district, year=year).first()
    if row is None:
        raise ValidationError({"year": _(NO_QUOTA) % {"district": district.name, "year": year}})
    before = snapshot(row)
    joined = "；".join(part for part in (row.topup_basis, basis.strip()) if part)[:300]
    LandQuota.objects.filter(pk=row.pk).update(topup_mu=F("topup_mu") + topup_mu, topup_basis=joined)
    row.refresh_from_db()
    audit_change(
        actor=actor, row=row, before=before, detail=f"市级统筹保障用地：{district.name}{year}年度 {topup_mu}亩"
    )
    return row
