"""Casework writes: the lifecycle of a case, one `case_<verb>` function per step.

Every function is keyword-only, atomic and audited, appends to the case's timeline, and notifies the
people concerned. A step that does not fit the case's status raises `CaseTransitionError`; an actor
without the right raises `CasePermissionError`; a case changed by someone else since the actor loaded
it raises `CaseConflictError` (the version check: `filter(pk, version=v).update(...)` and count).

Lifecycle (受理 → 交办 → 办理 → 答复 → 评价 → 办结):

    submitted ──accept──► accepted ──assign──► assigned ──start──► in_progress ──reply──► replied
        │ reject/withdraw     │ notice (一次性告知, once) ► awaiting_supplement ──supplement──► back
        ▼                     ▼                                    transfer ◄──┘             │
    rejected / withdrawn                        rate: satisfied → closed; unsatisfied → closed,
                                                reopened (in_progress, new limit) or appealed
                                                appealed ──decide──► closed or in_progress

The ORM part of the working-day calendar (seeding the holiday table from chinesecalendar) is here too.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock, notify
from yuanqu.casework.attachments import attachment_check, attachments_store
from yuanqu.casework.models import (
    ApprovalRequest,
    Attachment,
    Case,
    CaseEvent,
    CaseKind,
    CaseSequence,
    Category,
    Rating,
    Reminder,
    Transfer,
    Visit,
)
from yuanqu.casework.rules import rules
from yuanqu.casework.selectors import work_calendar
from yuanqu.core.attachments import Upload
from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.models import AuditLog, CalendarDay, CalendarYear, User
from yuanqu.core.permissions import writable_fields
from yuanqu.core.roles import Role
from yuanqu.core.workdays import Deadline, Pause, WorkCalendar
from yuanqu.registry.models import Enterprise, Park, ResponsibleUnit

S = Case.Status

# ── messages (tests assert on these; translated where raised) ─────────────────────────────────────────────────────────
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
    """A step that the case's status does not allow, or a rule of the step that is broken."""


class CaseConflictError(CaseTransitionError):
    """The case changed since the actor loaded it."""


class CasePermissionError(PermissionDenied):
    pass


# ── who may do what ──────────────────────────────────────────────────────────────────────────


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
    "reply": ActionRule(gettext_noop("答复"), (S.IN_PROGRESS,), is_lead_handler),
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
    """The actor's right first, then whether the case is still as the actor saw it, then whether its
    status allows the step."""
    rule = ACTIONS[action]
    if not rule.who(user, case):
        raise CasePermissionError(_(NOT_ALLOWED) % {"action": _(rule.label)})
    if version is not None and version != case.version:
        raise CaseConflictError(_(CONFLICT))
    if case.status not in rule.statuses:
        raise CaseTransitionError(
            _(ILLEGAL_TRANSITION) % {"status": case.get_status_display(), "action": _(rule.label)}
        )
    return rule


# ── small helpers ────────────────────────────────────────────────────────────────────────────


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


# ── submission ───────────────────────────────────────────────────────────────────────────────


def _check_answers(category: Category, answers: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for question in category.questions or []:
        code = str(question.get("code"))
        label = str(question.get("label", code))
        raw = answers.get(code)
        value = raw.strip() if isinstance(raw, str) else raw
        if value in (None, ""):
            if question.get("required"):
                raise CaseTransitionError({"answers": _(ANSWER_REQUIRED) % {"label": label}})
            continue
        kind = question.get("type", "text")
        if kind == "number":
            try:
                number = float(str(value))
            except ValueError as exc:
                raise CaseTransitionError({"answers": _(ANSWER_NUMBER) % {"label": label}}) from exc
            cleaned[code] = int(number) if number.is_integer() else number
        elif kind == "choice":
            choices = [str(choice) for choice in question.get("choices") or []]
            if str(value) not in choices:
                raise CaseTransitionError(
                    {"answers": _(ANSWER_CHOICE) % {"label": label, "choices": "、".join(choices)}}
                )
            cleaned[code] = str(value)
        else:
            cleaned[code] = _bounded(str(value), field="answers", limit=ANSWER_MAX_LENGTH)
    return cleaned


def _next_number(year: int) -> str:
    try:
        with transaction.atomic():
            CaseSequence.objects.get_or_create(year=year)
    except IntegrityError:  # another submission created the row first
        pass
    sequence = CaseSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"ZMN-{year}-{sequence.last:06d}"


def _normalise(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text.lower())


def find_repeat(
    *, enterprise: Enterprise | None, park: Park | None, category: Category, title: str, at: dt.datetime
) -> Case | None:
    """An earlier case from the same enterprise (or, for park problems, the same park) on the same
    matter: a similar title, within REPEAT_WINDOW_DAYS."""
    since = at - dt.timedelta(days=REPEAT_WINDOW_DAYS)
    earlier = Case.objects.filter(submitted_at__gte=since, submitted_at__lte=at).exclude(status=S.WITHDRAWN)
    if enterprise is not None:
        earlier = earlier.filter(enterprise=enterprise)
    elif park is not None:
        earlier = earlier.filter(park=park, enterprise__isnull=True)
    else:
        return None
    key = _normalise(title)
    for candidate in earlier.order_by("-submitted_at").only("pk", "title", "category_id", "number")[:50]:
        ratio = difflib.SequenceMatcher(None, key, _normalise(candidate.title)).ratio()
        if ratio >= REPEAT_ANY_CATEGORY_RATIO or (
            candidate.category_id == category.pk and ratio >= REPEAT_SAME_CATEGORY_RATIO
        ):
            return candidate
    return None


def may_enter(user: User, model: type[Case] | type[Visit] = Case) -> bool:
    """Whether the user's role may enter a case (or log a visit) at all: the roles that own a case's
    `enterprise` or `park` in core.permissions.FIELD_OWNERS. A handler handles cases; it does not
    enter them."""
    return bool(writable_fields(user, model))


def enterprise_for_entry(*, actor: User, uscc: str) -> Enterprise:
    """The enterprise a case or visit is entered for, looked up within the actor's scope: its park's
    staff, its district and the city find it; an unknown code and an enterprise outside the scope
    get the same answer, so the form tells nobody which credit codes exist elsewhere."""
    code = (uscc or "").strip().upper()
    # A credit code is 18 letters and digits; anything else is looked up nowhere (and a NUL byte
    # never reaches the database).
    wellformed = len(code) == 18 and code.isascii() and code.isalnum()
    found = Enterprise.objects.visible_to(actor).filter(uscc=code).first() if wellformed else None
    if found is None:
        shown = "".join(char for char in code[:18] if char.isprintable())
        raise CaseTransitionError({"enterprise": _(NO_SUCH_ENTERPRISE) % {"uscc": shown}})
    return found


def _submission_scope(
    actor: User, category: Category, enterprise: Enterprise | None, park: Park | None
) -> tuple[Enterprise | None, Park | None, int, str]:
    """Who may file what, and where the case belongs: (enterprise, park, district id, channel)."""
    if actor.role == Role.ENTERPRISE:
        if category.kind != CaseKind.REQUEST:
            raise CaseTransitionError({"category": _(CATEGORY_KIND)})
        own = actor.enterprise
        if own is None or (enterprise is not None and enterprise.pk != own.pk):
            raise CasePermissionError(_(OUT_OF_SCOPE))
        return own, own.park, own.district_id, Case.Channel.ONLINE
    if not may_enter(actor):
        raise CasePermissionError(_(SUBMIT_NOT_ALLOWED))
    if category.kind == CaseKind.REQUEST and enterprise is None:
        raise CaseTransitionError({"enterprise": _(ENTERPRISE_REQUIRED)})
    if enterprise is not None:
        # On an enterprise's behalf: its park's staff, its district and the city, no one else.
        if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
            raise CasePermissionError(_(OUT_OF_SCOPE))
        park = enterprise.park
    if actor.role == Role.PARK_OPERATOR:
        park = park or actor.park
        if park is None or park.pk != actor.park_id:
            raise CasePermissionError(_(OUT_OF_SCOPE))
    district_id = (
        enterprise.district_id
        if enterprise is not None
        else (park.district_id if park is not None else actor.district_id)
    )
    if actor.role == Role.DISTRICT and district_id != actor.district_id:
        raise CasePermissionError(_(OUT_OF_SCOPE))
    if district_id is None:
        raise CaseTransitionError({"park": _(PARK_REQUIRED)})
    return enterprise, park, district_id, Case.Channel.PHONE


@transaction.atomic
def case_submit(
    *,
    actor: User,
    category: Category,
    title: str,
    description: str,
    enterprise: Enterprise | None = None,
    park: Park | None = None,
    answers: dict[str, Any] | None = None,
    channel: str | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    files: Sequence[Upload] = (),
    visit: Visit | None = None,
) -> Case:
    """收集: an enterprise files a request, or staff enter one taken by phone or on a visit, or a park
    operator or district raises a park problem."""
    if not category.active:
        raise CaseTransitionError({"category": _(CATEGORY_INACTIVE) % {"name": category.display_name}})
    enterprise, park, district_id, default_channel = _submission_scope(actor, category, enterprise, park)
    if actor.role == Role.ENTERPRISE or not channel or channel not in Case.Channel.values:
        channel = default_channel
    title = _clean_text(title, field="title", message=gettext_noop("请填写标题"), limit=100)
    description = _clean_text(description, field="description", message=gettext_noop("请填写诉求内容"))
    cleaned = _check_answers(category, answers or {})
    types = attachment_check(files)
    now = clock.now()
    if channel == Case.Channel.ONLINE and enterprise is not None:
        recent = Case.objects.filter(
            enterprise=enterprise,
            channel=Case.Channel.ONLINE,
            submitted_at__gte=now - dt.timedelta(hours=SUBMISSION_WINDOW_HOURS),
            submitted_at__lte=now,
        ).count()
        if recent >= SUBMISSION_LIMIT:
            raise CaseTransitionError(_(RATE_LIMITED) % {"hours": SUBMISSION_WINDOW_HOURS, "count": SUBMISSION_LIMIT})
    calendar = work_calendar()
    local_now = clock.local_date(now)
    repeat = find_repeat(enterprise=enterprise, park=park, category=category, title=title, at=now)
    case = Case(
        number=_next_number(local_now.year),
        kind=category.kind,
        category=category,
        enterprise=enterprise,
        park=park,
        district_id=district_id,
        title=title,
        description=description,
        answers=cleaned,
        channel=channel,
        contact_name=_bounded(contact_name.strip(), field="contact_name", limit=40),
        contact_phone=_bounded(contact_phone.strip(), field="contact_phone", limit=30),
        submitted_by=actor,
        submitted_at=now,
        response_due=calendar.add_working_days(local_now, rules().response_limit_days).day,
        receiving_unit=category.resolved_default_unit(),
        repeat_of=repeat,
        visit=visit,
    )
    case.full_clean()
    case.save()
    kind = _stored(case.get_kind_display)
    text = f"提交{kind}“{title}”（{category.name}，承诺时限{category.time_limit_days}个工作日）"
    if channel != Case.Channel.ONLINE:
        text += f"，来源：{_stored(case.get_channel_display)}"
    event = _event(
        case,
        actor,
        CaseEvent.Action.SUBMIT,
        text,
        visible=True,
        note=f"疑似重复诉求，参见{repeat.number}" if repeat else "",
    )
    attachments_store(case=case, event=event, actor=actor, files=files, types=types, visible_to_enterprise=True)
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=case, after=snapshot(case), detail="诉求：提交")
    notify.notify(
        [*notify.unit_handlers(case.receiving_unit_id), *notify.park_staff(case)],
        case=case,
        kind="submitted",
        text=f"新诉求待受理：{case.number} {title}",
        exclude=actor,
    )
    return case


# ── 接: accept, reject ───────────────────────────────────────────────────────────────────────


@transaction.atomic
def case_accept(*, actor: User, case: Case, version: int, note: str = "") -> Case:
    """The accepting official becomes the 首问负责人; the clock starts (counted from the next day)."""
    _require(actor, case, "accept", version)
    now = clock.now()
    today = clock.local_date(now)
    calendar = work_calendar()
    limit = case.category.time_limit_days
    deadline = calendar.add_working_days(today, limit)
    _save(
        case,
        actor=actor,
        version=version,
        label="受理",
        changes={
            "status": S.ACCEPTED,
            "first_responder": actor,
            "accepted_at": now,
            "clock_started_at": now,
            "time_limit_days": limit,
            "extension_days": 0,
            "deadline": deadline.day,
            "deadline_uncovered": deadline.uncovered,
            "response_on_time": case.response_due is None or today <= case.response_due,
        },
    )
    _event(
        case,
        actor,
        CaseEvent.Action.ACCEPT,
        f"已受理。首问负责人：{actor_label(actor)}；办理期限：{_deadline_text(deadline)}（{limit}个工作日）",
        visible=True,
        note=note.strip(),
    )
    notify.notify(
        notify.enterprise_users(case),
        case=case,
        kind="accepted",
        text=f"您的诉求 {case.number} 已受理，期限 {deadline.day:%Y-%m-%d}",
        exclude=actor,
    )
    return case


@transaction.atomic
def case_reject(*, actor: User, case: Case, version: int, reason: str) -> Case:
    """不予受理 (outside the mechanism's remit, a duplicate …), with the reason told to the enterprise."""
    _require(actor, case, "reject", version)
    reason = _clean_text(reason, field="reason", message=REASON_REQUIRED)
    now = clock.now()
    _save(
        case,
        actor=actor,
        version=version,
        label="不予受理",
        changes={
            "status": S.REJECTED,
            "first_responder": actor,
            "closed_at": now,
            "response_on_time": case.response_due is None or clock.local_date(now) <= case.response_due,
        },
    )
    _event(case, actor, CaseEvent.Action.REJECT, f"不予受理。理由：{reason}", visible=True)
    notify.notify(
        notify.enterprise_users(case),
        case=case,
        kind="rejected",
        text=f"您的诉求 {case.number} 不予受理：{reason[:100]}",
        exclude=actor,
    )
    return case


# ── 一次性告知 and 补正 ────────────────────────────────────────────────────────────────────────


def _clean_items(items: Sequence[str]) -> list[str]:
    cleaned = [_bounded(item.strip(), field="items", limit=200) for item in items if item and item.strip()]
    if not cleaned:
        raise CaseTransitionError({"items": _(NOTICE_ITEMS_REQUIRED)})
    return cleaned


def _check_pausable(case: Case, calendar: WorkCalendar, today: dt.date) -> None:
    if case.deadline is not None and today > case.deadline:
        raise CaseTransitionError(_(NOTICE_AFTER_DEADLINE))


def _pause_changes(case: Case, today: dt.date, now: dt.datetime) -> dict[str, Any]:
    return {
        "status": S.AWAITING_SUPPLEMENT,
        "paused_since": now,
        "resume_status": case.status,
        "pauses": [*case.pauses, [today.isoformat(), None]],
    }


def _items_text(items: Sequence[str]) -> str:
    return "；".join(f"{number}. {item}" for number, item in enumerate(items, start=1))


@transaction.atomic
def case_notify_missing(*, actor: User, case: Case, version: int, items: Sequence[str], text: str = "") -> Case:
    """一次性告知: every missing item in one notice, allowed once, within the notice limit after
    acceptance; the clock pauses until the enterprise supplements."""
    _require(actor, case, "notice", version)
    if case.notice_sent_at is not None:
        raise CaseTransitionError(_(NOTICE_ONCE))
    cleaned = _clean_items(items)
    now = clock.now()
    today = clock.local_date(now)
    calendar = work_calendar()
    _check_pausable(case, calendar, today)
    assert case.accepted_at is not None
    limit = rules().notice_limit_days
    if calendar.working_days_between(clock.local_date(case.accepted_at), today) > limit:
        raise CaseTransitionError(_(NOTICE_TOO_LATE) % {"days": limit})
    changes = _pause_changes(case, today, now)
    changes.update(notice_sent_at=now, notice_items=cleaned)
    _save(case, actor=actor, version=version, label="一次性告知", changes=changes)
    body = f"一次性告知：请补正以下全部材料：{_items_text(cleaned)}。补正期间暂停计时。"
    if text.strip():
        body += f"说明：{text.strip()}"
    _event(case, actor, CaseEvent.Action.NOTICE, body, visible=True)
    notify.notify(
        notify.enterprise_users(case),
        case=case,
        kind="notice",
        text=f"诉求 {case.number} 需要补正材料（一次性告知）",
        exclude=actor,
    )
    return case


@transaction.atomic
def case_supplement(*, actor: User, case: Case, version: int, text: str, files: Sequence[Upload] = ()) -> Case:
    """The enterprise supplements (or staff record materials brought in); the clock resumes and the
    deadline moves by the paused working days."""
    _require(actor, case, "supplement", version)
    body = (text or "").strip()
    if not body and not files:
        raise CaseTransitionError({"text": _(TEXT_REQUIRED)})
    types = attachment_check(files, existing=case.attachments.count())
    now = clock.now()
    today = clock.local_date(now)
    pauses = [list(pause) for pause in case.pauses]
    if pauses and pauses[-1][1] is None:
        pauses[-1][1] = today.isoformat()
    resume = case.resume_status or S.ACCEPTED
    deadline = _deadline(case, work_calendar(), pauses=pauses)
    _save(
        case,
        actor=actor,
        version=version,
        label="补正",
        changes={
            "status": resume,
            "paused_since": None,
            "resume_status": "",
            "pauses": pauses,
            "deadline": deadline.day,
            "deadline_uncovered": deadline.uncovered,
        },
    )
    on_behalf = "" if is_case_enterprise(actor, case) else "（工作人员代为录入）"
    event = _event(
        case,
        actor,
        CaseEvent.Action.SUPPLEMENT,
        f"已补正材料{on_behalf}：{body or '见附件'}。恢复计时，办理期限顺延至{_deadline_text(deadline)}",
        visible=True,
    )
    attachments_store(case=case, event=event, actor=actor, files=files, types=types, visible_to_enterprise=True)
    notify.notify(
        [case.first_responder, *notify.unit_handlers(case.lead_unit_id)],
        case=case,
        kind="supplemented",
        text=f"诉求 {case.number} 已补正材料，恢复计时",
        exclude=actor,
    )
    return case


# ── 派: assign, start, transfer ──────────────────────────────────────────────────────────────


@transaction.atomic
def case_assign(
    *,
    actor: User,
    case: Case,
    version: int,
    lead_unit: ResponsibleUnit | None,
    co_units: Sequence[ResponsibleUnit] = (),
    note: str = "",
) -> Case:
    _require(actor, case, "assign", version)
    if lead_unit is None:
        raise CaseTransitionError({"lead_unit": _(LEAD_UNIT_REQUIRED)})
    co = [unit for unit in dict.fromkeys(co_units) if unit.pk != lead_unit.pk]
    _save(case, actor=actor, version=version, label="交办", changes={"status": S.ASSIGNED, "lead_unit": lead_unit})
    case.co_units.set(co)
    text = f"交办至{lead_unit.name}牵头办理"
    if co:
        text += "，配合单位：" + "、".join(unit.name for unit in co)
    _event(case, actor, CaseEvent.Action.ASSIGN, text, visible=True, note=note.strip())
    notify.notify(
        notify.unit_handlers(lead_unit.pk, *(unit.pk for unit in co)),
        case=case,
        kind="assigned",
        text=f"新交办诉求：{case.number} {case.title}（期限 {case.deadline:%Y-%m-%d}）",
        exclude=actor,
    )
    return case


@transaction.atomic
def case_start(*, actor: User, case: Case, version: int, note: str = "") -> Case:
    """签收: the lead unit's handler takes the case."""
    _require(actor, case, "start", version)
    _save(case, actor=actor, version=version, label="签收办理", changes={"status": S.IN_PROGRESS})
    _event(case, actor, CaseEvent.Action.START, f"{case.lead_unit}已签收，正在办理", visible=True, note=note.strip())
    return case


@transaction.atomic
def case_transfer(*, actor: User, case: Case, version: int, to_unit: ResponsibleUnit | None, reason: str) -> Case:
    """转办 to another unit with a reason; counted against the unit that hands it on."""
    _require(actor, case, "transfer", version)
    if to_unit is None:
        raise CaseTransitionError({"lead_unit": _(LEAD_UNIT_REQUIRED)})
    reason = _clean_text(reason, field="reason", message=REASON_REQUIRED)
    if to_unit.pk == case.lead_unit_id:
        raise CaseTransitionError({"lead_unit": _(TRANSFER_SAME_UNIT)})
    from_unit = case.lead_unit
    assert from_unit is not None
    _save(case, actor=actor, version=version, label="转办", changes={"status": S.ASSIGNED, "lead_unit": to_unit})
    case.co_units.remove(to_unit)
    Transfer.objects.create(case=case, from_unit=from_unit, to_unit=to_unit, reason=reason, by=actor, at=clock.now())
    _event(
        case,
        actor,
        CaseEvent.Action.TRANSFER,
        f"由{from_unit.name}转交{to_unit.name}办理",
        visible=True,
        note=f"转办理由：{reason}",
    )
    notify.notify(
        notify.unit_handlers(to_unit.pk),
        case=case,
        kind="transferred",
        text=f"转办诉求：{case.number} {case.title}（由{from_unit.name}转来）",
        exclude=actor,
    )
    return case


# ── 办: reply ────────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def case_reply(*, actor: User, case: Case, version: int, text: str, files: Sequence[Upload] = ()) -> Case:
    """反馈: the answer to the enterprise; handling ends and is judged on time or late."""
    _require(actor, case, "reply", version)
    text = _clean_text(text)
    types = attachment_check(files, existing=case.attachments.count())
    now = clock.now()
    today = clock.local_date(now)
    calendar = work_calendar()
    assert case.clock_started_at is not None
    cycle = calendar.working_days_between(clock.local_date(case.clock_started_at), today, _closed_pauses(case))
    earlier = (case.handling_working_days or 0) if case.reopen_count else 0
    _save(
        case,
        actor=actor,
        version=version,
        label="答复",
        changes={
            "status": S.REPLIED,
            "replied_at": now,
            "reply": text,
            "finished_on_time": case.deadline is None or today <= case.deadline,
            "handling_working_days": earlier + cycle,
        },
    )
    _close_pending_approvals(case, "诉求已答复，申请自动关闭")
    event = _event(case, actor, CaseEvent.Action.REPLY, f"答复：{text}", visible=True)
    attachments_store(case=case, event=event, actor=actor, files=files, types=types, visible_to_enterprise=True)
    notify.notify(
        [*notify.enterprise_users(case), case.first_responder],
        case=case,
        kind="replied",
        text=f"诉求 {case.number} 已答复，请评价",
        exclude=actor,
    )
    return case


# ── 评: rate, reopen, appeal, close ──────────────────────────────────────────────────────────

NEXT_STEPS = ("close", "reopen", "appeal")


def _reopen_changes(case: Case, now: dt.datetime) -> dict[str, Any]:
    calendar = work_calendar()
    limit = case.category.time_limit_days
    deadline = calendar.add_working_days(clock.local_date(now), limit)
    return {
        "status": S.IN_PROGRESS,
        "clock_started_at": now,
        "time_limit_days": limit,
        "extension_days": 0,
        "deadline": deadline.day,
        "deadline_uncovered": deadline.uncovered,
        "finished_on_time": None,
        "reopen_count": case.reopen_count + 1,
        "closed_at": None,
        "escalated_at": None,
    }


@transaction.atomic
def case_rate(
    *,
    actor: User,
    case: Case,
    version: int,
    level: str,
    resolved: bool | None,
    comment: str = "",
    next_step: str = "close",
) -> Case:
    """问效: five levels with a comment. Satisfied closes the case; unsatisfied closes it, reopens it
    (the same case, a new time limit) or appeals to the supervisor. A bad rating is followed up.
    The level and whether the problem was resolved are explicit answers (None: not answered)."""
    _require(actor, case, "rate", version)
    missing: dict[str, str] = {}
    if not level:
        missing["level"] = _(RATE_LEVEL_REQUIRED)
    if resolved is None:
        missing["resolved"] = _(RATE_RESOLVED_REQUIRED)
    if missing or resolved is None:
        raise CaseTransitionError(missing)
    policy = rules()
    try:
        spec = policy.level(level)
    except KeyError as exc:
        raise CaseTransitionError({"level": _(RATE_LEVEL_UNKNOWN) % {"level": level}}) from exc
    if next_step not in NEXT_STEPS:
        raise CaseTransitionError({"next_step": _(RATE_NEXT_UNKNOWN)})
    if spec.satisfied and next_step != "close":
        raise CaseTransitionError({"next_step": _(RATE_SATISFIED_CLOSES)})
    if next_step == "appeal" and not policy.appeal_allowed:
        raise CaseTransitionError({"next_step": _(APPEAL_NOT_ALLOWED)})
    now = clock.now()
    today = clock.local_date(now)
    follow_up_due = None
    if level in policy.follow_up_levels:
        follow_up_due = work_calendar().add_working_days(today, policy.follow_up_days).day
    changes: dict[str, Any] = {"rating_level": level, "satisfied": spec.satisfied, "resolved": resolved}
    if next_step == "close":
        changes.update(status=S.CLOSED, closed_at=now)
    elif next_step == "reopen":
        changes.update(_reopen_changes(case, now))
    else:
        changes.update(status=S.APPEALED)
    _save(case, actor=actor, version=version, label=f"评价（{spec.name}）", changes=changes)
    on_behalf = not is_case_enterprise(actor, case)
    Rating.objects.create(
        case=case,
        level=level,
        satisfied=spec.satisfied,
        resolved=resolved,
        comment=_bounded(comment.strip(), field="comment", limit=2000),
        rated_by=actor,
        rated_at=now,
        on_behalf=on_behalf,
        follow_up_due=follow_up_due,
    )
    text = f"评价：{spec.name}；问题{'已' if resolved else '未'}解决"
    if comment.strip():
        text += f"；意见：{comment.strip()}"
    if on_behalf:
        text += "（回访代录）"
    _event(case, actor, CaseEvent.Action.RATE, text, visible=True)
    if next_step == "close":
        _event(case, actor, CaseEvent.Action.CLOSE, "已办结", visible=True)
    elif next_step == "reopen":
        _event(
            case,
            actor,
            CaseEvent.Action.REOPEN,
            f"企业不满意，重新办理；新的办理期限：{case.deadline:%Y年%m月%d日}",
            visible=True,
        )
    else:
        _event(case, actor, CaseEvent.Action.APPEAL, "企业对办理结果不满意，已向督办部门申诉", visible=True)
    if not spec.satisfied:
        notify.notify(
            [
                *notify.unit_handlers(case.lead_unit_id),
                case.first_responder,
                *(notify.supervisors(case) if next_step == "appeal" else []),
            ],
            case=case,
            kind="dissatisfied",
            text=f"诉求 {case.number} 评价为“{spec.name}”，请回访",
            exclude=actor,
        )
    return case


@transaction.atomic
def case_decide_appeal(*, actor: User, case: Case, version: int, upheld: bool, text: str) -> Case:
    """The supervisor's answer to an appeal: upheld reopens the case with a new limit, otherwise it
    closes."""
    _require(actor, case, "decide_appeal", version)
    text = _clean_text(text)
    now = clock.now()
    if upheld:
        changes = _reopen_changes(case, now)
    else:
        changes = {"status": S.CLOSED, "closed_at": now}
    _save(case, actor=actor, version=version, label="处理申诉", changes=changes)
    if upheld:
        body = f"申诉成立，责成重新办理（期限{case.deadline:%Y年%m月%d日}）。{text}"
    else:
        body = f"申诉不成立，维持原办理结果，诉求办结。{text}"
    _event(case, actor, CaseEvent.Action.APPEAL_DECISION, body, visible=True)
    notify.notify(
        [*notify.enterprise_users(case), *notify.unit_handlers(case.lead_unit_id)],
        case=case,
        kind="appeal_decided",
        text=f"诉求 {case.number} 的申诉已处理",
        exclude=actor,
    )
    return case


@transaction.atomic
def case_close(*, actor: User | None, case: Case, version: int, note: str = "") -> Case:
    """Close a replied case without a rating (by the supervisor or the 首问负责人, or by the sweep
    when the enterprise has not rated in time)."""
    if actor is not None:
        _require(actor, case, "close", version)
    elif case.status != S.REPLIED:
        raise CaseTransitionError(_(ILLEGAL_TRANSITION) % {"status": case.get_status_display(), "action": _("办结")})
    _save(case, actor=actor, version=version, label="办结", changes={"status": S.CLOSED, "closed_at": clock.now()})
    _event(case, actor, CaseEvent.Action.CLOSE, note.strip() or "已办结", visible=True)
    return case


@transaction.atomic
def case_withdraw(*, actor: User, case: Case, version: int, reason: str = "") -> Case:
    _require(actor, case, "withdraw", version)
    changes: dict[str, Any] = {"status": S.WITHDRAWN, "closed_at": clock.now(), "paused_since": None}
    if case.pauses and case.pauses[-1][1] is None:
        pauses = [list(pause) for pause in case.pauses]
        pauses[-1][1] = _today().isoformat()
        changes["pauses"] = pauses
    _save(case, actor=actor, version=version, label="撤回", changes=changes)
    _close_pending_approvals(case, "诉求已撤回，申请自动关闭")
    _event(case, actor, CaseEvent.Action.WITHDRAW, f"企业撤回诉求。{reason.strip()}".strip(), visible=True)
    notify.notify(
        [case.first_responder, *notify.unit_handlers(case.lead_unit_id)],
        case=case,
        kind="withdrawn",
        text=f"诉求 {case.number} 已被企业撤回",
        exclude=actor,
    )
    return case


# ── extensions and clarifications (approved by a supervisor) ───────────────────────────────────


def _close_pending_approvals(case: Case, note: str) -> None:
    ApprovalRequest.objects.filter(case=case, status=ApprovalRequest.Status.PENDING).update(
        status=ApprovalRequest.Status.REFUSED, decided_at=clock.now(), decision_note=note
    )


def _approval_pending(case: Case, kind: str) -> None:
    if ApprovalRequest.objects.filter(case=case, kind=kind, status=ApprovalRequest.Status.PENDING).exists():
        raise CaseTransitionError(_(APPROVAL_PENDING) % {"kind": ApprovalRequest.Kind(kind).label})


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
    _approval_pending(case, ApprovalRequest.Kind.EXTENSION)
    request = ApprovalRequest.objects.create(
        case=case,
        kind=ApprovalRequest.Kind.EXTENSION,
        reason=reason,
        days=days,
        requested_by=actor,
        requested_at=clock.now(),
    )
    audit_record(
        actor=actor, action=AuditLog.Action.CREATE, obj=request, after=snapshot(request), detail="诉求：申请延期"
    )
    _event(case, actor, CaseEvent.Action.EXTENSION_REQUEST, f"申请延期{days}个工作日。理由：{reason}", visible=True)
    notify.notify(
        notify.supervisors(case),
        case=case,
        kind="approval",
        text=f"诉求 {case.number} 申请延期{days}个工作日，待审批",
        exclude=actor,
    )
    return request


@transaction.atomic
def case_request_clarification(*, actor: User, case: Case, items: Sequence[str], reason: str) -> ApprovalRequest:
    """After the one-time notice, a second request for materials needs a supervisor's approval."""
    _require(actor, case, "request_clarification")
    if case.notice_sent_at is None:
        raise CaseTransitionError(_(CLARIFICATION_BEFORE_NOTICE))
    cleaned = _clean_items(items)
    reason = _clean_text(reason, field="reason", message=REASON_REQUIRED, limit=2000)
    _approval_pending(case, ApprovalRequest.Kind.CLARIFICATION)
    request = ApprovalRequest.objects.create(
        case=case,
        kind=ApprovalRequest.Kind.CLARIFICATION,
        reason=reason,
        items=cleaned,
        requested_by=actor,
        requested_at=clock.now(),
    )
    audit_record(
        actor=actor, action=AuditLog.Action.CREATE, obj=request, after=snapshot(request), detail="诉求：申请再次补正"
    )
    _event(
        case,
        actor,
        CaseEvent.Action.CLARIFICATION_REQUEST,
        f"申请再次补正：{_items_text(cleaned)}。理由：{reason}",
        visible=False,
    )
    notify.notify(
        notify.supervisors(case),
        case=case,
        kind="approval",
        text=f"诉求 {case.number} 申请再次补正，待审批",
        exclude=actor,
    )
    return request


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


# ── reminders, comments, hand-over, follow-up, attachments ─────────────────────────────────────


@transaction.atomic
def case_remind(*, actor: User, case: Case, note: str = "") -> Reminder:
    """人工催办 by the supervisor or the 首问负责人."""
    _require(actor, case, "remind")
    reminder = Reminder.objects.create(
        case=case,
        kind=Reminder.Kind.MANUAL,
        due=case.deadline or case.response_due or _today(),
        note=_bounded(note.strip(), field="note", limit=300),
        by=actor,
        created_at=clock.now(),
    )
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=reminder, detail="诉求：催办")
    _event(case, actor, CaseEvent.Action.REMIND, f"催办：{note.strip() or '请抓紧办理'}", visible=False)
    target = case.lead_unit_id if case.status != S.SUBMITTED else case.receiving_unit_id
    notify.notify(
        notify.unit_handlers(target), case=case, kind="remind", text=f"催办：{case.number} {case.title}", exclude=actor
    )
    return reminder


@transaction.atomic
def case_comment(
    *, actor: User, case: Case, text: str, to_enterprise: bool = False, files: Sequence[Upload] = ()
) -> CaseEvent:
    """A message on the timeline: from the enterprise (always visible to it), or from staff, internal
    unless addressed to the enterprise."""
    _require(actor, case, "comment")
    text = _clean_text(text, limit=3000)
    types = attachment_check(files, existing=case.attachments.count())
    from_enterprise = is_case_enterprise(actor, case)
    visible = from_enterprise or to_enterprise
    event = _event(case, actor, CaseEvent.Action.COMMENT, text, visible=visible)
    attachments_store(case=case, event=event, actor=actor, files=files, types=types, visible_to_enterprise=visible)
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=event, detail="诉求：留言")
    if from_enterprise:
        recipients: list[User | None] = [case.first_responder, *notify.unit_handlers(case.lead_unit_id)]
    elif visible:
        recipients = list(notify.enterprise_users(case))
    else:
        recipients = [case.first_responder, *notify.unit_handlers(case.lead_unit_id)]
    notify.notify(recipients, case=case, kind="comment", text=f"诉求 {case.number} 有新留言", exclude=actor)
    return event


@transaction.atomic
def case_hand_over(*, actor: User, case: Case, version: int, to_user: User, reason: str) -> Case:
    """首问负责: the owner stays until closed or formally handed over, with a reason."""
    _require(actor, case, "handover", version)
    reason = _clean_text(reason, field="reason", message=REASON_REQUIRED)
    if not is_staff_on(to_user, case) or to_user.pk == case.first_responder_id:
        raise CaseTransitionError({"to_user": _(HANDOVER_TARGET)})
    _save(case, actor=actor, version=version, label="移交首问负责", changes={"first_responder": to_user})
    _event(
        case,
        actor,
        CaseEvent.Action.HANDOVER,
        f"首问负责人变更为{actor_label(to_user)}",
        visible=True,
        note=f"移交理由：{reason}",
    )
    notify.notify([to_user], case=case, kind="handover", text=f"您已成为诉求 {case.number} 的首问负责人", exclude=actor)
    return case


@transaction.atomic
def case_follow_up(*, actor: User, case: Case, note: str) -> Rating:
    """差评回访: the unit calls the enterprise back about a bad rating."""
    _require(actor, case, "follow_up")
    note = _clean_text(note, field="note", message=TEXT_REQUIRED, limit=2000)
    rating = case.ratings.filter(follow_up_due__isnull=False, followed_up_at__isnull=True).order_by("rated_at").first()
    if rating is None:
        raise CaseTransitionError(_(FOLLOW_UP_NONE))
    rating.followed_up_at = clock.now()
    rating.follow_up_note = note
    rating.save(update_fields=["followed_up_at", "follow_up_note"])
    audit_record(
        actor=actor, action=AuditLog.Action.UPDATE, obj=rating, after={"followed_up": True}, detail="诉求：差评回访"
    )
    _event(case, actor, CaseEvent.Action.FOLLOW_UP, f"差评回访：{note}", visible=True)
    return rating


@transaction.atomic
def case_attach(
    *, actor: User, case: Case, files: Sequence[Upload], visible_to_enterprise: bool = True
) -> list[Attachment]:
    _require(actor, case, "attach")
    if not files:
        raise CaseTransitionError({"files": _("请选择文件")})
    types = attachment_check(files, existing=case.attachments.count())
    visible = visible_to_enterprise or is_case_enterprise(actor, case)
    names = "、".join((upload.name or "附件") for upload in files)
    event = _event(case, actor, CaseEvent.Action.ATTACH, f"上传附件：{names}", visible=visible)
    stored = attachments_store(
        case=case, event=event, actor=actor, files=files, types=types, visible_to_enterprise=visible
    )
    audit_record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=case,
        after={"attachments": len(stored)},
        detail="诉求：上传附件",
    )
    return stored


# ── the sweep's steps (system actor) ─────────────────────────────────────────────────────────


@transaction.atomic
def case_recalculate_deadline(*, case: Case, calendar: WorkCalendar) -> bool:
    """Recompute an open case's deadline from its stored instants (after the holiday table gained a
    year). True when the deadline or the flag changed."""
    if case.status not in Case.CLOCK_STATUSES or case.clock_started_at is None:
        return False
    deadline = _deadline(case, calendar)
    if deadline.day == case.deadline and deadline.uncovered == case.deadline_uncovered:
        return False
    old = case.deadline
    _save(
        case,
        actor=None,
        version=case.version,
        label="重算期限",
        changes={"deadline": deadline.day, "deadline_uncovered": deadline.uncovered},
    )
    _event(
        case,
        None,
        CaseEvent.Action.RECALCULATE,
        f"节假日安排更新，办理期限由{old:%Y年%m月%d日}调整为{_deadline_text(deadline)}"
        if old
        else f"办理期限：{_deadline_text(deadline)}",
        visible=True,
    )
    return True


@transaction.atomic
def case_send_reminder(*, case: Case, kind: str, due: dt.date, text: str) -> Reminder | None:
    """One reminder per (case, kind, due): a second call for the same due date does nothing."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(case=case, kind=kind, due=due, note=text[:300], created_at=clock.now())
    except IntegrityError:
        return None
    if kind == Reminder.Kind.ESCALATION:
        Case.objects.filter(pk=case.pk, escalated_at__isnull=True).update(escalated_at=clock.now())
        recipients: list[User | None] = [*notify.supervisors(case), case.first_responder]
        _event(case, None, CaseEvent.Action.ESCALATE, text, visible=False)
    elif kind == Reminder.Kind.RESPONSE:
        recipients = [*notify.unit_handlers(case.receiving_unit_id), *notify.park_staff(case)]
        _event(case, None, CaseEvent.Action.REMIND, text, visible=False)
    else:
        recipients = [*notify.unit_handlers(case.lead_unit_id), case.first_responder]
        _event(case, None, CaseEvent.Action.REMIND, text, visible=False)
    detail = f"诉求：{_stored(reminder.get_kind_display)}"
    audit_record(actor=None, action=AuditLog.Action.CREATE, obj=reminder, detail=detail)
    notify.notify(recipients, case=case, kind=kind, text=text)
    return reminder


# ── visits ───────────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def visit_log(*, actor: User, enterprise: Enterprise, visited_on: dt.date, summary: str) -> Visit:
    """走访记录 by the enterprise's park staff or district, or the city. There is no assignment of
    service specialists (陪跑) to enterprises yet; when there is, the specialist joins here."""
    if not may_enter(actor, Visit):
        raise CasePermissionError(_(VISIT_NOT_ALLOWED))
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise CasePermissionError(_(OUT_OF_SCOPE))
    if visited_on > _today():
        raise CaseTransitionError({"visited_on": _("走访日期不能晚于今天")})
    visit = Visit(
        enterprise=enterprise,
        visited_by=actor,
        visited_on=visited_on,
        summary=_clean_text(summary, field="summary", limit=3000),
        created_at=clock.now(),
    )
    visit.full_clean()
    visit.save()
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=visit, after=snapshot(visit), detail="走访记录")
    return visit


# ── notifications ────────────────────────────────────────────────────────────────────────────


def notifications_mark_read(*, user: User, ids: Sequence[int] | None = None) -> int:
    from yuanqu.casework.models import Notification

    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=clock.now())


# ── categories and the holiday table ───────────────────────────────────────────────────────────


@transaction.atomic
def category_sync(*, actor: User | None = None) -> int:
    """Create or update the categories from the policy pack (casework.yaml). Idempotent; a category
    that left the pack is deactivated, never deleted (cases point at it)."""
    policy = rules()
    units = dict(ResponsibleUnit.objects.values_list("code", "pk"))
    seen = []
    for order, spec in enumerate(policy.categories):
        Category.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "name_en": spec.name_en[:100],
                "kind": spec.kind if spec.kind in CaseKind.values else CaseKind.REQUEST,
                "time_limit_days": spec.time_limit_days,
                "default_unit_id": units.get(spec.default_unit),
                "default_unit_code": spec.default_unit,
                "description": spec.description[:300],
                "materials": list(spec.materials),
                "questions": list(spec.questions),
                "active": True,
                "sort_order": order,
            },
        )
        seen.append(spec.code)
    Category.objects.exclude(code__in=seen).update(active=False)
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        object_type="casework.Category",
        object_repr="诉求类别",
        after={"count": len(seen), "source": policy.source},
        detail="同步诉求类别",
    )
    return len(seen)


def calendar_seed_from_chinesecalendar(
    *, first_year: int | None = None, last_year: int | None = None
) -> dict[str, int]:
    """Fill the holiday table (core.CalendarDay/CalendarYear) from chinesecalendar for 2004–2026.
    Idempotent; rows admins added for other years are left alone, and so is a year an admin marked
    incomplete."""
    import chinese_calendar

    from yuanqu.core.workdays import CHINESE_CALENDAR_FIRST_YEAR, CHINESE_CALENDAR_LAST_YEAR, chinese_calendar_sets

    first = first_year or CHINESE_CALENDAR_FIRST_YEAR
    last = last_year or CHINESE_CALENDAR_LAST_YEAR
    holidays, workdays, years = chinese_calendar_sets(chinese_calendar, first, last)
    with transaction.atomic():
        existing = set(
            CalendarDay.objects.filter(date__year__gte=first, date__year__lte=last).values_list("date", flat=True)
        )
        fresh = [
            CalendarDay(date=day, kind=CalendarDay.Kind.HOLIDAY, name=name)
            for day, name in holidays.items()
            if day not in existing
        ]
        fresh += [
            CalendarDay(date=day, kind=CalendarDay.Kind.WORKDAY, name=name)
            for day, name in workdays.items()
            if day not in existing
        ]
        CalendarDay.objects.bulk_create(fresh, batch_size=500)
        known = set(CalendarYear.objects.values_list("year", flat=True))
        CalendarYear.objects.bulk_create(
            [
                CalendarYear(year=year, source=f"chinesecalendar {chinese_calendar.__version__}")
                for year in sorted(years)
                if year not in known
            ]
        )
    return {"days": len(fresh), "years": len(years - known)}
