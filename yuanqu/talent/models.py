"""人才直通车 records: openings that firms post, the profiles people keep (with their consent), the
firms' interest in a person and the person's answer, and the codes that verify a self-registration.

Personal data (docs/talent.md): a profile's contact is stored encrypted (`crypto`), with a keyed
digest for look-ups; no personal field ever enters an audit entry (the services log field names,
never values); withdrawing consent deletes the profile, the consent and the account, and leaves the
firms' interest rows without any person in them.

Scoping (`visible_to`): the city sees everything (pages mask personal fields); a firm its own
openings and the interest in them, and the profiles of the people who accepted its interest; a
person their own profile, consent and interest rows, and every opening that is open; a district or a
park its firms' openings; a 责任单位办理人 of 市人才局 or 市人社局 everything, one of 市经信局 every
opening, event and challenge (core.permissions.talent_unit_reach); the rest nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yuanqu.core.access import ScopedQuerySet, own_scope
from yuanqu.core.models import acting_user_field, optional_link
from yuanqu.core.permissions import TALENT_DEMAND, TALENT_WHOLE, talent_unit_reach
from yuanqu.core.roles import Role
from yuanqu.talent import crypto
from yuanqu.talent.attributes import SkillGrade, TitleGrade

if TYPE_CHECKING:
    from yuanqu.core.models import User


def _unit_q(user: User, *, demand: bool) -> Q | None:
    """A 责任单位办理人: the handlers of 市人才局 and 市人社局 see everything, as the city does; those of
    市经信局 (with `demand`: openings, events, challenges) the demand; the others nothing
    (core.permissions.talent_unit_reach)."""
    reach = talent_unit_reach(user)
    return Q() if reach == TALENT_WHOLE or (demand and reach == TALENT_DEMAND) else None


class OpeningQuerySet(ScopedQuerySet["Opening"]):
    def scope_q(self, user: User) -> Q | None:
        if user.role == Role.HANDLER:
            return _unit_q(user, demand=True)
        if user.role == Role.TALENT:
            return Q(status=Opening.Status.OPEN)
        return own_scope(
            user, district="enterprise__district_id", park="enterprise__park_id", enterprise="enterprise_id"
        )


class Opening(models.Model):
    """A firm's opening: what it asks (skills, education, experience), what it offers (salary band,
    headcount, place) and for how long."""

    class Status(models.TextChoices):
        OPEN = "open", _("招聘中")
        CLOSED = "closed", _("已关闭")

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="openings", verbose_name=_("企业")
    )
    title = models.CharField(_("岗位名称"), max_length=60)
    chain = models.ForeignKey(
        "registry.IndustryChain", on_delete=models.PROTECT, related_name="+", verbose_name=_("产业链")
    )
    node = optional_link("registry.ChainNode", _("产业链环节"))
    industry = optional_link("registry.IndustryClass", _("行业"))
    skills_text = models.TextField(_("技能要求"), max_length=1000, blank=True)
    skill_tags = models.JSONField(_("技能标签"), default=list, blank=True)
    education = models.CharField(_("最低学历"), max_length=20, blank=True)
    experience_years = models.PositiveSmallIntegerField(_("最低工作年限"), default=0)
    salary_min = models.PositiveIntegerField(_("月薪下限（元）"))
    salary_max = models.PositiveIntegerField(_("月薪上限（元）"))
    headcount = models.PositiveSmallIntegerField(_("招聘人数"), default=1)
    park = optional_link("registry.Park", _("工作地点（园区）"))
    challenge = models.BooleanField(_("揭榜挂帅"), default=False)
    migratory = models.BooleanField(_("候鸟式聘任（兼职、远程）"), default=False)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期止"), db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = acting_user_field(_("发布人"))
    created_at = models.DateTimeField(_("发布时间"))
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = OpeningQuerySet.as_manager()

    class Meta:
        verbose_name = _("招聘岗位")
        verbose_name_plural = _("招聘岗位")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(condition=Q(salary_max__gte=models.F("salary_min")), name="talent_opening_salary"),
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="talent_opening_validity"),
        ]
        indexes = [models.Index(fields=("status", "valid_to"))]

    def __str__(self) -> str:
        return self.title


class ProfileQuerySet(ScopedQuerySet["Profile"]):
    def scope_q(self, user: User) -> Q | None:
        if user.role == Role.HANDLER:
            return _unit_q(user, demand=False)
        if user.role == Role.TALENT:
            return Q(user_id=user.pk)
        if user.role == Role.ENTERPRISE and user.enterprise_id is not None:
            return Q(
                interests__opening__enterprise_id=user.enterprise_id,
                interests__status=Interest.Status.ACCEPTED,
            )
        return None

    def visible_to_firms(self) -> ProfileQuerySet:
        """Profiles whose owner lets some firm find them (visibility not "nobody")."""
        return self.exclude(visibility=Profile.Visibility.NOBODY)


class Profile(models.Model):
    """A person's profile. `name` and the contact are personal data: the contact is kept encrypted
    (`contact_cipher`) with a keyed digest (`contact_digest`); neither enters an audit entry."""

    class Visibility(models.TextChoices):
        ALL = "all", _("所有企业")
        CHAINS = "chains", _("所选产业链的企业")
        NOBODY = "nobody", _("不向企业展示")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talent_profile", verbose_name=_("账号")
    )
    name = models.CharField(_("姓名"), max_length=40)
    contact_cipher = models.TextField(_("联系方式（加密）"), editable=False)
    contact_digest = models.CharField(_("联系方式摘要"), max_length=64, unique=True, editable=False)
    education = models.CharField(_("学历"), max_length=20, blank=True)
    experience_years = models.PositiveSmallIntegerField(_("工作年限"), default=0)
    skills_text = models.TextField(_("技能与经历"), max_length=2000, blank=True)
    skill_tags = models.JSONField(_("技能标签"), default=list, blank=True)
    title_grade = models.CharField(_("职称"), max_length=20, choices=TitleGrade.choices, blank=True)
    skill_grade = models.CharField(_("职业技能等级"), max_length=20, choices=SkillGrade.choices, blank=True)
    certificates = models.CharField(_("证书"), max_length=300, blank=True)
    desired_roles = models.CharField(_("期望岗位"), max_length=200, blank=True)
    salary_min = models.PositiveIntegerField(_("期望月薪下限（元）"), default=0)
    salary_max = models.PositiveIntegerField(_("期望月薪上限（元）"), default=0)
    parks = models.ManyToManyField("registry.Park", blank=True, related_name="+", verbose_name=_("意向园区"))
    visibility = models.CharField(_("可见范围"), max_length=10, choices=Visibility.choices, default=Visibility.NOBODY)
    visible_chains = models.ManyToManyField(
        "registry.IndustryChain", blank=True, related_name="+", verbose_name=_("可见的产业链")
    )
    created_at = models.DateTimeField(_("建档时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    synthetic = models.BooleanField(_("示例数据"), default=False)

    # Personal data never enters an audit entry, whoever builds the dictionary.
    AUDIT_EXCLUDE = frozenset({"name", "contact_cipher", "contact_digest", "skills_text", "certificates"})

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才档案")
        verbose_name_plural = _("人才档案")
        ordering = ("-updated_at", "-id")

    def __str__(self) -> str:
        # Audit entries take an object's text as its name: never the person's name.
        return f"人才档案 {self.pk}"

    @property
    def contact(self) -> str:
        return crypto.decrypt(self.contact_cipher)

    @property
    def contact_masked(self) -> str:
        return crypto.mask_contact(self.contact)

    @property
    def name_masked(self) -> str:
        return crypto.mask_name(self.name)


class ConsentQuerySet(ScopedQuerySet["Consent"]):
    def scope_q(self, user: User) -> Q | None:
        if user.role == Role.HANDLER:
            return _unit_q(user, demand=False)
        return Q(user_id=user.pk) if user.role == Role.TALENT else None


class Consent(models.Model):
    """What a person agreed to at registration: the notice's version and its text as shown (purpose,
    recipients, retention), and when. Deleted with the account when consent is withdrawn."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talent_consents", verbose_name=_("账号")
    )
    version = models.CharField(_("告知书版本"), max_length=20)
    purpose = models.TextField(_("处理目的"))
    recipients = models.TextField(_("接收方"))
    retention = models.TextField(_("保存期限"))
    given_at = models.DateTimeField(_("同意时间"))

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("个人信息处理同意")
        verbose_name_plural = _("个人信息处理同意")
        ordering = ("-given_at", "-id")

    def __str__(self) -> str:
        return f"同意 {self.version}"


class InterestQuerySet(ScopedQuerySet["Interest"]):
    def scope_q(self, user: User) -> Q | None:
        if user.role == Role.HANDLER:
            return _unit_q(user, demand=False)
        if user.role == Role.TALENT:
            return Q(profile__user_id=user.pk)
        if user.role == Role.ENTERPRISE and user.enterprise_id is not None:
            return Q(opening__enterprise_id=user.enterprise_id)
        return None


class Interest(models.Model):
    """A firm's interest in a person for one opening, the person's answer and what came of it. The
    firm sees the person's contact only once the answer is "accepted". When the person deletes the
    profile the row stays, without any person (`profile` null), so the outcome figures hold."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待答复")
        ACCEPTED = "accepted", _("已接受")
        DECLINED = "declined", _("已谢绝")

    class Outcome(models.TextChoices):
        NONE = "", _("未反馈")
        INTERVIEWED = "interviewed", _("已面试")
        HIRED = "hired", _("已录用")
        NOT_HIRED = "not_hired", _("未录用")

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="interests", verbose_name=_("岗位"))
    profile = optional_link(Profile, _("人才档案"), on_delete=models.SET_NULL, related_name="interests")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    score = models.PositiveSmallIntegerField(_("匹配分"), default=0)
    explanation = models.CharField(_("匹配说明"), max_length=300, blank=True)
    created_by = acting_user_field(_("发起人"))
    created_at = models.DateTimeField(_("发起时间"))
    decided_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(_("结果反馈时间"), null=True, blank=True)
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = InterestQuerySet.as_manager()

    class Meta:
        verbose_name = _("用人意向")
        verbose_name_plural = _("用人意向")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=("opening", "profile"), name="talent_one_interest_per_opening"),
        ]

    def __str__(self) -> str:
        return f"意向 {self.pk}"


class Verification(models.Model):
    """A registration waiting for its code: the contact encrypted and digested, the code's digest,
    when it lapses and how many wrong codes were tried. Deleted when the account is made or the code
    lapses."""

    contact_cipher = models.TextField(editable=False)
    contact_digest = models.CharField(max_length=64, db_index=True, editable=False)
    code_digest = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()

    AUDIT_EXCLUDE = frozenset({"contact_cipher", "contact_digest", "code_digest"})

    class Meta:
        verbose_name = _("注册验证")
        verbose_name_plural = _("注册验证")

    def __str__(self) -> str:
        return f"注册验证 {self.pk}"


class ChallengeQuerySet(ScopedQuerySet["Challenge"]):
    def scope_q(self, user: User) -> Q | None:
        if user.role == Role.HANDLER:
            return _unit_q(user, demand=True)
        if user.role == Role.TALENT:
            joined = ChallengeMember.objects.filter(profile__user_id=user.pk).values("team__challenge_id")
            return Q(status=Challenge.Status.OPEN) | Q(pk__in=joined)
        return own_scope(
            user, district="enterprise__district_id", park="enterprise__park_id", enterprise="enterprise_id"
        )


class Challenge(models.Model):
    """A 揭榜挂帅 challenge: a firm's technical problem with a reward, open to teams of people until its
    deadline; the firm selects one team and records the outcome."""

    class Status(models.TextChoices):
        OPEN = "open", _("揭榜中")
        SELECTED = "selected", _("已选定团队")
        DONE = "done", _("已结题")
        WITHDRAWN = "withdrawn", _("已撤榜")

    class Outcome(models.TextChoices):
        NONE = "", _("未结题")
        ACHIEVED = "achieved", _("已攻克")
        NOT_ACHIEVED = "not_achieved", _("未攻克")

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="talent_challenges", verbose_name=_("企业")
    )
    title = models.CharField(_("榜单名称"), max_length=60)
    description = models.TextField(_("技术难题"), max_length=2000)
    reward = models.PositiveIntegerField(_("榜额（万元）"))
    chain = optional_link("registry.IndustryChain", _("产业链"))
    deadline = models.DateField(_("揭榜截止日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("结果"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("结果说明"), max_length=300, blank=True)
    outcome_at = models.DateTimeField(_("结题时间"), null=True, blank=True)
    created_by = acting_user_field(_("发布人"))
    created_at = models.DateTimeField(_("发布时间"))
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        verbose_name = _("揭榜挂帅榜单")
        verbose_name_plural = _("揭榜挂帅榜单")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.title


class TeamQuerySet(ScopedQuerySet["ChallengeTeam"]):
    def scope_q(self, user: User) -> Q | None:
        if user.role == Role.HANDLER:
            return _unit_q(user, demand=False)
        if user.role == Role.TALENT:
            return Q(pk__in=ChallengeMember.objects.filter(profile__user_id=user.pk).values("team_id"))
        firm = own_scope(
            user,
            district="challenge__enterprise__district_id",
            park="challenge__enterprise__park_id",
            enterprise="challenge__enterprise_id",
        )
        # A team still forming is its members' business only.
        return None if firm is None else firm & ~Q(status=ChallengeTeam.Status.FORMING)


class ChallengeTeam(models.Model):
    """A team of profiles answering a challenge. Formed by its leader, who invites others; each member
    agrees to join (and so to the firm seeing their name and contact if the team is selected) before
    the team may apply."""

    class Status(models.TextChoices):
        FORMING = "forming", _("组队中")
        APPLIED = "applied", _("已揭榜")
        SELECTED = "selected", _("已入选")
        NOT_SELECTED = "not_selected", _("未入选")

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="teams", verbose_name=_("榜单"))
    name = models.CharField(_("团队名称"), max_length=40)
    proposal = models.TextField(_("攻关方案"), max_length=1000, blank=True)
    leader = optional_link(Profile, _("负责人"), on_delete=models.SET_NULL)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.FORMING)
    created_at = models.DateTimeField(_("组队时间"))
    applied_at = models.DateTimeField(_("揭榜时间"), null=True, blank=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("揭榜团队")
        verbose_name_plural = _("揭榜团队")
        ordering = ("challenge", "id")

    def __str__(self) -> str:
        return f"揭榜团队 {self.pk}"


class MemberQuerySet(ScopedQuerySet["ChallengeMember"]):
    def scope_q(self, user: User) -> Q | None:
        if user.role == Role.HANDLER:
            return _unit_q(user, demand=False)
        return Q(profile__user_id=user.pk) if user.role == Role.TALENT else None


class ChallengeMember(models.Model):
    """A profile in a team: invited, then accepted by the person. Goes with the profile."""

    class Status(models.TextChoices):
        INVITED = "invited", _("待本人同意")
        ACCEPTED = "accepted", _("已同意")

    team = models.ForeignKey(ChallengeTeam, on_delete=models.CASCADE, related_name="members", verbose_name=_("团队"))
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="challenge_memberships", verbose_name=_("人才档案")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_at = models.DateTimeField(_("邀请时间"))
    decided_at = models.DateTimeField(_("同意时间"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        ordering = ("team", "id")
        constraints = [models.UniqueConstraint(fields=("team", "profile"), name="talent_one_membership_per_team")]

    def __str__(self) -> str:
        return f"团队成员 {self.pk}"


class EventQuerySet(ScopedQuerySet["RecruitmentEvent"]):
    def scope_q(self, user: User) -> Q | None:
        if user.role == Role.HANDLER:
            return _unit_q(user, demand=True)
        if user.role in {Role.TALENT, Role.ENTERPRISE}:
            return Q()  # a recruitment event is a public notice
        return own_scope(user, district="park__district_id", park="park_id")


class RecruitmentEvent(models.Model):
    """A 专项招聘 event run by park staff: where and when, the firms taking part and the openings they
    bring, the people who registered, and the figures recorded after it."""

    park = models.ForeignKey("registry.Park", on_delete=models.PROTECT, related_name="+", verbose_name=_("主办园区"))
    title = models.CharField(_("活动名称"), max_length=60)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    venue = models.CharField(_("地点"), max_length=100, blank=True)
    description = models.TextField(_("活动说明"), max_length=1000, blank=True)
    firms = models.ManyToManyField("registry.Enterprise", blank=True, related_name="+", verbose_name=_("参会企业"))
    openings = models.ManyToManyField(Opening, blank=True, related_name="events", verbose_name=_("参会岗位"))
    visitors = models.PositiveIntegerField(_("到场人数"), null=True, blank=True)
    interviews = models.PositiveIntegerField(_("面试人次"), null=True, blank=True)
    offers = models.PositiveIntegerField(_("达成意向人数"), null=True, blank=True)
    hires = models.PositiveIntegerField(_("录用人数"), null=True, blank=True)
    outcome_at = models.DateTimeField(_("结果记录时间"), null=True, blank=True)
    created_by = acting_user_field(_("发布人"))
    created_at = models.DateTimeField(_("发布时间"))
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("专项招聘活动")
        verbose_name_plural = _("专项招聘活动")
        ordering = ("-starts_on", "-id")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="talent_event_dates"),
        ]

    def __str__(self) -> str:
        return self.title


class EventRegistration(models.Model):
    """A person registered for an event. Goes with the profile; the organisers see counts only."""

    event = models.ForeignKey(
        RecruitmentEvent, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("活动")
    )
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="event_registrations", verbose_name=_("人才档案")
    )
    registered_at = models.DateTimeField(_("报名时间"))

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        constraints = [models.UniqueConstraint(fields=("event", "profile"), name="talent_one_registration_per_event")]

    def __str__(self) -> str:
        return f"活动报名 {self.pk}"


class HonourQuerySet(ScopedQuerySet["TalentHonour"]):
    def scope_q(self, user: User) -> Q | None:
        if user.role == Role.HANDLER:
            return _unit_q(user, demand=False)
        return own_scope(
            user, district="enterprise__district_id", park="enterprise__park_id", enterprise="enterprise_id"
        )


class TalentHonour(models.Model):
    """The register of 武汉工匠, 技能大师工作室 and 产教联合体 members: what was awarded to whom (a
    publicly announced honour), at which firm and park, from when and until when."""

    class Kind(models.TextChoices):
        CRAFTSMAN = "craftsman", _("城市工匠")
        MASTER_STUDIO = "master_studio", _("技能大师工作室")
        ALLIANCE = "alliance", _("产教联合体成员")

    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="talent_honours", verbose_name=_("企业")
    )
    park = optional_link("registry.Park", _("园区"))
    awarded_on = models.DateField(_("认定日期"))
    valid_to = models.DateField(_("有效期止"), null=True, blank=True)
    issuer = models.CharField(_("认定单位"), max_length=60, blank=True)
    created_by = acting_user_field(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"))

    objects = HonourQuerySet.as_manager()

    class Meta:
        verbose_name = _("工匠与技能平台名录")
        verbose_name_plural = _("工匠与技能平台名录")
        ordering = ("kind", "-awarded_on", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("awarded_on")),
                name="talent_honour_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HonourRevision(models.Model):
    """An earlier state of a register entry, kept when the city corrects it: the values before the
    correction, why it was corrected, by whom and when (newest first)."""

    honour = models.ForeignKey(
        TalentHonour, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("名录条目")
    )
    number = models.PositiveIntegerField(_("修订序号"))
    before = models.JSONField(_("修订前的内容"))
    reason = models.CharField(_("更正事由"), max_length=200)
    corrected_by = acting_user_field(_("更正人"))
    corrected_at = models.DateTimeField(_("更正时间"))

    class Meta:
        verbose_name = _("名录条目修订")
        verbose_name_plural = _("名录条目修订")
        ordering = ("honour", "-number")
        constraints = [models.UniqueConstraint(fields=("honour", "number"), name="talent_one_revision_number")]

    def __str__(self) -> str:
        return f"名录条目修订 {self.pk}"


class GrantQuerySet(ScopedQuerySet["TalentGrant"]):
    def scope_q(self, user: User) -> Q | None:
        if user.role == Role.HANDLER:
            return _unit_q(user, demand=False)
        if user.role == Role.TALENT:
            return Q(profile__user_id=user.pk)
        # Districts and parks see the grants to people employed by their firms (masked, for the
        # 人才引进 figures); a firm does not see its people's grants.
        return own_scope(user, district="enterprise__district_id", park="enterprise__park_id")


class TalentGrant(models.Model):
    """A talent policy granted to a person: confirmed by the city's talent handlers (the rule engine
    re-checked at that moment, the employer a firm that reported hiring the person), the person
    notified, then paid once. When the person deletes the profile the row stays without the person
    (`profile` null), so the amounts and the 人才引进 figures hold."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("已核定，待拨付")
        PAID = "paid", _("已拨付")

    policy_code = models.CharField(_("政策代码"), max_length=40)
    policy_name = models.CharField(_("政策名称"), max_length=100)
    profile = optional_link(Profile, _("人才档案"), on_delete=models.SET_NULL, related_name="grants")
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="talent_grants", verbose_name=_("用人单位")
    )
    amount_wan_yuan = models.DecimalField(_("核定金额（万元）"), max_digits=12, decimal_places=2)
    computed_wan_yuan = models.DecimalField(
        _("按规则核算的金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    computation = models.CharField(_("核算说明"), max_length=300, blank=True)
    override_reason = models.CharField(_("调整金额的理由"), max_length=200, blank=True)
    decision_number = models.CharField(_("核定文号"), max_length=100)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    confirmed_by = acting_user_field(_("核定人"))
    confirmed_at = models.DateTimeField(_("核定时间"))
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    paid_on = models.DateField(_("拨付日期"), null=True, blank=True)
    paid_by = acting_user_field(_("拨付登记人"))

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才政策兑现")
        verbose_name_plural = _("人才政策兑现")
        ordering = ("-confirmed_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=("policy_code", "profile"), name="talent_one_grant_per_policy"),
        ]

    def __str__(self) -> str:
        return f"人才政策兑现 {self.pk}"
