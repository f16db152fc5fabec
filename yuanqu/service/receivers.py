"""What 陪跑 does when a lower app's news arrives: a 招商 project that moves (a new
`investment.StageChange`) takes its linked 陪跑 record to the matching stage, in the transaction of
the move; an applied or rolled-back import batch (`stats.signals.batch_changed`) has the 免申即享
policies matched again, and an applied batch of firms, labels or annual figures has the assignment
rules applied to the firms without a specialist. The receivers only call services and actions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from yuanqu.investment.models import StageChange
from yuanqu.jobs.requests import in_web_request
from yuanqu.service.models import AssignmentRule, CompanionProject
from yuanqu.service.services import companion_follow, policy_match_run
from yuanqu.stats.models import ImportBatch

logger = logging.getLogger(__name__)


def stage_changed(sender: type[StageChange], instance: StageChange, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    for project in CompanionProject.objects.filter(investment_project_id=instance.project_id):
        companion_follow(project=project, actor=instance.actor)


def _now_or_queued(batch: ImportBatch, *, queue: Callable[[], object], run: Callable[[], object], failure: str) -> None:
    """Run the step now, or queue it as a job when the batch is announced inside a web request. A
    failure never undoes the import; it is logged with `failure` (naming the batch)."""
    try:
        if in_web_request():
            queue()
            return
        run()
    except Exception:
        logger.exception(failure, batch.pk)


def match_after_batch(sender: Any, *, batch: ImportBatch, **kwargs: Any) -> None:
    """An applied or rolled-back import batch: match the 免申即享 policies again (a job when announced
    inside a web request). A failure never undoes the import; it is logged."""
    from yuanqu.service.jobs import match_job_start

    _now_or_queued(
        batch,
        queue=lambda: match_job_start(batch=batch),
        run=lambda: policy_match_run(batch=batch),
        failure="免申即享比对失败（批次 %s）",
    )


def assign_after_batch(sender: Any, *, batch: ImportBatch, **kwargs: Any) -> None:
    """An applied import of firms, labels or annual figures: apply the assignment rules to the firms
    that have no specialist (a job when announced inside a web request). Logged on failure."""
    from yuanqu.service.actions import RULE_BATCH_KINDS, rules_apply_after_import
    from yuanqu.service.jobs import assign_job_start

    if batch.status != ImportBatch.Status.APPLIED or batch.kind not in RULE_BATCH_KINDS:
        return
    if not AssignmentRule.objects.exists():
        return
    _now_or_queued(
        batch,
        queue=lambda: assign_job_start(batch=batch),
        run=lambda: rules_apply_after_import(batch=batch),
        failure="按指派规则指派失败（批次 %s）",
    )
