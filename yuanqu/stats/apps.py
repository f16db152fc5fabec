from __future__ import annotations

from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "yuanqu.stats"
    label = "stats"
    verbose_name = "统计数据"
