"""啄木鸟 casework: enterprise requests and park problems with working-day time limits and the closed
loop 收集 → 办理 → 反馈 → 问效.

A `Case` moves through `Case.Status` only by the services in `casework.services`; every step appends
a `CaseEvent` to its timeline. Deadlines are stored as a date (indexed, so the sweep and the queues
scan it) but always recomputed from stored instants — acceptance, pauses, extensions — never kept by
a running process. Concurrent writers are kept apart by `Case.version`.

Scoping: every read goes through `Case.objects.visible_to(user)`; timeline entries, attachments and
ratings are reached only through a visible case."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yuanqu.core.access import ScopedQuerySet, own_scope
from yuanqu.core.language import localised
from yuanqu.core.modelkit import PrivateStorage, dated_file_name
from yuanqu.core.models import acting_user_field
from yuanqu.core.roles import Role
from yuanqu.core.workdays import Pause
from yuanqu.notifications.models import NoticeQuerySet
from yuanqu.notifications.models import Notification as CentreNotification

if TYPE_CHECKING:
    from yuanqu.core.models import User

# Roles that may read the category list (the published service commitments).
CATEGORY_READER_ROLES = frozenset({Role.DISTRICT, Role.PARK_OPERATOR, Role.ENTERPRISE, Role.HANDLER})


class CaseKind(models.TextChoices):
    REQUEST = "request", _("企业诉求")
    PARK_PROBLEM = "park_problem", _("园区问题")


class CategoryQuerySet(ScopedQuerySet["Category"]):
    def scope_q(self, user: User) -> Q | None:
        return Q() if user.role in CATEGORY_READER_ROLES else None


class Category(models.Model):
    """A kind of request with its committed time limit (服务承诺), loaded from the policy pack's
    casework.yaml and adjustable by admins."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    # The pack's English name (name_en), shown on English pages; empty where the pack has none.
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=CaseKind.choices, default=CaseKind.REQUEST)
    time_limit_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"))
    default_unit = models.ForeignKey(
        "registry.ResponsibleUnit",
        verbose_name=_("默认责任单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The pack names the unit by code; the row may be created after the category.
    default_unit_code = models.CharField(_("默认责任单位代码"), max_length=30, blank=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    materials = models.JSONField(_("材料清单"), default=list, blank=True)
    questions = models.JSONField(_("补充问题"), default=list, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = pgettext_lazy("plural", "诉求类别")
        ordering = ("sort_order", "code")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name for pages: English on an English page where there is one (str() stays Chinese for
        exports, notices and the audit log)."""
        return localised(self.name, self.name_en)

    def resolved_default_unit(self) -> Any:
        if self.default_unit is not None:
            return self.default_unit
        if self.default_unit_code:
            from yuanqu.registry.models import ResponsibleUnit

            return ResponsibleUnit.objects.filter(code=self.default_unit_code).first()
        return None


class CaseSequence(models.Model):
    """The last case number handed out in a year (ZMN-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("诉求编号序列")
        verbose_name_plural = pgettext_lazy("plural", "诉求编号序列")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CaseQuerySet(ScopedQuerySet["Case"]):
    def scope_q(self, user: User) -> Q | None:
        if user.role == Role.HANDLER:
            mine = Q(first_responder_id=user.pk)
            if user.unit_id is None:
                return mine
            co_cases = Case.co_units.through.objects.filter(responsibleunit_id=user.unit_id).values("case_id")
            return mine | Q(lead_unit_id=user.unit_id) | Q(receiving_unit_id=user.unit_id) | Q(pk__in=co_cases)
        return own_scope(user, district="district_id", park="park_id", enterprise="enterprise_id")

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=Case.OPEN_STATUSES)

    def overdue(self, today: dt.date) -> CaseQuerySet:
        """Open cases whose clock runs and whose deadline has passed. A paused case is never overdue:
        the notice that pauses it is refused once the deadline has passed."""
        return self.filter(status__in=Case.CLOCK_STATUSES, paused_since__isnull=True, deadline__lt=today)

    def unanswered(self, today: dt.date) -> CaseQuerySet:
        """Submitted cases nobody has accepted within the response limit."""
        return self.filter(status=Case.Status.SUBMITTED, response_due__lt=today)


def _attachment_path(instance: Attachment, filename: str) -> str:
    return dated_file_name(filename)


class CaseworkStorage(PrivateStorage):
    """Attachments under MEDIA_ROOT/casework/."""

    folder = "casework"
    holds = "casework attachments"


casework_storage = CaseworkStorage()


class Case(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待受理")
        ACCEPTED = "accepted", _("已受理")
        AWAITING_SUPPLEMENT = "awaiting_supplement", _("待补正")
        ASSIGNED = "assigned", _("已交办")
        IN_PROGRESS = "in_progress", _("办理中")
        REPLIED = "replied", _("已答复待评价")
        APPEALED = "appealed", _("申诉中")
        CLOSED = "closed", _("已办结")
        REJECTED = "rejected", pgettext_lazy("case status", "不予受理")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Channel(models.TextChoices):
        ONLINE = "online", _("企业网上提交")
        PHONE = "phone", _("电话受理")
        VISIT = "visit", _("走访收集")
        WINDOW = "window", _("现场/窗口")
        HOTLINE = "hotline", _("12345转办")

    # Accepted and not yet answered: the clock runs (or is paused during 补正).
    OPEN_STATUSES = (Status.ACCEPTED, Status.AWAITING_SUPPLEMENT, Status.ASSIGNED, Status.IN_PROGRESS)
    CLOCK_STATUSES = (Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS)
    # Handling finished (answered); the rating and appeal follow.
    FINISHED_STATUSES = (Status.REPLIED, Status.APPEALED, Status.CLOSED)
    TERMINAL_STATUSES = (Status.CLOSED, Status.REJECTED, Status.WITHDRAWN)

    number = models.CharField(_("编号"), max_length=20, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=CaseKind.choices, default=CaseKind.REQUEST)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("类别"))
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("企业"),
    )
    park = models.ForeignKey(
        "registry.Park", null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name=_("园区")
    )
    district = models.ForeignKey(
        "registry.District", on_delete=models.PROTECT, related_name="cases", verbose_name=_("所属区")
    )
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("诉求内容"), max_length=5000)
    answers = models.JSONField(_("补充问题回答"), default=dict, blank=True)
    channel = models.CharField(_("来源渠道"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    submitted_by = acting_user_field(_("提交人"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    response_due = models.DateField(_("应受理日期"), null=True, blank=True)
    receiving_unit = models.ForeignKey(
        "registry.ResponsibleUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("受理单位"),
    )
    first_responder = acting_user_field(_("首问负责人"), blank=True, on_delete=models.PROTECT)
    lead_unit = models.ForeignKey(
        "registry.ResponsibleUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("牵头单位"),
    )
    co_units = models.ManyToManyField(
        "registry.ResponsibleUnit", blank=True, related_name="+", verbose_name=_("配合单位")
    )

    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    clock_started_at = models.DateTimeField(_("本轮计时起点"), null=True, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"), default=0)
    extension_days = models.PositiveSmallIntegerField(_("已批准延期（工作日）"), default=0)
    deadline = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    deadline_uncovered = models.BooleanField(
        _("期限涉及未录入节假日的年度"),
        default=False,
        help_text=_("期限计算跨入节假日表尚未覆盖的年度，暂按周末计算；录入该年度安排后由巡检自动重算"),
    )
    pauses = models.JSONField(_("暂停计时区间"), default=list, blank=True)
    paused_since = models.DateTimeField(_("暂停计时起点"), null=True, blank=True)
    resume_status = models.CharField(_("补正后恢复的状态"), max_length=20, blank=True)
    notice_sent_at = models.DateTimeField(_("一次性告知时间"), null=True, blank=True)
    notice_items = models.JSONField(_("一次性告知事项"), default=list, blank=True)

    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    escalated_at = models.DateTimeField(_("超期上报时间"), null=True, blank=True)

    # Outcomes kept on the row so that the statistics are plain aggregates.
    response_on_time = models.BooleanField(_("按时响应"), null=True, blank=True)
    finished_on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    handling_working_days = models.PositiveSmallIntegerField(_("办理用时（工作日）"), null=True, blank=True)
    rating_level = models.CharField(_("最近评价"), max_length=30, blank=True)
    satisfied = models.BooleanField(_("满意"), null=True, blank=True)
    resolved = models.BooleanField(_("已解决"), null=True, blank=True)

    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeats", verbose_name=_("疑似重复于")
    )
    visit = models.ForeignKey(
        "Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases", verbose_name=_("走访记录")
    )
    synthetic = models.BooleanField(_("示例数据"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = pgettext_lazy("plural", "诉求")
        ordering = ("-submitted_at", "-id")
        indexes = [
            models.Index(fields=("status", "deadline")),
            models.Index(fields=("lead_unit", "status")),
            models.Index(fields=("enterprise", "submitted_at")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="park_problem") | Q(enterprise__isnull=False), name="case_request_has_enterprise"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    def pause_list(self) -> list[Pause]:
        """The stored pauses as dates; an open pause has no end."""
        result = []
        for start, end in self.pauses:
            result.append(Pause(dt.date.fromisoformat(start), dt.date.fromisoformat(end) if end else None))
        return result

    def is_overdue(self, today: dt.date) -> bool:
        return (
            self.status in self.CLOCK_STATUSES
            and self.paused_since is None
            and self.deadline is not None
            and self.deadline < today
        )


class CaseEvent(models.Model):
    """One line of a case's timeline. `text` is what the line says; `note` is for staff only; an
    enterprise sees only lines with `visible_to_enterprise`."""

    class Action(models.TextChoices):
        SUBMIT = "submit", pgettext_lazy("timeline", "提交诉求")
        ACCEPT = "accept", pgettext_lazy("timeline", "受理")
        REJECT = "reject", pgettext_lazy("timeline", "不予受理")
        NOTICE = "notice", pgettext_lazy("timeline", "一次性告知")
        SUPPLEMENT = "supplement", pgettext_lazy("timeline", "补正材料")
        CLARIFICATION_REQUEST = "clarification_request", pgettext_lazy("timeline", "申请再次补正")
        CLARIFICATION = "clarification", pgettext_lazy("timeline", "再次补正（经批准）")
        ASSIGN = "assign", pgettext_lazy("timeline", "交办")
        START = "start", pgettext_lazy("timeline", "签收办理")
        TRANSFER = "transfer", pgettext_lazy("timeline", "转办")
        REPLY = "reply", pgettext_lazy("timeline", "答复")
        RATE = "rate", pgettext_lazy("timeline", "评价")
        REOPEN = "reopen", pgettext_lazy("timeline", "重新办理")
        APPEAL = "appeal", pgettext_lazy("timeline", "申诉")
        APPEAL_DECISION = "appeal_decision", pgettext_lazy("timeline", "申诉处理")
        CLOSE = "close", pgettext_lazy("timeline", "办结")
        WITHDRAW = "withdraw", pgettext_lazy("timeline", "撤回")
        EXTENSION_REQUEST = "extension_request", pgettext_lazy("timeline", "申请延期")
        EXTENSION_DECISION = "extension_decision", pgettext_lazy("timeline", "延期审批")
        REMIND = "remind", pgettext_lazy("timeline", "催办")
        ESCALATE = "escalate", pgettext_lazy("timeline", "超期上报")
        COMMENT = "comment", pgettext_lazy("timeline", "留言")
        HANDOVER = "handover", pgettext_lazy("timeline", "首问移交")
        FOLLOW_UP = "follow_up", pgettext_lazy("timeline", "差评回访")
        ATTACH = "attach", pgettext_lazy("timeline", "上传附件")
        RECALCULATE = "recalculate", pgettext_lazy("timeline", "重算期限")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("诉求"))
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = acting_user_field(_("操作人"), blank=True)
    actor_label = models.CharField(_("操作人（显示）"), max_length=100, blank=True)
    action = models.CharField(_("动作"), max_length=30, choices=Action.choices)
    text = models.TextField(_("内容"), blank=True)
    note = models.TextField(_("内部备注"), blank=True)
    status_after = models.CharField(_("操作后状态"), max_length=20, choices=Case.Status.choices, blank=True)
    visible_to_enterprise = models.BooleanField(_("企业可见"), default=False)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = pgettext_lazy("plural", "办理记录")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_action_display()}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("诉求"))
    event = models.ForeignKey(
        CaseEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        verbose_name=_("所属记录"),
    )
    file = models.FileField(_("文件"), upload_to=_attachment_path, storage=casework_storage, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = acting_user_field(_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"))
    visible_to_enterprise = models.BooleanField(_("企业可见"), default=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = pgettext_lazy("plural", "附件")
        ordering = ("uploaded_at", "id")

    def __str__(self) -> str:
        return self.original_name


class SatisfactionLevel(models.TextChoices):
    """政务服务“好差评”的五级评价; codes match the policy pack."""

    VERY_SATISFIED = "very_satisfied", _("非常满意")
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    VERY_DISSATISFIED = "very_dissatisfied", _("非常不满意")


class Rating(models.Model):
    """问效: the enterprise's rating of a reply (or the one recorded from a phone callback)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("诉求"))
    level = models.CharField(_("评价"), max_length=30, choices=SatisfactionLevel.choices)
    satisfied = models.BooleanField(_("计为满意"))
    resolved = models.BooleanField(_("问题已解决"))
    comment = models.TextField(_("评价意见"), blank=True, max_length=2000)
    rated_by = acting_user_field(_("评价录入人"))
    rated_at = models.DateTimeField(_("评价时间"))
    on_behalf = models.BooleanField(_("回访代录"), default=False)
    follow_up_due = models.DateField(_("回访期限"), null=True, blank=True, db_index=True)
    followed_up_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    follow_up_note = models.TextField(_("回访情况"), blank=True)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = pgettext_lazy("plural", "评价")
        ordering = ("rated_at", "id")

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_level_display()}"


class ApprovalRequest(models.Model):
    """What a handler asks of a supervisor: an extension (延期) or a second request for materials
    after the one-time notice (再次补正/澄清)."""

    class Kind(models.TextChoices):
        EXTENSION = "extension", _("延期")
        CLARIFICATION = "clarification", _("再次补正")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("诉求"))
    kind = models.CharField(_("事项"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("理由"), max_length=2000)
    days = models.PositiveSmallIntegerField(_("延期工作日"), default=0)
    items = models.JSONField(_("补正事项"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    requested_by = acting_user_field(_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = acting_user_field(_("审批人"), blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("审批事项")
        verbose_name_plural = pgettext_lazy("plural", "审批事项")
        ordering = ("-requested_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("case", "kind"), condition=Q(status="pending"), name="approval_one_pending_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()} {self.get_status_display()}"


class Transfer(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("诉求"))
    from_unit = models.ForeignKey(
        "registry.ResponsibleUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("转出单位")
    )
    to_unit = models.ForeignKey(
        "registry.ResponsibleUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("转入单位")
    )
    reason = models.TextField(_("转办理由"), max_length=2000)
    by = acting_user_field(_("经办人"))
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("转办记录")
        verbose_name_plural = pgettext_lazy("plural", "转办记录")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.case.number} {self.from_unit} → {self.to_unit}"


class Reminder(models.Model):
    """A 催办 or an escalation. The sweep's reminders are unique per (case, kind, due date), which is
    what makes `casework-sweep` idempotent."""

    class Kind(models.TextChoices):
        RESPONSE = "response", _("受理催办")
        DEADLINE = "deadline", _("到期前催办")
        ESCALATION = "escalation", _("超期上报")
        FOLLOW_UP = "follow_up", _("差评回访催办")
        MANUAL = "manual", _("人工催办")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("诉求"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    due = models.DateField(_("对应期限"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    by = acting_user_field(_("催办人"), blank=True)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("催办记录")
        verbose_name_plural = pgettext_lazy("plural", "催办记录")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("case", "kind", "due"), condition=~Q(kind="manual"), name="reminder_once_per_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()} {self.due}"


class NotificationQuerySet(NoticeQuerySet["Notification"]):
    pass


class Notification(CentreNotification):
    """A casework notice: the notification centre's row (`notifications.Notification`: recipient,
    kind, title, link, read state, deliveries) with the case it is about. Sent through
    `casework.notify`; the centre lists it with every other notice."""

    notification_ptr = models.OneToOneField(
        CentreNotification,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        related_name="case_notice",
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("诉求")
    )

    # The centre's reads, typed for casework's rows (the stubs see a redefinition of the parent's manager).
    objects = NotificationQuerySet.as_manager()  # type: ignore[misc,assignment]

    class Meta:
        verbose_name = _("诉求通知")
        verbose_name_plural = pgettext_lazy("plural", "诉求通知")
        ordering = ("-created_at", "-notification_ptr")

    def __str__(self) -> str:
        return self.title

    @property
    def text(self) -> str:
        """The one line casework writes (the centre's title)."""
        return self.title

    @property
    def emailed_at(self) -> dt.datetime | None:
        """When the email of this notice went out, if it did."""
        sent = self.deliveries.filter(channel="email", sent_at__isnull=False).values_list("sent_at", flat=True)
        return sent.first()


class VisitQuerySet(ScopedQuerySet["Visit"]):
    def scope_q(self, user: User) -> Q | None:
        if user.role == Role.HANDLER:
            return Q(visited_by_id=user.pk)
        return own_scope(user, district="enterprise__district_id", park="enterprise__park_id")


class Visit(models.Model):
    """走访记录: a service specialist's or park staff member's visit to an enterprise (陪跑服务)."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="service_visits", verbose_name=_("企业")
    )
    visited_by = acting_user_field(_("走访人"))
    visited_on = models.DateField(_("走访日期"))
    summary = models.TextField(_("走访情况"), max_length=3000)
    created_at = models.DateTimeField(_("录入时间"))
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = pgettext_lazy("plural", "走访记录")
        ordering = ("-visited_on", "-id")

    def __str__(self) -> str:
        return f"{self.visited_on} {self.enterprise}"
