"""陪跑 and 惠企 records: who is each firm's service specialist (with the history of hand-overs), the
visits planned, the details of a visit and the needs it found (each a 啄木鸟 case), and the 免申即享
confirmations and disbursements of the pack's policies.

A visit itself is casework's `Visit` (走访记录); this app adds its details and needs, so that the
case's `visit` and the need's `case` link the two both ways.

Scoping: every read goes through `objects.visible_to(user)`: the city sees everything, a district its
firms, a park operator its park's firms, an enterprise its own rows (not the plans), a handler the
firms it is the specialist of."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yuanqu.core.access import ScopedQuerySet
from yuanqu.core.models import acting_user_field, optional_link
from yuanqu.core.roles import Role

if TYPE_CHECKING:
    from yuanqu.core.models import User


def _firm_scope(user: User, prefix: str, *, enterprise_sees: bool = True) -> Q | None:
    """The rows about firms the user may see, through the path `prefix` to the enterprise."""
    if user.role == Role.DISTRICT and user.district_id is not None:
        return Q(**{f"{prefix}district_id": user.district_id})
    if user.role == Role.PARK_OPERATOR and user.park_id is not None:
        return Q(**{f"{prefix}park_id": user.park_id})
    if user.role == Role.ENTERPRISE and user.enterprise_id is not None and enterprise_sees:
        return Q(**{f"{prefix}id": user.enterprise_id})
    return None


def _park_rows_scope(user: User) -> Q | None:
    """Rows about a park (its scores, its fees): a district's parks, a park operator's park, an
    enterprise's own park."""
    if user.role == Role.DISTRICT and user.district_id is not None:
        return Q(park__district_id=user.district_id)
    if user.role == Role.PARK_OPERATOR and user.park_id is not None:
        return Q(park_id=user.park_id)
    if user.role == Role.ENTERPRISE and user.enterprise_id is not None:
        return Q(park__enterprises__id=user.enterprise_id)
    return None


class AssignmentQuerySet(ScopedQuerySet["SpecialistAssignment"]):
    def scope_q(self, user: User) -> Q | None:
        condition = _firm_scope(user, "enterprise__")
        mine = Q(specialist_id=user.pk)
        return mine if condition is None else condition | mine

    def current(self) -> AssignmentQuerySet:
        return self.filter(ended_on__isnull=True)


class SpecialistAssignment(models.Model):
    """企业服务专员: one specialist per firm at a time; a hand-over ends the row and starts another."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="specialist_assignments", verbose_name=_("企业")
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_firms", verbose_name=_("服务专员")
    )
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    assigned_by = acting_user_field(_("指派人"))
    created_at = models.DateTimeField(_("录入时间"))
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务专员指派")
        verbose_name_plural = pgettext_lazy("plural", "服务专员指派")
        ordering = ("enterprise_id", "-started_on", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("enterprise",), condition=Q(ended_on__isnull=True), name="service_one_current_specialist"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="service_assignment_range",
            ),
        ]
        indexes = [models.Index(fields=("specialist", "ended_on"))]

    def __str__(self) -> str:
        return f"{self.enterprise_id} → {self.specialist_id}"


class PlanQuerySet(ScopedQuerySet["PlannedVisit"]):
    def scope_q(self, user: User) -> Q | None:
        condition = _firm_scope(user, "enterprise__", enterprise_sees=False)
        mine = Q(specialist_id=user.pk)
        return mine if condition is None else condition | mine


class PlannedVisit(models.Model):
    """A visit a specialist has put in the calendar; done when a visit is recorded against it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("已计划")
        DONE = "done", _("已走访")
        CANCELLED = "cancelled", _("已取消")

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="planned_visits", verbose_name=_("企业")
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("服务专员")
    )
    planned_on = models.DateField(_("计划日期"), db_index=True)
    purpose = models.CharField(_("走访事项"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    visit = optional_link(
        "casework.Visit", _("走访记录"), on_delete=models.SET_NULL, related_name="plan", one_to_one=True
    )
    created_by = acting_user_field(_("录入人"))
    created_at = models.DateTimeField(_("录入时间"))
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访计划")
        verbose_name_plural = pgettext_lazy("plural", "走访计划")
        ordering = ("planned_on", "id")

    def __str__(self) -> str:
        return f"{self.planned_on} {self.enterprise_id}"


class DetailQuerySet(ScopedQuerySet["VisitDetail"]):
    def scope_q(self, user: User) -> Q | None:
        condition = _firm_scope(user, "visit__enterprise__", enterprise_sees=False)
        mine = Q(visit__visited_by_id=user.pk)
        return mine if condition is None else condition | mine


class VisitDetail(models.Model):
    """What a 陪跑 visit found, beside casework's visit record: who was met, the topics, the firm's
    situation."""

    visit = models.OneToOneField(
        "casework.Visit", primary_key=True, on_delete=models.CASCADE, related_name="detail", verbose_name=_("走访记录")
    )
    people = models.CharField(_("参加人员"), max_length=200)
    topics = models.CharField(_("走访主题"), max_length=200)
    situation = models.TextField(_("企业生产经营情况"), max_length=3000, blank=True)

    objects = DetailQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访详情")
        verbose_name_plural = pgettext_lazy("plural", "走访详情")

    def __str__(self) -> str:
        return f"{self.visit_id}"


class NeedQuerySet(ScopedQuerySet["VisitNeed"]):
    def scope_q(self, user: User) -> Q | None:
        condition = _firm_scope(user, "visit__enterprise__")
        mine = Q(visit__visited_by_id=user.pk)
        return mine if condition is None else condition | mine


class VisitNeed(models.Model):
    """A need the firm raised on a visit, and the 啄木鸟 case it became (the case's `visit` points
    back at the visit)."""

    visit = models.ForeignKey(
        "casework.Visit", on_delete=models.CASCADE, related_name="needs", verbose_name=_("走访记录")
    )
    text = models.CharField(_("企业需求"), max_length=500)
    case = models.OneToOneField(
        "casework.Case", on_delete=models.PROTECT, related_name="visit_need", verbose_name=_("诉求")
    )

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访需求")
        verbose_name_plural = pgettext_lazy("plural", "走访需求")
        ordering = ("visit_id", "id")

    def __str__(self) -> str:
        return self.text[:40]


class BatchQuerySet(ScopedQuerySet["PolicyBatch"]):
    def scope_q(self, user: User) -> Q | None:
        # A batch lists firms across the city; the district and park see the batches that name one
        # of their firms (and then only those firms' disbursements, see DisbursementQuerySet).
        condition = _firm_scope(user, "enterprise__", enterprise_sees=False)
        if condition is None:
            return None
        return Q(pk__in=Disbursement.objects.filter(condition).values("batch_id"))


class PolicyBatch(models.Model):
    """免申即享: a list of qualifying firms for one policy, confirmed by the city's handler; the firms are
    notified and their disbursements recorded against it."""

    policy_code = models.CharField(_("政策代码"), max_length=64, db_index=True)
    policy_name = models.CharField(_("政策名称"), max_length=200)
    number = models.CharField(_("批次号"), max_length=40, unique=True)
    confirmed_by = acting_user_field(_("确认人"))
    confirmed_at = models.DateTimeField(_("确认时间"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("免申即享批次")
        verbose_name_plural = pgettext_lazy("plural", "免申即享批次")
        ordering = ("-confirmed_at", "-id")

    def __str__(self) -> str:
        return self.number


class DisbursementQuerySet(ScopedQuerySet["Disbursement"]):
    def scope_q(self, user: User) -> Q | None:
        return _firm_scope(user, "enterprise__")


class Disbursement(models.Model):
    """One firm in a confirmed batch: the amount granted (capped by the policy's formula) and, once
    paid, the day. A firm is paid at most once per policy: the database refuses a second row."""

    batch = models.ForeignKey(
        PolicyBatch, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("批次")
    )
    policy_code = models.CharField(_("政策代码"), max_length=64)
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("企业")
    )
    amount_wan_yuan = models.DecimalField(_("金额（万元）"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("拨付日期"), null=True, blank=True)
    recorded_by = acting_user_field(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = DisbursementQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策兑现")
        verbose_name_plural = pgettext_lazy("plural", "政策兑现")
        ordering = ("batch_id", "enterprise_id")
        constraints = [
            models.UniqueConstraint(fields=("policy_code", "enterprise"), name="service_one_disbursement_per_policy"),
            models.CheckConstraint(condition=Q(amount_wan_yuan__gt=0), name="service_disbursement_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.policy_code} {self.enterprise_id}"


# ── 发展环境动态评估 ───────────────────────────────────────────────────────────────────────────


class WaveQuerySet(ScopedQuerySet["SurveyWave"]):
    def scope_q(self, user: User) -> Q | None:
        # Every signed-in role that answers or reads the survey sees the waves themselves (their
        # results are guarded by the minimum group size, not by this scope).
        return Q()


class SurveyWave(models.Model):
    """One round of the 发展环境 questionnaire (e.g. 2026年上半年): open for answers between two days,
    then closed by the city, which fixes each park's scores and the 发展环境指数."""

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    code = models.CharField(_("期次代码"), max_length=32, unique=True)
    name = models.CharField(_("期次名称"), max_length=100)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = acting_user_field(_("发起人"))
    created_at = models.DateTimeField(_("发起时间"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = WaveQuerySet.as_manager()

    class Meta:
        verbose_name = _("问卷期次")
        verbose_name_plural = pgettext_lazy("plural", "问卷期次")
        ordering = ("-opens_on", "-id")
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="service_wave_range")
        ]

    def __str__(self) -> str:
        return self.name


class ReceiptQuerySet(ScopedQuerySet["SurveyReceipt"]):
    def scope_q(self, user: User) -> Q | None:
        # Only the firm itself learns that it answered; staff see counts (the response rate) only.
        if user.role == Role.ENTERPRISE and user.enterprise_id is not None:
            return Q(enterprise_id=user.enterprise_id)
        return None


class SurveyReceipt(models.Model):
    """That a firm answered a wave (one answer per firm per wave), kept apart from what it answered:
    nothing links a receipt to its `SurveyResponse`."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("期次"))
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="survey_receipts", verbose_name=_("企业")
    )
    answered_on = models.DateField(_("答卷日期"))
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("答卷回执")
        verbose_name_plural = pgettext_lazy("plural", "答卷回执")
        constraints = [models.UniqueConstraint(fields=("wave", "enterprise"), name="service_one_answer_per_wave")]

    def __str__(self) -> str:
        return f"{self.wave_id} {self.enterprise_id}"


def _random_key() -> str:
    return secrets.token_hex(16)


class SurveyResponse(models.Model):
    """One anonymous answer sheet: the wave, the park the firm was in when it answered, and the
    answers (item code → 1..scale or a choice). No firm, no user, no time, and a random key rather
    than a sequence, so neither the row nor its order points at who answered.

    No page, API or export reads these rows one by one: `service.surveys.results` aggregates them
    per park and shows nothing for fewer than the pack's `min_group_size`. There is deliberately no
    `visible_to` here."""

    key = models.CharField(primary_key=True, max_length=32, default=_random_key, editable=False)
    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="responses", verbose_name=_("期次"))
    park = optional_link("registry.Park", _("园区"), on_delete=models.SET_NULL)
    answers = models.JSONField(_("答案"), default=dict)
    synthetic = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = pgettext_lazy("plural", "答卷")
        indexes = [models.Index(fields=("wave", "park"))]

    def __str__(self) -> str:
        return f"{self.wave_id}"


class ScoreQuerySet(ScopedQuerySet["EnvironmentScore"]):
    def scope_q(self, user: User) -> Q | None:
        return _park_rows_scope(user)


class EnvironmentScore(models.Model):
    """A park's result of a closed wave, fixed when the city closes it: the number of answers, the
    survey score, the casework score of the same year and the 发展环境指数 (None below the minimum
    group size). The index is also the park's year value of the pack's indicator."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="scores", verbose_name=_("期次"))
    park = models.ForeignKey("registry.Park", on_delete=models.CASCADE, related_name="+", verbose_name=_("园区"))
    responses = models.PositiveIntegerField(_("答卷数"))
    firms = models.PositiveIntegerField(_("园区企业数"))
    survey_score = models.DecimalField(_("问卷得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    casework_score = models.DecimalField(_("诉求三率得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    index = models.DecimalField(_("发展环境指数"), max_digits=6, decimal_places=2, null=True, blank=True)
    dimensions = models.JSONField(_("维度得分"), default=dict)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("发展环境指数")
        verbose_name_plural = pgettext_lazy("plural", "发展环境指数")
        ordering = ("wave_id", "park_id")
        constraints = [models.UniqueConstraint(fields=("wave", "park"), name="service_one_score_per_park")]

    def __str__(self) -> str:
        return f"{self.wave_id} {self.park_id} {self.index}"


# ── 服务标准清单 ─────────────────────────────────────────────────────────────────────────────


class ParkServiceQuerySet(ScopedQuerySet["ParkService"]):
    def scope_q(self, user: User) -> Q | None:
        # A park's list is published: every signed-in role that works with parks or firms reads it.
        return Q()


class ParkService(models.Model):
    """One line of a park's 服务标准清单: a service type of the pack, who provides it, the standard the
    park promises (time limit in working days, no longer than the pack's), the fee and the contact."""

    park = models.ForeignKey("registry.Park", on_delete=models.CASCADE, related_name="services", verbose_name=_("园区"))
    service_type = models.CharField(_("服务类型"), max_length=64)
    provider = models.CharField(_("服务提供方"), max_length=100)
    promise = models.CharField(_("服务内容与标准"), max_length=300)
    time_limit_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"))
    fee = models.CharField(_("收费"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=100)
    updated_by = acting_user_field(_("维护人"))
    updated_at = models.DateTimeField(_("更新时间"))
    retired_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)
    retired_by = acting_user_field(_("撤下人"), blank=True)
    retire_reason = models.CharField(_("撤下原因"), max_length=200, blank=True)
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = ParkServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("园区服务清单项")
        verbose_name_plural = pgettext_lazy("plural", "园区服务清单项")
        ordering = ("park_id", "service_type")
        # One current line per type; retired lines stay as the list's history.
        constraints = [
            models.UniqueConstraint(
                fields=("park", "service_type"), condition=Q(retired_at__isnull=True), name="service_one_line_per_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.park_id} {self.service_type}"


# ── 涉企收费 ────────────────────────────────────────────────────────────────────────────────


class FeeQuerySet(ScopedQuerySet["ParkFee"]):
    def scope_q(self, user: User) -> Q | None:
        return _park_rows_scope(user)


class FeeUnit(models.TextChoices):
    """What a fee is charged per."""

    SQUARE_METRE = "m2", _("平方米")
    FIRM = "firm", _("户")
    KWH = "kwh", _("千瓦时")
    TON = "ton", _("吨")
    CUBIC_METRE = "m3", _("立方米")
    ITEM = "item", _("件")


class FeePeriod(models.TextChoices):
    """How often a fee is charged; `times_a_year` turns a periodic fee into its yearly amount."""

    MONTH = "month", _("月")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年")
    ONCE = "once", _("次")


TIMES_A_YEAR = {FeePeriod.MONTH: 12, FeePeriod.QUARTER: 4, FeePeriod.YEAR: 1}


class FeeReview(models.TextChoices):
    CONFIRMED = "confirmed", _("核查属实：无收费依据")
    DISMISSED = "dismissed", _("核查不属实：撤销标记")


class ParkFee(models.Model):
    """One fee that a park, its operator or a service provider charges the firms of the park: the
    涉企收费 register. A fee without a basis (依据) is flagged for the city's review. The amount is a
    number of 元 per unit and period (`amount` keeps the standard's own wording); a fee taken out of
    the register is retired, never deleted."""

    park = models.ForeignKey("registry.Park", on_delete=models.CASCADE, related_name="fees", verbose_name=_("园区"))
    item = models.CharField(_("收费项目"), max_length=100)
    charged_by = models.CharField(_("收费主体"), max_length=100)
    basis = models.CharField(_("收费依据"), max_length=200, blank=True)
    amount = models.CharField(_("收费标准"), max_length=100, blank=True)
    amount_yuan = models.DecimalField(_("收费金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("计费单位"), max_length=8, choices=FeeUnit.choices, blank=True)
    period = models.CharField(_("计费周期"), max_length=8, choices=FeePeriod.choices, blank=True)
    approval = models.CharField(_("批准或备案文号"), max_length=100, blank=True)
    created_by = acting_user_field(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"))
    review = models.CharField(_("核查结论"), max_length=16, choices=FeeReview.choices, blank=True)
    review_reason = models.CharField(_("核查说明"), max_length=200, blank=True)
    reviewed_by = acting_user_field(_("核查人"), blank=True)
    reviewed_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    retired_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    retired_by = acting_user_field(_("撤销人"), blank=True)
    retire_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = FeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("涉企收费")
        verbose_name_plural = pgettext_lazy("plural", "涉企收费")
        ordering = ("park_id", "item", "id")

    def __str__(self) -> str:
        return self.item

    @property
    def without_basis(self) -> bool:
        return not self.basis.strip()

    @property
    def awaiting_review(self) -> bool:
        """Flagged for the city's review: no basis, no decision yet, still charged."""
        return self.without_basis and not self.review and self.retired_at is None

    @property
    def yearly_yuan(self) -> Decimal | None:
        """The amount over a year for a periodic fee (a fee charged per time has none)."""
        times = TIMES_A_YEAR.get(FeePeriod(self.period)) if self.period else None
        return None if self.amount_yuan is None or times is None else self.amount_yuan * times

    @property
    def amount_label(self) -> str:
        """“2.00 元/平方米·月”, or the standard's wording for a fee registered before amounts were numbers."""
        if self.amount_yuan is None:
            return self.amount
        return f"{self.amount_yuan} {_('元')}/{self.get_unit_display()}·{self.get_period_display()}"


class FeeReportQuerySet(ScopedQuerySet["FeeReport"]):
    def scope_q(self, user: User) -> Q | None:
        return _firm_scope(user, "enterprise__")


class FeeReport(models.Model):
    """A firm's report of an irregular fee: the 啄木鸟 case it became, linked to the register's line."""

    fee = models.ForeignKey(ParkFee, on_delete=models.PROTECT, related_name="reports", verbose_name=_("涉企收费"))
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="+", verbose_name=_("企业")
    )
    case = models.OneToOneField(
        "casework.Case", on_delete=models.PROTECT, related_name="fee_report", verbose_name=_("诉求")
    )

    objects = FeeReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("收费举报")
        verbose_name_plural = pgettext_lazy("plural", "收费举报")

    def __str__(self) -> str:
        return f"{self.fee_id} {self.case_id}"


# ── stored assignment rules ──────────────────────────────────────────────────────────────────


class RuleQuerySet(ScopedQuerySet["AssignmentRule"]):
    def scope_q(self, user: User) -> Q | None:
        # A district's and a park's rules are those its users wrote or that name them.
        return Q(created_by_id=user.pk) | Q(specialist_id=user.pk)


class AssignmentRule(models.Model):
    """A stored bulk assignment: the firms of the writer's scope in a park, a chain and a visit tier
    (each optional) go to a specialist. Applying the rules gives each firm without a specialist the
    specialist of the first rule that takes it (new firms after an import, for instance)."""

    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("服务专员")
    )
    park_code = models.CharField(_("园区"), max_length=64, blank=True)
    chain_code = models.CharField(_("产业链"), max_length=64, blank=True)
    tier_code = models.CharField(_("走访分档"), max_length=64, blank=True)
    created_by = acting_user_field(_("录入人"))
    created_at = models.DateTimeField(_("录入时间"))

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("指派规则")
        verbose_name_plural = pgettext_lazy("plural", "指派规则")
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.park_code}/{self.chain_code}/{self.tier_code} → {self.specialist_id}"


# ── project 陪跑 ────────────────────────────────────────────────────────────────────────────


class CompanionStage(models.TextChoices):
    """The 陪跑 stages of a project, in order (issue 14: 洽谈 → 落地 → 建设 → 成长 → 壮大)."""

    TALKS = "talks", _("洽谈")
    LANDING = "landing", _("落地")
    BUILDING = "building", _("建设")
    GROWING = "growing", _("成长")
    SCALING = "scaling", _("壮大")


COMPANION_ORDER = tuple(CompanionStage.values)

# The 陪跑 stage matching each stage of the 招商 pipeline (investment.Stage values); 终止 has none.
PIPELINE_TO_COMPANION = {
    "lead": CompanionStage.TALKS,
    "contact": CompanionStage.TALKS,
    "negotiating": CompanionStage.TALKS,
    "signed": CompanionStage.LANDING,
    "land": CompanionStage.LANDING,
    "started": CompanionStage.BUILDING,
    "producing": CompanionStage.GROWING,
    "full": CompanionStage.SCALING,
}


class CompanionQuerySet(ScopedQuerySet["CompanionProject"]):
    def scope_q(self, user: User) -> Q | None:
        mine = Q(specialist_id=user.pk)
        if user.role == Role.DISTRICT and user.district_id is not None:
            return Q(park__district_id=user.district_id) | mine
        if user.role == Role.PARK_OPERATOR and user.park_id is not None:
            return Q(park_id=user.park_id) | mine
        return mine


class CompanionProject(models.Model):
    """A project a specialist accompanies (陪跑) from the talks to its growth, with the 招商 pipeline's
    project when there is one."""

    name = models.CharField(_("项目名称"), max_length=120)
    park = models.ForeignKey("registry.Park", on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))
    investment_project = optional_link(
        "investment.Project", _("招商项目"), on_delete=models.SET_NULL, related_name="companion", one_to_one=True
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("服务专员")
    )
    stage = models.CharField(_("陪跑阶段"), max_length=12, choices=CompanionStage.choices, default=CompanionStage.TALKS)
    created_at = models.DateTimeField(_("录入时间"))

    objects = CompanionQuerySet.as_manager()

    class Meta:
        verbose_name = _("陪跑项目")
        verbose_name_plural = pgettext_lazy("plural", "陪跑项目")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.name


class CompanionNote(models.Model):
    """A specialist's note on a 陪跑 project at a stage (the stage it moved to, or the same)."""

    project = models.ForeignKey(
        CompanionProject, on_delete=models.CASCADE, related_name="notes", verbose_name=_("陪跑项目")
    )
    stage = models.CharField(_("陪跑阶段"), max_length=12, choices=CompanionStage.choices)
    text = models.CharField(_("陪跑记录"), max_length=1000)
    written_by = acting_user_field(_("记录人"))
    written_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("陪跑记录")
        verbose_name_plural = pgettext_lazy("plural", "陪跑记录")
        ordering = ("written_at", "id")

    def __str__(self) -> str:
        return self.text[:40]


# ── service requests against the park's promise ─────────────────────────────────────────────


class ServiceRequestQuerySet(ScopedQuerySet["ServiceRequest"]):
    def scope_q(self, user: User) -> Q | None:
        return _firm_scope(user, "enterprise__")


class ServiceRequest(models.Model):
    """A firm's request for a service on its park's list, checked against the line's promise: the
    due day is the promised number of working days after the day it was made (fixed then, so a later
    change of the list does not move it). Open past that day: overdue."""

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        DONE = "done", _("已办结")

    park = models.ForeignKey("registry.Park", on_delete=models.CASCADE, related_name="+", verbose_name=_("园区"))
    line = models.ForeignKey(ParkService, on_delete=models.PROTECT, related_name="requests", verbose_name=_("服务"))
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="+", verbose_name=_("企业")
    )
    description = models.CharField(_("申请事项"), max_length=500)
    time_limit_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"))
    submitted_by = acting_user_field(_("申请人"))
    submitted_at = models.DateTimeField(_("申请时间"))
    due_on = models.DateField(_("承诺办结日期"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    done_by = acting_user_field(_("办结人"), blank=True)
    outcome = models.CharField(_("办理结果"), max_length=500, blank=True)
    on_time = models.BooleanField(_("按承诺时限办结"), null=True, blank=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务申请")
        verbose_name_plural = pgettext_lazy("plural", "服务申请")
        ordering = ("due_on", "id")
        indexes = [models.Index(fields=("status", "due_on"), name="service_request_due")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.line_id} {self.due_on}"

    def overdue_on(self, today: dt.date) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today


# ── 免申即享 matching after an import ────────────────────────────────────────────────────────


class MatchRunQuerySet(ScopedQuerySet["MatchRun"]):
    """A run lists firms city-wide: the city reads it (the default scope: nobody else)."""


class MatchRun(models.Model):
    """The 免申即享 policies in force, matched against every firm after an import batch (or by hand):
    per policy the firms that qualify, and those that qualify now but did not at the previous run
    (`new`) or no longer do (`gone`). `results` is a list of
    `{"policy", "name", "qualifying": [uscc], "new": [uscc], "gone": [uscc]}`."""

    batch = optional_link("stats.ImportBatch", _("导入批次"), on_delete=models.SET_NULL)
    on = models.DateField(_("判断日期"))
    ran_at = models.DateTimeField(_("比对时间"))
    results = models.JSONField(_("比对结果"), default=list)

    objects = MatchRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("免申即享比对")
        verbose_name_plural = pgettext_lazy("plural", "免申即享比对")
        ordering = ("-ran_at", "-id")

    def __str__(self) -> str:
        return f"{self.on} {self.batch_id}"
