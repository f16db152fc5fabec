from __future__ import annotations

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "yuanqu.dashboard"
    label = "dashboard"
    verbose_name = "驾驶舱与一园一档"
