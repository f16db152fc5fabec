from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "yuanqu.reports"
    label = "reports"
    verbose_name = "报告"

    def ready(self) -> None:
        from yuanqu.jobs.kinds import job_kind_register
        from yuanqu.reports.jobs import JOB_KINDS

        for kind in JOB_KINDS:
            job_kind_register(kind)
