from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yuanqu.core"
    label = "core"
    verbose_name = "平台核心"

    def ready(self) -> None:
        # The start-up check of the installed policy pack (yuanqu.core.pack.checks registers itself).
        from yuanqu.core.pack import checks  # noqa: F401
