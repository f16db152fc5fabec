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

        job_kind_register(RUN_KIND)
        job_kind_register(DIAGNOSIS_KIND)
        job_kind_register(GRADES_KIND)
        export_register(RANKING_EXPORT)
        export_register(GRADES_EXPORT)
