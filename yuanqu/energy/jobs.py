"""The carbon-account recompute as a background job: the full rebuild, started from the 能碳 page by
a city administrator and queued when a batch is applied or rolled back inside a web request (a newer
request supersedes a queued older one, which loses nothing: the rebuild reads every row when it
runs). One scope, so that two recomputes never run at once. Registered with yuanqu.jobs in
EnergyConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from yuanqu.core.models import User
from yuanqu.core.permissions import WriteDenied, is_city_admin
from yuanqu.energy import services
from yuanqu.jobs.context import JobContext
from yuanqu.jobs.kinds import JobKind, JobResult
from yuanqu.jobs.models import Job
from yuanqu.jobs.services import job_enqueue

KIND = "carbon_recompute"
SCOPE = "carbon"
STEP_COMPUTE = "重算"
STEP_LABELS = (pgettext_lazy("job step", "重算"),)
TITLE_FULL = gettext_noop("碳账户全量重算")
ERR_CITY_ONLY = gettext_noop("只有市级管理员可以重算碳账户")
MSG_DONE = gettext_noop("碳账户已重算：{firms}家企业，{periods}个统计期，{rows}条")


def carbon_job_start(*, actor: User | None) -> Job:
    """Queue a rebuild of every account; returns at once. A person must be a city administrator
    (None is the system: a batch applied inside a web request)."""
    if actor is not None and not is_city_admin(actor):
        raise WriteDenied(gettext(ERR_CITY_ONLY), code="city_only")
    return job_enqueue(actor=actor, kind=KIND, arguments={}, title=TITLE_FULL, scope_key=SCOPE)


def carbon_job_run(context: JobContext) -> JobResult:
    context.progress(STEP_COMPUTE, 0, 1)
    summary = services.carbon_recompute_all(actor=context.job.started_by)
    context.progress(STEP_COMPUTE, 1, 1)
    return JobResult(
        message=MSG_DONE.format(firms=summary.firms, periods=summary.periods, rows=summary.rows),
        data={"firms": summary.firms, "periods": summary.periods, "rows": summary.rows},
    )


CARBON_KIND = JobKind(
    code=KIND,
    label=gettext_noop("碳账户重算"),
    handler=carbon_job_run,
    steps=(STEP_COMPUTE,),
    commit_step=STEP_COMPUTE,
    messages=(MSG_DONE,),
)
