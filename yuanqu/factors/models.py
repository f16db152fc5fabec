"""要素保障 records: each land supply transaction (供地) checked against the 基准地价 in force and the
plan's 70% rule; the award and subsidy ledger with each park's 产业名园 award account; the meetings
of the 联席会议 and their decisions (each a supervised task).

Scoping: every read goes through `objects.visible_to(user)`: the city sees everything, a district
its own land, a park operator the land in its park; the 市财政局 the whole ledger and the funds and
their investments; other roles nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yuanqu.core.access import ScopedQuerySet
from yuanqu.core.modelkit import PrivateStorage, dated_file_name
from yuanqu.core.models import StoredAttachment, acting_user_field, optional_link
from yuanqu.core.permissions import is_finance_reader
from yuanqu.core.roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from yuanqu.core.models import User


class Recorded(models.Model):
    """The stamp of a register's row (供地, 奖补, 联席会议, 用地计划, 基金 and their investments): who
    recorded it and when, and whether it is the demo's. Abstract: each table keeps its own columns."""

    recorded_by = acting_user_field(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"))
    synthetic = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        abstract = True


def place_q(user: User) -> Q | None:
    """The rows of the user's district or park; nothing for the roles that have no part here."""
    if user.role == Role.DISTRICT and user.district_id is not None:
        return Q(district_id=user.district_id)
    if user.role == Role.PARK_OPERATOR and user.park_id is not None:
        return Q(park_id=user.park_id)
    return None


class SupplyMethod(models.TextChoices):
    TRANSFER = "transfer", _("出让")
    FLEXIBLE_TERM = "flexible_term", _("弹性年期出让")
    LONG_LEASE = "long_lease", _("长期租赁")
    LEASE_AND_TRANSFER = "lease_and_transfer", _("租让结合")
    LEASE_THEN_TRANSFER = "lease_then_transfer", _("先租后让")


class LandSupplyQuerySet(ScopedQuerySet["LandSupply"]):
    def scope_q(self, user: User) -> Q | None:
        return place_q(user)


def _price(label: StrOrPromise) -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(label, max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])


class LandSupply(Recorded):
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
    park = optional_link("registry.Park", _("园区"))
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
    project = optional_link("investment.Project", _("招商项目"), related_name="land_supplies")
    enterprise = optional_link("registry.Enterprise", _("用地企业"), related_name="land_supplies")
    with_plan = models.BooleanField(_("带方案出让"), default=False)
    fee_waiver_wan_yuan = models.DecimalField(
        _("免收城市基础设施配套费（万元）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )

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


class LedgerKind(models.TextChoices):
    FAMOUS_PARK_AWARD = "famous_park_award", _("产业名园奖励")
    PLANNING_GRANT = "planning_grant", _("规划编制资助")
    STANDARD_GRANT = "standard_grant", _("标准制订资助")
    ENTERPRISE_POLICY = "enterprise_policy", _("惠企政策兑现")
    TALENT_POLICY = "talent_policy", _("人才政策兑现")


class LedgerStatus(models.TextChoices):
    APPROVED = "approved", _("已核定")
    PAID = "paid", _("已拨付")
    CLAWED_BACK = "clawed_back", _("已追回")


class LedgerQuerySet(ScopedQuerySet["LedgerEntry"]):
    def scope_q(self, user: User) -> Q | None:
        """The 市财政局 reads the whole ledger; a district and a park operator their own place's."""
        return Q() if is_finance_reader(user) else place_q(user)

    def standing(self) -> LedgerQuerySet:
        """The entries that count towards totals (not clawed back)."""
        return self.exclude(status=LedgerStatus.CLAWED_BACK)


class LedgerEntry(Recorded):
    """One amount the city or a district pays under the plan (保障措施四): who pays, who receives (a
    park's operator or an enterprise, with the credit code), on what basis (the policy and the
    decision number), how much, and where it stands (核定, 拨付, 追回). A 产业名园 award names the
    confirmed selection it came from; one park is awarded once per selection."""

    kind = models.CharField(_("类别"), max_length=20, choices=LedgerKind.choices, db_index=True)
    payer = models.CharField(_("支付方"), max_length=100)
    # The district that pays; empty for the city (市级).
    payer_district = optional_link("registry.District", _("支付区"))
    # The payee's district and park, for scoping and the totals.
    district = models.ForeignKey(
        "registry.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区")
    )
    park = optional_link("registry.Park", _("园区"))
    enterprise = optional_link("registry.Enterprise", _("企业"))
    payee_name = models.CharField(_("收款方"), max_length=200)
    payee_uscc = models.CharField(_("收款方统一社会信用代码"), max_length=18, blank=True)
    basis = models.CharField(_("依据（政策）"), max_length=200)
    decision_number = models.CharField(_("决定文号"), max_length=100)
    amount_wan_yuan = models.DecimalField(_("金额（万元）"), max_digits=12, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    approved_on = models.DateField(_("核定日期"))
    status = models.CharField(_("状态"), max_length=12, choices=LedgerStatus.choices, default=LedgerStatus.APPROVED)
    paid_on = models.DateField(_("拨付日期"), null=True, blank=True)
    clawed_back_on = models.DateField(_("追回日期"), null=True, blank=True)
    clawback_reason = models.CharField(_("追回原因"), max_length=300, blank=True)
    # The confirmed 产业名园 selection an award came from.
    run = optional_link("evaluation.EvaluationRun", _("产业名园遴选"))
    # The payment an entry came from by the hook (core.payments), "app.Model:pk"; kept once.
    source = models.CharField(_("来源"), max_length=60, blank=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("奖补台账")
        verbose_name_plural = pgettext_lazy("plural", "奖补台账")
        ordering = ("-approved_on", "-id")
        indexes = [models.Index(fields=("district", "year"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount_wan_yuan__gt=0), name="factors_ledger_positive"),
            models.CheckConstraint(
                condition=~Q(kind="famous_park_award") | (Q(park__isnull=False) & Q(run__isnull=False)),
                name="factors_award_names_park_and_selection",
            ),
            models.UniqueConstraint(
                fields=("run", "park"), condition=Q(kind="famous_park_award"), name="factors_one_award_per_selection"
            ),
            models.UniqueConstraint(fields=("source",), condition=~Q(source=""), name="factors_ledger_source_once"),
            models.CheckConstraint(condition=~Q(status="paid") | Q(paid_on__isnull=False), name="factors_paid_has_day"),
            models.CheckConstraint(
                condition=~Q(status="clawed_back") | Q(clawed_back_on__isnull=False), name="factors_clawback_has_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.payee_name} {self.amount_wan_yuan}"


class AwardAccount(models.Model):
    """What a park's operator has been granted in 产业名园 awards against the cap of its park type
    (5000/2000/800万元 in the pack). Every award and claw-back moves `granted_wan_yuan` in the same
    transaction as its ledger entry, and the database refuses a total above the cap, so a second
    payment beyond the cap fails even when two are recorded at once."""

    park = models.OneToOneField(
        "registry.Park", primary_key=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("园区")
    )
    cap_wan_yuan = models.DecimalField(_("奖励上限（万元）"), max_digits=12, decimal_places=2)
    granted_wan_yuan = models.DecimalField(_("已核定奖励（万元）"), max_digits=12, decimal_places=2, default=Decimal(0))

    class Meta:
        verbose_name = _("产业名园奖励额度")
        verbose_name_plural = pgettext_lazy("plural", "产业名园奖励额度")
        constraints = [
            models.CheckConstraint(
                condition=Q(granted_wan_yuan__lte=models.F("cap_wan_yuan")) & Q(granted_wan_yuan__gte=0),
                name="factors_award_within_cap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park_id} {self.granted_wan_yuan}/{self.cap_wan_yuan}"


def conference_q(user: User) -> Q | None:
    """The conference is the city's: a district and a park operator read all of its meetings and
    decisions (the districts are its 责任单位); other scoped roles none."""
    return Q() if user.role in (Role.DISTRICT, Role.PARK_OPERATOR) else None


class MeetingQuerySet(ScopedQuerySet["Meeting"]):
    def scope_q(self, user: User) -> Q | None:
        return conference_q(user)


class Meeting(Recorded):
    """A meeting of the 市工业园区发展工作联席会议 (保障措施一): when, who convened it, which member
    units attended (units of the pack's 联席会议成员单位 and its office), the agenda. Each decision
    (议定事项) becomes a supervised task of the 督办."""

    held_on = models.DateField(_("会议日期"), db_index=True)
    title = models.CharField(_("会议名称"), max_length=120)
    convener = models.CharField(_("召集人"), max_length=60)
    units: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "registry.ResponsibleUnit", related_name="+", verbose_name=_("参会单位")
    )
    agenda = models.TextField(_("议程"), max_length=3000)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = pgettext_lazy("plural", "联席会议")
        ordering = ("-held_on", "-id")

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class DecisionQuerySet(ScopedQuerySet["MeetingDecision"]):
    def scope_q(self, user: User) -> Q | None:
        return conference_q(user)


class MeetingDecision(models.Model):
    """A decision (议定事项) of a meeting, with its lead and co-units and its deadline; tracked as the
    supervised task it became (quarterly reports, 催办, completion)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("会议"))
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("议定事项"), max_length=100)
    due_on = models.DateField(_("完成时限"), db_index=True)
    task = models.OneToOneField(
        "targets.SupervisedTask", on_delete=models.PROTECT, related_name="decision", verbose_name=_("督办任务")
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = pgettext_lazy("plural", "议定事项")
        ordering = ("meeting", "number")
        constraints = [models.UniqueConstraint(fields=("meeting", "number"), name="factors_decision_number_unique")]

    def __str__(self) -> str:
        return f"{self.meeting_id}-{self.number} {self.text}"


class MinutesStorage(PrivateStorage):
    """Meeting minutes under MEDIA_ROOT/factors/."""

    folder = "factors"
    holds = "meeting minutes"


minutes_storage = MinutesStorage()


def _minutes_path(instance: Any, filename: str) -> str:
    return dated_file_name(filename, "minutes")


class MeetingMinutes(StoredAttachment):
    """The minutes (会议纪要) of a meeting, a file checked by `core.attachments`."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("会议"))
    file = models.FileField(_("文件"), upload_to=_minutes_path, storage=minutes_storage, max_length=200)

    class Meta:
        verbose_name = _("会议纪要")
        verbose_name_plural = pgettext_lazy("plural", "会议纪要")
        ordering = ("uploaded_at", "id")


class FundKind(models.TextChoices):
    GUIDANCE = "guidance", _("政府引导基金")
    PARK = "park", _("园区基金")
    ANGEL = "angel", _("天使基金")
    TRANSFER = "transfer", _("成果转化基金")
    TALENT = "talent", _("人才基金")


# The three clusters of task 18 (天使、成果转化、人才基金集群).
FUND_CLUSTERS = (FundKind.ANGEL, FundKind.TRANSFER, FundKind.TALENT)


def fund_q(user: User) -> Q | None:
    """The funds are the city's register: a district and a park operator read all of them (a fund
    invests across districts); what each reads of the investments is its own place's."""
    return Q() if user.role in (Role.DISTRICT, Role.PARK_OPERATOR) or is_finance_reader(user) else None


class FundQuerySet(ScopedQuerySet["Fund"]):
    def scope_q(self, user: User) -> Q | None:
        return fund_q(user)


def _wan_yuan(label: StrOrPromise, **options: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(label, max_digits=12, decimal_places=2, **options)


class Fund(Recorded):
    """A fund of the 产业基金 register (重点任务18): its kind (引导基金, 园区基金, or one of the three
    clusters 天使、成果转化、人才基金), its manager, its size (认缴) and the capital paid in, by source
    (市级财政, 区级财政, 社会资本), the chains it focuses on and its 让利 terms. A district's fund names
    the district; the city's has none."""

    code = models.CharField(_("基金编号"), max_length=20, unique=True)
    name = models.CharField(_("基金名称"), max_length=120)
    kind = models.CharField(_("基金类别"), max_length=12, choices=FundKind.choices, db_index=True)
    manager = models.CharField(_("基金管理人"), max_length=120)
    manager_uscc = models.CharField(_("管理人统一社会信用代码"), max_length=18, blank=True)
    established_on = models.DateField(_("设立日期"))
    district = optional_link("registry.District", _("所属区"))
    size_wan_yuan = _wan_yuan(_("认缴规模（万元）"))
    # The size committed by source (认缴, all 0 when not broken down); their sum is the size.
    city_committed_wan_yuan = _wan_yuan(_("市级财政认缴（万元）"), default=Decimal(0))
    district_committed_wan_yuan = _wan_yuan(_("区级财政认缴（万元）"), default=Decimal(0))
    social_committed_wan_yuan = _wan_yuan(_("社会资本认缴（万元）"), default=Decimal(0))
    city_paid_wan_yuan = _wan_yuan(_("市级财政实缴（万元）"), default=Decimal(0))
    district_paid_wan_yuan = _wan_yuan(_("区级财政实缴（万元）"), default=Decimal(0))
    social_paid_wan_yuan = _wan_yuan(_("社会资本实缴（万元）"), default=Decimal(0))
    chains: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "registry.IndustryChain", blank=True, related_name="+", verbose_name=_("重点投向产业链")
    )
    concessions = models.CharField(_("让利条款"), max_length=300, blank=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = _("产业基金")
        verbose_name_plural = pgettext_lazy("plural", "产业基金")
        ordering = ("code",)
        constraints = [
            models.CheckConstraint(condition=Q(size_wan_yuan__gt=0), name="factors_fund_size_positive"),
            models.CheckConstraint(
                condition=Q(city_paid_wan_yuan__gte=0)
                & Q(district_paid_wan_yuan__gte=0)
                & Q(social_paid_wan_yuan__gte=0),
                name="factors_fund_paid_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    size_wan_yuan__gte=models.F("city_paid_wan_yuan")
                    + models.F("district_paid_wan_yuan")
                    + models.F("social_paid_wan_yuan")
                ),
                name="factors_fund_paid_within_size",
            ),
            models.CheckConstraint(
                condition=Q(city_committed_wan_yuan__gte=0)
                & Q(district_committed_wan_yuan__gte=0)
                & Q(social_committed_wan_yuan__gte=0),
                name="factors_fund_committed_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def committed_by_source(self) -> bool:
        """Whether the size is broken down by source."""
        return bool(self.city_committed_wan_yuan or self.district_committed_wan_yuan or self.social_committed_wan_yuan)

    @property
    def paid_in_wan_yuan(self) -> Decimal:
        total: Decimal = self.city_paid_wan_yuan + self.district_paid_wan_yuan + self.social_paid_wan_yuan
        return total


class InvestmentStage(models.TextChoices):
    SEED = "seed", _("种子期")
    START_UP = "start_up", _("初创期")
    GROWTH = "growth", _("成长期")
    MATURE = "mature", _("成熟期")


class Instrument(models.TextChoices):
    EQUITY = "equity", _("股权投资")
    CONVERTIBLE = "convertible", _("可转债")
    LOAN = "loan", _("股东借款")


class InvestmentQuerySet(ScopedQuerySet["FundInvestment"]):
    def scope_q(self, user: User) -> Q | None:
        """The 市财政局 reads every investment; a district and a park operator their own place's."""
        return Q() if is_finance_reader(user) else place_q(user)


class FundInvestment(Recorded):
    """One investment of a fund in a firm (date, amount, stage, instrument), linked to the registry's
    enterprise and to the 招商 project it served where there is one; the chain, district and park of
    the firm are kept on the row for the figures and the scope. An exit is recorded once, with its
    day and the amount recovered."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="investments", verbose_name=_("基金"))
    enterprise = optional_link("registry.Enterprise", _("被投企业"))
    project = optional_link("investment.Project", _("招商项目"), related_name="fund_investments")
    investee_name = models.CharField(_("被投企业名称"), max_length=120)
    investee_uscc = models.CharField(_("被投企业统一社会信用代码"), max_length=18, blank=True)
    district = models.ForeignKey(
        "registry.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区")
    )
    park = optional_link("registry.Park", _("园区"))
    chain = optional_link("registry.IndustryChain", _("产业链"))
    stage = models.CharField(_("投资阶段"), max_length=10, choices=InvestmentStage.choices)
    instrument = models.CharField(_("投资方式"), max_length=12, choices=Instrument.choices, default=Instrument.EQUITY)
    invested_on = models.DateField(_("投资日期"), db_index=True)
    amount_wan_yuan = _wan_yuan(_("投资金额（万元）"))
    exited_on = models.DateField(_("退出日期"), null=True, blank=True)
    exit_wan_yuan = _wan_yuan(_("退出回收（万元）"), null=True, blank=True)
    exit_note = models.CharField(_("退出方式"), max_length=100, blank=True)

    objects = InvestmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("基金投资")
        verbose_name_plural = pgettext_lazy("plural", "基金投资")
        ordering = ("-invested_on", "-id")
        indexes = [models.Index(fields=("district", "invested_on"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount_wan_yuan__gt=0), name="factors_investment_positive"),
            models.CheckConstraint(
                condition=(Q(exited_on__isnull=True) & Q(exit_wan_yuan__isnull=True))
                | (Q(exited_on__gte=models.F("invested_on")) & Q(exit_wan_yuan__gte=0)),
                name="factors_exit_dated_after_investment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.investee_name} {self.amount_wan_yuan}"


class QuotaQuerySet(ScopedQuerySet["LandQuota"]):
    def scope_q(self, user: User) -> Q | None:
        """A district reads its own plan; the other scoped roles none (a park has no quota of its own)."""
        if user.role == Role.DISTRICT and user.district_id is not None:
            return Q(district_id=user.district_id)
        return None


class LandQuota(Recorded):
    """A district's 用地计划 of one year (保障措施三): the new construction land for industry its annual
    plan allots (亩) and what the city adds from its own plan (市级统筹, 亩), each with the document
    that set it. Set by the city; the projects' land needs are measured against it."""

    district = models.ForeignKey(
        "registry.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区")
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    quota_mu = models.DecimalField(
        _("新增工业建设用地计划（亩）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    quota_basis = models.CharField(_("计划下达文号"), max_length=100)
    topup_mu = models.DecimalField(
        _("市级统筹保障（亩）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    topup_basis = models.CharField(_("市级统筹文号"), max_length=300, blank=True)

    objects = QuotaQuerySet.as_manager()

    class Meta:
        verbose_name = _("用地计划")
        verbose_name_plural = pgettext_lazy("plural", "用地计划")
        ordering = ("-year", "district")
        constraints = [
            models.UniqueConstraint(fields=("district", "year"), name="factors_one_quota_per_district_year"),
            models.CheckConstraint(
                condition=Q(quota_mu__gte=0) & Q(topup_mu__gte=0), name="factors_quota_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.year} {self.quota_mu}+{self.topup_mu}"

    @property
    def available_mu(self) -> Decimal:
        return self.quota_mu + self.topup_mu
