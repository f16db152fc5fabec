from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactorsConfig(AppConfig):
    name = "yuanqu.factors"
    label = "factors"
    verbose_name = _("要素保障")
