from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "yuanqu.investment"
    label = "investment"
    verbose_name = _("精准招商")

    def ready(self) -> None:
        from yuanqu.core.exports import export_register
        from yuanqu.investment.exports import PROJECTS_EXPORT

        export_register(PROJECTS_EXPORT)

        # The 招商 figures are provided to the indicator catalogue (indicators/providers.py); 兑现率
        # follows each annual statistics batch.
        from yuanqu.indicators.providers import providers_register
        from yuanqu.investment import figures
        from yuanqu.stats.signals import batch_changed

        providers_register(figures.PROVIDERS)

        # The 载体 import kind (investment/intake.py), declared to the intake pipeline.
        from yuanqu.investment import intake

        intake.register()
        batch_changed.connect(figures.refresh_after_batch, dispatch_uid="investment.refresh_after_batch")
