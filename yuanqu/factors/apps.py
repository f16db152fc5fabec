from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactorsConfig(AppConfig):
    name = "yuanqu.factors"
    label = "factors"
    verbose_name = _("要素保障")

    def ready(self) -> None:
        # The 产业名园 count, the awards granted and the land start-price ratio are provided to the
        # indicator catalogue from this app's records (indicators/providers.py).
        from yuanqu.factors import figures
        from yuanqu.indicators.providers import providers_register

        providers_register(figures.PROVIDERS)
        # 惠企 and 人才 payments enter the award and subsidy ledger through core's hook.
        from yuanqu.core.payments import policy_paid
        from yuanqu.factors.services.ledger import on_policy_paid

        policy_paid.connect(on_policy_paid, dispatch_uid="factors-ledger-policy-paid")
        # The land register, the funds register, a fund's portfolio and the 联席会议 as .xlsx (large ones written
        # by a job).
        from yuanqu.core.exports import export_register
        from yuanqu.factors.exports import EXPORTS

        for export in EXPORTS:
            export_register(export)
