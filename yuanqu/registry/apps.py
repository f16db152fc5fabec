from __future__ import annotations

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "yuanqu.registry"
    label = "registry"
    verbose_name = "布局体系"
