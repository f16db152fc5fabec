"""Extensions and second clarifications, which a supervisor approves."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from yuanqu.casework import clock, notify
from yuanqu.casework.models import (
    ApprovalRequest,
    Case,
    CaseEvent,
)
from yuanqu.casework.rules import rules
from yuanqu.casework.selectors import work_calendar
from yuanqu.casework.services.access import _require
from yuanqu.casework.services.common import (
    APPROVAL_DECIDED,
    APPROVAL_PENDING,
    CLARIFICATION_BEFORE_NOTICE,
    CONFLICT,
    EXTENSION_AFTER_DEADLINE,
    EXTENSION_DAYS,
    ILLEGAL_TRANSITION,
    REASON_REQUIRED,
    CaseConflictError,
    CaseTransitionError,
    _bounded,
    _clean_text,
    _deadline,
    _deadline_text,
    _event,
    _save,
    _stored,
    _today,
)
from yuanqu.casework.services.lifecycle import _check_pausable, _clean_items, _items_text, _pause_changes
from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.models import AuditLog, User


def _approval_pending(case: Case, kind: str) -> None:
    if ApprovalRequest.objects.filter(case=case, kind=kind, status=ApprovalRequest.Status.PENDING).exists():
        raise CaseTransitionError(_(APPROVAL_PENDING) % {"kind": ApprovalRequest.Kind(kind).label})


def _approval_ask(
    *,
    actor: User,
    case: Case,
    kind: str,
    reason: str,
    detail: str,
    event: tuple[str, str, bool],
    notice: str,
    days: int = 0,
    items: list[str] | None = None,
) -> ApprovalRequest:
    """A request for a supervisor's approval, once its own rules have passed: refused while one of
    its kind waits; audited (`detail`), written to the timeline (`event`: action, text, whether the
    enterprise sees it) and announced to the case's supervisors (`notice`)."""
    _approval_pending(case, kind)
    request = ApprovalRequest.objects.create(
        case=case,
        kind=kind,
        reason=reason,
        days=days,
        items=items or [],
        requested_by=actor,
        requested_at=clock.now(),
    )
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=request, after=snapshot(request), detail=detail)
    action, text, visible = event
    _event(case, actor, action, text, visible=visible)
    notify.notify(notify.supervisors(case), case=case, kind="approval", text=notice, exclude=actor)
    return request


@transaction.atomic
def case_request_extension(*, actor: User, case: Case, days: int, reason: str) -> ApprovalRequest:
    """Asked before the deadline, with a reason the enterprise sees."""
    _require(actor, case, "request_extension")
    reason = _clean_text(reason, field="reason", message=REASON_REQUIRED, limit=2000)
    most = rules().max_extension_days  # casework.yaml: max_extension_days
    if not 1 <= days <= most:
        raise CaseTransitionError({"days": _(EXTENSION_DAYS) % {"most": most}})
    today = _today()
    if case.deadline is not None and today > case.deadline:
        raise CaseTransitionError(_(EXTENSION_AFTER_DEADLINE) % {"deadline": f"{case.deadline:%Y-%m-%d}"})
    return _approval_ask(
        actor=actor,
        case=case,
        kind=ApprovalRequest.Kind.EXTENSION,
        reason=reason,
        days=days,
        detail="诉求：申请延期",
        event=(CaseEvent.Action.EXTENSION_REQUEST, f"申请延期{days}个工作日。理由：{reason}", True),
        notice=f"诉求 {case.number} 申请延期{days}个工作日，待审批",
    )


@transaction.atomic
def case_request_clarification(*, actor: User, case: Case, items: Sequence[str], reason: str) -> ApprovalRequest:
    """After the one-time notice, a second request for materials needs a supervisor's approval."""
    _require(actor, case, "request_clarification")
    if case.notice_sent_at is None:
        raise CaseTransitionError(_(CLARIFICATION_BEFORE_NOTICE))
    cleaned = _clean_items(items)
    reason = _clean_text(reason, field="reason", message=REASON_REQUIRED, limit=2000)
    return _approval_ask(
        actor=actor,
        case=case,
        kind=ApprovalRequest.Kind.CLARIFICATION,
        reason=reason,
        items=cleaned,
        detail="诉求：申请再次补正",
        event=(CaseEvent.Action.CLARIFICATION_REQUEST, f"申请再次补正：{_items_text(cleaned)}。理由：{reason}", False),
        notice=f"诉求 {case.number} 申请再次补正，待审批",
    )


@transaction.atomic
def case_decide_approval(
    *, actor: User, approval: ApprovalRequest, version: int, approve: bool, note: str = ""
) -> ApprovalRequest:
    case = approval.case
    rule = _require(actor, case, "decide_approval", version)
    if approve and case.status not in Case.CLOCK_STATUSES:
        raise CaseTransitionError(
            _(ILLEGAL_TRANSITION) % {"status": case.get_status_display(), "action": _(rule.label)}
        )
    now = clock.now()
    status = ApprovalRequest.Status.APPROVED if approve else ApprovalRequest.Status.REFUSED
    if approve and approval.kind == ApprovalRequest.Kind.CLARIFICATION:
        _check_pausable(case, work_calendar(), clock.local_date(now))
    decided = ApprovalRequest.objects.filter(pk=approval.pk, status=ApprovalRequest.Status.PENDING).update(
        status=status, decided_by=actor, decided_at=now, decision_note=_bounded(note.strip(), field="note", limit=2000)
    )
    if decided != 1:
        raise CaseTransitionError(_(APPROVAL_DECIDED))
    approval.refresh_from_db()
    verdict = "批准" if approve else "不批准"
    if approval.kind == ApprovalRequest.Kind.EXTENSION:
        if approve:
            deadline = _deadline(case, work_calendar(), extension_days=case.extension_days + approval.days)
            _save(
                case,
                actor=actor,
                version=version,
                label="批准延期",
                changes={
                    "extension_days": case.extension_days + approval.days,
                    "deadline": deadline.day,
                    "deadline_uncovered": deadline.uncovered,
                },
            )
            text = f"延期申请已批准：延期{approval.days}个工作日，办理期限调整为{_deadline_text(deadline)}"
        else:
            if version != case.version:
                raise CaseConflictError(_(CONFLICT))
            text = "延期申请未获批准，请在原期限内办结"
        _event(case, actor, CaseEvent.Action.EXTENSION_DECISION, text, visible=True, note=note.strip())
    else:
        if approve:
            today = clock.local_date(now)
            _save(case, actor=actor, version=version, label="批准再次补正", changes=_pause_changes(case, today, now))
            _event(
                case,
                actor,
                CaseEvent.Action.CLARIFICATION,
                f"经督办人员批准，请再补正以下材料：{_items_text(approval.items)}。补正期间暂停计时。",
                visible=True,
                note=note.strip(),
            )
        else:
            if version != case.version:
                raise CaseConflictError(_(CONFLICT))
            _event(
                case, actor, CaseEvent.Action.CLARIFICATION, f"再次补正申请{verdict}", visible=False, note=note.strip()
            )
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=approval,
        after={"status": status},
        detail=f"诉求：审批{_stored(approval.get_kind_display)}（{verdict}）",
    )
    recipients: list[User | None] = [approval.requested_by]
    if approve:
        recipients += notify.enterprise_users(case)
    notify.notify(
        recipients,
        case=case,
        kind="approval_decided",
        text=f"诉求 {case.number} 的{_stored(approval.get_kind_display)}申请：{verdict}",
        exclude=actor,
    )
    return approval
