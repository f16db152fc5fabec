"""Large spreadsheet exports as jobs: the queue behind core.exports.export_respond. An export of more
than YUANQU_EXPORT_INLINE_ROWS rows is recorded as a job (`export_enqueue`); the worker reads the
rows again with the starter's scope and writes the file (with its rows as progress) and keeps it
(yuanqu.jobs.files; deleted by files_prune after the retention period). The user goes to the job's
page, and the finished job — on its page and on 我的任务 — links to `job_file`, which hands the file
to whoever may see the job and audits each download as the export."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.views.decorators.http import require_GET

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.audit import audit_record
from yuanqu.core.exports import EXPORTS, XLSX_MIME, Export, xlsx_bytes
from yuanqu.core.models import AuditLog, User
from yuanqu.jobs.context import JobContext
from yuanqu.jobs.files import file_keep, kept_name, kept_path, kept_result
from yuanqu.jobs.kinds import JobKind, JobRefused, JobResult
from yuanqu.jobs.models import Job
from yuanqu.jobs.services import job_enqueue

KIND = "export"
STEP_ROWS, STEP_STORE = "写入表格", "保存文件"
STEP_LABELS = (pgettext_lazy("job step", "写入表格"), pgettext_lazy("job step", "保存文件"))
TITLE = gettext_noop("导出：{label}")
MSG_QUEUED = gettext_noop("共{rows}行，超过{limit}行的导出由后台任务生成，完成后在此页或“我的任务”中下载")
MSG_DONE = gettext_noop("已导出{rows}行，可点击下载")
ERR_UNKNOWN = gettext_noop("没有这种导出，请回到原页面重新导出")
ERR_GONE = gettext_noop("要导出的数据已不存在或您已无权查看，请回到原页面重新导出")
ERR_FILE_GONE = gettext_noop("导出文件已不在平台存储中（可能已超过保留期限），请回到原页面重新导出")


def export_enqueue(request: HttpRequest, actor: User, export: Export, query: dict[str, str], rows: int) -> HttpResponse:
    """Record the job that writes `export` for `actor` and `query`, and send the user to its page. The
    same export asked again while queued supersedes the older request."""
    digest = hashlib.sha256(json.dumps(query, sort_keys=True).encode()).hexdigest()[:16]
    job = job_enqueue(
        actor=actor,
        kind=KIND,
        arguments={"export": export.code, "query": query, "rows": rows},
        title=TITLE.format(label=export.label),
        scope_key=f"export:{export.code}:{actor.pk}:{digest}",
    )
    messages.info(request, gettext(MSG_QUEUED).format(rows=rows, limit=int(settings.EXPORT_INLINE_ROWS)))
    return redirect("jobs:detail", pk=job.pk)


def _counted(rows: Iterable[Sequence[Any]], context: JobContext, total: int) -> Iterator[Sequence[Any]]:
    for done, row in enumerate(rows, start=1):
        yield row
        if done % 500 == 0:
            context.progress(STEP_ROWS, done, total)


def export_job_run(context: JobContext) -> JobResult:
    actor = context.actor
    arguments = context.arguments
    export = EXPORTS.get(str(arguments.get("export")))
    if export is None:
        raise JobRefused(ERR_UNKNOWN)
    raw = arguments.get("query")
    query = {str(key): str(value) for key, value in raw.items()} if isinstance(raw, dict) else {}
    # Each sheet's rows are counted as they are written; the sheets' titles and headers are in the
    # platform's language, as the audit log's file name is.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            data = export.build(actor, query)
        except (Http404, PermissionDenied) as exc:
            raise JobRefused(ERR_GONE) from exc
        context.progress(STEP_ROWS, 0, data.rows)
        sheets = [(title, headers, _counted(rows, context, data.rows)) for title, headers, rows in data.sheets]
        content, count = xlsx_bytes(sheets)
    context.progress(STEP_STORE, 0, 1)
    digest = hashlib.sha256(f"{context.job.pk}:{context.job.attempts}".encode()).hexdigest()
    path = kept_path("exports", digest, ".xlsx")
    file_keep(content, path)
    context.progress(STEP_STORE, 1, 1)
    name = f"{export.filename_for(query)}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return JobResult(
        url=reverse("jobs:file", kwargs={"pk": context.job.pk}),
        label=name,
        message=MSG_DONE.format(rows=count),
        data={"name": name, "rows": count, "detail": data.detail[:300], **kept_result(path)},
    )


@login_required
@require_GET
def job_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The file a finished export job kept, for whoever may see the job; each download audited."""
    user = request.user
    assert isinstance(user, User)
    job = get_visible_or_404(Job.objects.filter(kind=KIND, status=Job.Status.SUCCEEDED), user, pk=pk)
    result = job.result if isinstance(job.result, dict) else {}
    export = EXPORTS.get(str(job.arguments.get("export")))
    try:
        content = (Path(settings.MEDIA_ROOT) / _kept_export(result)).read_bytes()
    except (OSError, ValueError, TypeError) as exc:
        raise Http404(gettext(ERR_FILE_GONE)) from exc
    name = str(result.get("name") or "export.xlsx")
    audit_record(
        actor=user,
        action=AuditLog.Action.EXPORT,
        object_type=export.object_type if export else KIND,
        object_repr=name,
        after={"rows": int(result.get("rows") or 0), "job": job.pk},
        detail=str(result.get("detail") or "")[:300],
    )
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _kept_export(result: dict[str, Any]) -> str:
    kept = kept_name(result)
    if not kept.startswith("exports/") or result.get("expired"):
        raise ValueError("no kept export")
    return kept


EXPORT_KIND = JobKind(
    code=KIND,
    label=gettext_noop("数据导出"),
    handler=export_job_run,
    steps=(STEP_ROWS, STEP_STORE),
    messages=(TITLE, MSG_DONE),
)
