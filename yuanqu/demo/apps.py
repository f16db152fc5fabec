from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "yuanqu.demo"
    label = "demo"
    verbose_name = "示例数据"
