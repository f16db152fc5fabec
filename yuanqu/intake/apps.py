from __future__ import annotations

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "yuanqu.intake"
    label = "intake"
    verbose_name = "数据采集"

    def ready(self) -> None:
        from yuanqu.intake.jobs import IMPORT_KIND
        from yuanqu.jobs.kinds import job_kind_register

        job_kind_register(IMPORT_KIND)
