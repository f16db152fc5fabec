from __future__ import annotations

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "yuanqu.evaluation"
    label = "evaluation"
    verbose_name = "评价体系"
