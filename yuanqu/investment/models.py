"""精准招商: the project pipeline (项目库) from 线索 to 达产, the 首谈/首报 claims the city arbitrates,
and the 载体 inventory (vacant land and building floors) with reservations for projects.

A `Project` moves between stages only through `investment.services` (`project_advance`,
`project_terminate`); every move is a dated `StageChange` with its evidence files. A project claimed
by two districts (same credit code or normalised investor name) gets a `ClaimConflict`: both districts
see that it exists, neither sees the other's project, and the city records a decision.

Scoping: every read goes through `objects.visible_to(user)`: the city roles see everything, a
district user its district's rows, a park operator its park's, everyone else nothing. Stage changes,
evidence and reservations are reached only through a visible project or site."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yuanqu.core.access import ScopedQuerySet
from yuanqu.core.modelkit import PrivateStorage, dated_file_name
from yuanqu.core.roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from yuanqu.core.models import User

ZERO = Decimal("0")


def place_q(user: User, *, district: str = "district_id", park: str = "park_id") -> Q | None:
    """The rows of the user's district or park (the one scope rule of this app's models)."""
    if user.role == Role.DISTRICT and user.district_id is not None:
        return Q(**{district: user.district_id})
    if user.role == Role.PARK_OPERATOR and user.park_id is not None:
        return Q(**{park: user.park_id})
    return None


class Stage(models.TextChoices):
    LEAD = "lead", _("线索")
    CONTACT = "contact", _("接洽")
    NEGOTIATING = "negotiating", _("在谈")
    SIGNED = "signed", _("签约")
    LAND = "land", _("供地/注册")
    STARTED = "started", _("开工")
    PRODUCING = "producing", _("投产")
    FULL = "full", _("达产")
    TERMINATED = "terminated", _("终止")


# The pipeline in order (终止 is outside it).
PIPELINE = tuple(stage for stage in Stage if stage != Stage.TERMINATED)


class ProjectQuerySet(ScopedQuerySet["Project"]):
    def scope_q(self, user: User) -> Q | None:
        return place_q(user)

    def active(self) -> ProjectQuerySet:
        return self.exclude(stage__in=(Stage.TERMINATED, Stage.FULL))


class ProjectSequence(models.Model):
    """The last project number handed out in a year (ZS-2026-00012)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("项目编号序列")
        verbose_name_plural = pgettext_lazy("plural", "项目编号序列")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def _amount(label: StrOrPromise) -> models.DecimalField[Decimal | None, Decimal | None]:
    return models.DecimalField(
        label, max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )


class Project(models.Model):
    number = models.CharField(_("项目编号"), max_length=20, unique=True)
    name = models.CharField(_("项目名称"), max_length=120)
    investor_name = models.CharField(_("投资方"), max_length=120)
    investor_uscc = models.CharField(_("投资方统一社会信用代码"), max_length=18, blank=True, db_index=True)
    # The investor's name without legal form, brackets, spaces and region prefix, for 首谈 matching.
    investor_key = models.CharField(_("投资方名称（归一）"), max_length=120, db_index=True)
    chain_node = models.ForeignKey(
        "registry.ChainNode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("产业链环节"),
    )
    # The target-library entry the project was opened from (招商路径图 → 立项), if any.
    candidate = models.ForeignKey(
        "investment.Candidate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
        verbose_name=_("目标企业"),
    )
    planned_investment = _amount(_("计划总投资（亿元）"))
    fixed_asset_investment = _amount(_("固定资产投资（亿元）"))
    expected_output = _amount(_("达产后年产值（亿元）"))
    expected_tax = _amount(_("达产后年税收（亿元）"))
    land_need_mu = _amount(_("用地需求（亩）"))
    floor_need_m2 = models.PositiveIntegerField(_("厂房需求（平方米）"), null=True, blank=True)
    jobs = models.PositiveIntegerField(_("带动就业（人）"), null=True, blank=True)
    source = models.CharField(_("招商方式"), max_length=30)
    district = models.ForeignKey(
        "registry.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区")
    )
    park = models.ForeignKey(
        "registry.Park", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("园区")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("项目负责人"),
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.LEAD, db_index=True)
    stage_since = models.DateField(_("进入本阶段日期"), db_index=True)
    # The dates the project entered each stage that the figures count (kept on the row, so that the
    # rates are plain aggregates over one signing cohort).
    registered_on = models.DateField(_("登记日期"))
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True)
    full_on = models.DateField(_("达产日期"), null=True, blank=True)
    terminated_reason = models.CharField(_("终止原因"), max_length=300, blank=True)
    # The registered enterprise the project became (linked at 投产), so its statistics flow in.
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("落地企业"),
    )
    # Stagnation notices already sent for the current stage: the owner's, then the district's.
    stagnation_notified_on = models.DateField(_("停滞提醒日期"), null=True, blank=True)
    stagnation_escalated_on = models.DateField(_("停滞上报日期"), null=True, blank=True)
    synthetic = models.BooleanField(_("示例数据"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("招商项目")
        verbose_name_plural = pgettext_lazy("plural", "招商项目")
        ordering = ("-registered_on", "-id")
        indexes = [models.Index(fields=("stage", "stage_since"))]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class StageChangeQuerySet(ScopedQuerySet["StageChange"]):
    def scope_q(self, user: User) -> Q | None:
        return place_q(user, district="project__district_id", park="project__park_id")


class StageChange(models.Model):
    """One dated move of a project (also 终止), with its note; evidence files hang on it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="changes", verbose_name=_("招商项目"))
    from_stage = models.CharField(_("原阶段"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=20, choices=Stage.choices)
    on = models.DateField(_("变更日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("阶段变更")
        verbose_name_plural = pgettext_lazy("plural", "阶段变更")
        ordering = ("project", "on", "id")

    def __str__(self) -> str:
        return f"{self.project.number}: {self.from_stage}→{self.to_stage} {self.on}"


class EvidenceStorage(PrivateStorage):
    """Evidence files under MEDIA_ROOT/investment/."""

    folder = "investment"
    holds = "investment evidence"


evidence_storage = EvidenceStorage()


def _evidence_path(instance: Evidence, filename: str) -> str:
    return dated_file_name(filename)


class EvidenceQuerySet(ScopedQuerySet["Evidence"]):
    def scope_q(self, user: User) -> Q | None:
        return place_q(user, district="change__project__district_id", park="change__project__park_id")


class Evidence(models.Model):
    """A file proving a stage change (agreement, land contract, permit)."""

    change = models.ForeignKey(StageChange, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=evidence_storage, upload_to=_evidence_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = pgettext_lazy("plural", "佐证材料")

    def __str__(self) -> str:
        return self.original_name


class ConflictQuerySet(ScopedQuerySet["ClaimConflict"]):
    def scope_q(self, user: User) -> Q | None:
        first = place_q(user, district="first__district_id", park="first__park_id")
        second = place_q(user, district="second__district_id", park="second__park_id")
        if first is None or second is None:
            return None
        return first | second


class ClaimConflict(models.Model):
    """首谈/首报: two districts registered the same investor. `first` is the earlier registration."""

    class Status(models.TextChoices):
        OPEN = "open", _("待裁决")
        DECIDED = "decided", _("已裁决")

    class Outcome(models.TextChoices):
        FIRST = "first", _("归先登记方")
        SECOND = "second", _("归后登记方")
        DISTINCT = "distinct", _("不是同一项目，各自推进")

    class MatchedBy(models.TextChoices):
        USCC = "uscc", _("统一社会信用代码相同")
        NAME = "name", _("投资方名称相同")

    first = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("先登记项目"))
    second = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("后登记项目"))
    matched_by = models.CharField(_("识别依据"), max_length=10, choices=MatchedBy.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    outcome = models.CharField(_("裁决结果"), max_length=10, choices=Outcome.choices, blank=True)
    decision_note = models.CharField(_("裁决意见"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("裁决时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("发现时间"), default=timezone.now)

    objects = ConflictQuerySet.as_manager()

    class Meta:
        verbose_name = _("首谈首报冲突")
        verbose_name_plural = pgettext_lazy("plural", "首谈首报冲突")
        ordering = ("-created_at", "-id")
        constraints = [models.UniqueConstraint(fields=("first", "second"), name="investment_conflict_pair")]

    def __str__(self) -> str:
        return f"{self.first.number} / {self.second.number}"


class SiteQuerySet(ScopedQuerySet["Site"]):
    def scope_q(self, user: User) -> Q | None:
        return place_q(user)


class Site(models.Model):
    """A 载体: a vacant land parcel or a building floor (标准厂房, 工业上楼) offered to projects."""

    class Kind(models.TextChoices):
        LAND = "land", _("土地")
        FLOOR = "floor", _("厂房楼层")

    code = models.CharField(_("载体编号"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    district = models.ForeignKey(
        "registry.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区")
    )
    park = models.ForeignKey(
        "registry.Park", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("园区")
    )
    planned_use = models.CharField(_("规划用途"), max_length=40, blank=True)
    area_mu = _amount(_("土地面积（亩）"))
    plot_ratio = models.DecimalField(_("容积率"), max_digits=4, decimal_places=2, null=True, blank=True)
    floor_area_m2 = models.PositiveIntegerField(_("建筑面积（平方米）"), null=True, blank=True)
    floor_load_kn = models.DecimalField(_("楼面荷载（kN/㎡）"), max_digits=5, decimal_places=1, null=True, blank=True)
    clear_height_m = models.DecimalField(_("层高/净高（米）"), max_digits=4, decimal_places=1, null=True, blank=True)
    power_kva = models.PositiveIntegerField(_("供电容量（kVA）"), null=True, blank=True)
    price = models.CharField(_("租售价格"), max_length=60, blank=True)
    available_on = models.DateField(_("可用日期"))
    owner_name = models.CharField(_("权属单位"), max_length=100, blank=True)
    # The day the park last confirmed the row; older than the pack's limit is flagged as stale.
    confirmed_on = models.DateField(_("信息确认日期"))
    # Where the 载体 is (WGS84), inside the pack's region; the 智慧选址 map draws it there (a 载体
    # without them at its park's centre).
    lon = models.FloatField(_("经度（WGS84）"), null=True, blank=True)
    lat = models.FloatField(_("纬度（WGS84）"), null=True, blank=True)
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("载体")
        verbose_name_plural = pgettext_lazy("plural", "载体")
        ordering = ("district", "code")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def is_stale(self, today: dt.date, stale_days: int) -> bool:
        return (today - self.confirmed_on).days > stale_days

    def clean(self) -> None:
        super().clean()
        if (self.lon is None) != (self.lat is None):
            raise ValidationError({"lon": _("经度和纬度须同时填写")})
        if self.lon is not None and self.lat is not None:
            from yuanqu.registry import geo
            from yuanqu.registry.region import basemap_path, region_name

            if not geo.inside_region(self.lon, self.lat, basemap_path()):
                place = {"lon": self.lon, "lat": self.lat, "region": region_name()}
                raise ValidationError({"lon": _("坐标（%(lon)s, %(lat)s）不在%(region)s范围内") % place})


class ReservationQuerySet(ScopedQuerySet["SiteReservation"]):
    def scope_q(self, user: User) -> Q | None:
        return place_q(user, district="site__district_id", park="site__park_id")

    def holding(self, today: dt.date) -> ReservationQuerySet:
        """Reservations that still hold the site: not released and not expired."""
        return self.filter(released_at__isnull=True, expires_on__gte=today)


class SiteReservation(models.Model):
    """A site held for one project until `expires_on` (one holding reservation per site)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="reservations", verbose_name=_("载体"))
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="reservations", verbose_name=_("招商项目")
    )
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reserved_on = models.DateField(_("预留日期"))
    expires_on = models.DateField(_("预留到期日"), db_index=True)
    released_at = models.DateTimeField(_("释放时间"), null=True, blank=True)

    objects = ReservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("载体预留")
        verbose_name_plural = pgettext_lazy("plural", "载体预留")
        ordering = ("-reserved_on", "-id")
        constraints = [
            # At most one unreleased reservation per site; an expired one is released before another.
            models.UniqueConstraint(
                fields=("site",), condition=Q(released_at__isnull=True), name="investment_one_reservation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.site.code} → {self.project.number}"


class CandidateQuerySet(ScopedQuerySet["Candidate"]):
    def scope_q(self, user: User) -> Q | None:
        # The library is shared by everyone who does 招商: firms outside the parks, no local secret.
        return Q() if user.role in (Role.DISTRICT, Role.PARK_OPERATOR) else None


class Candidate(models.Model):
    """A firm outside the parks worth approaching (招商目标企业库)."""

    class SizeBand(models.TextChoices):
        LARGE = "large", _("大型")
        MEDIUM = "medium", _("中型")
        SMALL = "small", _("小微")

    class Listing(models.TextChoices):
        NONE = "", _("未上市")
        A_SHARE = "a", _("A股")
        HONG_KONG = "hk", _("港股")
        US = "us", _("美股")

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    name = models.CharField(_("企业名称"), max_length=120)
    name_key = models.CharField(_("名称（归一）"), max_length=120, db_index=True)
    industry = models.ForeignKey(
        "registry.IndustryClass",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("行业小类"),
    )
    nodes = models.ManyToManyField("registry.ChainNode", blank=True, related_name="+", verbose_name=_("产业链环节"))
    hq_region = models.CharField(_("总部所在地"), max_length=40, blank=True)
    size_band = models.CharField(_("规模"), max_length=10, choices=SizeBand.choices, default=SizeBand.MEDIUM)
    listing = models.CharField(_("上市情况"), max_length=4, choices=Listing.choices, blank=True, default="")
    # 三类500强 as dated labels: [{"list": "世界500强", "year": 2025}, …]
    top500 = models.JSONField(_("三类500强"), default=list, blank=True)
    # Credit codes of local firms it already buys from or sells to (existing ties with local 链主).
    ties = models.JSONField(_("与本地企业的业务往来"), default=list, blank=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    source_date = models.DateField(_("来源日期"), null=True, blank=True)
    synthetic = models.BooleanField(_("示例数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("目标企业")
        verbose_name_plural = pgettext_lazy("plural", "目标企业")
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class PlanItemQuerySet(ScopedQuerySet["PlanItem"]):
    def scope_q(self, user: User) -> Q | None:
        return place_q(user, district="park__district_id")


class PlanItem(models.Model):
    """One step of a park's 招商方案 (路径图): an event, a visit or a promotion, with its date, the staff
    member who carries it, the target firm it is aimed at (if any) and, once held, its outcome."""

    class Kind(models.TextChoices):
        EVENT = "event", _("活动")
        VISIT = "visit", _("拜访")
        PROMOTION = "promotion", _("推介")

    park = models.ForeignKey("registry.Park", on_delete=models.CASCADE, related_name="+", verbose_name=_("园区"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("事项"), max_length=120)
    planned_on = models.DateField(_("计划日期"), db_index=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("负责人"),
    )
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("目标企业")
    )
    held_on = models.DateField(_("完成日期"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("招商方案事项")
        verbose_name_plural = pgettext_lazy("plural", "招商方案事项")
        ordering = ("planned_on", "id")

    def __str__(self) -> str:
        return f"{self.planned_on} {self.get_kind_display()} {self.title}"


class SupplyLinkQuerySet(ScopedQuerySet["SupplyLink"]):
    def scope_q(self, user: User) -> Q | None:
        return place_q(user, district="leader__district_id", park="leader__park_id")


class SupplyLink(models.Model):
    """A chain node a local 链主 buys from (its suppliers' node), drawn on the chain map."""

    leader = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="+", verbose_name=_("链主企业")
    )
    node = models.ForeignKey(
        "registry.ChainNode", on_delete=models.CASCADE, related_name="+", verbose_name=_("采购环节")
    )
    source = models.CharField(_("来源"), max_length=100, blank=True)
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = SupplyLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("链主采购环节")
        verbose_name_plural = pgettext_lazy("plural", "链主采购环节")
        constraints = [models.UniqueConstraint(fields=("leader", "node"), name="investment_supply_link_unique")]

    def __str__(self) -> str:
        return f"{self.leader_id} ← {self.node_id}"
