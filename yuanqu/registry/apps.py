from __future__ import annotations

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "yuanqu.registry"
    label = "registry"
    verbose_name = "布局体系"

    def ready(self) -> None:
        from yuanqu.core.exports import export_register
        from yuanqu.registry.exports import ENTERPRISES_EXPORT, PARKS_EXPORT

        export_register(PARKS_EXPORT)
        export_register(ENTERPRISES_EXPORT)
