"""Who may do what to a case: the parties of a case and one rule per action (label, statuses, who),
asked by the case page for what it offers and enforced by every service through `_require`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework.models import (
    Case,
)
from yuanqu.casework.services.common import (
    CONFLICT,
    ILLEGAL_TRANSITION,
    NOT_ALLOWED,
    STAFF_ROLES,
    SUPERVISOR_ROLES,
    CaseConflictError,
    CasePermissionError,
    CaseStatusError,
    S,
)
from yuanqu.core.models import User
from yuanqu.core.roles import Role


def _sees(user: User, case: Case) -> bool:
    """Whether the user may see the case, asked once per user and per state of the fields that decide
    it (the case page checks some twenty actions)."""
    key = (
        user.pk,
        user.role,
        case.lead_unit_id,
        case.receiving_unit_id,
        case.first_responder_id,
        case.district_id,
        case.park_id,
        case.enterprise_id,
    )
    memo: dict[tuple[Any, ...], bool] = case.__dict__.setdefault("_casework_sees", {})
    if key not in memo:
        memo[key] = Case.objects.visible_to(user).filter(pk=case.pk).exists()
    return memo[key]


def is_staff_on(user: User, case: Case) -> bool:
    return user.is_active and (user.role in STAFF_ROLES or user.is_superuser) and _sees(user, case)


def is_supervisor(user: User, case: Case) -> bool:
    if not user.is_active:
        return False
    if user.role in SUPERVISOR_ROLES or user.is_superuser:
        return True
    return user.role == Role.DISTRICT and user.district_id is not None and user.district_id == case.district_id


def is_lead_handler(user: User, case: Case) -> bool:
    return (
        user.is_active and user.role == Role.HANDLER and user.unit_id is not None and user.unit_id == case.lead_unit_id
    )


def is_first_responder(user: User, case: Case) -> bool:
    return user.is_active and case.first_responder_id == user.pk


def answers_directly(user: User, case: Case) -> bool:
    """The 首问负责人 who is a handler of the unit that leads the case (or would: no lead unit yet)
    answers an accepted case itself, without 交办 to its own unit and 签收."""
    return (
        is_first_responder(user, case)
        and user.role == Role.HANDLER
        and user.unit_id is not None
        and case.lead_unit_id in (None, user.unit_id)
    )


def _reply_right(user: User, case: Case) -> bool:
    """An accepted case: the 首问负责人 of the lead unit. Assigned or in progress: the lead unit's
    handler (an assigned case is signed for by answering it)."""
    if case.status == S.ACCEPTED:
        return answers_directly(user, case)
    return is_lead_handler(user, case)


def is_case_enterprise(user: User, case: Case) -> bool:
    return (
        user.is_active
        and user.role == Role.ENTERPRISE
        and case.enterprise_id is not None
        and user.enterprise_id == case.enterprise_id
    )


def _can_accept(user: User, case: Case) -> bool:
    return is_staff_on(user, case)


def _owner_or_lead(user: User, case: Case) -> bool:
    return is_first_responder(user, case) or is_lead_handler(user, case)


def _owner_or_supervisor(user: User, case: Case) -> bool:
    return is_first_responder(user, case) or is_supervisor(user, case)


def _transfer_right(user: User, case: Case) -> bool:
    return is_lead_handler(user, case) or _owner_or_supervisor(user, case)


def _on_behalf(user: User, case: Case) -> bool:
    """Staff who may record what the enterprise says (materials brought in, a phone callback)."""
    if not is_staff_on(user, case):
        return False
    return _owner_or_supervisor(user, case) or user.role == Role.PARK_OPERATOR


def _enterprise_or_on_behalf(user: User, case: Case) -> bool:
    return is_case_enterprise(user, case) or _on_behalf(user, case)


def _rating_right(user: User, case: Case) -> bool:
    """The enterprise, or staff recording a callback — never the unit that handled the case."""
    return is_case_enterprise(user, case) or (_on_behalf(user, case) and not is_lead_handler(user, case))


def _supplement_right(user: User, case: Case) -> bool:
    return _enterprise_or_on_behalf(user, case) or is_lead_handler(user, case)


def _participant(user: User, case: Case) -> bool:
    return is_case_enterprise(user, case) or is_staff_on(user, case)


def _follow_up_right(user: User, case: Case) -> bool:
    return is_lead_handler(user, case) or _owner_or_supervisor(user, case)


@dataclass(frozen=True)
class ActionRule:
    label: str
    statuses: tuple[str, ...]
    who: Callable[[User, Case], bool]


NOT_TERMINAL = tuple(s for s in S.values if s not in Case.TERMINAL_STATUSES)


ACTIONS: dict[str, ActionRule] = {
    "accept": ActionRule(gettext_noop("受理"), (S.SUBMITTED,), _can_accept),
    "reject": ActionRule(gettext_noop("不予受理"), (S.SUBMITTED,), _can_accept),
    "notice": ActionRule(gettext_noop("发出一次性告知"), Case.CLOCK_STATUSES, _owner_or_lead),
    "request_clarification": ActionRule(gettext_noop("申请再次补正"), Case.CLOCK_STATUSES, _owner_or_lead),
    "supplement": ActionRule(gettext_noop("补正材料"), (S.AWAITING_SUPPLEMENT,), _supplement_right),
    "assign": ActionRule(gettext_noop("交办"), (S.ACCEPTED,), _owner_or_supervisor),
    "start": ActionRule(gettext_noop("签收办理"), (S.ASSIGNED,), is_lead_handler),
    "transfer": ActionRule(gettext_noop("转办"), (S.ASSIGNED, S.IN_PROGRESS), _transfer_right),
    "reply": ActionRule(gettext_noop("答复"), (S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS), _reply_right),
    "rate": ActionRule(gettext_noop("评价"), (S.REPLIED,), _rating_right),
    "decide_appeal": ActionRule(gettext_noop("处理申诉"), (S.APPEALED,), is_supervisor),
    "close": ActionRule(gettext_noop("办结"), (S.REPLIED,), _owner_or_supervisor),
    "withdraw": ActionRule(gettext_noop("撤回"), (S.SUBMITTED, *Case.OPEN_STATUSES), is_case_enterprise),
    "request_extension": ActionRule(gettext_noop("申请延期"), Case.CLOCK_STATUSES, _owner_or_lead),
    # Approving needs a running clock (checked in the service); refusing is always possible.
    "decide_approval": ActionRule(gettext_noop("审批"), tuple(S.values), is_supervisor),
    "remind": ActionRule(gettext_noop("催办"), (S.SUBMITTED, *Case.OPEN_STATUSES, S.APPEALED), _owner_or_supervisor),
    "comment": ActionRule(gettext_noop("留言"), tuple(S.values), _participant),
    "handover": ActionRule(gettext_noop("移交首问负责"), NOT_TERMINAL, _owner_or_supervisor),
    "follow_up": ActionRule(gettext_noop("差评回访"), tuple(S.values), _follow_up_right),
    "attach": ActionRule(gettext_noop("上传附件"), NOT_TERMINAL, _participant),
}


def can(user: User, case: Case, action: str) -> bool:
    rule = ACTIONS[action]
    return case.status in rule.statuses and rule.who(user, case)


def available_actions(user: User, case: Case) -> set[str]:
    """What the case page offers this user now."""
    result = {name for name in ACTIONS if can(user, case, name)}
    if case.notice_sent_at is not None:
        result.discard("notice")
    else:
        result.discard("request_clarification")
    if not case.ratings.filter(follow_up_due__isnull=False, followed_up_at__isnull=True).exists():
        result.discard("follow_up")
    return result


def _require(user: User, case: Case, action: str, version: int | None = None) -> ActionRule:
    """The actor's right on the case as it stands first (403: a forbidden write is refused whatever
    the case's state), then whether the case is still as the actor saw it (409), then whether its
    status allows the step (409, naming the status: a conflict with the case's state, not a broken
    rule of the input)."""
    rule = ACTIONS[action]
    if not rule.who(user, case):
        raise CasePermissionError(_(NOT_ALLOWED) % {"action": _(rule.label)})
    if version is not None and version != case.version:
        raise CaseConflictError(_(CONFLICT))
    if case.status not in rule.statuses:
        raise CaseStatusError(_(ILLEGAL_TRANSITION) % {"status": case.get_status_display(), "action": _(rule.label)})
    return rule
