from __future__ import annotations

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "yuanqu.casework"
    label = "casework"
    verbose_name = "啄木鸟诉求办理"
