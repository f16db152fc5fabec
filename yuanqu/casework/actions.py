"""The casework actions, one specification each: its name, the input it takes (a schema of
`casework/forms.py`, validated the same way for the page and the API), the service it calls, what
the page says when it is done and where the API offers it. Who may take it and in which statuses is
the services' rule of the same name (`services.ACTIONS`), which every service enforces itself.

Both doors are built from this table: the case page posts to `/casework/<number>/do/<name>/`
(`views.case_action`), and `api.py` registers `POST /api/v1/casework/cases/{number}/<path>` for each
entry. Entering a case and logging a visit (no case yet) go through `submit` and `visit` here too."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import forms, services
from yuanqu.casework.models import Case, Visit
from yuanqu.core.attachments import Upload
from yuanqu.core.contract.schemas import InputSchema
from yuanqu.core.models import User

# What the API answers after the action: the case as the caller now sees it (200), or the record the
# action created (201).
Answer = Literal["case", "approval", "reminder", "comment", "attachments"]


@dataclass(frozen=True)
class Taken:
    """One action as a page or the API received it, its input already through the schema."""

    actor: User
    case: Case
    data: Any
    files: Sequence[Upload] = ()
    approval_id: int | None = None


@dataclass(frozen=True)
class CaseAction:
    name: str  # the page's URL segment and the key of the services' rule
    path: str  # the API's: POST /api/v1/casework/cases/{number}/<path>
    schema: type[InputSchema]
    service: Callable[[Taken], object]
    done: str  # the page's message afterwards
    summary: str  # the API operation's summary
    operation: str  # the API view's name (its OpenAPI operation id)
    answer: Answer = "case"
    confirm: bool = False  # the page asks for the ticked confirmation box (core.confirm)
    files: bool = False  # the page's form carries files (the API's JSON body cannot)
    multipart: bool = False  # the API takes a multipart body (files and form fields)
    approval: bool = False  # addresses one approval request: in the API's path, a hidden field on the page

    @property
    def rule(self) -> services.ActionRule:
        return services.ACTIONS[self.name]


def _calls(
    service: Callable[..., object],
    *fields: str,
    case: bool = True,
    files: bool = False,
    **read: Callable[[Taken], object],
) -> Callable[[Taken], object]:
    """An action's service, called with the actor and the case (not for an approval's decision, which
    names its approval request instead), each of `fields` of the input as the keyword of its name,
    each of `read` as what it reads from the action (a code in the input turned into its row, in the
    order given, so the first bad code is the one refused), and the uploaded files when `files`.
    The service's keyword-only signature checks the names: a wrong one fails on the first call."""

    def call(t: Taken) -> object:
        keywords = {name: getattr(t.data, name) for name in fields}
        if case:
            keywords["case"] = t.case
        keywords.update((name, reader(t)) for name, reader in read.items())
        if files:
            keywords["files"] = t.files
        return service(actor=t.actor, **keywords)

    return call


_accept = _calls(services.case_accept, "version", "note")
_reject = _calls(services.case_reject, "version", "reason")
_notice = _calls(services.case_notify_missing, "version", "items", "text")
_supplement = _calls(services.case_supplement, "version", "text", files=True)
_assign = _calls(
    services.case_assign,
    "version",
    "note",
    lead_unit=lambda t: forms.unit_for(t.data.lead_unit, field="lead_unit"),
    co_units=lambda t: forms.units_for(t.data.co_units, field="co_units"),
)
_start = _calls(services.case_start, "version", "note")
_transfer = _calls(
    services.case_transfer, "version", "reason", to_unit=lambda t: forms.unit_for(t.data.to_unit, field="to_unit")
)
_reply = _calls(services.case_reply, "version", "text", files=True)
_rate = _calls(services.case_rate, "version", "level", "resolved", "comment", "next_step")
_decide_appeal = _calls(services.case_decide_appeal, "version", "upheld", "text")
_close = _calls(services.case_close, "version", "note")
_withdraw = _calls(services.case_withdraw, "version", "reason")
_hand_over = _calls(
    services.case_hand_over, "version", "reason", to_user=lambda t: forms.handover_target(t.data.to_user)
)
_request_extension = _calls(services.case_request_extension, "days", "reason")
_request_clarification = _calls(services.case_request_clarification, "items", "reason")
_decide_approval = _calls(
    services.case_decide_approval,
    "version",
    "approve",
    "note",
    case=False,
    approval=lambda t: forms.approval_for(t.case, t.approval_id),
)
_remind = _calls(services.case_remind, "note")
_comment = _calls(services.case_comment, "text", "to_enterprise", files=True)
_follow_up = _calls(services.case_follow_up, "note")
_attach = _calls(services.case_attach, "visible_to_enterprise", files=True)

_TABLE = (
    CaseAction("accept", "accept", forms.NoteIn, _accept, gettext_noop("已受理"), "受理", "accept_case"),
    CaseAction(
        "reject", "reject", forms.ReasonIn, _reject, gettext_noop("已不予受理"), "不予受理", "reject_case", confirm=True
    ),
    CaseAction(
        "notice",
        "notice",
        forms.NoticeIn,
        _notice,
        gettext_noop("已发出一次性告知"),
        "一次性告知补正材料",
        "notice_case",
    ),
    CaseAction(
        "supplement",
        "supplement",
        forms.TextIn,
        _supplement,
        gettext_noop("已提交补正材料"),
        "企业补正",
        "supplement_case",
        files=True,
    ),
    CaseAction("assign", "assign", forms.AssignIn, _assign, gettext_noop("已交办"), "交办责任单位", "assign_case"),
    CaseAction("start", "start", forms.NoteIn, _start, gettext_noop("已签收"), "开始办理", "start_case"),
    CaseAction("transfer", "transfer", forms.TransferIn, _transfer, gettext_noop("已转办"), "转办", "transfer_case"),
    CaseAction("reply", "reply", forms.TextIn, _reply, gettext_noop("已答复"), "答复企业", "reply_case", files=True),
    CaseAction("rate", "rate", forms.RateIn, _rate, gettext_noop("感谢您的评价"), "企业评价", "rate_case"),
    CaseAction(
        "decide_appeal",
        "appeal-decision",
        forms.AppealDecisionIn,
        _decide_appeal,
        gettext_noop("申诉已处理"),
        "申诉裁定",
        "decide_appeal",
    ),
    CaseAction("close", "close", forms.NoteIn, _close, gettext_noop("已办结"), "办结", "close_case", confirm=True),
    CaseAction(
        "withdraw",
        "withdraw",
        forms.WithdrawIn,
        _withdraw,
        gettext_noop("已撤回"),
        "撤回",
        "withdraw_case",
        confirm=True,
    ),
    CaseAction(
        "handover",
        "handover",
        forms.HandOverIn,
        _hand_over,
        gettext_noop("首问负责人已移交"),
        "移交他人办理",
        "hand_over_case",
    ),
    CaseAction(
        "request_extension",
        "extension",
        forms.ExtensionIn,
        _request_extension,
        gettext_noop("延期申请已提交"),
        "申请延期",
        "request_extension",
        answer="approval",
    ),
    CaseAction(
        "request_clarification",
        "clarification",
        forms.ClarificationIn,
        _request_clarification,
        gettext_noop("再次补正申请已提交"),
        "申请再次补正",
        "request_clarification",
        answer="approval",
    ),
    CaseAction(
        "decide_approval",
        "approvals/{approval_id}/decision",
        forms.ApprovalDecisionIn,
        _decide_approval,
        gettext_noop("审批已完成"),
        "审批延期或再次补正",
        "decide_approval",
        approval=True,
    ),
    CaseAction(
        "remind", "remind", forms.RemindIn, _remind, gettext_noop("已催办"), "催办", "remind_case", answer="reminder"
    ),
    CaseAction(
        "comment",
        "comments",
        forms.CommentIn,
        _comment,
        gettext_noop("留言已发送"),
        "留言（可对企业可见）",
        "comment_case",
        answer="comment",
        files=True,
    ),
    CaseAction(
        "follow_up", "follow-up", forms.FollowUpIn, _follow_up, gettext_noop("已记录回访"), "差评回访", "follow_up_case"
    ),
    CaseAction(
        "attach",
        "attachments",
        forms.AttachIn,
        _attach,
        gettext_noop("附件已上传"),
        "上传附件（multipart）",
        "upload_attachments",
        answer="attachments",
        files=True,
        multipart=True,
    ),
)
ACTIONS: dict[str, CaseAction] = {action.name: action for action in _TABLE}


def perform(
    action: CaseAction,
    *,
    actor: User,
    case: Case,
    data: InputSchema,
    files: Sequence[Upload] = (),
    approval_id: int | None = None,
) -> object:
    """Take the action through its service. The service checks the actor's right, the case's version
    and status and the step's own rules; a code in the input that names nothing is refused first."""
    return action.service(Taken(actor=actor, case=case, data=data, files=files, approval_id=approval_id))


# ── writes without a case yet ───────────────────────────────────────────────────────────────────


def submit(*, actor: User, data: forms.CaseIn, files: Sequence[Upload] = ()) -> Case:
    """Enter a case from the page's form or the API's body. The role is asked first (as for a
    visit), so a role that enters no cases hears that rather than that the category is not found."""
    if not services.may_enter(actor):
        raise PermissionDenied(_(services.SUBMIT_NOT_ALLOWED))
    category = forms.category_for(actor, data.category)
    enterprise = services.enterprise_for_entry(actor=actor, uscc=data.enterprise) if data.enterprise else None
    return services.case_submit(
        actor=actor,
        category=category,
        title=data.title,
        description=data.description,
        enterprise=enterprise,
        park=forms.park_for(actor, data.park),
        answers=dict(data.answers),
        channel=data.channel,
        contact_name=data.contact_name,
        contact_phone=data.contact_phone,
        files=files,
    )


def visit(*, actor: User, data: forms.VisitIn) -> Visit:
    """Log a visit from the page's form or the API's body. The role is asked first, so a role that
    logs no visits hears that rather than that the enterprise is not found."""
    if not services.may_enter(actor, Visit):
        raise PermissionDenied(_(services.VISIT_NOT_ALLOWED))
    enterprise = services.enterprise_for_entry(actor=actor, uscc=data.enterprise)
    return services.visit_log(actor=actor, enterprise=enterprise, visited_on=data.visited_on, summary=data.summary)
