"""Energy data of enterprises (monthly and annual, one column per carrier, in the stored units of
measures.py), a park's annual resource data (固废, wastewater), and the carbon account: the read
model the accounting writes (energy in tce and CO₂ per firm, park, district and city, per month and
year), recomputed by a job and after every energy import (services.py).

The data tables are written like the statistics tables, through `yuanqu.stats.services.stats_write`
(revisions, rollback): energy/apps.py registers them as statistics tables of their import kinds."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from yuanqu.core.access import ScopedQuerySet, own_scope
from yuanqu.core.roles import Role
from yuanqu.energy.measures import CARRIER_BY_CODE, PARK_RESOURCE_MEASURES
from yuanqu.registry.models import District, Enterprise, Park
from yuanqu.stats.models import EnterpriseStatQuerySet, ImportBatch, ParkStatQuerySet

if TYPE_CHECKING:
    from yuanqu.core.models import User


def _amount(code: str) -> models.DecimalField[Decimal | None, Decimal | None]:
    carrier = CARRIER_BY_CODE[code]
    return models.DecimalField(
        f"{carrier.name}（{carrier.unit}）", max_digits=18, decimal_places=2, null=True, blank=True
    )


class EnergyRow(models.Model):
    """The carriers of one report (a month or a year)."""

    electricity_kwh = _amount("electricity_kwh")
    green_electricity_kwh = _amount("green_electricity_kwh")
    self_renewable_kwh = _amount("self_renewable_kwh")
    natural_gas_m3 = _amount("natural_gas_m3")
    raw_coal_t = _amount("raw_coal_t")
    washed_coal_t = _amount("washed_coal_t")
    coke_t = _amount("coke_t")
    fuel_oil_t = _amount("fuel_oil_t")
    diesel_t = _amount("diesel_t")
    heat_gj = _amount("heat_gj")
    water_t = _amount("water_t")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+", verbose_name="来源批次")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class EnergyMonthly(EnergyRow):
    """One enterprise's energy use in one month; `period` is the first day of the month."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="energy_months")
    period = models.DateField("报告期（月）", db_index=True)

    objects = EnterpriseStatQuerySet["EnergyMonthly"].as_manager()

    class Meta:
        verbose_name = "企业月度能源数据"
        verbose_name_plural = "企业月度能源数据"
        constraints = [models.UniqueConstraint(fields=("enterprise", "period"), name="energy_monthly_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.period:%Y-%m}"


class EnergyAnnual(EnergyRow):
    """One enterprise's energy use in one year."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="energy_years")
    year = models.PositiveSmallIntegerField("年度", db_index=True)

    objects = EnterpriseStatQuerySet["EnergyAnnual"].as_manager()

    class Meta:
        verbose_name = "企业年度能源数据"
        verbose_name_plural = "企业年度能源数据"
        constraints = [models.UniqueConstraint(fields=("enterprise", "year"), name="energy_annual_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


def _park_amount(code: str) -> models.DecimalField[Decimal | None, Decimal | None]:
    measure = next(m for m in PARK_RESOURCE_MEASURES if m.code == code)
    return models.DecimalField(
        f"{measure.name}（{measure.unit}）", max_digits=18, decimal_places=2, null=True, blank=True
    )


class ParkResourceAnnual(models.Model):
    """A park's annual 固废 and wastewater figures."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="resource_years")
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    solid_waste_generated_t = _park_amount("solid_waste_generated_t")
    solid_waste_utilised_t = _park_amount("solid_waste_utilised_t")
    wastewater_t = _park_amount("wastewater_t")
    wastewater_recycled_t = _park_amount("wastewater_recycled_t")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+", verbose_name="来源批次")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParkStatQuerySet["ParkResourceAnnual"].as_manager()

    class Meta:
        verbose_name = "园区年度资源循环数据"
        verbose_name_plural = "园区年度资源循环数据"
        constraints = [models.UniqueConstraint(fields=("park", "year"), name="park_resource_annual_unique")]

    def __str__(self) -> str:
        return f"{self.park_id} {self.year}"


class CarbonAccountQuerySet(ScopedQuerySet["CarbonAccount"]):
    """A firm's account is visible where the firm is; a park's where the park is; a district's to
    its district; the city's to city-wide roles only."""

    def scope_q(self, user: User) -> Q | None:
        mine = own_scope(user, district="district_id", park="park_id", enterprise="enterprise_id")
        if mine is None:
            return None
        if user.role == Role.DISTRICT:
            return mine & ~Q(level=CarbonAccount.Level.CITY)
        if user.role == Role.PARK_OPERATOR:
            return mine & Q(level__in=(CarbonAccount.Level.ENTERPRISE, CarbonAccount.Level.PARK))
        return mine & Q(level=CarbonAccount.Level.ENTERPRISE)


class CarbonAccount(models.Model):
    """Energy and CO₂ of one firm, park, district or the city in one month or year, as the
    accounting computed them with the pack's factors (`method` says which). A park's, district's and
    the city's figures are the sums of their firms' (lineage: the firm rows of the same period)."""

    class Level(models.TextChoices):
        ENTERPRISE = "enterprise", "企业"
        PARK = "park", "园区"
        DISTRICT = "district", "区/开发区"
        CITY = "city", "全市"

    class Frequency(models.TextChoices):
        MONTH = "month", "月度"
        YEAR = "year", "年度"

    level = models.CharField("层级", max_length=12, choices=Level.choices)
    frequency = models.CharField("周期", max_length=8, choices=Frequency.choices)
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份（年度为0）", default=0)
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="企业"
    )
    park = models.ForeignKey(
        Park, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="园区"
    )
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="区/开发区"
    )
    firms = models.PositiveIntegerField("企业数", default=1)
    energy_tce = models.DecimalField("综合能耗（吨标准煤）", max_digits=24, decimal_places=4, default=Decimal(0))
    scope1_t = models.DecimalField("直接排放·范围一（吨CO₂）", max_digits=24, decimal_places=4, default=Decimal(0))
    scope2_t = models.DecimalField("间接排放·范围二（吨CO₂）", max_digits=24, decimal_places=4, default=Decimal(0))
    co2_t = models.DecimalField("二氧化碳排放总量（吨CO₂）", max_digits=24, decimal_places=4, default=Decimal(0))
    clean_tce = models.DecimalField("清洁能源消费量（吨标准煤）", max_digits=24, decimal_places=4, default=Decimal(0))
    renewable_tce = models.DecimalField(
        "可再生能源消费量（吨标准煤）", max_digits=24, decimal_places=4, default=Decimal(0)
    )
    electricity_kwh = models.DecimalField("用电量（千瓦时）", max_digits=24, decimal_places=2, default=Decimal(0))
    green_kwh = models.DecimalField(
        "绿电及自发可再生电力（千瓦时）", max_digits=24, decimal_places=2, default=Decimal(0)
    )
    water_t = models.DecimalField("用水量（吨）", max_digits=24, decimal_places=2, default=Decimal(0))
    value_added = models.DecimalField("工业增加值（万元）", max_digits=24, decimal_places=2, null=True, blank=True)
    by_fuel = models.JSONField("分品种能耗与排放", default=dict)
    method = models.JSONField("核算方法", default=dict)
    batch_ids = models.JSONField("来源批次", default=list)
    computed_at = models.DateTimeField("核算时间", auto_now=True)

    objects = CarbonAccountQuerySet.as_manager()

    class Meta:
        verbose_name = "碳账户"
        verbose_name_plural = "碳账户"
        ordering = ("level", "year", "month", "id")
        indexes = [
            models.Index(fields=("level", "frequency", "year", "month")),
            models.Index(fields=("enterprise", "frequency", "year")),
            models.Index(fields=("park", "frequency", "year")),
        ]

    def __str__(self) -> str:
        when = f"{self.year}" if self.month == 0 else f"{self.year}-{self.month:02d}"
        return f"{self.get_level_display()} {when}"

    # The intensities: shown, never stored, so that a sum of accounts is always a sum.
    @property
    def energy_per_value_added(self) -> Decimal | None:
        """单位工业增加值能耗（吨标准煤/万元）."""
        return _ratio(self.energy_tce, self.value_added)

    @property
    def co2_per_value_added(self) -> Decimal | None:
        """单位增加值碳排放（吨CO₂/万元）."""
        return _ratio(self.co2_t, self.value_added)

    @property
    def co2_per_tce(self) -> Decimal | None:
        """单位能耗碳排放（吨CO₂/吨标准煤）."""
        return _ratio(self.co2_t, self.energy_tce)

    @property
    def clean_share(self) -> Decimal | None:
        """清洁能源消费占比（%）."""
        ratio = _ratio(self.clean_tce, self.energy_tce, places=Decimal("0.000001"))
        return None if ratio is None else (ratio * 100).quantize(Decimal("0.01"))

    @property
    def renewable_share(self) -> Decimal | None:
        """可再生能源消费占比（%）."""
        ratio = _ratio(self.renewable_tce, self.energy_tce, places=Decimal("0.000001"))
        return None if ratio is None else (ratio * 100).quantize(Decimal("0.01"))


def _ratio(top: Decimal | None, bottom: Decimal | None, places: Decimal = Decimal("0.0001")) -> Decimal | None:
    if top is None or bottom is None or bottom <= 0:
        return None
    return (Decimal(top) / Decimal(bottom)).quantize(places)
