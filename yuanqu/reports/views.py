"""Reports: the city's quarterly progress report and a park's 一园一档 diagnosis report (.docx). A
report button posts to start a background job (yuanqu.reports.jobs) and goes to its page (a GET only
shows the page with that button, so a prefetching browser or a crawler starts nothing); the finished job
links to the kept file, whose download is scoped (the job through `visible_to`, the park again as
its profile is) and audited as an export. A park outside the user's scope answers 404, exactly as
its profile does."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.audit import audit_record
from yuanqu.core.docx import DOCX_MIME
from yuanqu.core.models import AuditLog
from yuanqu.core.pageauth import role_reader
from yuanqu.dashboard.selectors import COCKPIT_READER_ROLES
from yuanqu.jobs.models import Job
from yuanqu.registry.models import Park
from yuanqu.reports import documents, jobs
from yuanqu.targets.models import quarter_label

ERR_FILE_GONE = "报告文件已不在平台存储中，请在任务页点“重试”重新生成"


_reader = role_reader(COCKPIT_READER_ROLES, gettext_noop("报告仅对市、区和园区用户开放"))


def _docx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def city_quarterly(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    key = (request.POST if request.method == "POST" else request.GET).get("quarter", "")
    try:
        quarter = documents.parse_quarter(key)
    except ValueError as exc:
        raise Http404("季度格式应为 2026Q3") from exc
    if request.method != "POST":
        title = gettext(jobs.TITLE_CITY).format(quarter=quarter_label(quarter))
        return render(request, "jobs/start.html", {"title": title, "quarter": key})
    job = jobs.city_quarterly_job_start(actor=user, quarter_key=key)
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def park_report(request: HttpRequest, code: str) -> HttpResponse:
    user = _reader(request)
    park = get_visible_or_404(Park.objects.select_related("district"), user, code=code)
    if request.method != "POST":
        title = gettext(jobs.TITLE_PARK).format(park=park.name)
        return render(request, "jobs/start.html", {"title": title})
    job = jobs.park_report_job_start(actor=user, park=park)
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_GET
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The file a finished report job kept, for whoever may see the job (and, for a park's report,
    the park), audited as the report's export."""
    user = _reader(request)
    job = get_visible_or_404(Job.objects.filter(kind__in=jobs.KINDS, status=Job.Status.SUCCEEDED), user, pk=pk)
    result = job.result if isinstance(job.result, dict) else {}
    name = str(result.get("name") or "")
    try:
        content = jobs.file_path(str(result.get("file") or "")).read_bytes()
    except (OSError, ValueError) as exc:
        raise Http404(ERR_FILE_GONE) from exc
    if job.kind == jobs.CITY_QUARTERLY:
        quarter = documents.parse_quarter(str(job.arguments.get("quarter", "")))
        audit_record(
            actor=user,
            action=AuditLog.Action.EXPORT,
            object_type="reports.CityQuarterly",
            object_id=f"{quarter:%Y-%m}",
            object_repr=name,
            detail=f"季度进展报告 {quarter_label(quarter)}",
        )
    else:
        park = get_visible_or_404(Park.objects.all(), user, code=str(job.arguments.get("park", "")))
        audit_record(
            actor=user,
            action=AuditLog.Action.EXPORT,
            obj=park,
            object_repr=name,
            detail=f"一园一档诊断报告 {park.code}",
        )
    return _docx(content, name)
