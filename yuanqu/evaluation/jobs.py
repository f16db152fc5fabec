"""Evaluation runs as background jobs: the run page and the API start a job and answer at once; a
worker runs the same service as `yuanqu evaluate` (services.evaluation_run) with its progress (the
Monte Carlo draws done of all) reported to the job. A run of the same inputs, parameters and seed
that is already kept is returned as it is, so a retry after success computes and writes nothing.
One run per year at a time (the job's scope). Registered with yuanqu.jobs in EvaluationConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from yuanqu.core.models import User
from yuanqu.core.permissions import WriteDenied, is_city_admin
from yuanqu.evaluation import services
from yuanqu.evaluation.models import EvaluationRun
from yuanqu.evaluation.pack import installed_pack
from yuanqu.evaluation.runs import RunParams, RunParamsError
from yuanqu.jobs.context import JobContext
from yuanqu.jobs.kinds import JobKind, JobRefused, JobResult
from yuanqu.jobs.models import Job
from yuanqu.jobs.services import job_enqueue

RUN = "evaluation_run"
STEP_LABELS = (
    pgettext_lazy("job step", "读取指标值"),
    pgettext_lazy("job step", "蒙特卡洛模拟"),
    pgettext_lazy("job step", "保存结果"),
)
TITLE = gettext_noop("{year}年度园区评价")
LABEL = gettext_noop("评价#{run}")
MSG_DONE = gettext_noop("评价已完成")
MSG_REUSED = gettext_noop("相同数据、参数和随机种子的评价已有结果，未重复计算")
ERR_ARGUMENTS = gettext_noop("任务参数无效，请重新发起评价")


def run_scope(year: int) -> str:
    return f"evaluation:{year}"


def run_job_start(*, actor: User, year: int, params: dict[str, Any]) -> Job:
    """Start the job that evaluates `year`; returns at once. Refuses (PermissionDenied) a user who
    may not run evaluations, and (ValidationError) a year or parameters the run would refuse, before
    anything is queued."""
    if not is_city_admin(actor):
        raise WriteDenied(gettext(services.NOT_CITY_ADMIN), code="city_only")
    if not 2000 <= year <= 2100:
        raise ValidationError(gettext(services.BAD_YEAR).format(year=year))
    try:
        RunParams.resolve(params, installed_pack().selection.uncertainty, seed=year)
    except RunParamsError as exc:
        raise ValidationError(str(exc)) from exc
    return job_enqueue(
        actor=actor,
        kind=RUN,
        arguments={"year": year, "params": params},
        title=TITLE.format(year=year),
        scope_key=run_scope(year),
    )


def run_job_run(context: JobContext) -> JobResult:
    arguments = context.arguments
    try:
        year = int(arguments["year"])
        params = dict(arguments.get("params") or {})
    except (KeyError, TypeError, ValueError) as exc:
        raise JobRefused(ERR_ARGUMENTS) from exc
    try:
        run = services.evaluation_run(
            actor=context.actor, year=year, params=params, progress=context.progress, reuse=True
        )
    except ValidationError as exc:
        raise JobRefused("；".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise JobRefused(str(exc)) from exc
    # A kept run is older than this attempt of the job (a new run is made after the job started).
    started = context.job.started_at
    reused = started is not None and run.created_at < started
    failed = run.status == EvaluationRun.Status.FAILED
    return JobResult(
        url=reverse("evaluation:run_detail", kwargs={"pk": run.pk}),
        label=LABEL.format(run=run.pk),
        message=run.message if failed else (MSG_REUSED if reused else MSG_DONE),
        data={"run": run.pk, "status": run.status, "reused": reused},
        failed=failed,
    )


def _wording(text: str) -> str:
    from yuanqu.evaluation.labels import stored
    from yuanqu.jobs.wording import translated

    worded = translated(text, (TITLE, LABEL))
    return worded if worded != text else stored(text)


RUN_KIND = JobKind(
    code=RUN,
    label=gettext_noop("园区评价"),
    handler=run_job_run,
    steps=(services.STEP_READ, services.STEP_DRAWS, services.STEP_STORE),
    wording=_wording,
)
