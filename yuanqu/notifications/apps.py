from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "yuanqu.notifications"
    label = "notifications"
    verbose_name = _("通知中心")

    def ready(self) -> None:
        """A saved or deleted notice, of the centre or of a sender's subclass (casework's), makes its
        recipient's unread counts stale (the queryset's bulk writes say so themselves)."""
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from yuanqu.notifications.models import Notification, notice_changed

        for model in apps.get_models():
            if issubclass(model, Notification):
                label = model._meta.label_lower
                post_save.connect(notice_changed, sender=model, dispatch_uid=f"yuanqu.notice.save.{label}")
                post_delete.connect(notice_changed, sender=model, dispatch_uid=f"yuanqu.notice.delete.{label}")
