"""The .docx reports as background jobs: the report links start a job and answer at once with its
page; a worker makes the document (yuanqu.reports.documents, with the starter's scope) and keeps it
as a file, which the job's result link downloads (yuanqu.reports.views.report_file: scoped and
audited as an export, as the direct download was).

Nothing is made twice: a report is kept under a digest of what it is (which report, which quarter
or park, for whom) and of the data it reads (the data fingerprint below), so a retry after success,
or the same report asked again before anything changed, hands over the kept file. One job per report
and reader at a time (the job's scope). Registered with yuanqu.jobs in ReportsConfig.ready()."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop, pgettext_lazy

from yuanqu.core.models import AuditLog, User
from yuanqu.dashboard.selectors import may_read
from yuanqu.indicators.models import IndicatorValue
from yuanqu.jobs.context import JobContext
from yuanqu.jobs.files import MSG_MADE, STEP_MAKE, STEP_STORE, file_make, kept_path, kept_result
from yuanqu.jobs.kinds import JobKind, JobRefused, JobResult
from yuanqu.jobs.models import Job
from yuanqu.jobs.services import job_enqueue
from yuanqu.registry.models import Park
from yuanqu.registry.region import region_chinese
from yuanqu.reports import charts, documents
from yuanqu.targets.models import quarter_label

CITY_QUARTERLY = "report_city_quarterly"
PARK_REPORT = "report_park"
KINDS = (CITY_QUARTERLY, PARK_REPORT)

STEP_CHECK = "核对数据"
STEP_LABELS = (pgettext_lazy("job step", "核对数据"),)
TITLE_CITY = gettext_noop("{quarter}进展报告")
TITLE_PARK = gettext_noop("{park}一园一档诊断报告")
MSG_DONE = MSG_MADE
MSG_REUSED = gettext_noop("数据未变，沿用已生成的报告，可点击下载")
ERR_NOT_READER = gettext_noop("报告仅对市、区和园区用户开放")
ERR_QUARTER = gettext_noop("季度格式应为 2026Q3")
ERR_PARK = gettext_noop("园区不存在或不在您的查看范围内")

# Audit actions that change data a report may read (exports, logins and reads do not; nor do the
# jobs' own records).
WRITES = (AuditLog.Action.CREATE, AuditLog.Action.UPDATE, AuditLog.Action.DELETE)


def city_file_name(quarter_key: str) -> str:
    return f"{region_chinese()}工业园区{quarter_label(documents.parse_quarter(quarter_key))}进展报告.docx"


def park_file_name(park: Park) -> str:
    return f"{park.name}一园一档诊断报告.docx"


def _quarter_key(quarter_key: str) -> str:
    quarter = documents.parse_quarter(quarter_key)
    return f"{quarter.year}Q{(quarter.month - 1) // 3 + 1}"


def city_quarterly_job_start(*, actor: User, quarter_key: str) -> Job:
    """Start making the city's quarterly report for `quarter_key` (2026Q3); ValueError for a
    malformed quarter, before anything is queued."""
    key = _quarter_key(quarter_key)
    return job_enqueue(
        actor=actor,
        kind=CITY_QUARTERLY,
        arguments={"quarter": key},
        title=TITLE_CITY.format(quarter=quarter_label(documents.parse_quarter(key))),
        scope_key=f"report:city:{key}:{actor.pk}",
    )


def park_report_job_start(*, actor: User, park: Park) -> Job:
    """Start making a park's report; the caller has found the park through `visible_to`."""
    return job_enqueue(
        actor=actor,
        kind=PARK_REPORT,
        arguments={"park": park.code},
        title=TITLE_PARK.format(park=park.name),
        scope_key=f"report:park:{park.code}:{actor.pk}",
    )


def data_fingerprint() -> str:
    """What the reports read, as of now: the newest audited write (every write to the platform's data
    is audited), the newest indicator computation, and the day (reports say how late data is)."""
    last_write = (
        AuditLog.objects.filter(action__in=WRITES)
        .exclude(object_type="jobs.Job")
        .order_by("-pk")
        .values_list("pk", flat=True)[:1]
    )
    computed = IndicatorValue.objects.aggregate(latest=Max("computed_at"))["latest"]
    return json.dumps([list(last_write), str(computed), timezone.localdate().isoformat()])


def file_path(digest: str) -> Path:
    return kept_path("reports", digest)


def report_job_run(context: JobContext) -> JobResult:
    actor = context.actor
    if not may_read(actor):
        raise JobRefused(ERR_NOT_READER)
    arguments = context.arguments
    context.progress(STEP_CHECK, 0, 1)
    if context.job.kind == CITY_QUARTERLY:
        try:
            key = _quarter_key(str(arguments.get("quarter", "")))
        except ValueError as exc:
            raise JobRefused(ERR_QUARTER) from exc
        name = city_file_name(key)
        quarter = documents.parse_quarter(key)

        def make() -> bytes:
            return documents.city_quarterly_docx(actor, quarter)

    else:
        park = Park.objects.visible_to(actor).select_related("district").filter(code=arguments.get("park")).first()
        if park is None:
            raise JobRefused(ERR_PARK)
        key, name = park.code, park_file_name(park)

        def make() -> bytes:
            return documents.park_report_docx(actor, park)

    identity = json.dumps([context.job.kind, key, actor.pk, data_fingerprint()])
    digest = hashlib.sha256(identity.encode()).hexdigest()
    path = file_path(digest)
    try:
        reused = file_make(context, path, make)
    except charts.ChartFontMissing as exc:
        raise JobRefused(str(exc)) from exc
    return JobResult(
        url=reverse("reports:file", kwargs={"pk": context.job.pk}),
        label=name,
        message=MSG_REUSED if reused else MSG_DONE,
        data={"file": digest, "name": name, "key": key, "reused": reused, **kept_result(path)},
    )


# The city's quarterly report and a park's report are one job (`report_job_run`), told apart by the code.
JOB_KINDS = tuple(
    JobKind(
        code=code,
        label=label,
        handler=report_job_run,
        steps=(STEP_CHECK, STEP_MAKE, STEP_STORE),
        messages=(TITLE_CITY, TITLE_PARK),
    )
    for code, label in (
        (CITY_QUARTERLY, gettext_noop("季度进展报告")),
        (PARK_REPORT, gettext_noop("一园一档诊断报告")),
    )
)
