"""Intake API: multipart upload returning the batch and its result, the batch list and detail
(within scope), a batch's error report and rollback, the kinds and their templates."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
from typing import Any
from urllib.parse import quote

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.params import FormEx, P

from yuanqu.core.apiauth import api_user
from yuanqu.core.contract.errors import error_response
from yuanqu.core.contract.openapi import ErrorOut
from yuanqu.core.contract.pagination import Page
from yuanqu.core.contract.schemas import Code, CodePath, IdPath, InputSchema
from yuanqu.core.exports import XLSX_MIME
from yuanqu.intake import selectors, services
from yuanqu.intake.kinds import KINDS, kind_spec
from yuanqu.intake.reading import FileRefused
from yuanqu.intake.validation import ERROR, Issue, can_upload
from yuanqu.intake.workbooks import template_bytes
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


class ImportOut(Schema):
    status: str
    message: str
    kind: str
    file_name: str
    sha256: str
    batch: BatchOut | None
    duplicate_of: int | None
    counts: dict[str, int]
    encoding: str
    errors_total: int
    warnings_total: int
    issues: list[IssueOut]


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


# A busy platform frees a slot within a minute or two (an import holds one while it runs).
BUSY_RETRY_AFTER_SECONDS = 60


@router.post(
    "/batches", response={200: ImportOut, 201: ImportOut, 503: ErrorOut}, summary="上传数据文件（multipart）"
)
def upload(
    request: HttpRequest,
    kind: FormEx[str, P(max_length=64)],
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
) -> Any:
    """Upload one file (multipart). 201 when a batch was made (applied or rejected: see `status`),
    200 for a dry run or a file already imported, 422 when the file is refused outright, 503 with
    Retry-After when every import slot stays taken (nothing was read; the same upload may be retried)."""
    user = api_user(request)
    try:
        spec = kind_spec(kind)
    except KeyError:
        raise ValidationError({"kind": f"未知的数据类别“{kind}”，可选：{'、'.join(KINDS)}"}) from None
    if not can_upload(user):
        raise PermissionDenied("您的角色无权上传数据")
    limit = services.limits()
    if (file.size or 0) > limit.max_bytes:
        raise ValidationError({"file": f"文件大小超过{limit.max_bytes // 2**20}MB的上限"})
    try:
        outcome = services.batch_import(
            actor=user, spec=spec, file_name=file.name or "upload", content=file.read(), dry_run=dry_run
        )
    except services.ImportBusy as exc:
        busy = error_response(503, str(exc), code="import_busy")
        busy["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        return busy
    except FileRefused as exc:
        raise ValidationError({"file": str(exc)}) from None
    validation = outcome.validation
    body = {
        "status": outcome.status,
        "message": outcome.message,
        "kind": spec.code,
        "file_name": outcome.file_name,
        "sha256": outcome.sha256,
        "batch": outcome.batch,
        "duplicate_of": outcome.duplicate_of.pk if outcome.duplicate_of else None,
        "counts": outcome.counts,
        "encoding": validation.encoding if validation else "",
        "errors_total": len(validation.errors) if validation else 0,
        "warnings_total": len(validation.warnings) if validation else 0,
        "issues": _issues(validation.issues) if validation else [],
    }
    return Status(201 if outcome.batch is not None else 200, body)


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
