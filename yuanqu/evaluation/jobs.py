"""Evaluation runs and diagnosis reports as background jobs: the run page and the API start a job and answer at once; a
worker runs the same service as `yuanqu evaluate` (services.evaluation_run) with its progress (the
Monte Carlo draws done of all) reported to the job. A run of the same inputs, parameters and seed
that is already kept is returned as it is, so a retry after success computes and writes nothing.
One run per year at a time (the job's scope).

A park's diagnosis report (.docx) is made by a job too and kept as a file (yuanqu.jobs.files), named
by the run, the park and its name: a run's results never change, so the file is made once and a retry
or a second request hands it over. The download (views.diagnosis_file) checks the job's and the
result's scope and audits the export. Registered with yuanqu.jobs in EvaluationConfig.ready()."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from yuanqu.core.models import User
from yuanqu.core.permissions import WriteDenied, is_city_admin
from yuanqu.evaluation import documents, selectors, services
from yuanqu.evaluation.diagnosis import park_diagnosis
from yuanqu.evaluation.models import EvaluationRun, ParkResult
from yuanqu.evaluation.pack import installed_pack
from yuanqu.evaluation.runs import RunParams, RunParamsError
from yuanqu.jobs.context import JobContext
from yuanqu.jobs.files import MSG_MADE, STEP_MAKE, STEP_STORE, file_make, kept_path, kept_result
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

GRADES = "evaluation_grades"
GRADES_STEP_LABELS = (
    pgettext_lazy("job step", "读取企业数据"),
    pgettext_lazy("job step", "评定等级"),
    pgettext_lazy("job step", "保存结果"),
)
GRADES_TITLE = gettext_noop("{year}年度亩均效益评价")
GRADES_LABEL = gettext_noop("{year}年度亩均效益等级")
MSG_GRADED = gettext_noop("{year}年亩均效益评价完成：{total} 家企业（{counts}）")

DIAGNOSIS = "evaluation_diagnosis"
STEP_DIAGNOSE = "诊断分析"
DIAGNOSIS_STEP_LABELS = (pgettext_lazy("job step", "诊断分析"),)
DIAGNOSIS_TITLE = gettext_noop("{year}年度评估诊断报告：{park}")
MSG_REPORT_DONE = MSG_MADE
MSG_REPORT_REUSED = gettext_noop("该报告此前已生成，可点击下载")
ERR_RESULT_GONE = gettext_noop("该评价或园区结果已不存在，或不在您的查看范围内")


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


def grades_job_start(*, actor: User, year: int) -> Job:
    """Start the job that grades the enterprises' 亩均效益 of `year` (replacing that year's grades);
    returns at once. Refuses (PermissionDenied, ValidationError) before anything is queued what the
    grading would refuse. A queued grading of the same year is superseded by this one."""
    if not is_city_admin(actor):
        raise WriteDenied(gettext(services.NOT_CITY_ADMIN), code="city_only")
    if not 2000 <= year <= 2100:
        raise ValidationError(gettext(services.BAD_YEAR).format(year=year))
    return job_enqueue(
        actor=actor,
        kind=GRADES,
        arguments={"year": year},
        title=GRADES_TITLE.format(year=year),
        scope_key=f"evaluation:grades:{year}",
    )


def grades_job_run(context: JobContext) -> JobResult:
    try:
        year = int(context.arguments["year"])
    except (KeyError, TypeError, ValueError) as exc:
        raise JobRefused(ERR_ARGUMENTS) from exc
    try:
        summary = services.enterprise_grades_compute(actor=context.actor, year=year, progress=context.progress)
    except ValidationError as exc:
        raise JobRefused("；".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise JobRefused(str(exc)) from exc
    counts = "、".join(f"{code} {count}" for code, count in sorted(summary.counts.items()))
    return JobResult(
        url=f"{reverse('evaluation:grades')}?year={year}",
        label=GRADES_LABEL.format(year=year),
        message=MSG_GRADED.format(year=year, total=summary.total, counts=counts),
        data={"year": year, "total": summary.total, "counts": summary.counts},
    )


def diagnosis_file_name(result: ParkResult) -> str:
    return f"{result.park.name}-{result.run.year}年度评估诊断-{result.run.pk}.docx"


def diagnosis_file(result: ParkResult) -> Path:
    """The kept report of a run's park (the run's results never change; the park's name is in it)."""
    identity = f"{result.run.pk}:{result.park.code}:{result.park.name}"
    return kept_path("evaluation", hashlib.sha256(identity.encode()).hexdigest())


def diagnosis_job_start(*, actor: User, result: ParkResult) -> Job:
    """Start making a park's diagnosis report; the caller found the result through `visible_to`."""
    return job_enqueue(
        actor=actor,
        kind=DIAGNOSIS,
        arguments={"run": result.run.pk, "park": result.park.code},
        title=DIAGNOSIS_TITLE.format(park=result.park.name, year=result.run.year),
        scope_key=f"evaluation:diagnosis:{result.run.pk}:{result.park.code}:{actor.pk}",
    )


def diagnosis_job_run(context: JobContext) -> JobResult:
    actor = context.actor
    arguments = context.arguments
    context.progress(STEP_DIAGNOSE, 0, 1)
    try:
        run = selectors.run(actor, int(arguments["run"]))
        result = selectors.result(actor, run, str(arguments["park"]))
    except (Http404, KeyError, TypeError, ValueError) as exc:
        raise JobRefused(ERR_RESULT_GONE) from exc
    path = diagnosis_file(result)
    # The diagnosis is made with the document, in the site's language (its labels are in the report).
    reused = file_make(context, path, lambda: documents.diagnosis_docx(park_diagnosis(run, result)))
    name = diagnosis_file_name(result)
    return JobResult(
        url=reverse("evaluation:diagnosis_file", kwargs={"job": context.job.pk}),
        label=name,
        message=MSG_REPORT_REUSED if reused else MSG_REPORT_DONE,
        data={"run": run.pk, "park": result.park.code, "name": name, "reused": reused, **kept_result(path)},
    )


def _wording(text: str) -> str:
    from yuanqu.evaluation.labels import stored
    from yuanqu.jobs.wording import translated

    worded = translated(text, (TITLE, LABEL, DIAGNOSIS_TITLE, GRADES_TITLE, GRADES_LABEL, MSG_GRADED))
    return worded if worded != text else stored(text)


RUN_KIND = JobKind(
    code=RUN,
    label=gettext_noop("园区评价"),
    handler=run_job_run,
    steps=(services.STEP_READ, services.STEP_DRAWS, services.STEP_STORE),
    wording=_wording,
)
DIAGNOSIS_KIND = JobKind(
    code=DIAGNOSIS,
    label=gettext_noop("评估诊断报告"),
    handler=diagnosis_job_run,
    steps=(STEP_DIAGNOSE, STEP_MAKE, STEP_STORE),
    wording=_wording,
)
GRADES_KIND = JobKind(
    code=GRADES,
    label=gettext_noop("亩均效益评价"),
    handler=grades_job_run,
    steps=(services.GRADE_READ, services.GRADE_RATE, services.GRADE_STORE),
    commit_step=services.GRADE_STORE,
    wording=_wording,
)
