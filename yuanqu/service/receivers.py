"""What 陪跑 does when a lower app's news arrives: a 招商 project that moves (a new
`investment.StageChange`) takes its linked 陪跑 record to the matching stage. The receiver only
calls the service, in the transaction of the move."""

from __future__ import annotations

from typing import Any

from yuanqu.investment.models import StageChange
from yuanqu.service.models import CompanionProject
from yuanqu.service.services import companion_follow


def stage_changed(sender: type[StageChange], instance: StageChange, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    for project in CompanionProject.objects.filter(investment_project_id=instance.project_id):
        companion_follow(project=project, actor=instance.actor)
