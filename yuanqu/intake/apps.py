from __future__ import annotations

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "yuanqu.intake"
    label = "intake"
    verbose_name = "数据采集"
