from __future__ import annotations

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "yuanqu.intake"
    label = "intake"
    verbose_name = "数据采集"

    def ready(self) -> None:
        from yuanqu.intake.jobs import IMPORT_KIND
        from yuanqu.intake.services import slots_of_worker_free
        from yuanqu.jobs.kinds import job_kind_register
        from yuanqu.jobs.signals import worker_lost

        job_kind_register(IMPORT_KIND)
        worker_lost.connect(slots_of_worker_free, dispatch_uid="intake.slots_of_worker_free")
