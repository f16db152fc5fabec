from __future__ import annotations

from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "yuanqu.indicators"
    label = "indicators"
    verbose_name = "指标体系"
