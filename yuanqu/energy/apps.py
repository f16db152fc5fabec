from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnergyConfig(AppConfig):
    name = "yuanqu.energy"
    label = "energy"
    verbose_name = _("能碳")

    def ready(self) -> None:
        from yuanqu.energy.intake import register
        from yuanqu.energy.jobs import CARBON_KIND
        from yuanqu.energy.receivers import recompute_after_batch
        from yuanqu.jobs.kinds import job_kind_register
        from yuanqu.stats.signals import batch_changed

        register()
        job_kind_register(CARBON_KIND)
        batch_changed.connect(recompute_after_batch, dispatch_uid="energy.recompute_after_batch")
