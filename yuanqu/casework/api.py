"""Casework API (/api/v1/casework/): categories, cases with their timeline, every lifecycle step,
attachments, statistics, notifications and visits. Reads go through `Case.objects.visible_to`; writes
through the services, which check the actor's right and the case's status.

Errors: a broken rule answers 422 (the project's ValidationError handler), an actor without the right
403, a case changed since the caller read it 409 — every write that changes a case carries the
`version` the caller last saw."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
import functools
from collections.abc import Callable
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from yuanqu.casework import clock, selectors, services, stats
from yuanqu.casework.models import ApprovalRequest, Case, Category, Visit
from yuanqu.core.access import get_visible_or_404
from yuanqu.core.audit import audit_download
from yuanqu.core.contract.pagination import Mapped, Page
from yuanqu.core.contract.schemas import (
    MAX_INT,
    Code,
    CodePath,
    Id,
    IdPath,
    InputSchema,
    PlausibleDate,
    SearchText,
)
from yuanqu.core.models import User
from yuanqu.registry.models import Park, ResponsibleUnit

router = Router(tags=["啄木鸟"])


def _user(request: HttpRequest) -> User:
    assert isinstance(request.auth, User)  # type: ignore[attr-defined]
    return request.auth  # type: ignore[attr-defined]


def case_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """Map the services' refusals to HTTP: conflict 409, no right 403 (validation stays 422)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except services.CaseConflictError as exc:
            raise HttpError(409, " ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise HttpError(403, str(exc) or _("无权操作")) from exc

    return wrapper


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
    category: str
    category_name: str
    title: str
    status: str
    status_label: str
    enterprise: str | None
    enterprise_name: str | None
    park: str | None
    district: str
    channel: str
    submitted_at: dt.datetime
    response_due: dt.date | None
    accepted_at: dt.datetime | None
    first_responder: str | None
    lead_unit: str | None
    co_units: list[str]
    time_limit_days: int
    extension_days: int
    deadline: dt.date | None
    deadline_uncovered: bool
    paused: bool
    overdue: bool
    replied_at: dt.datetime | None
    closed_at: dt.datetime | None
    reopen_count: int
    rating_level: str
    satisfied: bool | None
    resolved: bool | None
    repeat_of: str | None
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
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "uploaded_at": attachment.uploaded_at,
        "url": f"/api/v1/casework/attachments/{attachment.pk}",
    }


def _case_out(case: Case, today: dt.date) -> dict[str, Any]:
    return {
        "number": case.number,
        "kind": case.kind,
        "category": case.category.code,
        "category_name": case.category.name,
        "title": case.title,
        "status": case.status,
        "status_label": case.get_status_display(),
        "enterprise": case.enterprise.uscc if case.enterprise else None,
        "enterprise_name": case.enterprise.name if case.enterprise else None,
        "park": case.park.code if case.park else None,
        "district": case.district.code,
        "channel": case.channel,
        "submitted_at": case.submitted_at,
        "response_due": case.response_due,
        "accepted_at": case.accepted_at,
        "first_responder": services.actor_label(case.first_responder) if case.first_responder else None,
        "lead_unit": case.lead_unit.code if case.lead_unit else None,
        "co_units": [unit.code for unit in case.co_units.all()],
        "time_limit_days": case.time_limit_days,
        "extension_days": case.extension_days,
        "deadline": case.deadline,
        "deadline_uncovered": case.deadline_uncovered,
        "paused": case.is_paused,
        "overdue": case.is_overdue(today),
        "replied_at": case.replied_at,
        "closed_at": case.closed_at,
        "reopen_count": case.reopen_count,
        "rating_level": case.rating_level,
        "satisfied": case.satisfied,
        "resolved": case.resolved,
        "repeat_of": case.repeat_of.number if case.repeat_of else None,
        "version": case.version,
    }


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
        approvals=[
            {
                "id": a.pk,
                "kind": a.kind,
                "reason": a.reason,
                "days": a.days,
                "items": a.items,
                "status": a.status,
                "requested_at": a.requested_at,
                "decided_at": a.decided_at,
                "decision_note": a.decision_note,
            }
            for a in approvals
        ],
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


def _unit(code: str | None, field: str = "lead_unit") -> ResponsibleUnit | None:
    if not code:
        return None
    unit: ResponsibleUnit | None = ResponsibleUnit.objects.filter(code=code).first()
    if unit is None:
        raise ValidationError({field: _("责任单位“%(code)s”不存在") % {"code": code}})
    return unit


# ── categories and cases ────────────────────────────────────────────────────────────────────


@router.get("/categories", response=list[CategoryOut], summary="诉求类别")
@paginate(Page, page_size=100)
def list_categories(request: HttpRequest) -> Any:
    return [
        {
            "code": c.code,
            "name": c.name,
            "kind": c.kind,
            "time_limit_days": c.time_limit_days,
            "default_unit": c.default_unit_code or None,
            "description": c.description,
            "materials": c.materials,
            "questions": c.questions,
        }
        for c in Category.objects.visible_to(_user(request)).filter(active=True)
    ]


class CaseQuery(InputSchema):
    status: Code = ""
    category: Code = ""
    kind: Code = ""
    unit: Code = ""
    park: Code = ""
    district: Code = ""
    overdue: bool = False
    repeat: bool = False
    q: SearchText = ""
    year: Annotated[str, Field(max_length=4)] = ""


@router.get("/cases", response=list[CaseOut], summary="诉求列表（按权限范围）")
@paginate(Page, page_size=50)
def list_cases(request: HttpRequest, filters: Query[CaseQuery]) -> Any:
    user = _user(request)
    cases = (
        selectors.case_list(user, selectors.CaseFilters.from_query(filters.dict()))
        .prefetch_related("co_units")
        .select_related("repeat_of")
    )
    today = clock.today()
    return Mapped(cases, lambda case: _case_out(case, today))


# Longest texts the casework columns keep (the services refuse longer ones too, never cut them).
CaseTitle = Annotated[str, Field(max_length=100)]
LongText = Annotated[str, Field(max_length=5000)]
Reason = Annotated[str, Field(max_length=2000)]
Note = Annotated[str, Field(max_length=2000)]
Items = Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=50)]
Version = Annotated[int, Field(ge=0, le=MAX_INT)]
AnswerValue = Annotated[str, Field(max_length=500)] | float | bool | None


class CaseIn(InputSchema):
    category: Code
    title: CaseTitle
    description: LongText
    enterprise: Code | None = None
    park: Code | None = None
    answers: Annotated[dict[Annotated[str, Field(max_length=40)], AnswerValue], Field(max_length=50)] = {}
    channel: Literal["online", "phone", "visit", "window", "hotline"] | None = None
    contact_name: Annotated[str, Field(max_length=40)] = ""
    contact_phone: Annotated[str, Field(max_length=30)] = ""


@router.post("/cases", response={201: CaseDetailOut}, summary="提交诉求")
@case_errors
def submit_case(request: HttpRequest, payload: CaseIn) -> Any:
    user = _user(request)
    category = Category.objects.visible_to(user).filter(code=payload.category).first()
    if category is None and user.is_city_wide:
        category = Category.objects.filter(code=payload.category).first()
    if category is None:
        raise ValidationError({"category": _("诉求类别“%(code)s”不存在") % {"code": payload.category}})
    if not services.may_enter(user):
        raise PermissionDenied(_(services.SUBMIT_NOT_ALLOWED))
    enterprise = None
    if payload.enterprise:
        enterprise = services.enterprise_for_entry(actor=user, uscc=payload.enterprise)
    park = None
    if payload.park:
        park = Park.objects.visible_to(user).filter(code=payload.park).first()
        if park is None:
            raise ValidationError({"park": _("园区“%(code)s”不存在或不在您的权限范围内") % {"code": payload.park}})
    case = services.case_submit(
        actor=user,
        category=category,
        title=payload.title,
        description=payload.description,
        enterprise=enterprise,
        park=park,
        answers=payload.answers,
        channel=payload.channel,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
    )
    return Status(201, _case_detail(user, _get_case(user, case.number)))


@router.get("/cases/{number}", response=CaseDetailOut, summary="诉求详情与办理时间线")
def get_case(request: HttpRequest, number: CodePath) -> Any:
    user = _user(request)
    return _case_detail(user, _get_case(user, number))


# ── lifecycle steps ─────────────────────────────────────────────────────────────────────────


class Versioned(InputSchema):
    version: Version


class NoteIn(Versioned):
    note: Note = ""


class ReasonIn(Versioned):
    reason: Reason


class NoticeIn(Versioned):
    items: Items
    text: LongText = ""


class TextIn(Versioned):
    text: LongText


class AssignIn(Versioned):
    lead_unit: Code
    co_units: Annotated[list[Code], Field(max_length=20)] = []
    note: Note = ""


class TransferIn(Versioned):
    to_unit: Code
    reason: Reason


class RateIn(Versioned):
    level: Literal["very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied"]
    resolved: bool
    comment: Annotated[str, Field(max_length=2000)] = ""
    next_step: Literal["close", "reopen", "appeal"] = "close"


class AppealDecisionIn(Versioned):
    upheld: bool
    text: LongText


class WithdrawIn(Versioned):
    reason: Reason = ""


class HandOverIn(Versioned):
    to_user: Annotated[str, Field(max_length=150)]
    reason: Reason


class ApprovalDecisionIn(Versioned):
    approve: bool
    note: Note = ""


class ExtensionIn(InputSchema):
    days: Annotated[int, Field(ge=1, le=365)]
    reason: Reason


class ClarificationIn(InputSchema):
    items: Items
    reason: Reason


class RemindIn(InputSchema):
    note: Annotated[str, Field(max_length=300)] = ""


class CommentIn(InputSchema):
    text: Annotated[str, Field(max_length=3000)]
    to_enterprise: bool = False


class FollowUpIn(InputSchema):
    note: Note


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


def _detail(user: User, case: Case) -> dict[str, Any]:
    return _case_detail(user, _get_case(user, case.number))


@router.post("/cases/{number}/accept", response=CaseDetailOut, summary="受理")
@case_errors
def accept_case(request: HttpRequest, number: CodePath, payload: NoteIn) -> Any:
    user = _user(request)
    case = services.case_accept(actor=user, case=_get_case(user, number), version=payload.version, note=payload.note)
    return _detail(user, case)


@router.post("/cases/{number}/reject", response=CaseDetailOut, summary="不予受理")
@case_errors
def reject_case(request: HttpRequest, number: CodePath, payload: ReasonIn) -> Any:
    user = _user(request)
    case = services.case_reject(
        actor=user, case=_get_case(user, number), version=payload.version, reason=payload.reason
    )
    return _detail(user, case)


@router.post("/cases/{number}/notice", response=CaseDetailOut, summary="一次性告知补正材料")
@case_errors
def notice_case(request: HttpRequest, number: CodePath, payload: NoticeIn) -> Any:
    user = _user(request)
    case = services.case_notify_missing(
        actor=user, case=_get_case(user, number), version=payload.version, items=payload.items, text=payload.text
    )
    return _detail(user, case)


@router.post("/cases/{number}/supplement", response=CaseDetailOut, summary="企业补正")
@case_errors
def supplement_case(request: HttpRequest, number: CodePath, payload: TextIn) -> Any:
    user = _user(request)
    case = services.case_supplement(
        actor=user, case=_get_case(user, number), version=payload.version, text=payload.text
    )
    return _detail(user, case)


@router.post("/cases/{number}/assign", response=CaseDetailOut, summary="交办责任单位")
@case_errors
def assign_case(request: HttpRequest, number: CodePath, payload: AssignIn) -> Any:
    user = _user(request)
    co_units = [unit for unit in (_unit(code, "co_units") for code in payload.co_units) if unit is not None]
    case = services.case_assign(
        actor=user,
        case=_get_case(user, number),
        version=payload.version,
        lead_unit=_unit(payload.lead_unit),
        co_units=co_units,
        note=payload.note,
    )
    return _detail(user, case)


@router.post("/cases/{number}/start", response=CaseDetailOut, summary="开始办理")
@case_errors
def start_case(request: HttpRequest, number: CodePath, payload: NoteIn) -> Any:
    user = _user(request)
    case = services.case_start(actor=user, case=_get_case(user, number), version=payload.version, note=payload.note)
    return _detail(user, case)


@router.post("/cases/{number}/transfer", response=CaseDetailOut, summary="转办")
@case_errors
def transfer_case(request: HttpRequest, number: CodePath, payload: TransferIn) -> Any:
    user = _user(request)
    case = services.case_transfer(
        actor=user,
        case=_get_case(user, number),
        version=payload.version,
        to_unit=_unit(payload.to_unit),
        reason=payload.reason,
    )
    return _detail(user, case)


@router.post("/cases/{number}/reply", response=CaseDetailOut, summary="答复企业")
@case_errors
def reply_case(request: HttpRequest, number: CodePath, payload: TextIn) -> Any:
    user = _user(request)
    case = services.case_reply(actor=user, case=_get_case(user, number), version=payload.version, text=payload.text)
    return _detail(user, case)


@router.post("/cases/{number}/rate", response=CaseDetailOut, summary="企业评价")
@case_errors
def rate_case(request: HttpRequest, number: CodePath, payload: RateIn) -> Any:
    user = _user(request)
    case = services.case_rate(
        actor=user,
        case=_get_case(user, number),
        version=payload.version,
        level=payload.level,
        resolved=payload.resolved,
        comment=payload.comment,
        next_step=payload.next_step,
    )
    return _detail(user, case)


@router.post("/cases/{number}/appeal-decision", response=CaseDetailOut, summary="申诉裁定")
@case_errors
def decide_appeal(request: HttpRequest, number: CodePath, payload: AppealDecisionIn) -> Any:
    user = _user(request)
    case = services.case_decide_appeal(
        actor=user, case=_get_case(user, number), version=payload.version, upheld=payload.upheld, text=payload.text
    )
    return _detail(user, case)


@router.post("/cases/{number}/close", response=CaseDetailOut, summary="办结")
@case_errors
def close_case(request: HttpRequest, number: CodePath, payload: NoteIn) -> Any:
    user = _user(request)
    case = services.case_close(actor=user, case=_get_case(user, number), version=payload.version, note=payload.note)
    return _detail(user, case)


@router.post("/cases/{number}/withdraw", response=CaseDetailOut, summary="撤回")
@case_errors
def withdraw_case(request: HttpRequest, number: CodePath, payload: WithdrawIn) -> Any:
    user = _user(request)
    case = services.case_withdraw(
        actor=user, case=_get_case(user, number), version=payload.version, reason=payload.reason
    )
    return _detail(user, case)


@router.post("/cases/{number}/handover", response=CaseDetailOut, summary="移交他人办理")
@case_errors
def hand_over_case(request: HttpRequest, number: CodePath, payload: HandOverIn) -> Any:
    user = _user(request)
    target = User.objects.filter(username=payload.to_user, is_active=True).first()
    if target is None:
        raise ValidationError({"to_user": services.HANDOVER_TARGET})
    case = services.case_hand_over(
        actor=user, case=_get_case(user, number), version=payload.version, to_user=target, reason=payload.reason
    )
    return _detail(user, case)


@router.post("/cases/{number}/extension", response={201: ApprovalCreatedOut}, summary="申请延期")
@case_errors
def request_extension(request: HttpRequest, number: CodePath, payload: ExtensionIn) -> Any:
    user = _user(request)
    approval = services.case_request_extension(
        actor=user, case=_get_case(user, number), days=payload.days, reason=payload.reason
    )
    return Status(201, approval)


@router.post("/cases/{number}/clarification", response={201: ApprovalCreatedOut}, summary="申请再次补正")
@case_errors
def request_clarification(request: HttpRequest, number: CodePath, payload: ClarificationIn) -> Any:
    user = _user(request)
    approval = services.case_request_clarification(
        actor=user, case=_get_case(user, number), items=payload.items, reason=payload.reason
    )
    return Status(201, approval)


@router.post("/cases/{number}/approvals/{approval_id}/decision", response=CaseDetailOut, summary="审批延期或再次补正")
@case_errors
def decide_approval(request: HttpRequest, number: CodePath, approval_id: IdPath, payload: ApprovalDecisionIn) -> Any:
    user = _user(request)
    case = _get_case(user, number)
    approval = case.approvals.filter(pk=approval_id).first()
    if approval is None:
        raise HttpError(404, _("审批事项不存在"))
    approval.case = case
    services.case_decide_approval(
        actor=user, approval=approval, version=payload.version, approve=payload.approve, note=payload.note
    )
    return _detail(user, case)


@router.post("/cases/{number}/remind", response={201: IdOut}, summary="催办")
@case_errors
def remind_case(request: HttpRequest, number: CodePath, payload: RemindIn) -> Any:
    user = _user(request)
    reminder = services.case_remind(actor=user, case=_get_case(user, number), note=payload.note)
    return Status(201, {"id": reminder.pk, "kind": reminder.kind})


@router.post("/cases/{number}/comments", response={201: CommentOut}, summary="留言（可对企业可见）")
@case_errors
def comment_case(request: HttpRequest, number: CodePath, payload: CommentIn) -> Any:
    user = _user(request)
    event = services.case_comment(
        actor=user, case=_get_case(user, number), text=payload.text, to_enterprise=payload.to_enterprise
    )
    return Status(201, {"id": event.pk, "visible_to_enterprise": event.visible_to_enterprise})


@router.post("/cases/{number}/follow-up", response=CaseDetailOut, summary="差评回访")
@case_errors
def follow_up_case(request: HttpRequest, number: CodePath, payload: FollowUpIn) -> Any:
    user = _user(request)
    case = _get_case(user, number)
    services.case_follow_up(actor=user, case=case, note=payload.note)
    return _detail(user, case)


@router.post("/cases/{number}/attachments", response={201: list[AttachmentOut]}, summary="上传附件（multipart）")
@case_errors
def upload_attachments(
    request: HttpRequest,
    number: CodePath,
    files: File[list[UploadedFile]],
    visible_to_enterprise: Form[bool] = True,
) -> Any:
    user = _user(request)
    stored = services.case_attach(
        actor=user, case=_get_case(user, number), files=files, visible_to_enterprise=visible_to_enterprise
    )
    return Status(201, [_attachment_out(a) for a in stored])


@router.get("/attachments/{attachment_id}", response={200: None}, summary="下载附件")
def download_attachment(request: HttpRequest, attachment_id: IdPath) -> FileResponse:
    attachment = selectors.attachment_for_download(_user(request), attachment_id)
    if attachment is None:
        raise HttpError(404, _("附件不存在或不在您的权限范围内"))
    audit_download(actor=_user(request), obj=attachment, name=attachment.original_name)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


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
    user = _user(request)
    if selectors.is_enterprise_user(user):
        raise HttpError(403, _("企业用户无统计权限"))
    filters = selectors.CaseFilters.from_query(query.dict())
    rows, total = stats.case_statistics(user, by=query.by, filters=filters)
    return {"by": query.by, "rows": [row.as_dict() for row in rows], "total": total.as_dict()}


class NotificationOut(Schema):
    id: int
    case: str | None
    kind: str
    text: str
    created_at: dt.datetime
    read: bool


class ReadIn(InputSchema):
    ids: Annotated[list[Id], Field(max_length=1000)] | None = None


@router.get("/notifications", response=list[NotificationOut], summary="我的通知")
@paginate(Page, page_size=50)
def list_notifications(request: HttpRequest) -> Any:
    return Mapped(
        selectors.notifications_for(_user(request)),
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
def read_notifications(request: HttpRequest, payload: ReadIn) -> Any:
    return {"updated": services.notifications_mark_read(user=_user(request), ids=payload.ids)}


class VisitIn(InputSchema):
    enterprise: Code
    visited_on: PlausibleDate
    summary: Annotated[str, Field(max_length=3000)]


class VisitOut(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    visited_on: dt.date
    summary: str
    visited_by: str


def _visit_out(visit: Visit) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "enterprise": visit.enterprise.uscc,
        "enterprise_name": visit.enterprise.name,
        "visited_on": visit.visited_on,
        "summary": visit.summary,
        "visited_by": services.actor_label(visit.visited_by),
    }


@router.get("/visits", response=list[VisitOut], summary="走访记录")
@paginate(Page, page_size=50)
def list_visits(request: HttpRequest) -> Any:
    visits = Visit.objects.visible_to(_user(request)).select_related("enterprise", "visited_by")
    return Mapped(visits, _visit_out)


@router.post("/visits", response={201: VisitOut}, summary="登记走访")
@case_errors
def log_visit(request: HttpRequest, payload: VisitIn) -> Any:
    user = _user(request)
    if not services.may_enter(user, Visit):
        raise PermissionDenied(_(services.VISIT_NOT_ALLOWED))
    enterprise = services.enterprise_for_entry(actor=user, uscc=payload.enterprise)
    visit = services.visit_log(
        actor=user, enterprise=enterprise, visited_on=payload.visited_on, summary=payload.summary
    )
    return Status(201, _visit_out(visit))
