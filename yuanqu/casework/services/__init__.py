"""Casework writes: the lifecycle of a case, one `case_<verb>` function per step.

Every function is keyword-only, atomic and audited, appends to the case's timeline, and notifies the
people concerned. A step that does not fit the case's status raises `CaseStatusError` (a conflict,
409); a broken rule of the step raises `CaseTransitionError` (422); an actor without the right raises
`CasePermissionError` (403); a case changed by someone else since the actor loaded it raises
`CaseConflictError` (409; the version check: `filter(pk, version=v).update(...)` and count).

Lifecycle (受理 → 交办 → 办理 → 答复 → 评价 → 办结):

    submitted ──accept──► accepted ──assign──► assigned ──start──► in_progress ──reply──► replied
        │ reject/withdraw     │ notice (一次性告知, once) ► awaiting_supplement ──supplement──► back
        ▼                     ▼                                    transfer ◄──┘             │
    rejected / withdrawn                        rate: satisfied → closed; unsatisfied → closed,
                                                reopened (in_progress, new limit) or appealed
                                                appealed ──decide──► closed or in_progress

The package by noun: `common` (messages, limits, error types, the timeline event, the version-checked
save, deadlines), `access` (who may take which action), `submission`, `lifecycle` (accept to close,
hand-over, follow-up), `approvals` (extensions, second clarifications), `reminders` (催办 and the
sweep's steps), `comments` (comments, attachments), `visits`, `notifications`, `categories` (the
pack's categories, the holiday table from chinesecalendar). Callers import from the package:
`from yuanqu.casework.services import case_accept`.
"""

from __future__ import annotations

from yuanqu.casework.services.access import (
    ACTIONS,
    NOT_TERMINAL,
    ActionRule,
    available_actions,
    can,
    is_case_enterprise,
    is_first_responder,
    is_lead_handler,
    is_staff_on,
    is_supervisor,
)
from yuanqu.casework.services.approvals import (
    case_decide_approval,
    case_request_clarification,
    case_request_extension,
)
from yuanqu.casework.services.categories import (
    calendar_seed_from_chinesecalendar,
    category_sync,
)
from yuanqu.casework.services.comments import (
    case_attach,
    case_comment,
)
from yuanqu.casework.services.common import (
    ANSWER_CHOICE,
    ANSWER_MAX_LENGTH,
    ANSWER_NUMBER,
    ANSWER_REQUIRED,
    APPEAL_NOT_ALLOWED,
    APPROVAL_DECIDED,
    APPROVAL_PENDING,
    CATEGORY_INACTIVE,
    CATEGORY_KIND,
    CLARIFICATION_BEFORE_NOTICE,
    CONFLICT,
    ENTERPRISE_REQUIRED,
    EXTENSION_AFTER_DEADLINE,
    EXTENSION_DAYS,
    FOLLOW_UP_NONE,
    HANDOVER_TARGET,
    ILLEGAL_TRANSITION,
    LEAD_UNIT_REQUIRED,
    NO_SUCH_ENTERPRISE,
    NOT_ALLOWED,
    NOTICE_AFTER_DEADLINE,
    NOTICE_ITEMS_REQUIRED,
    NOTICE_ONCE,
    NOTICE_TOO_LATE,
    OUT_OF_SCOPE,
    PARK_REQUIRED,
    RATE_LEVEL_REQUIRED,
    RATE_LEVEL_UNKNOWN,
    RATE_LIMITED,
    RATE_NEXT_UNKNOWN,
    RATE_RESOLVED_REQUIRED,
    RATE_SATISFIED_CLOSES,
    REASON_REQUIRED,
    REPEAT_ANY_CATEGORY_RATIO,
    REPEAT_SAME_CATEGORY_RATIO,
    REPEAT_WINDOW_DAYS,
    STAFF_ROLES,
    SUBMISSION_LIMIT,
    SUBMISSION_WINDOW_HOURS,
    SUBMIT_NOT_ALLOWED,
    SUPERVISOR_ROLES,
    TEXT_REQUIRED,
    TEXT_TOO_LONG,
    TRANSFER_SAME_UNIT,
    VISIT_NOT_ALLOWED,
    CaseConflictError,
    CasePermissionError,
    CaseStatusError,
    CaseTransitionError,
    S,
    actor_label,
    working_days_left,
    working_days_used,
)
from yuanqu.casework.services.lifecycle import (
    NEXT_STEPS,
    case_accept,
    case_assign,
    case_close,
    case_decide_appeal,
    case_follow_up,
    case_hand_over,
    case_notify_missing,
    case_rate,
    case_reject,
    case_reply,
    case_start,
    case_supplement,
    case_transfer,
    case_withdraw,
)
from yuanqu.casework.services.notifications import (
    notifications_mark_read,
)
from yuanqu.casework.services.reminders import (
    case_recalculate_deadline,
    case_remind,
    case_send_reminder,
)
from yuanqu.casework.services.submission import (
    case_submit,
    enterprise_for_entry,
    find_repeat,
    may_enter,
)
from yuanqu.casework.services.visits import (
    visit_log,
)

__all__ = [
    "ACTIONS",
    "ANSWER_CHOICE",
    "ANSWER_MAX_LENGTH",
    "ANSWER_NUMBER",
    "ANSWER_REQUIRED",
    "APPEAL_NOT_ALLOWED",
    "APPROVAL_DECIDED",
    "APPROVAL_PENDING",
    "CATEGORY_INACTIVE",
    "CATEGORY_KIND",
    "CLARIFICATION_BEFORE_NOTICE",
    "CONFLICT",
    "ENTERPRISE_REQUIRED",
    "EXTENSION_AFTER_DEADLINE",
    "EXTENSION_DAYS",
    "FOLLOW_UP_NONE",
    "HANDOVER_TARGET",
    "ILLEGAL_TRANSITION",
    "LEAD_UNIT_REQUIRED",
    "NEXT_STEPS",
    "NOTICE_AFTER_DEADLINE",
    "NOTICE_ITEMS_REQUIRED",
    "NOTICE_ONCE",
    "NOTICE_TOO_LATE",
    "NOT_ALLOWED",
    "NOT_TERMINAL",
    "NO_SUCH_ENTERPRISE",
    "OUT_OF_SCOPE",
    "PARK_REQUIRED",
    "RATE_LEVEL_REQUIRED",
    "RATE_LEVEL_UNKNOWN",
    "RATE_LIMITED",
    "RATE_NEXT_UNKNOWN",
    "RATE_RESOLVED_REQUIRED",
    "RATE_SATISFIED_CLOSES",
    "REASON_REQUIRED",
    "REPEAT_ANY_CATEGORY_RATIO",
    "REPEAT_SAME_CATEGORY_RATIO",
    "REPEAT_WINDOW_DAYS",
    "STAFF_ROLES",
    "SUBMISSION_LIMIT",
    "SUBMISSION_WINDOW_HOURS",
    "SUBMIT_NOT_ALLOWED",
    "SUPERVISOR_ROLES",
    "TEXT_REQUIRED",
    "TEXT_TOO_LONG",
    "TRANSFER_SAME_UNIT",
    "VISIT_NOT_ALLOWED",
    "ActionRule",
    "CaseConflictError",
    "CasePermissionError",
    "CaseStatusError",
    "CaseTransitionError",
    "S",
    "actor_label",
    "available_actions",
    "calendar_seed_from_chinesecalendar",
    "can",
    "case_accept",
    "case_assign",
    "case_attach",
    "case_close",
    "case_comment",
    "case_decide_appeal",
    "case_decide_approval",
    "case_follow_up",
    "case_hand_over",
    "case_notify_missing",
    "case_rate",
    "case_recalculate_deadline",
    "case_reject",
    "case_remind",
    "case_reply",
    "case_request_clarification",
    "case_request_extension",
    "case_send_reminder",
    "case_start",
    "case_submit",
    "case_supplement",
    "case_transfer",
    "case_withdraw",
    "category_sync",
    "enterprise_for_entry",
    "find_repeat",
    "is_case_enterprise",
    "is_first_responder",
    "is_lead_handler",
    "is_staff_on",
    "is_supervisor",
    "may_enter",
    "notifications_mark_read",
    "visit_log",
    "working_days_left",
    "working_days_used",
]
