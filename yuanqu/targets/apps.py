from __future__ import annotations

from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "yuanqu.targets"
    label = "targets"
    verbose_name = "目标体系与督办"
