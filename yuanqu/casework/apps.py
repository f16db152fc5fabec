from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "yuanqu.casework"
    label = "casework"
    verbose_name = _("啄木鸟诉求办理")

    def ready(self) -> None:
        from yuanqu.casework.exports import CASES_EXPORT
        from yuanqu.core.exports import export_register

        export_register(CASES_EXPORT)
