"""Intake pages: batch history within scope, the upload page (drag and drop, result with the first
progress of its import job), a batch's detail with its error report and rollback, template downloads. Thin:
the work is in services, the reads in selectors."""

from __future__ import annotations

from typing import Any
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
from yuanqu.core.contract.schemas import MAX_BIGINT
from yuanqu.core.exports import XLSX_MIME
from yuanqu.core.forms import TOO_LONG, PageForm, choice_field, field_message, file_field, take_post
from yuanqu.core.jobposts import job_post
from yuanqu.core.listing import page_of
from yuanqu.core.models import User
from yuanqu.intake import selectors, services, wording
from yuanqu.intake.jobs import checked_job, checked_write, import_job_start
from yuanqu.intake.kinds import KINDS, kind_spec
from yuanqu.intake.reading import REFUSED_TOO_LARGE, FileRefused, Limits
from yuanqu.intake.validation import ERROR, WARNING, Issue, can_upload
from yuanqu.intake.workbooks import template_bytes
from yuanqu.jobs.kinds import JobRefused
from yuanqu.jobs.models import Job
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


class CheckedWriteForm(PageForm):
    """写入 of a file a check passed: the check's job, looked up within the user's reach (the page
    fills it in itself, so one that is not there answers 404), and the importer's explanation."""

    not_found = ERR_NOT_CHECKED

    checked_job = forms.IntegerField(min_value=1, max_value=MAX_BIGINT)
    note = forms.CharField(required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_checked_job(self) -> Job:
        job = checked_job(self.user, str(self.cleaned_data["checked_job"]))
        if job is None:
            raise ValidationError(gettext(ERR_NOT_CHECKED))
        return job


class UploadForm(PageForm):
    kind = choice_field(_("数据类别"), [(code, _(spec.label)) for code, spec in KINDS.items()])
    file = file_field(_("文件"))
    dry_run = forms.BooleanField(label=_("仅校验，不写入"), required=False)
    # The importer's explanation, kept on the batch; required when a soft audit rule finds something.
    note = forms.CharField(
        label=_("说明"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("数据有需说明的审核异常（如同比变化超出区间）时必填，随批次保存"),
        error_messages={"max_length": field_message(TOO_LONG, _("说明"), limit=NOTE_LENGTH)},
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
        raise PermissionDenied(gettext(wording.NO_UPLOAD))
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
        write = CheckedWriteForm(request.POST, user=user)

        def write_checked(cleaned: dict[str, Any]) -> Job:
            note = cleaned["note"][:NOTE_LENGTH]
            try:
                return checked_write(actor=user, job=cleaned["checked_job"], note=note)
            except JobRefused as exc:
                raise ValidationError(gettext(str(exc))) from exc

        return job_post(request, write, write_checked, back="intake:upload")
    form = UploadForm(request.POST, request.FILES)
    refused: list[str] = []
    started: list[Job] = []

    def start(cleaned: dict[str, Any]) -> str:
        upload_file = cleaned["file"]
        try:
            _check_size(upload_file, limit)
            # Stored as it is received and imported by a background job; the page follows its progress.
            started.append(
                import_job_start(
                    actor=user,
                    spec=KINDS[cleaned["kind"]],
                    file_name=upload_file.name or "upload",
                    content=upload_file.chunks(),
                    dry_run=cleaned["dry_run"],
                    note=cleaned["note"],
                )
            )
        except FileRefused as exc:
            raise ValidationError(str(exc)) from exc
        return ""

    # The refusals are shown in place, beside the form as it was filled in.
    if take_post(request, form, start, refused=refused.extend):
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "jobs/_progress.html", progress_context(request, started[0]))
        return redirect("jobs:detail", pk=started[0].pk)
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
        raise Http404(gettext(wording.NO_KIND)) from None
    return _xlsx(template_bytes(spec, user=_member(request)), f"{spec.file_stem}模板.xlsx")
