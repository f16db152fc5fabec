"""The notification centre's rows: one notice to one user (`Notification`), the channels a user
wants per kind of event (`ChannelPreference`), and each email or webhook sending with its attempts
(`Delivery`). A low layer: it imports core only; apps above send through `services.notification_send`
and may extend a notice with their own subject (casework's notices carry their case)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yuanqu.core.access import active_user
from yuanqu.core.models import User
from yuanqu.core.readcache import personal_bump

M = TypeVar("M", bound="Notification")


class NoticeQuerySet(models.QuerySet[M]):
    """The reads of notices; a sender's subclass of `Notification` gives its rows the same ones.

    Every write through it tells the read cache whose notices changed (`personal_bump`: the unread
    counts in the header are kept per user under a stamp that each write sets anew); a saved or
    deleted row does so through the signals connected in `NotificationsConfig.ready`."""

    def visible_to(self, user: User | AnonymousUser | None) -> Self:
        """A user's own notices only, whatever the role: a notice is personal, an administrator
        sees no one else's."""
        member = active_user(user)
        if member is None:
            return self.none()
        return self.filter(recipient_id=member.pk)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)

    def unread_first(self) -> Self:
        return self.order_by(models.Case(models.When(read_at__isnull=True, then=0), default=1), "-created_at", "-id")

    def update(self, **kwargs: Any) -> int:
        """The update, limited to the recipients read just before it (a notice of another recipient
        committed in between is left alone), whose counts are then stale (`bulk_update` comes here
        too). A notice given to another recipient makes theirs stale as well."""
        recipients: set[Any] = set(self.order_by().values_list("recipient_id", flat=True).distinct())
        if not recipients:
            return 0
        changed = super(NoticeQuerySet, self.filter(recipient_id__in=recipients)).update(**kwargs)
        for name in ("recipient", "recipient_id"):
            if name in kwargs:
                moved = kwargs[name]
                recipients.add(moved.pk if isinstance(moved, models.Model) else moved)
        personal_bump(value for value in recipients if isinstance(value, int))
        return changed

    update.alters_data = True  # type: ignore[attr-defined]

    def bulk_create(self, objs: Iterable[M], *args: Any, **kwargs: Any) -> list[M]:
        rows = super().bulk_create(objs, *args, **kwargs)
        personal_bump(row.recipient_id for row in rows)
        return rows

    bulk_create.alters_data = True  # type: ignore[attr-defined]


class NotificationQuerySet(NoticeQuerySet["Notification"]):
    pass


class Notification(models.Model):
    """An in-app notice to one user; the channels the user chose also carry it (email, webhook)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    kind = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("正文"), max_length=2000, blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # Periodic notices name themselves (e.g. digest:2026-03-02:42), so a re-run sends nothing twice.
    key = models.CharField(_("去重键"), max_length=100, null=True, blank=True, unique=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = pgettext_lazy("plural", "通知")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("recipient", "read_at"), name="notification_unread")]

    def __str__(self) -> str:
        return self.title


def notice_changed(sender: type[models.Model], instance: Notification, **kwargs: Any) -> None:
    """A notice saved or deleted (the signals of `Notification` and its subclasses): its recipient's
    unread counts are stale."""
    if not kwargs.get("raw"):
        personal_bump([instance.recipient_id])


class Channel(models.TextChoices):
    EMAIL = "email", _("邮件")
    WEBHOOK = "webhook", _("短信/政务微信")


class ChannelPreference(models.Model):
    """The channels one user wants for one kind of event besides the in-app notice (always on).
    Without a row: email on (when the user has an address), webhook off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("用户")
    )
    kind = models.CharField(_("类型"), max_length=40)
    # Not named "email": the audit log masks columns so named as personal data.
    by_email = models.BooleanField(_("邮件"), default=True)
    by_webhook = models.BooleanField(_("短信/政务微信"), default=False)

    class Meta:
        verbose_name = _("通知渠道设置")
        verbose_name_plural = pgettext_lazy("plural", "通知渠道设置")
        constraints = [models.UniqueConstraint(fields=("user", "kind"), name="channel_preference_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}"


class Delivery(models.Model):
    """One sending of a notice by email or webhook. Waiting rows are due at `next_attempt_at`; a row
    being sent holds a lease until then, so a process killed mid-send leaves it to the next sweep.
    The webhook's secret and the message body are never stored here: the body is rebuilt from the
    notice, the signature computed at each attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        DEAD = "dead", _("发送失败")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("通知")
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知投递")
        verbose_name_plural = pgettext_lazy("plural", "通知投递")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("status", "next_attempt_at"), name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.notification_id} {self.get_status_display()}"
