from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "yuanqu.service"
    label = "service"
    verbose_name = _("陪跑与惠企服务")

    def ready(self) -> None:
        # The 招商 app announces no move of its own: its stage change rows are the news (Django's
        # post_save, a signal defined low), and a linked 陪跑 record follows.
        from django.db.models.signals import post_save

        from yuanqu.investment.models import StageChange
        from yuanqu.service.receivers import stage_changed

        post_save.connect(stage_changed, sender=StageChange, dispatch_uid="service-companion-follows-pipeline")

        from yuanqu.jobs.kinds import job_kind_register
        from yuanqu.service.jobs import ASSIGN_KIND, MATCH_KIND
        from yuanqu.service.receivers import assign_after_batch, match_after_batch
        from yuanqu.stats.signals import batch_changed

        batch_changed.connect(match_after_batch, dispatch_uid="service.match_after_batch")
        batch_changed.connect(assign_after_batch, dispatch_uid="service.assign_after_batch")
        job_kind_register(MATCH_KIND)
        job_kind_register(ASSIGN_KIND)
