"""要素保障 records: each land supply transaction (供地) checked against the 基准地价 in force and the
plan's 70% rule.

Scoping: every read goes through `objects.visible_to(user)`: the city sees everything, a district
its own land, a park operator the land in its park; other roles nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yuanqu.core.access import ScopedQuerySet
from yuanqu.core.models import acting_user_field
from yuanqu.core.roles import Role

if TYPE_CHECKING:
    from yuanqu.core.models import User


def place_q(user: User) -> Q | None:
    """The rows of the user's district or park; nothing for the roles that have no part here."""
    if user.role == Role.DISTRICT and user.district_id is not None:
        return Q(district_id=user.district_id)
    if user.role == Role.PARK_OPERATOR and user.park_id is not None:
        return Q(park_id=user.park_id)
    return Q(pk__in=[])


class SupplyMethod(models.TextChoices):
    TRANSFER = "transfer", _("出让")
    FLEXIBLE_TERM = "flexible_term", _("弹性年期出让")
    LONG_LEASE = "long_lease", _("长期租赁")
    LEASE_AND_TRANSFER = "lease_and_transfer", _("租让结合")
    LEASE_THEN_TRANSFER = "lease_then_transfer", _("先租后让")


class LandSupplyQuerySet(ScopedQuerySet["LandSupply"]):
    def scope_q(self, user: User) -> Q | None:
        return place_q(user)


def _price(label: str) -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(label, max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])


class LandSupply(models.Model):
    """One land supply transaction on a parcel of the land registry: how it was supplied and for how
    long, the start and final price per square metre, and the 基准地价 in force that day (copied from
    the pack's table with its year and source, so a later table does not rewrite the check). A start
    price below the pack's share of the 基准地价 is flagged and kept only with a reason and the
    approval's document number; the database refuses a flagged row without them."""

    parcel = models.ForeignKey(
        "registry.LandParcel", on_delete=models.PROTECT, related_name="supplies", verbose_name=_("地块")
    )
    # The parcel's district and park, kept on the row for scoping and the shares by district.
    district = models.ForeignKey(
        "registry.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区")
    )
    park = models.ForeignKey(
        "registry.Park", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("园区")
    )
    method = models.CharField(_("供地方式"), max_length=20, choices=SupplyMethod.choices)
    term_years = models.PositiveSmallIntegerField(_("年期（年）"), validators=[MinValueValidator(1)])
    area_mu = models.DecimalField(
        _("面积（亩）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    land_grade = models.PositiveSmallIntegerField(_("土地等别"), validators=[MinValueValidator(1)])
    start_price = _price(_("起始价（元/平方米）"))
    final_price = _price(_("成交价（元/平方米）"))
    base_price = _price(_("基准地价（元/平方米）"))
    base_price_year = models.PositiveSmallIntegerField(_("基准地价公布年份"))
    base_price_source = models.CharField(_("基准地价来源"), max_length=300)
    # start price / 基准地价, e.g. 0.7000
    start_ratio = models.DecimalField(_("起始价占基准地价比例"), max_digits=7, decimal_places=4)
    below_floor = models.BooleanField(_("低于起始价下限"), default=False, db_index=True)
    exception_reason = models.CharField(_("低于下限的原因"), max_length=300, blank=True)
    exception_approval = models.CharField(_("批准文号"), max_length=100, blank=True)
    supplied_on = models.DateField(_("供地日期"), db_index=True)
    project = models.ForeignKey(
        "investment.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="land_supplies",
        verbose_name=_("招商项目"),
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="land_supplies",
        verbose_name=_("用地企业"),
    )
    with_plan = models.BooleanField(_("带方案出让"), default=False)
    fee_waiver_wan_yuan = models.DecimalField(
        _("免收城市基础设施配套费（万元）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    recorded_by = acting_user_field(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"))
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = LandSupplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("供地记录")
        verbose_name_plural = pgettext_lazy("plural", "供地记录")
        ordering = ("-supplied_on", "-id")
        indexes = [models.Index(fields=("district", "supplied_on"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(below_floor=False) | (~Q(exception_reason="") & ~Q(exception_approval="")),
                name="factors_below_floor_needs_approval",
            ),
            models.CheckConstraint(
                condition=Q(final_price__gte=models.F("start_price")), name="factors_final_ge_start"
            ),
            models.CheckConstraint(
                condition=Q(start_price__gt=0) & Q(base_price__gt=0), name="factors_prices_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parcel_id} {self.supplied_on}"

    @property
    def start_percent(self) -> Decimal:
        """The start price as a percent of the 基准地价, to two places (69.99, not 70)."""
        return (self.start_ratio * 100).quantize(Decimal("0.01"))
