"""Indicator recomputes as background jobs: the full recompute (`yuanqu compute --all --background`)
and the incremental one, which computes every import batch still pending (`yuanqu compute
--background`, and a batch rolled back from a page or the API). A worker runs the same services as
the synchronous `yuanqu compute`.

Both kinds share one scope, so two recomputes never run at once (the jobs' unique running scope);
a newer request supersedes a queued older one of its kind. Superseding loses nothing: the
incremental job takes every pending batch when it runs, not the batch that asked for it. Registered
with yuanqu.jobs in IndicatorsConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_noop, pgettext_lazy

from yuanqu.core.models import User
from yuanqu.indicators import services
from yuanqu.jobs.context import JobContext
from yuanqu.jobs.kinds import JobKind, JobResult
from yuanqu.jobs.models import Job
from yuanqu.jobs.services import job_enqueue

FULL = "indicators_compute_all"
INCREMENTAL = "indicators_recompute"
# One scope for every recompute: a full and an incremental one write the same values.
SCOPE = "indicators"
STEP_PREPARE, STEP_COMPUTE = "准备", "重算"
STEP_LABELS = (pgettext_lazy("job step", "准备"), pgettext_lazy("job step", "重算"))
TITLE_FULL = gettext_noop("指标全量重算")
TITLE_INCREMENTAL = gettext_noop("指标增量重算")
MSG_FULL_DONE = gettext_noop("全量重算完成：{periods}个统计期，{cells}个计算单元，{values}个指标值")
MSG_BATCHES_DONE = gettext_noop("已重算{batches}个导入批次：{cells}个计算单元，{values}个指标值")
MSG_UP_TO_DATE = gettext_noop("指标值已是最新：没有待计算的导入批次")


def compute_job_start(*, actor: User | None, full: bool) -> Job:
    """Queue a recompute (full, or of the pending batches); returns at once. A queued recompute of
    the same kind is superseded by this one."""
    return job_enqueue(
        actor=actor,
        kind=FULL if full else INCREMENTAL,
        arguments={"full": full},
        title=TITLE_FULL if full else TITLE_INCREMENTAL,
        scope_key=SCOPE,
    )


def _full(context: JobContext) -> JobResult:
    # The recompute is one transaction: the bar shows its step until the values are written.
    context.progress(STEP_COMPUTE, 0, 1)
    summary = services.indicators_compute_all()
    context.progress(STEP_COMPUTE, 1, 1)
    return JobResult(
        message=MSG_FULL_DONE.format(periods=summary.periods, cells=summary.cells, values=summary.values),
        data={"kind": summary.kind, "periods": summary.periods, "cells": summary.cells, "values": summary.values},
    )


def compute_job_run(context: JobContext) -> JobResult:
    context.progress(STEP_PREPARE, 0, 1)
    if context.job.kind == FULL or not services.catalogue_current():
        return _full(context)
    batches = services.pending_batches()
    if not batches:
        return JobResult(message=MSG_UP_TO_DATE, data={"batches": 0})
    cells = values = 0
    for done, batch in enumerate(batches):
        context.progress(STEP_COMPUTE, done, len(batches))
        summary = services.indicators_recompute_for_batch(batch=batch)
        cells, values = cells + summary.cells, values + summary.values
    context.progress(STEP_COMPUTE, len(batches), len(batches))
    return JobResult(
        message=MSG_BATCHES_DONE.format(batches=len(batches), cells=cells, values=values),
        data={"batches": [batch.pk for batch in batches], "cells": cells, "values": values},
    )


FULL_KIND = JobKind(
    code=FULL,
    label=gettext_noop("指标全量重算"),
    handler=compute_job_run,
    steps=(STEP_PREPARE, STEP_COMPUTE),
    messages=(MSG_FULL_DONE, MSG_BATCHES_DONE),
)
INCREMENTAL_KIND = JobKind(
    code=INCREMENTAL,
    label=gettext_noop("指标增量重算"),
    handler=compute_job_run,
    steps=(STEP_PREPARE, STEP_COMPUTE),
    messages=(MSG_FULL_DONE, MSG_BATCHES_DONE),
)
