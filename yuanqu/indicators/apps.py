from __future__ import annotations

from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "yuanqu.indicators"
    label = "indicators"
    verbose_name = "指标体系"

    def ready(self) -> None:
        from yuanqu.indicators.receivers import recompute_after_batch
        from yuanqu.stats.signals import batch_changed

        batch_changed.connect(recompute_after_batch, dispatch_uid="indicators.recompute_after_batch")

        from yuanqu.indicators.receivers import recompute_after_history
        from yuanqu.registry.signals import history_changed

        history_changed.connect(recompute_after_history, dispatch_uid="indicators.recompute_after_history")

        from yuanqu.indicators.jobs import FULL_KIND, INCREMENTAL_KIND
        from yuanqu.jobs.kinds import job_kind_register

        job_kind_register(FULL_KIND)
        job_kind_register(INCREMENTAL_KIND)

        from yuanqu.core.exports import export_register
        from yuanqu.indicators.exports import DRILL_DOWN_EXPORT

        export_register(DRILL_DOWN_EXPORT)
