"""Statistics tables: monthly reports of 规上 enterprises, annual data of all enterprises, annual
park-level inputs; the import batches that wrote them and the revisions they replaced.

Rows are wide (one row per enterprise and period, one column per measure, see measures.py) so that
indicator aggregation is a single GROUP BY on either database. A value written again by a later batch
keeps the old one in `StatRevision`: nothing is lost."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from yuanqu.core.access import ScopedQuerySet, own_scope
from yuanqu.core.roles import Role
from yuanqu.registry.models import Enterprise, IndustryClass, Park

if TYPE_CHECKING:
    from yuanqu.core.models import User


def amount(label: str) -> models.DecimalField[Decimal | None, Decimal | None]:
    """A reported figure (万元, 吨标准煤, …): empty where the report left it out."""
    return models.DecimalField(label, max_digits=18, decimal_places=2, null=True, blank=True)


class ImportBatchQuerySet(ScopedQuerySet["ImportBatch"]):
    """A district user sees its district's batches, a park operator its park's; anyone else with
    uploads sees their own."""

    def scope_q(self, user: User) -> Q | None:
        if user.role == Role.DISTRICT:
            return Q(district_id=user.district_id)
        if user.role == Role.PARK_OPERATOR:
            return Q(park_id=user.park_id)
        return Q(uploaded_by_id=user.pk)


class ImportBatch(models.Model):
    """One upload (or one generated data set): what it was, who brought it, what it wrote."""

    class Kind(models.TextChoices):
        ENTERPRISES = "enterprises", "企业名录"
        MONTHLY = "monthly", "企业月度统计（规上）"
        ANNUAL = "annual", "企业年度数据"
        PARK_ANNUAL = "park_annual", "园区年度数据"
        LABELS = "labels", "认定名单"
        LAND = "land", "土地"
        # Registered as statistics tables by yuanqu.energy (its AppConfig.ready()).
        ENERGY_MONTHLY = "energy_monthly", "企业月度能源数据"
        ENERGY_ANNUAL = "energy_annual", "企业年度能源数据"
        PARK_RESOURCES = "park_resources", "园区年度资源循环数据"
        # Registered as an import kind by yuanqu.investment (its AppConfig.ready()).
        INVESTMENT_SITES = "investment_sites", "载体"
        TARGET_FIRMS = "target_firms", "招商目标企业"
        INVESTMENT_PROJECTS = "investment_projects", "招商项目"
        SUPPLY_LINKS = "supply_links", "链主采购环节"
        # The statistics bureau's price indices, read to deflate value added (comparable prices).
        PRICE_INDEX = "price_index", "工业生产者出厂价格指数"

    class Status(models.TextChoices):
        VALIDATING = "validating", "校验中"
        REJECTED = "rejected", "校验未通过，未写入"
        APPLIED = "applied", "已写入"
        ROLLED_BACK = "rolled_back", "已回滚"

    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.VALIDATING)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    file_sha256 = models.CharField("文件摘要", max_length=64, blank=True, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="上传人"
    )
    district = models.ForeignKey(
        "registry.District", null=True, blank=True, on_delete=models.PROTECT, verbose_name="上传人所属区"
    )
    park = models.ForeignKey(
        "registry.Park", null=True, blank=True, on_delete=models.PROTECT, verbose_name="上传人所属园区"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    rows_total = models.PositiveIntegerField("行数", default=0)
    rows_ok = models.PositiveIntegerField("通过行数", default=0)
    rows_error = models.PositiveIntegerField("错误行数", default=0)
    rows_warning = models.PositiveIntegerField("警告行数", default=0)
    synthetic = models.BooleanField("示例数据", default=False)
    note = models.CharField("说明", max_length=300, blank=True)
    # For a registry batch (enterprises): the [park id or None, district id] pairs whose figures the
    # batch changed (an enterprise created, or changed, in the park it was in and the one it is in
    # now), so that indicators recompute those alone. None: not known (every cell is recomputed).
    scopes = models.JSONField("影响范围", null=True, blank=True, default=None)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.file_name}"


class ImportSlot(models.Model):
    """One of the places for an import running now, shared by every process and host through the
    database: an import claims a free slot (or one whose holder stopped long ago) with a conditional
    UPDATE and frees it when done, so that at most that many files are parsed at once."""

    number = models.PositiveSmallIntegerField("编号", primary_key=True)
    holder = models.CharField("占用者", max_length=64, blank=True)
    claimed_at = models.DateTimeField("占用时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入并发位"
        verbose_name_plural = "导入并发位"

    def __str__(self) -> str:
        return f"导入并发位{self.number}"


_StatM = TypeVar("_StatM", bound=models.Model)


class EnterpriseStatQuerySet(ScopedQuerySet[_StatM]):
    """Statistics are visible exactly where their enterprise is."""

    def scope_q(self, user: User) -> Q | None:
        return own_scope(
            user, district="enterprise__district_id", park="enterprise__park_id", enterprise="enterprise_id"
        )


class MonthlyStat(models.Model):
    """One 规上 enterprise's monthly report. `period` is the first day of the report month; a
    1–2月 combined report is stored on February with `months_covered` = 2 and no January row."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="monthly_stats")
    period = models.DateField("报告期（月）", db_index=True)
    months_covered = models.PositiveSmallIntegerField("本期覆盖月数", default=1)
    revenue_month = amount("营业收入·本月（万元）")
    revenue_ytd = amount("营业收入·1-本月累计（万元）")
    output_month = amount("工业总产值·本月（万元）")
    output_ytd = amount("工业总产值·1-本月累计（万元）")
    value_added_month = amount("工业增加值·本月（万元）")
    value_added_ytd = amount("工业增加值·1-本月累计（万元）")
    profit_month = amount("利润总额·本月（万元）")
    profit_ytd = amount("利润总额·1-本月累计（万元）")
    tax_month = amount("税金总额·本月（万元）")
    tax_ytd = amount("税金总额·1-本月累计（万元）")
    rd_expense_month = amount("研发费用·本月（万元）")
    rd_expense_ytd = amount("研发费用·1-本月累计（万元）")
    energy_tce_month = amount("综合能源消费量·本月（吨标准煤）")
    energy_tce_ytd = amount("综合能源消费量·1-本月累计（吨标准煤）")
    export_value_month = amount("出口交货值·本月（万元）")
    export_value_ytd = amount("出口交货值·1-本月累计（万元）")
    employees = models.PositiveIntegerField("从业人员期末人数（人）", null=True, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+", verbose_name="来源批次")
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnterpriseStatQuerySet["MonthlyStat"].as_manager()

    class Meta:
        verbose_name = "企业月度统计"
        verbose_name_plural = "企业月度统计"
        constraints = [models.UniqueConstraint(fields=("enterprise", "period"), name="monthly_stat_unique")]
        indexes = [models.Index(fields=("period", "enterprise"))]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.period:%Y-%m}"


class AnnualStat(models.Model):
    """One enterprise's annual data (all firms, not only 规上)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="annual_stats")
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    revenue = amount("营业收入（万元）")
    output = amount("工业总产值（万元）")
    value_added = amount("工业增加值（万元）")
    profit = amount("利润总额（万元）")
    tax = amount("税金总额（万元）")
    rd_expense = amount("研发费用（万元）")
    energy_tce = amount("综合能源消费量（吨标准煤）")
    export_value = amount("出口交货值（万元）")
    employees = models.PositiveIntegerField("从业人员期末人数（人）", null=True, blank=True)
    land_mu = amount("用地面积（亩）")
    rd_staff = models.PositiveIntegerField("研发人员数（人）", null=True, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+", verbose_name="来源批次")
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnterpriseStatQuerySet["AnnualStat"].as_manager()

    class Meta:
        verbose_name = "企业年度数据"
        verbose_name_plural = "企业年度数据"
        constraints = [models.UniqueConstraint(fields=("enterprise", "year"), name="annual_stat_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


class ParkStatQuerySet(ScopedQuerySet[_StatM]):
    def scope_q(self, user: User) -> Q | None:
        return own_scope(user, district="park__district_id", park="park_id")


class ParkAnnualStat(models.Model):
    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="annual_stats")
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    built_area_km2 = amount("建成区面积（平方公里）")
    industrial_land_mu = amount("工业用地面积（亩）")
    fixed_asset_investment = amount("固定资产投资（万元）")
    industrial_investment = amount("工业投资（万元）")
    new_project_investment = amount("新建项目工业投资（万元）")
    new_project_land_mu = amount("新建项目用地面积（亩）")
    service_staff = models.PositiveIntegerField("园区服务人员数（人）", null=True, blank=True)
    smart_subsystems = models.PositiveIntegerField("智慧平台应用子系统数（个）", null=True, blank=True)
    facility_kinds = models.PositiveIntegerField("生产经营和生活配套设施种类（种）", null=True, blank=True)
    renewable_share = amount("可再生能源使用比例（%）")
    safety_accidents = models.PositiveIntegerField("较大及以上安全生产事故数（起）", null=True, blank=True)
    environmental_accidents = models.PositiveIntegerField("突发环境事件数（起）", null=True, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+", verbose_name="来源批次")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParkStatQuerySet["ParkAnnualStat"].as_manager()

    class Meta:
        verbose_name = "园区年度数据"
        verbose_name_plural = "园区年度数据"
        constraints = [models.UniqueConstraint(fields=("park", "year"), name="park_annual_stat_unique")]

    def __str__(self) -> str:
        return f"{self.park_id} {self.year}"


class PriceIndex(models.Model):
    """工业生产者出厂价格指数 (PPI) of one industry division (GB/T 4754-2017 大类) and month, as the
    statistics bureau publishes it: the month against the same month a year before (上年同月=100) and
    1–本月累计 against the same months a year before (上年同期=100). City-wide public data: every
    reader may see it. Read to deflate value added to comparable prices (indicators/comparable.py)."""

    division = models.ForeignKey(IndustryClass, on_delete=models.PROTECT, related_name="+", verbose_name="行业大类")
    period = models.DateField("报告期（月）", db_index=True)
    month_index = models.DecimalField("当月指数（上年同月=100）", max_digits=8, decimal_places=2, null=True, blank=True)
    ytd_index = models.DecimalField(
        "1-本月累计指数（上年同期=100）", max_digits=8, decimal_places=2, null=True, blank=True
    )
    source = models.CharField("数据来源", max_length=200, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+", verbose_name="来源批次")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "工业生产者出厂价格指数"
        verbose_name_plural = "工业生产者出厂价格指数"
        constraints = [models.UniqueConstraint(fields=("division", "period"), name="price_index_unique")]

    def __str__(self) -> str:
        return f"{self.division_id} {self.period:%Y-%m}"


class StatRevision(models.Model):
    """A value that a later batch replaced: which row, the old values and the batch that wrote them,
    and the batch that replaced them. Rolling back a batch restores from here."""

    table = models.CharField("数据表", max_length=40)
    row_key = models.CharField("记录键", max_length=80, db_index=True)
    old_values = models.JSONField("原值")
    old_batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+", verbose_name="原值批次")
    replaced_by = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="revisions", verbose_name="替换批次"
    )
    replaced_at = models.DateTimeField("替换时间", auto_now_add=True)

    class Meta:
        verbose_name = "数据修订"
        verbose_name_plural = "数据修订"
        ordering = ("-replaced_at", "-id")

    def __str__(self) -> str:
        return f"{self.table} {self.row_key}"
