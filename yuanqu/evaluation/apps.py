from __future__ import annotations

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "yuanqu.evaluation"
    label = "evaluation"
    verbose_name = "评价体系"

    def ready(self) -> None:
        from yuanqu.core.exports import export_register
        from yuanqu.evaluation.exports import GRADES_EXPORT, RANKING_EXPORT
        from yuanqu.evaluation.jobs import DIAGNOSIS_KIND, GRADES_KIND, RUN_KIND
        from yuanqu.jobs.kinds import job_kind_register

        for kind in (RUN_KIND, DIAGNOSIS_KIND, GRADES_KIND):
            job_kind_register(kind)
        for export in (RANKING_EXPORT, GRADES_EXPORT):
            export_register(export)
