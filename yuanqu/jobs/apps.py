from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "yuanqu.jobs"
    label = "jobs"
    verbose_name = _("后台任务")

    def ready(self) -> None:
        from yuanqu.core.exports import export_queue_connect
        from yuanqu.jobs import requests
        from yuanqu.jobs.exports import EXPORT_KIND, export_enqueue
        from yuanqu.jobs.kinds import job_kind_register
        from yuanqu.jobs.schedule import SCHEDULED_KIND

        requests.connect()
        job_kind_register(SCHEDULED_KIND)
        job_kind_register(EXPORT_KIND)
        export_queue_connect(export_enqueue)
