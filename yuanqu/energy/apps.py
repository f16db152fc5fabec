from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnergyConfig(AppConfig):
    name = "yuanqu.energy"
    label = "energy"
    verbose_name = _("能碳")

    def ready(self) -> None:
        from yuanqu.energy import figures
        from yuanqu.energy.intake import register
        from yuanqu.energy.jobs import CARBON_KIND
        from yuanqu.energy.receivers import recompute_after_batch, recompute_after_history
        from yuanqu.energy.services import co2_of_year
        from yuanqu.indicators.providers import providers_register
        from yuanqu.jobs.kinds import job_kind_register
        from yuanqu.registry.signals import history_changed
        from yuanqu.stats.derived import DerivedMeasure, derived_measure_register
        from yuanqu.stats.signals import batch_changed

        register()
        # The carbon figures in the indicator catalogue (indicators/providers.py).
        providers_register(figures.PROVIDERS)
        derived_measure_register(DerivedMeasure("co2_t", "二氧化碳排放总量", "吨CO₂", co2_of_year))
        job_kind_register(CARBON_KIND)
        batch_changed.connect(recompute_after_batch, dispatch_uid="energy.recompute_after_batch")
        history_changed.connect(recompute_after_history, dispatch_uid="energy.recompute_after_history")
