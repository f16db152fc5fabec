"""评价体系 records: evaluation runs with their exact inputs and per-park results (score, rank
interval, selection), and 亩均效益 grades of enterprises.

A run is reproducible: it stores the pack hash, the fully resolved parameters (with the seed), a
snapshot of the index systems it used, every input value it read (per park × indicator × year, with
the imputed flag and the value the engine used) and every result. Diagnoses are recomputed from those
stored inputs, never from the live indicator tables. Once a city admin confirms a run's 产业名园 list
the run is frozen: services refuse to change or delete it.

Access (DESIGN.md, one place): runs are read by city roles; a district user and a park operator see
finished runs' metadata and the results of their own parks only; an enterprise sees only its own
亩均 grade."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from yuanqu.core.access import ScopedQuerySet, own_scope
from yuanqu.core.models import acting_user_field
from yuanqu.core.roles import Role
from yuanqu.registry.models import District, Enterprise, Park

if TYPE_CHECKING:
    from yuanqu.core.models import User


class RunQuerySet(ScopedQuerySet["EvaluationRun"]):
    def scope_q(self, user: User) -> Q | None:
        # District users and park operators reach their parks' results through finished runs.
        if user.role in (Role.DISTRICT, Role.PARK_OPERATOR):
            return Q(status=EvaluationRun.Status.DONE)
        return None


class EvaluationRun(models.Model):
    class Status(models.TextChoices):
        DONE = "done", _("已完成")
        FAILED = "failed", _("未完成")

    class SelectionStatus(models.TextChoices):
        PROPOSED = "proposed", _("拟入选（待确认）")
        CONFIRMED = "confirmed", _("已确认")

    year = models.PositiveSmallIntegerField(_("评价年度"), db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    message = models.TextField(_("说明"), blank=True)
    pack_hash = models.CharField(_("政策包摘要"), max_length=64)
    pack_version = models.CharField(_("政策包版本"), max_length=40, blank=True)
    seed = models.BigIntegerField(_("随机种子"))
    params = models.JSONField(_("参数"), default=dict, blank=True)
    index_systems = models.JSONField(_("指标体系快照"), default=dict, blank=True)
    selection_rules = models.JSONField(_("遴选规则快照"), default=dict, blank=True)
    sensitivity = models.JSONField(_("敏感性分析"), default=dict, blank=True)
    summary = models.JSONField(_("概要"), default=dict, blank=True)
    created_by = acting_user_field(_("发起人"), blank=True)
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    selection_status = models.CharField(
        "名单状态", max_length=10, choices=SelectionStatus.choices, default=SelectionStatus.PROPOSED
    )
    confirmed_by = acting_user_field(_("确认人"), blank=True, on_delete=models.PROTECT)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = _("评价运行")
        verbose_name_plural = _("评价运行")
        ordering = ("-created_at", "-id")
        constraints = [
            # One confirmed 产业名园 list per year.
            models.UniqueConstraint(
                fields=("year",), condition=Q(selection_status="confirmed"), name="evaluation_one_confirmed_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度评价 #{self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.selection_status == self.SelectionStatus.CONFIRMED


def park_scope(user: User) -> Q | None:
    """Rows about one park: a district user sees its district's parks, a park operator its park."""
    return own_scope(user, district="park__district_id", park="park_id")


class InputQuerySet(ScopedQuerySet["RunInput"]):
    def scope_q(self, user: User) -> Q | None:
        return park_scope(user)


class ResultQuerySet(ScopedQuerySet["ParkResult"]):
    def scope_q(self, user: User) -> Q | None:
        return park_scope(user)


class RunInput(models.Model):
    """One value a run read: a park's indicator for a year (the evaluation year or the year before),
    exactly as stored, and what the engine made of it."""

    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="inputs")
    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="+")
    park_type = models.CharField(_("园区类型"), max_length=15)
    indicator = models.CharField(_("指标"), max_length=60)
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("原始值"), max_digits=30, decimal_places=6, null=True, blank=True)
    imputed = models.BooleanField(_("填补"), default=False)
    used_value = models.FloatField(_("计算用值"), null=True, blank=True)
    normalised = models.FloatField(_("标准化得分"), null=True, blank=True)

    objects = InputQuerySet.as_manager()

    class Meta:
        verbose_name = _("评价输入值")
        verbose_name_plural = _("评价输入值")
        constraints = [
            models.UniqueConstraint(fields=("run", "park", "indicator", "year"), name="evaluation_input_unique")
        ]
        indexes = [models.Index(fields=("run", "park_type", "indicator"))]

    def __str__(self) -> str:
        return f"#{self.run_id} {self.park_id} {self.indicator} {self.year} = {self.value}"


class ParkResult(models.Model):
    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="results")
    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="+")
    park_type = models.CharField(_("园区类型"), max_length=15, db_index=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    included = models.BooleanField(_("参评"), default=True)
    availability = models.FloatField(_("数据可得率"))
    imputed_count = models.PositiveSmallIntegerField(_("填补指标数"), default=0)
    index_score = models.FloatField(_("指数得分"), null=True, blank=True)
    bonus = models.FloatField(_("加分"), default=0.0)
    penalty = models.FloatField(_("扣分"), default=0.0)
    score = models.FloatField(_("综合得分"), null=True, blank=True)
    dimension_scores = models.JSONField(_("维度得分"), default=dict, blank=True)
    adjustments = models.JSONField(_("加减分明细"), default=list, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    median_rank = models.PositiveIntegerField(_("中位名次"), null=True, blank=True)
    rank_p05 = models.PositiveIntegerField(_("名次5%分位"), null=True, blank=True)
    rank_p95 = models.PositiveIntegerField(_("名次95%分位"), null=True, blank=True)
    topsis_rank = models.PositiveIntegerField(_("TOPSIS名次"), null=True, blank=True)
    p_selected = models.FloatField(_("入选概率"), null=True, blank=True)
    veto = models.BooleanField(_("一票否决"), default=False)
    entry_ok = models.BooleanField(_("达到门槛"), default=True)
    must_improve_ok = models.BooleanField(_("必达指标未下降"), null=True, blank=True)
    checks = models.JSONField(_("门槛、必达与否决明细"), default=dict, blank=True)
    eligible = models.BooleanField(_("具备入选资格"), default=False)
    ineligible_reasons = models.JSONField(_("不具备资格原因"), default=list, blank=True)
    selected = models.BooleanField(_("拟入选"), default=False)
    selection_order = models.PositiveSmallIntegerField(_("类型内入选顺位"), null=True, blank=True)
    unstable = models.BooleanField(_("不稳健"), default=False)
    award_wan_yuan = models.PositiveIntegerField(_("奖励（万元）"), null=True, blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("园区评价结果")
        verbose_name_plural = _("园区评价结果")
        ordering = ("run", "park_type", "rank", "park__code")
        constraints = [models.UniqueConstraint(fields=("run", "park"), name="evaluation_result_unique")]

    def __str__(self) -> str:
        return f"#{self.run_id} {self.park_id} 第{self.rank}名"

    @property
    def flag_items(self) -> list[tuple[str, str]]:
        """(code, label in the active language) of each flag; the code names the flag's style."""
        found = []
        if not self.included:
            found.append(("not_included", gettext("数据不足未参评")))
        if self.veto:
            found.append(("veto", gettext("一票否决")))
        if not self.entry_ok:
            found.append(("entry", gettext("未达门槛")))
        if self.must_improve_ok is False:
            found.append(("must_improve", gettext("必达指标下降")))
        if self.unstable:
            found.append(("unstable", gettext("不稳健")))
        return found

    @property
    def flags(self) -> list[str]:
        return [name for _code, name in self.flag_items]


class GradeQuerySet(ScopedQuerySet["EnterpriseGrade"]):
    def scope_q(self, user: User) -> Q | None:
        return own_scope(user, district="district_id", park="park_id", enterprise="enterprise_id")


class EnterpriseGrade(models.Model):
    """One enterprise's 亩均效益 grade for a year, with the numbers that explain it (`detail`)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="mujun_grades")
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    park = models.ForeignKey(Park, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("等级"), max_length=4, db_index=True)
    score = models.FloatField(_("得分"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    rated_count = models.PositiveIntegerField(_("参评企业数"), default=0)
    reason = models.CharField(_("不参评原因"), max_length=200, blank=True)
    detail = models.JSONField(_("指标明细"), default=dict, blank=True)
    pack_hash = models.CharField(_("政策包摘要"), max_length=64)
    computed_at = models.DateTimeField(pgettext_lazy("grading", "评价时间"))

    objects = GradeQuerySet.as_manager()

    class Meta:
        verbose_name = _("亩均效益等级")
        verbose_name_plural = _("亩均效益等级")
        ordering = ("year", "rank", "enterprise_id")
        constraints = [models.UniqueConstraint(fields=("enterprise", "year"), name="mujun_grade_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} {self.grade}"
