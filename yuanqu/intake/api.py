"""Intake API: multipart upload handed to a background import job (202 with the job to follow), the
batch list and detail (within scope), a batch's error report and rollback, the kinds and their
templates."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
from typing import Any
from urllib.parse import quote

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.params import FormEx, P

from yuanqu.core.apiauth import api_user
from yuanqu.core.contract.pagination import Page
from yuanqu.core.contract.schemas import Code, CodePath, IdPath, InputSchema
from yuanqu.core.exports import XLSX_MIME
from yuanqu.intake import reading, selectors, services, wording
from yuanqu.intake.jobs import import_job_start
from yuanqu.intake.kinds import KINDS, kind_spec
from yuanqu.intake.reading import FileRefused
from yuanqu.intake.validation import ERROR, Issue, can_upload
from yuanqu.intake.workbooks import template_bytes
from yuanqu.jobs.api import JobStartedOut, job_started
from yuanqu.stats.models import ImportBatch

router = Router(tags=["数据采集"])

# Problems returned inline; all of them are in the error report.
ISSUES_RETURNED = 200


class IssueOut(Schema):
    row: int | None
    column: str
    col: int | None
    severity: str
    message: str
    text: str


class BatchOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    file_name: str
    file_sha256: str
    uploaded_by: str | None
    created_at: dt.datetime
    rows_total: int
    rows_ok: int
    rows_error: int
    rows_warning: int
    synthetic: bool

    @staticmethod
    def resolve_kind_label(obj: ImportBatch) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj: ImportBatch) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_uploaded_by(obj: ImportBatch) -> str | None:
        return obj.uploaded_by.username if obj.uploaded_by else None


class BatchDetailOut(BatchOut):
    message: str
    counts: dict[str, int]
    encoding: str
    errors_total: int
    warnings_total: int
    issues: list[IssueOut]
    revisions: int


class ColumnOut(Schema):
    key: str
    title: str
    type: str
    unit: str
    required: bool
    choices: list[str]


class KindOut(Schema):
    code: str
    label: str
    columns: list[ColumnOut]


def _issues(issues: list[Issue]) -> list[dict[str, Any]]:
    return [issue.as_dict() for issue in issues[:ISSUES_RETURNED]]


@router.get("/kinds", response=list[KindOut], summary="数据类别及其列")
@paginate(Page, page_size=100)
def list_kinds(request: HttpRequest) -> Any:
    return [
        {
            "code": code,
            "label": spec.label,
            "columns": [
                {
                    "key": column.key,
                    "title": column.title,
                    "type": column.type,
                    "unit": column.unit,
                    "required": column.required,
                    "choices": [label for value, label in column.choices if value],
                }
                for column in spec.columns
            ],
        }
        for code, spec in KINDS.items()
    ]


@router.post("/batches", response={202: JobStartedOut}, summary="上传数据文件（multipart，后台任务导入）")
def upload(
    request: HttpRequest,
    kind: FormEx[str, P(max_length=64)],
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    note: FormEx[str, P(max_length=300)] = "",
) -> Any:
    """Upload one file (multipart). The file is stored and imported by a background job: the answer
    (202) carries the job's id, its page and its API address (`GET /api/v1/jobs/{id}`: progress
    through reading, validation, writing and recompute; once done, `result_url` is the batch's page,
    `result.status` applied, rejected, duplicate, checked or check_failed, `result.counts` the rows).
    What can be told without reading the file is answered at once with 422 and nothing kept: an
    unknown kind, a type not read, an empty file, a file over the size limit, content that is not
    what the extension says. `note` is the importer's explanation, kept on the batch: required when a
    soft audit rule of the pack (audit.yaml) finds something, else the batch is rejected."""
    user = api_user(request)
    try:
        spec = kind_spec(kind)
    except KeyError:
        raise ValidationError({"kind": f"未知的数据类别“{kind}”，可选：{'、'.join(KINDS)}"}) from None
    if not can_upload(user):
        raise PermissionDenied(gettext(wording.NO_UPLOAD))
    name = file.name or "upload"
    try:
        file.seek(0)
        head = file.read(reading.HEAD_BYTES)
        reading.check_head(services.clean_file_name(name), head, file.size or 0, services.limits())
        file.seek(0)
        job = import_job_start(actor=user, spec=spec, file_name=name, content=file.chunks(), dry_run=dry_run, note=note)
    except FileRefused as exc:
        raise ValidationError({"file": str(exc)}) from None
    return job_started(job)


class BatchQuery(InputSchema):
    kind: Code = ""
    status: Code = ""


@router.get("/batches", response=list[BatchOut], summary="导入批次列表（按权限范围）")
@paginate(Page, page_size=50)
def list_batches(request: HttpRequest, filters: Query[BatchQuery]) -> Any:
    return selectors.batch_list(api_user(request), kind=filters.kind, status=filters.status)


@router.get("/batches/{batch_id}", response=BatchDetailOut, summary="导入批次详情与校验问题")
def get_batch(request: HttpRequest, batch_id: IdPath) -> Any:
    batch = selectors.batch_get(api_user(request), batch_id)
    result = services.result_load(batch)
    issues = [Issue.from_dict(item) for item in result.get("issues", [])]
    return _WithResult(
        batch,
        message=result.get("message", ""),
        counts=result.get("counts", {}),
        encoding=result.get("encoding", ""),
        errors_total=result.get("errors_total", sum(i.severity == ERROR for i in issues)),
        warnings_total=result.get("warnings_total", sum(i.severity != ERROR for i in issues)),
        issues=_issues(issues),
        revisions=selectors.batch_revisions(batch).count(),
    )


class _WithResult:
    """A batch with what its stored result says, for BatchDetailOut (the model's own `revisions`
    is the reverse relation and must not be overwritten)."""

    def __init__(self, batch: ImportBatch, **extra: Any) -> None:
        self._batch = batch
        self._extra = extra

    def __getattr__(self, name: str) -> Any:
        if name in self._extra:
            return self._extra[name]
        return getattr(self._batch, name)


@router.get("/batches/{batch_id}/report", response={200: None}, summary="下载校验报告（.xlsx）")
def get_batch_report(request: HttpRequest, batch_id: IdPath) -> HttpResponse:
    """The error report (.xlsx) of a batch; audited as an export."""
    user = api_user(request)
    batch = selectors.batch_get(user, batch_id)
    return _xlsx(services.batch_report(actor=user, batch=batch), f"校验报告-批次{batch.pk}.xlsx")


@router.post("/batches/{batch_id}/rollback", response=BatchOut, summary="回滚已写入的批次")
def rollback_batch(request: HttpRequest, batch_id: IdPath) -> Any:
    user = api_user(request)
    batch = selectors.batch_get(user, batch_id)
    services.batch_rollback(actor=user, batch=batch)
    batch.refresh_from_db()
    return batch


@router.get("/templates/{kind}", response={200: None}, summary="下载数据类别的模板（.xlsx）")
def get_template(request: HttpRequest, kind: CodePath) -> HttpResponse:
    """The .xlsx template of a kind (code such as `monthly`, or its Chinese name)."""
    try:
        spec = kind_spec(kind)
    except KeyError:
        raise ValidationError({"kind": f"未知的数据类别“{kind}”"}) from None
    return _xlsx(template_bytes(spec, user=api_user(request)), f"{spec.file_stem}模板.xlsx")


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
