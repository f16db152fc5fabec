"""What follows an import, as background jobs when the import was announced inside a web request (a
page must answer at once); in a worker, a command or a test it runs at once: the 免申即享 matching,
and the assignment rules applied to firms without a specialist. Registered with yuanqu.jobs in
ServiceConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from yuanqu.jobs.context import JobContext
from yuanqu.jobs.kinds import JobKind, JobResult
from yuanqu.jobs.models import Job
from yuanqu.jobs.services import job_enqueue
from yuanqu.stats.models import ImportBatch

MATCH = "service_policy_match"
SCOPE = "service-policy-match"
STEP_MATCH = "比对"
TITLE = gettext_noop("免申即享政策比对")
MSG_DONE = gettext_noop("免申即享比对完成：{policies}项政策，新增符合条件{new}家次")


def match_job_start(*, batch: ImportBatch) -> Job:
    return job_enqueue(actor=None, kind=MATCH, arguments={"batch": batch.pk}, title=TITLE, scope_key=SCOPE)


def match_job_run(context: JobContext) -> JobResult:
    from yuanqu.service.services import policy_match_run

    context.progress(STEP_MATCH, 0, 1)
    batch = ImportBatch.objects.filter(pk=context.job.arguments.get("batch")).first()
    run = policy_match_run(batch=batch)
    context.progress(STEP_MATCH, 1, 1)
    new = sum(len(row["new"]) for row in run.results)
    return JobResult(message=MSG_DONE.format(policies=len(run.results), new=new), data={"run": run.pk, "new": new})


MATCH_KIND = JobKind(
    code=MATCH, label=gettext_noop("免申即享政策比对"), handler=match_job_run, steps=(STEP_MATCH,), messages=(MSG_DONE,)
)


ASSIGN = "service_rules_apply"
ASSIGN_SCOPE = "service-rules-apply"
STEP_ASSIGN = "指派"
ASSIGN_TITLE = gettext_noop("按指派规则指派服务专员")
MSG_ASSIGNED = gettext_noop("按指派规则为{count}家企业指派了服务专员")


def assign_job_start(*, batch: ImportBatch) -> Job:
    return job_enqueue(
        actor=None, kind=ASSIGN, arguments={"batch": batch.pk}, title=ASSIGN_TITLE, scope_key=ASSIGN_SCOPE
    )


def assign_job_run(context: JobContext) -> JobResult:
    from yuanqu.service.actions import rules_apply_after_import

    context.progress(STEP_ASSIGN, 0, 1)
    batch = ImportBatch.objects.filter(pk=context.job.arguments.get("batch")).first()
    made = rules_apply_after_import(batch=batch)
    context.progress(STEP_ASSIGN, 1, 1)
    return JobResult(message=MSG_ASSIGNED.format(count=len(made)), data={"assigned": len(made)})


ASSIGN_KIND = JobKind(
    code=ASSIGN, label=ASSIGN_TITLE, handler=assign_job_run, steps=(STEP_ASSIGN,), messages=(MSG_ASSIGNED,)
)
