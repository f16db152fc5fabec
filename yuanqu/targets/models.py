"""督办: the policy's 18 tasks and 6 safeguards with their responsible units, the progress reports
the units file each quarter, and the city's comments and presses (催办).

Tasks come from the policy pack (tasks.yaml) through `services.supervised_tasks_sync`; the units are
the registry's `ResponsibleUnit` rows, with the pack's generic units expanded: 各区人民政府 to one unit
per district and development zone (gqzf-<district code>), a group of units (联席会议成员单位) to its
members. The 2027 targets themselves are not stored: they are read from the pack and evaluated from
indicator values (selectors.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from yuanqu.core.access import ScopedQuerySet
from yuanqu.core.language import english, localised
from yuanqu.core.modelkit import PrivateStorage, dated_file_name
from yuanqu.core.models import StoredAttachment, acting_user_field
from yuanqu.core.roles import Role
from yuanqu.registry.models import ResponsibleUnit

if TYPE_CHECKING:
    from yuanqu.core.models import User


def district_unit_code(district_code: str) -> str:
    """The unit a district (or development-zone) user acts for: its 各区人民政府 expansion."""
    return f"gqzf-{district_code.lower()}"


def acting_unit_q(user: User) -> Q | None:
    """The responsible unit a user files reports for: a handler's unit, a district user's district
    government. None for every other role."""
    if user.role == Role.HANDLER and user.unit_id is not None:
        return Q(pk=user.unit_id)
    if user.role == Role.DISTRICT and user.district is not None:
        return Q(code=district_unit_code(user.district.code))
    return None


class TaskQuerySet(ScopedQuerySet["SupervisedTask"]):
    def scope_q(self, user: User) -> Q | None:
        units = acting_unit_q(user)
        if units is None:
            return None
        assigned = TaskAssignment.objects.filter(unit__in=ResponsibleUnit.objects.filter(units)).values("task_id")
        return Q(pk__in=assigned)


class SupervisedTask(models.Model):
    class Kind(models.TextChoices):
        TASK = "task", _("重点任务")
        SAFEGUARD = "safeguard", _("保障措施")
        # A decision (议定事项) of the 联席会议 (factors), with its own deadline.
        DECISION = "decision", _("联席会议议定事项")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未启动")
        IN_PROGRESS = "in_progress", _("推进中")
        COMPLETED = "completed", _("已完成")

    code = models.CharField(_("代码"), max_length=40, unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("序号"))
    group_code = models.CharField(_("分组"), max_length=40, blank=True)
    group_title = models.CharField(_("分组名称"), max_length=60, blank=True)
    # English names from the pack (title_en), shown on English pages; empty where the pack has none.
    group_title_en = models.CharField(_("分组英文名称"), max_length=200, blank=True)
    title = models.CharField(_("名称"), max_length=100)
    title_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    summary = models.TextField(_("要点"))
    units_text = models.CharField(_("原文责任单位"), max_length=300)
    target_codes = models.JSONField(_("关联目标"), default=list)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The deadline a decision set (联席会议议定事项); the pack's tasks run to the plan's end and have none.
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    # The day from which the task owes quarterly reports (a decision: its meeting's day); none: the
    # plan's start, as for the pack's tasks.
    reports_from = models.DateField(_("报送起始日期"), null=True, blank=True)
    units: models.ManyToManyField[ResponsibleUnit, TaskAssignment] = models.ManyToManyField(
        ResponsibleUnit, through="TaskAssignment", related_name="+"
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办任务")
        verbose_name_plural = _("督办任务")
        ordering = ("sort_order", "code")

    def __str__(self) -> str:
        if self.kind == self.Kind.DECISION:
            return f"议定事项：{self.title}"
        prefix = f"{self.number}." if self.kind == self.Kind.TASK else f"保障措施（{self.number}）"
        return f"{prefix}{self.title}"

    @property
    def label(self) -> str:
        return str(self)

    @property
    def display_title(self) -> str:
        """The title in the active language: the pack's English title on an English page where it has
        one, else the Chinese title."""
        return localised(self.title, self.title_en)

    @property
    def display_group_title(self) -> str:
        """The group's title in the active language ("" for a safeguard, which has no group)."""
        return localised(self.group_title, self.group_title_en)

    @property
    def display_label(self) -> str:
        """The label in the active language, for pages (str() stays Chinese for exports and audit)."""
        if self.kind == self.Kind.TASK:
            separator = ". " if english() else "."
            return f"{self.number}{separator}{self.display_title}"
        if self.kind == self.Kind.DECISION:
            return gettext("议定事项：") + self.display_title
        return gettext("保障措施（%(number)s）") % {"number": self.number} + self.display_title


class TaskAssignment(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("牵头单位")
        CO = "co", _("配合单位")

    task = models.ForeignKey(SupervisedTask, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(ResponsibleUnit, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("角色"), max_length=4, choices=Role.choices)
    via = models.CharField(_("原文单位"), max_length=30, help_text=_("政策包中的单位代码（如 gqzf、lxhy）"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("任务责任单位")
        verbose_name_plural = _("任务责任单位")
        ordering = ("task", "role", "sort_order")
        constraints = [models.UniqueConstraint(fields=("task", "unit"), name="task_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.unit_id} {self.role}"


class ReportQuerySet(ScopedQuerySet["TaskReport"]):
    """A unit reads its own reports and those of the task's lead units; the city reads all."""

    def scope_q(self, user: User) -> Q | None:
        units = acting_unit_q(user)
        if units is None:
            return None
        own = ResponsibleUnit.objects.filter(units)
        lead = TaskAssignment.objects.filter(
            task=OuterRef("task"), unit=OuterRef("unit"), role=TaskAssignment.Role.LEAD
        )
        visible_tasks = SupervisedTask.objects.visible_to(user).values("pk")
        return Q(task__in=visible_tasks) & (Q(unit__in=own) | Q(Exists(lead)))


class TaskReport(models.Model):
    """A unit's progress on a task for one quarter (`period` is the quarter's first day). Filing again
    for the same quarter replaces the text and percentage (the audit log keeps the old ones)."""

    task = models.ForeignKey(SupervisedTask, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(ResponsibleUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("报送单位"))
    period = models.DateField(_("报送期（季度首日）"))
    text = models.TextField(_("进展情况"))
    percent_done = models.PositiveSmallIntegerField(
        _("完成进度（%）"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    submitted_by = acting_user_field(_("报送人"))
    submitted_at = models.DateTimeField(_("报送时间"))

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ("-period", "task", "unit")
        constraints = [models.UniqueConstraint(fields=("task", "unit", "period"), name="task_report_unique")]

    def __str__(self) -> str:
        return f"{self.task} {self.unit} {quarter_label(self.period)}"

    @property
    def period_label(self) -> str:
        return quarter_label(self.period)


class AttachmentStorage(PrivateStorage):
    """Report attachments under MEDIA_ROOT/targets/."""

    folder = "targets"
    holds = "report attachments"


attachment_storage = AttachmentStorage()


def _attachment_path(instance: Any, filename: str) -> str:
    return dated_file_name(filename)


class ReportAttachment(StoredAttachment):
    report = models.ForeignKey(TaskReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=_attachment_path, storage=attachment_storage, max_length=200)

    class Meta:
        verbose_name = _("报告附件")
        verbose_name_plural = _("报告附件")
        ordering = ("uploaded_at", "id")


class CommentQuerySet(ScopedQuerySet["TaskComment"]):
    """Comments on a task are read by its units; a press (催办) only by the unit pressed."""

    def scope_q(self, user: User) -> Q | None:
        units = acting_unit_q(user)
        if units is None:
            return None
        visible_tasks = SupervisedTask.objects.visible_to(user).values("pk")
        return Q(task__in=visible_tasks) & (Q(unit__isnull=True) | Q(unit__in=ResponsibleUnit.objects.filter(units)))


class TaskComment(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", _("批示意见")
        PRESS = "press", pgettext_lazy("comment kind", "催办")

    task = models.ForeignKey(SupervisedTask, on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices)
    unit = models.ForeignKey(
        ResponsibleUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("催办单位")
    )
    report = models.ForeignKey(
        TaskReport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        verbose_name=_("针对报告"),
    )
    text = models.TextField(_("内容"))
    author = acting_user_field(_("填写人"))
    created_at = models.DateTimeField(_("时间"))

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("批示与催办")
        verbose_name_plural = _("批示与催办")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.task}"


# ── reporting quarters ──────────────────────────────────────────────────────────────────────


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_end(start: dt.date) -> dt.date:
    following = dt.date(start.year + (start.month + 2) // 12, (start.month + 2) % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def quarter_due(start: dt.date, due_days: int) -> dt.date:
    """The day a quarter's progress report is due: `due_days` after the quarter ends (the pack's
    tasks.yaml `reporting.due_days`, a platform rule: the policy sets none)."""
    return quarter_end(start) + dt.timedelta(days=due_days)


def quarter_label(start: dt.date) -> str:
    return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"


def quarters(first: dt.date, last: dt.date) -> list[dt.date]:
    """Quarter starts from the quarter of `first` to the quarter of `last`."""
    found = []
    current = quarter_start(first)
    while current <= last:
        found.append(current)
        current = quarter_end(current) + dt.timedelta(days=1)
    return found
