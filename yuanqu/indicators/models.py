"""Stored indicator values and the partial sums they are rolled up from.

The engine (engine/) aggregates each data source once per period in the database, grouped by
*cell*: a park, or the enterprises (parcels) of one district outside every park. A cell's partial sums
(one per catalogue term) are kept in `IndicatorCell`; the value of an indicator for a park, a district,
a park type or the city is a formula over the sums of its cells (`IndicatorValue`). An import touches
some cells of some periods; only those are aggregated again, and only the scopes that contain them
are rolled up again. Lineage: each cell records the import batches whose rows fed it, and each value
the union over its cells."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yuanqu.core import periods
from yuanqu.core.access import ScopedQuerySet
from yuanqu.core.models import acting_user_field
from yuanqu.core.roles import Role
from yuanqu.registry.models import District, Park
from yuanqu.stats.models import ImportBatch

if TYPE_CHECKING:
    from yuanqu.core.models import User


# Decimals a stored indicator value keeps.
VALUE_PLACES = 6


class Frequency(models.TextChoices):
    YEAR = periods.YEAR, _("年度")
    MONTH = periods.MONTH, _("月度（1-本月累计/月末）")


class ScopeKind(models.TextChoices):
    PARK = "park", _("园区")
    DISTRICT = "district", _("区/开发区")
    PARK_TYPE = "park_type", _("园区类型")
    CITY = "city", _("全市")


CITY_CODE = "city"


class IndicatorCell(models.Model):
    """One data source's partial sums for one cell and one period (term key → exact decimal text)."""

    source = models.CharField(_("数据源"), max_length=60)
    frequency = models.CharField(_("频度"), max_length=8, choices=Frequency.choices)
    period = models.DateField(_("统计期末"))
    cell = models.CharField(_("单元"), max_length=20, help_text=_("p<园区id> 或 d<区id>（区内园区外）"))
    # No constraint in the database (`db_constraint=False`, here and on the value's park and district):
    # the engine writes ids it has just read from the registry in the same transaction, and the
    # deferred checks of a full recompute's 140,000 rows cost more server time than writing them
    # (docs/performance.md, 2026-12-04). Deleting a park or district still deletes its rows (Django's
    # cascade).
    park = models.ForeignKey(
        Park, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    partials = models.JSONField(_("分项合计"), default=dict)
    # Ids of the import batches whose rows fed the cell (lineage; a rolled-back batch is found here).
    batch_ids = models.JSONField(_("来源批次"), default=list)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("指标计算单元")
        verbose_name_plural = _("指标计算单元")
        constraints = [
            models.UniqueConstraint(fields=("source", "frequency", "period", "cell"), name="indicator_cell_unique")
        ]
        indexes = [models.Index(fields=("frequency", "period", "source"))]

    def __str__(self) -> str:
        return f"{self.source} {self.period} {self.cell}"


class IndicatorValueQuerySet(ScopedQuerySet["IndicatorValue"]):
    """City and park-type aggregates are readable by every role that reads the platform; a district
    user also reads its district and its parks, a park operator its park."""

    def scope_q(self, user: User) -> Q | None:
        public = Q(scope_kind__in=(ScopeKind.CITY, ScopeKind.PARK_TYPE))
        if user.role == Role.DISTRICT:
            return public | Q(district_id=user.district_id)
        if user.role == Role.PARK_OPERATOR:
            return public | Q(scope_kind=ScopeKind.PARK, park_id=user.park_id)
        if user.role in (Role.ENTERPRISE, Role.HANDLER):
            return public
        return None


class IndicatorValue(models.Model):
    indicator = models.CharField(_("指标"), max_length=60)
    scope_kind = models.CharField(_("范围类型"), max_length=12, choices=ScopeKind.choices)
    scope_code = models.CharField(_("范围代码"), max_length=40)
    park = models.ForeignKey(
        Park, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    # For a district value its district; for a park value the park's district (access scoping).
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    frequency = models.CharField(_("频度"), max_length=8, choices=Frequency.choices)
    period = models.DateField(_("统计期末"))
    value = models.DecimalField(_("值"), max_digits=30, decimal_places=VALUE_PLACES, null=True, blank=True)
    terms = models.JSONField(_("分项"), default=dict)
    batch_ids = models.JSONField(_("来源批次"), default=list)
    reported = models.BooleanField(_("人工填报"), default=False)
    computed_at = models.DateTimeField(_("计算时间"))

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")
        constraints = [
            models.UniqueConstraint(
                fields=("indicator", "scope_kind", "scope_code", "frequency", "period"), name="indicator_value_unique"
            )
        ]
        indexes = [models.Index(fields=("indicator", "scope_kind", "frequency", "period"))]

    def __str__(self) -> str:
        return f"{self.indicator} {self.scope_kind}:{self.scope_code} {self.period} = {self.value}"


class ReportedValue(models.Model):
    """A value the city enters for an indicator the platform cannot compute yet (source: reported)."""

    indicator = models.CharField(_("指标"), max_length=60)
    scope_kind = models.CharField(_("范围类型"), max_length=12, choices=ScopeKind.choices, default=ScopeKind.CITY)
    scope_code = models.CharField(_("范围代码"), max_length=40, default=CITY_CODE)
    frequency = models.CharField(_("频度"), max_length=8, choices=Frequency.choices, default=Frequency.YEAR)
    period = models.DateField(_("统计期末"))
    value = models.DecimalField(_("值"), max_digits=30, decimal_places=VALUE_PLACES)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    reported_by = acting_user_field(_("填报人"))
    reported_at = models.DateTimeField(_("填报时间"), auto_now=True)

    class Meta:
        verbose_name = _("指标填报值")
        verbose_name_plural = _("指标填报值")
        constraints = [
            models.UniqueConstraint(
                fields=("indicator", "scope_kind", "scope_code", "frequency", "period"), name="reported_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period} = {self.value}"


class ComputeRun(models.Model):
    """One run of the engine: a full recompute or the recompute after one import batch."""

    class Kind(models.TextChoices):
        FULL = "full", _("全量计算")
        BATCH = "batch", _("按批次增量计算")

    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("批次")
    )
    catalogue_hash = models.CharField(_("政策包摘要"), max_length=64)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    cells = models.PositiveIntegerField(_("计算单元数"), default=0)
    values = models.PositiveIntegerField(_("指标值数"), default=0)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("指标计算记录")
        verbose_name_plural = _("指标计算记录")
        ordering = ("-started_at", "-id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"
