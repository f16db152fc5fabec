"""What every step shares: the refusal messages (tests assert on these), the limits, the staff
roles, the error types, and the helpers that write a timeline event, save a case against its version
and compute its deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.casework.models import (
    Case,
    CaseEvent,
)
from yuanqu.core.audit import audit_record
from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog, User
from yuanqu.core.readcache import data_version_bump
from yuanqu.core.roles import Role
from yuanqu.core.workdays import Deadline, Pause, WorkCalendar

S = Case.Status


ILLEGAL_TRANSITION = gettext_noop("诉求当前状态为“%(status)s”，不能%(action)s")


NOT_ALLOWED = gettext_noop("您无权对该诉求执行“%(action)s”")


CONFLICT = gettext_noop("该诉求刚被其他人更新，您的操作未保存。请刷新页面，查看最新办理情况后再操作。")


REASON_REQUIRED = gettext_noop("请填写理由")


TEXT_REQUIRED = gettext_noop("请填写内容")


TEXT_TOO_LONG = gettext_noop("内容过长：至多 %(limit)s 字，现为 %(length)s 字")


ANSWER_MAX_LENGTH = 500


NOTICE_ONCE = gettext_noop("一次性告知只能发出一次；如确需企业再次补充材料，请提出再次补正申请，经督办人员批准后发出")


NOTICE_ITEMS_REQUIRED = gettext_noop("请逐项列明需要企业补正的全部材料")


NOTICE_TOO_LATE = gettext_noop("一次性告知应在受理后%(days)s个工作日内发出，已超过时限")


NOTICE_AFTER_DEADLINE = gettext_noop("办理期限已过，不能再暂停计时")


CLARIFICATION_BEFORE_NOTICE = gettext_noop("尚未发出一次性告知，请直接发出一次性告知")


APPROVAL_PENDING = gettext_noop("已有一件待审批的“%(kind)s”申请")


APPROVAL_DECIDED = gettext_noop("该申请已经审批，不能重复处理")


EXTENSION_AFTER_DEADLINE = gettext_noop("延期须在办理期限届满前申请（本件期限为%(deadline)s）")


EXTENSION_DAYS = gettext_noop("延期天数应为1至%(most)s个工作日")


TRANSFER_SAME_UNIT = gettext_noop("转办单位不能与当前牵头单位相同")


LEAD_UNIT_REQUIRED = gettext_noop("请指定牵头单位")


RATE_LEVEL_UNKNOWN = gettext_noop("未知的评价等级“%(level)s”")


# A rating is the enterprise's own answer: nothing is pre-chosen, both questions must be answered.
RATE_LEVEL_REQUIRED = gettext_noop("请选择满意度")


RATE_RESOLVED_REQUIRED = gettext_noop("请选择问题是否已解决")


RATE_SATISFIED_CLOSES = gettext_noop("满意评价后诉求即办结，不能重办或申诉")


RATE_NEXT_UNKNOWN = gettext_noop("评价后的处理方式应为办结、重办或申诉")


APPEAL_NOT_ALLOWED = gettext_noop("政策包未开放申诉")


RATE_LIMITED = gettext_noop(
    "提交过于频繁：每家企业%(hours)s小时内最多在线提交%(count)s件诉求，请稍后再试或联系园区服务专员"
)


CATEGORY_INACTIVE = gettext_noop("诉求类别“%(name)s”已停用")


CATEGORY_KIND = gettext_noop("企业用户只能提交企业诉求类别，园区问题由园区运营方或区提出")


ENTERPRISE_REQUIRED = gettext_noop("企业诉求须指定企业")


PARK_REQUIRED = gettext_noop("园区问题须指定园区或由区提出")


OUT_OF_SCOPE = gettext_noop("该企业或园区不在您的权限范围内")


ANSWER_REQUIRED = gettext_noop("请回答“%(label)s”")


ANSWER_NUMBER = gettext_noop("“%(label)s”应为数字")


ANSWER_CHOICE = gettext_noop("“%(label)s”应为以下之一：%(choices)s")


HANDOVER_TARGET = gettext_noop("首问负责人只能移交给能查看本件的工作人员")


FOLLOW_UP_NONE = gettext_noop("该评价无需回访或已回访")


SUBMIT_NOT_ALLOWED = gettext_noop("您的角色不能提交或代录诉求：代企业录入由企业所在园区、所在区或市级工作人员办理")


VISIT_NOT_ALLOWED = gettext_noop("您的角色不能录入走访记录：走访由企业所在园区、所在区或市级工作人员录入")


# One answer for a credit code that does not exist and one outside the user's scope.
NO_SUCH_ENTERPRISE = gettext_noop("未找到统一社会信用代码为“%(uscc)s”的企业，或该企业不在您的权限范围内")


# Online submissions per enterprise within the window (the rate limit).
SUBMISSION_LIMIT = 10


SUBMISSION_WINDOW_HOURS = 24


# Repeat detection: the same enterprise (or park) within this many days, titles this similar.
REPEAT_WINDOW_DAYS = 180


REPEAT_SAME_CATEGORY_RATIO = 0.6


REPEAT_ANY_CATEGORY_RATIO = 0.85


STAFF_ROLES = frozenset({Role.CITY_ADMIN, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR, Role.HANDLER})


SUPERVISOR_ROLES = frozenset({Role.CITY_ADMIN, Role.SYSADMIN})


class CaseTransitionError(ValidationError):
    """A step that the case's status does not allow, or a rule of the step that is broken (422)."""


class CaseStatusError(CaseTransitionError, Conflict):
    """A step that the case's status does not allow: a conflict with the case as it is now (409 on
    the API; the page shows the message, which names the status and the step)."""


class CaseConflictError(CaseTransitionError, Conflict):
    """The case changed since the actor loaded it (409)."""


class CasePermissionError(PermissionDenied):
    pass


def actor_label(user: User | None) -> str:
    """How the timeline names a person. Stored with the event, so always in the platform's language,
    whatever language the request that wrote it was in."""
    with translation.override(settings.LANGUAGE_CODE):
        return _actor_label(user)


def _stored(display: Callable[[], Any]) -> str:
    """A choice's display value (`case.get_kind_display`, called here) written into the timeline, a
    notification or the audit log: stored text is always in the platform's language, like
    `actor_label`, whatever language the request that wrote it was in."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(display())


def _actor_label(user: User | None) -> str:
    if user is None:
        return "系统"
    name = user.display_name or user.username
    if user.role == Role.ENTERPRISE:
        return f"{user.enterprise or '企业'} {name}"
    scope = user.scope_label
    if scope and scope in name:
        return name
    return f"{scope} {name}".strip() if scope and scope != "全市" else f"{user.get_role_display()} {name}"


def _event(case: Case, actor: User | None, action: str, text: str, *, visible: bool, note: str = "") -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        at=clock.now(),
        actor=actor,
        actor_label=actor_label(actor)[:100],
        action=action,
        text=text,
        note=note,
        status_after=case.status,
        visible_to_enterprise=visible,
    )


# The closing marks a person's own words may end with; dropped where the platform's sentence goes on.
CLOSING_MARKS = " \t\n。．.；;，,、"


def clause(text: str) -> str:
    """A person's words set inside a platform sentence ("已补正材料：<words>。恢复计时…") without their own
    closing mark, so the timeline never shows "。。"."""
    return text.rstrip(CLOSING_MARKS)


def _clean_text(value: str | None, *, field: str = "text", message: str = TEXT_REQUIRED, limit: int = 5000) -> str:
    text = (value or "").strip()
    if not text:
        raise CaseTransitionError({field: _(message)})
    return _bounded(text, field=field, limit=limit)


def _bounded(text: str, *, field: str, limit: int) -> str:
    """Text longer than its column is refused, never cut."""
    if len(text) > limit:
        raise CaseTransitionError({field: _(TEXT_TOO_LONG) % {"limit": limit, "length": len(text)}})
    return text


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | dict | str | int | float | bool) or value is None:
        return value
    return str(value)


def _save(case: Case, *, actor: User | None, version: int, label: str, changes: dict[str, Any]) -> None:
    """Apply `changes` if the case is still at `version`; otherwise nothing is written and the actor
    gets the conflict message. Audited with the values before and after."""
    if version != case.version:
        raise CaseConflictError(_(CONFLICT))
    before = {key: _plain(getattr(case, key)) for key in changes}
    now = clock.now()
    count = Case.objects.filter(pk=case.pk, version=version).update(version=F("version") + 1, updated_at=now, **changes)
    if count != 1:
        raise CaseConflictError(_(CONFLICT))
    data_version_bump()  # an update() sends no signal: the pages that list cases must not stay cached
    for key, value in changes.items():
        setattr(case, key, value)
    case.version = version + 1
    case.updated_at = now
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=case,
        before=before,
        after={key: _plain(value) for key, value in changes.items()},
        detail=f"诉求：{label}",
    )


def _today() -> dt.date:
    return clock.today()


def _deadline(
    case: Case,
    calendar: WorkCalendar,
    *,
    pauses: list[list[str | None]] | None = None,
    extension_days: int | None = None,
) -> Deadline:
    """The deadline from the stored instants: the cycle's start, its limit plus approved extensions,
    less the closed pauses. `pauses` and `extension_days` give values about to be saved."""
    assert case.clock_started_at is not None
    start = clock.local_date(case.clock_started_at)
    stored = case.pauses if pauses is None else pauses
    closed = [Pause(dt.date.fromisoformat(str(a)), dt.date.fromisoformat(str(b))) for a, b in stored if b]
    extension = case.extension_days if extension_days is None else extension_days
    return calendar.add_working_days(start, case.time_limit_days + extension, closed)


def _closed_pauses(case: Case) -> list[Pause]:
    return [pause for pause in case.pause_list() if pause.end is not None]


def working_days_used(case: Case, calendar: WorkCalendar, today: dt.date | None = None) -> int:
    """Working days of the current cycle used so far, not counting 补正."""
    if case.clock_started_at is None:
        return 0
    end = today or _today()
    return calendar.working_days_between(clock.local_date(case.clock_started_at), end, case.pause_list())


def working_days_left(case: Case, calendar: WorkCalendar, today: dt.date | None = None) -> int | None:
    """Working days left before the deadline (negative: overdue by so many); None when not running."""
    if case.deadline is None or case.status not in Case.OPEN_STATUSES:
        return None
    today = today or _today()
    if case.is_paused:
        return case.time_limit_days + case.extension_days - working_days_used(case, calendar, today)
    if today <= case.deadline:
        return calendar.working_days_between(today, case.deadline)
    return -calendar.working_days_between(case.deadline, today)


def _deadline_text(deadline: Deadline) -> str:
    text = f"{deadline.day:%Y年%m月%d日}"
    if deadline.uncovered:
        years = "、".join(str(year) for year in sorted(deadline.uncovered_years))
        text += f"（{years}年节假日安排尚未录入，暂按周末计算）"
    return text
