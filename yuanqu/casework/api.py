"""Casework API (/api/v1/casework/): categories, cases with their timeline, every lifecycle step,
attachments, statistics, notifications and visits. Reads go through `Case.objects.visible_to`; writes
through the services, which check the actor's right and the case's status.

The lifecycle steps are registered from the action table (`casework/actions.py`), which the case
page uses too, with the bodies of `casework/forms.py`. Errors: a broken rule answers 422 and an actor
without the right 403 (the API's handlers); a case changed since the caller read it 409 — every write
that changes a case carries the `version` the caller last saw."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from yuanqu.casework import actions, clock, forms, selectors, services, stats
from yuanqu.casework.actions import CaseAction
from yuanqu.casework.attachments import attachment_download
from yuanqu.casework.models import ApprovalRequest, Case, Category, Visit
from yuanqu.core.access import get_visible_or_404
from yuanqu.core.apiauth import api_user
from yuanqu.core.attachments import Upload
from yuanqu.core.contract.pagination import Mapped, Page
from yuanqu.core.contract.published import (
    From,
    RelatedDistrict,
    RelatedEnterprise,
    RelatedEnterpriseName,
    RelatedEnterpriseOrNone,
    RelatedParkOrNone,
    published_values,
)
from yuanqu.core.contract.schemas import Code, CodePath, IdPath, InputSchema, filters_taken, query_schema
from yuanqu.core.models import User

router = Router(tags=["啄木鸟"])


# ── schemas ─────────────────────────────────────────────────────────────────────────────────


class CategoryOut(Schema):
    code: str
    name: str
    kind: str
    time_limit_days: int
    default_unit: str | None
    description: str
    materials: list[str]
    questions: list[dict[str, Any]]


class CaseOut(Schema):
    number: CodePath
    kind: str
    category: Annotated[str, From("category.code")]
    category_name: Annotated[str, From("category.name")]
    title: str
    status: str
    status_label: str
    enterprise: RelatedEnterpriseOrNone
    enterprise_name: Annotated[str | None, From("enterprise.name")]
    park: RelatedParkOrNone
    district: RelatedDistrict
    channel: str
    submitted_at: dt.datetime
    response_due: dt.date | None
    accepted_at: dt.datetime | None
    first_responder: str | None
    lead_unit: Annotated[str | None, From("lead_unit.code")]
    co_units: list[str]
    time_limit_days: int
    extension_days: int
    deadline: dt.date | None
    deadline_uncovered: bool
    paused: Annotated[bool, From("is_paused")]
    overdue: bool
    replied_at: dt.datetime | None
    closed_at: dt.datetime | None
    reopen_count: int
    rating_level: str
    satisfied: bool | None
    resolved: bool | None
    repeat_of: Annotated[str | None, From("repeat_of.number")]
    version: int


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime
    url: str


class EventOut(Schema):
    at: dt.datetime
    action: str
    action_label: str
    actor: str
    text: str
    note: str | None
    status_after: str
    visible_to_enterprise: bool
    attachments: list[AttachmentOut]


class ApprovalOut(Schema):
    id: int
    kind: str
    reason: str
    days: int
    items: list[str]
    status: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str


class CaseDetailOut(CaseOut):
    description: str
    answers: dict[str, Any]
    reply: str
    notice_items: list[str]
    events: list[EventOut]
    approvals: list[ApprovalOut]
    actions: list[str]


def _attachment_out(attachment: Any) -> dict[str, Any]:
    return published_values(
        attachment, AttachmentOut, name=attachment.original_name, url=f"/api/v1/casework/attachments/{attachment.pk}"
    )


def _case_out(case: Case, today: dt.date) -> dict[str, Any]:
    return published_values(
        case,
        CaseOut,
        status_label=case.get_status_display(),
        first_responder=services.actor_label(case.first_responder) if case.first_responder else None,
        co_units=[unit.code for unit in case.co_units.all()],
        overdue=case.is_overdue(today),
    )


def _case_detail(user: User, case: Case) -> dict[str, Any]:
    staff = not selectors.is_enterprise_user(user)
    events = [
        {
            "at": event.at,
            "action": event.action,
            "action_label": event.get_action_display(),
            "actor": event.actor_label,
            "text": event.text,
            "note": event.note if staff else None,
            "status_after": event.status_after,
            "visible_to_enterprise": event.visible_to_enterprise,
            "attachments": [_attachment_out(a) for a in event.attachments.all()],
        }
        for event in selectors.timeline(user, case)
    ]
    approvals = case.approvals.all() if staff else case.approvals.filter(kind=ApprovalRequest.Kind.EXTENSION)
    data = _case_out(case, clock.today())
    data.update(
        description=case.description,
        answers=case.answers,
        reply=case.reply,
        notice_items=case.notice_items,
        events=events,
        approvals=[published_values(approval, ApprovalOut) for approval in approvals],
        actions=sorted(services.available_actions(user, case)),
    )
    return data


def _get_case(user: User, number: CodePath) -> Case:
    return get_visible_or_404(
        Case.objects.select_related(
            "category", "enterprise", "park", "district", "lead_unit", "first_responder", "repeat_of"
        ),
        user,
        number=number,
    )


# ── categories and cases ────────────────────────────────────────────────────────────────────


@router.get("/categories", response=list[CategoryOut], summary="诉求类别")
@paginate(Page, page_size=100)
def list_categories(request: HttpRequest) -> Any:
    return [
        published_values(c, CategoryOut, default_unit=c.default_unit_code or None)
        for c in Category.objects.visible_to(api_user(request)).filter(active=True)
    ]


if TYPE_CHECKING:
    CaseQuery = InputSchema
else:
    # The cockpit's park type and chain and the board's uncovered tile filter the pages alone.
    CaseQuery = query_schema(
        selectors.CaseFilters,
        name="CaseQuery",
        types={"year": Annotated[str, Field(max_length=4)]},
        hidden=("park_type", "chain", "uncovered"),
    )


@router.get("/cases", response=list[CaseOut], summary="诉求列表（按权限范围）")
@paginate(Page, page_size=50)
def list_cases(request: HttpRequest, filters: Query[CaseQuery]) -> Any:
    user = api_user(request)
    cases = (
        selectors.case_list(user, filters_taken(selectors.CaseFilters.from_query(filters.dict(), user)))
        .prefetch_related("co_units")
        .select_related("repeat_of")
    )
    today = clock.today()
    return Mapped(cases, lambda case: _case_out(case, today))


@router.post("/cases", response={201: CaseDetailOut}, summary="提交诉求")
def submit_case(request: HttpRequest, payload: forms.CaseIn) -> Any:
    user = api_user(request)
    case = actions.submit(actor=user, data=payload)
    return Status(201, _case_detail(user, _get_case(user, case.number)))


@router.get("/cases/{number}", response=CaseDetailOut, summary="诉求详情与办理时间线")
def get_case(request: HttpRequest, number: CodePath) -> Any:
    user = api_user(request)
    return _case_detail(user, _get_case(user, number))


# ── lifecycle steps (from the action table) ─────────────────────────────────────────────────────────────────────────


class IdOut(Schema):
    id: int
    kind: str


class CommentOut(Schema):
    id: int
    visible_to_enterprise: bool


class UpdatedOut(Schema):
    updated: int


class ApprovalCreatedOut(Schema):
    id: int
    kind: str
    status: str


# One endpoint per action of the table; the page posts the same schemas (views.case_action).
ANSWERS: dict[str, Any] = {
    "case": CaseDetailOut,
    "approval": {201: ApprovalCreatedOut},
    "reminder": {201: IdOut},
    "comment": {201: CommentOut},
    "attachments": {201: list[AttachmentOut]},
}


def _act(
    request: HttpRequest,
    action: CaseAction,
    number: str,
    payload: InputSchema,
    *,
    files: Sequence[Upload] = (),
    approval_id: int | None = None,
) -> Any:
    user = api_user(request)
    case = _get_case(user, number)
    # A case changed since it was read, or in a status the step does not fit: 409 (core.contract).
    result: Any = actions.perform(action, actor=user, case=case, data=payload, files=files, approval_id=approval_id)
    if action.answer == "approval":
        return Status(201, result)
    if action.answer == "reminder":
        return Status(201, {"id": result.pk, "kind": result.kind})
    if action.answer == "comment":
        return Status(201, {"id": result.pk, "visible_to_enterprise": result.visible_to_enterprise})
    if action.answer == "attachments":
        return Status(201, [_attachment_out(attachment) for attachment in result])
    return _case_detail(user, _get_case(user, case.number))


def _endpoint(action: CaseAction) -> Callable[..., Any]:
    schema = action.schema
    if action.multipart:

        def endpoint(
            request: HttpRequest,
            number: CodePath,
            files: File[list[UploadedFile]],
            visible_to_enterprise: Form[bool] = True,
        ) -> Any:
            return _act(
                request,
                action,
                number,
                schema.model_validate({"visible_to_enterprise": visible_to_enterprise}),
                files=files,
            )

    elif action.approval:

        def endpoint(  # type: ignore[misc]
            request: HttpRequest,
            number: CodePath,
            approval_id: IdPath,
            payload: schema,  # type: ignore[valid-type]
        ) -> Any:
            return _act(request, action, number, payload, approval_id=approval_id)

    else:

        def endpoint(request: HttpRequest, number: CodePath, payload: schema) -> Any:  # type: ignore[misc,valid-type]
            return _act(request, action, number, payload)

    endpoint.__name__ = endpoint.__qualname__ = action.operation
    return endpoint


for _action in actions.ACTIONS.values():
    router.post(f"/cases/{{number}}/{_action.path}", response=ANSWERS[_action.answer], summary=_action.summary)(
        _endpoint(_action)
    )


@router.get("/attachments/{attachment_id}", response={200: None}, summary="下载附件")
def download_attachment(request: HttpRequest, attachment_id: IdPath) -> FileResponse:
    return attachment_download(actor=api_user(request), attachment_id=attachment_id)


# ── statistics, notifications, visits ────────────────────────────────────────────────────────


class StatsQuery(InputSchema):
    by: Literal["unit", "park", "district", "category", "month"] = "unit"
    category: Code = ""
    kind: Code = ""
    park: Code = ""
    district: Code = ""
    year: Annotated[str, Field(max_length=4)] = ""


class StatOut(Schema):
    label: str
    submitted: int
    responded: int
    responded_on_time: int
    unanswered_late: int
    response_rate: float | None
    finished: int
    finished_on_time: int
    open: int
    open_overdue: int
    on_time_rate: float | None
    rated: int
    resolved: int
    resolution_rate: float | None
    satisfied: int
    satisfaction_rate: float | None
    average_handling_days: float | None
    transfers: int
    repeats: int


class StatsOut(Schema):
    by: str
    rows: list[StatOut]
    total: StatOut


@router.get("/stats", response=StatsOut, summary="三率统计")
def case_stats(request: HttpRequest, query: Query[StatsQuery]) -> Any:
    user = api_user(request)
    if not stats.may_read_statistics(user):
        raise PermissionDenied(_(stats.ERR_NO_STATS))
    filters = filters_taken(selectors.CaseFilters.from_query(query.dict(), user))
    rows, total = stats.case_statistics(user, by=query.by, filters=filters)
    return {"by": query.by, "rows": [row.as_dict() for row in rows], "total": total.as_dict()}


class NotificationOut(Schema):
    id: int
    case: str | None
    kind: str
    text: str
    created_at: dt.datetime
    read: bool


@router.get("/notifications", response=list[NotificationOut], summary="我的通知")
@paginate(Page, page_size=50)
def list_notifications(request: HttpRequest) -> Any:
    return Mapped(
        selectors.notifications_for(api_user(request)),
        lambda n: {
            "id": n.pk,
            "case": n.case.number if n.case else None,
            "kind": n.kind,
            "text": n.text,
            "created_at": n.created_at,
            "read": n.read_at is not None,
        },
    )


@router.post("/notifications/read", response=UpdatedOut, summary="标记通知已读（不传 ids 则全部）")
def read_notifications(request: HttpRequest, payload: forms.ReadIn) -> Any:
    return {"updated": services.notifications_mark_read(user=api_user(request), ids=payload.ids)}


class VisitOut(Schema):
    id: int
    enterprise: RelatedEnterprise
    enterprise_name: RelatedEnterpriseName
    visited_on: dt.date
    summary: str
    visited_by: str


def _visit_out(visit: Visit) -> dict[str, Any]:
    return published_values(visit, VisitOut, visited_by=services.actor_label(visit.visited_by))


@router.get("/visits", response=list[VisitOut], summary="走访记录")
@paginate(Page, page_size=50)
def list_visits(request: HttpRequest) -> Any:
    visits = Visit.objects.visible_to(api_user(request)).select_related("enterprise", "visited_by")
    return Mapped(visits, _visit_out)


@router.post("/visits", response={201: VisitOut}, summary="登记走访")
def log_visit(request: HttpRequest, payload: forms.VisitIn) -> Any:
    return Status(201, _visit_out(actions.visit(actor=api_user(request), data=payload)))
