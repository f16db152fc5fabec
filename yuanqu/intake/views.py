"""Intake pages: batch history within scope, the upload page (drag and drop, result with the first
progress of its import job), a batch's detail with its error report and rollback, template downloads. Thin:
the work is in services, the reads in selectors."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuanqu.core.confirm import NOT_CONFIRMED, confirmed
from yuanqu.core.exports import XLSX_MIME
from yuanqu.core.listing import page_of
from yuanqu.core.models import User
from yuanqu.intake import selectors, services, wording
from yuanqu.intake.jobs import checked_job, checked_write, import_job_start
from yuanqu.intake.kinds import KINDS, kind_spec
from yuanqu.intake.reading import REFUSED_TOO_LARGE, FileRefused, Limits
from yuanqu.intake.validation import ERROR, WARNING, Issue, can_upload
from yuanqu.intake.workbooks import template_bytes
from yuanqu.jobs.kinds import JobRefused
from yuanqu.jobs.views import progress_context
from yuanqu.stats.models import ImportBatch
from yuanqu.stats.services import STAT_TABLES, later_batches

ERR_NOT_CHECKED = gettext_noop("没有这份已校验通过的文件，请重新上传")
# Problems shown on a page; the error report has all of them.
ISSUES_SHOWN = 50
ACCEPT = ".xlsx,.xls,.ods,.csv"


def _member(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


NOTE_LENGTH = 300


class CheckedWriteForm(forms.Form):
    """写入 of a file a check passed: the check's job and the importer's explanation."""

    checked_job = forms.IntegerField(min_value=1)
    note = forms.CharField(required=False)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("数据类别"), choices=[(code, _(spec.label)) for code, spec in KINDS.items()])
    file = forms.FileField(label=_("文件"))
    dry_run = forms.BooleanField(label=_("仅校验，不写入"), required=False)
    # The importer's explanation, kept on the batch; required when a soft audit rule finds something.
    note = forms.CharField(
        label=_("说明"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("数据有需说明的审核异常（如同比变化超出区间）时必填，随批次保存"),
    )


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _issue_lists(issues: list[Issue]) -> tuple[list[Issue], list[Issue]]:
    errors = [issue for issue in issues if issue.severity == ERROR]
    warnings = [issue for issue in issues if issue.severity == WARNING]
    return errors, warnings


@login_required
@require_GET
def batch_list(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    batches = selectors.batch_list(user, kind=kind, status=status)
    return render(
        request,
        "intake/batch_list.html",
        {
            "page": page_of(request, batches),
            "kinds": wording.kind_choices(),
            "statuses": wording.status_choices(),
            "kind": kind,
            "status": status,
            "can_upload": can_upload(user),
            "templates": wording.template_links(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    if not can_upload(user):
        raise PermissionDenied("您的角色无权上传数据")
    limit = services.limits()
    context = {
        "max_mb": limit.max_bytes // 2**20,
        "max_bytes": limit.max_bytes,
        "max_rows": limit.max_rows,
        "accept": ACCEPT,
        "templates": wording.template_links(),
    }
    if request.method == "GET":
        form = UploadForm(initial={"kind": request.GET.get("kind", ImportBatch.Kind.MONTHLY)})
        checked = checked_job(user, request.GET.get("checked", ""))
        said = wording.message(checked.message) if checked is not None else ""
        return render(request, "intake/upload.html", {**context, "form": form, "checked": checked, "said": said})
    if "checked_job" in request.POST:
        # 写入 a file a check passed: the platform's copy is imported, nothing is uploaded again.
        write = CheckedWriteForm(request.POST)
        job = checked_job(user, str(write.cleaned_data["checked_job"])) if write.is_valid() else None
        if job is None:
            raise Http404(gettext(ERR_NOT_CHECKED))
        try:
            started = checked_write(actor=user, job=job, note=write.cleaned_data["note"][:NOTE_LENGTH])
        except JobRefused as exc:
            messages.error(request, gettext(str(exc)))
            return redirect("intake:upload")
        return redirect("jobs:detail", pk=started.pk)
    form = UploadForm(request.POST, request.FILES)
    refused = ""
    if form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            _check_size(upload_file, limit)
            # Stored as it is received and imported by a background job; the page follows its progress.
            job = import_job_start(
                actor=user,
                spec=KINDS[form.cleaned_data["kind"]],
                file_name=upload_file.name or "upload",
                content=upload_file.chunks(),
                dry_run=form.cleaned_data["dry_run"],
                note=form.cleaned_data["note"],
            )
        except FileRefused as exc:
            refused = str(exc)
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return render(request, "jobs/_progress.html", progress_context(request, job))
            return redirect("jobs:detail", pk=job.pk)
    result = {**context, "form": form, "refused": refused}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "intake/_result.html", result)
    return render(request, "intake/upload.html", result)


def _check_size(upload_file: UploadedFile, limit: Limits) -> None:
    size = upload_file.size or 0
    name = upload_file.name or "upload"
    if size > limit.max_bytes:
        raise FileRefused(REFUSED_TOO_LARGE.format(name=name, size=size / 2**20, limit=limit.max_bytes // 2**20))


@login_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _member(request)
    batch = selectors.batch_get(user, pk)
    result = services.result_load(batch)
    issues = [Issue.from_dict(item) for item in result.get("issues", [])[: ISSUES_SHOWN * 4]]
    errors, warnings = _issue_lists(issues)
    is_stats = batch.kind in STAT_TABLES
    blocking = later_batches(batch) if is_stats and batch.status == ImportBatch.Status.APPLIED else []
    return render(
        request,
        "intake/batch_detail.html",
        {
            "batch": batch,
            "result": result,
            "result_message": wording.message(result.get("message", "")),
            "errors": errors[:ISSUES_SHOWN],
            "warnings": warnings[:ISSUES_SHOWN],
            "errors_total": result.get("errors_total", len(errors)),
            "warnings_total": result.get("warnings_total", len(warnings)),
            "has_report": bool(result.get("issues")),
            "revisions": selectors.batch_revisions(batch).count() if is_stats else 0,
            "can_rollback": can_upload(user) and is_stats and batch.status == ImportBatch.Status.APPLIED,
            "blocking": blocking,
        },
    )


@login_required
@require_GET
def batch_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = _member(request)
    batch = selectors.batch_get(user, pk)
    content = services.batch_report(actor=user, batch=batch)
    return _xlsx(content, f"校验报告-批次{batch.pk}.xlsx")


@login_required
@require_POST
def batch_rollback(request: HttpRequest, pk: int) -> HttpResponse:
    user = _member(request)
    batch = selectors.batch_get(user, pk)
    if not confirmed(request):
        messages.error(request, gettext(NOT_CONFIRMED))
        return redirect(reverse("intake:batch_detail", kwargs={"pk": batch.pk}))
    try:
        summary = services.batch_rollback(actor=user, batch=batch)
    except ValidationError as exc:
        messages.error(request, " ".join(wording.message(text) for text in exc.messages))
    else:
        messages.success(
            request,
            gettext("批次#%(batch)s已回滚：删除其新增的%(deleted)s条，恢复其替换的%(restored)s条")
            % {"batch": batch.pk, "deleted": summary.deleted, "restored": summary.restored},
        )
    return redirect(reverse("intake:batch_detail", kwargs={"pk": batch.pk}))


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        spec = kind_spec(kind)
    except KeyError:
        raise Http404("没有这种数据类别") from None
    return _xlsx(template_bytes(spec, user=_member(request)), f"{spec.file_stem}模板.xlsx")
