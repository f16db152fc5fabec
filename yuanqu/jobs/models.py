"""The record of one background job: who started it, what it is, how far it got, how it ended.

The task framework (django-tasks: the database backend or RQ) only carries the job's id to a worker;
this row is what users, pages and the reaper read. Written by yuanqu.jobs.services only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yuanqu.core.access import ScopedQuerySet

if TYPE_CHECKING:
    from yuanqu.core.models import User


class JobQuerySet(ScopedQuerySet["Job"]):
    def scope_q(self, user: User) -> Q | None:
        # A job may carry a file's rows or a report's figures: outside the city-wide roles, each
        # user sees the jobs they started.
        return Q(started_by=user)


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")
        CANCELLED = "cancelled", _("已取消")

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(_("类别"), max_length=40, db_index=True)
    # Jobs with the same non-empty scope never run at once (the constraint below), and a newer
    # request supersedes a queued older one.
    scope_key = models.CharField(_("范围"), max_length=120, blank=True, default="")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("名称"), max_length=200, blank=True)
    arguments = models.JSONField(_("参数"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    step = models.CharField(_("步骤"), max_length=40, blank=True)
    done = models.PositiveIntegerField(_("完成数"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    cancellable = models.BooleanField(_("可取消"), default=True)
    cancel_requested = models.BooleanField(_("已请求取消"), default=False)
    attempts = models.PositiveIntegerField(_("执行次数"), default=0)
    worker = models.CharField(_("执行进程"), max_length=120, blank=True)
    task_id = models.CharField(_("队列编号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True, db_index=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    result_url = models.CharField(_("结果链接"), max_length=300, blank=True)
    result_label = models.CharField(_("结果"), max_length=200, blank=True)
    result = models.JSONField(_("结果数据"), default=dict, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    incident = models.CharField(_("事件编号"), max_length=32, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope_key"],
                condition=Q(status="running") & ~Q(scope_key=""),
                name="jobs_one_running_per_scope",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title or self.kind}"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))


class ScheduledRun(models.Model):
    """One occurrence of a periodic entry (yuanqu.jobs.schedule): the entry's name and the start of
    its period. Unique, so however many workers run the scheduler, each occurrence is queued once."""

    entry = models.CharField(_("计划项"), max_length=60)
    slot = models.DateTimeField(_("时段"))
    job = models.ForeignKey(
        Job, verbose_name=_("后台任务"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("定时任务记录")
        verbose_name_plural = _("定时任务记录")
        ordering = ["-slot", "entry"]
        constraints = [models.UniqueConstraint(fields=["entry", "slot"], name="jobs_one_run_per_slot")]

    def __str__(self) -> str:
        return f"{self.entry} {self.slot:%Y-%m-%d %H:%M}"
