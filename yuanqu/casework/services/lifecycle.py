"""The steps of a case from acceptance to closing: accept, reject, one-time notice and supplement,
assign, start, transfer, reply, rate, appeal, close, withdraw, hand-over of the 首问负责人 and the
follow-up of a bad rating."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yuanqu.casework import clock, notify
from yuanqu.casework.attachments import attachment_check, attachments_store
from yuanqu.casework.models import (
    ApprovalRequest,
    Case,
    CaseEvent,
    Rating,
    Transfer,
)
from yuanqu.casework.rules import rules
from yuanqu.casework.selectors import work_calendar
from yuanqu.casework.services.access import _require, is_case_enterprise, is_staff_on
from yuanqu.casework.services.common import (
    APPEAL_NOT_ALLOWED,
    FOLLOW_UP_NONE,
    HANDOVER_TARGET,
    ILLEGAL_TRANSITION,
    LEAD_UNIT_REQUIRED,
    NOTICE_AFTER_DEADLINE,
    NOTICE_ITEMS_REQUIRED,
    NOTICE_ONCE,
    NOTICE_TOO_LATE,
    RATE_LEVEL_REQUIRED,
    RATE_LEVEL_UNKNOWN,
    RATE_NEXT_UNKNOWN,
    RATE_RESOLVED_REQUIRED,
    RATE_SATISFIED_CLOSES,
    REASON_REQUIRED,
    TEXT_REQUIRED,
    TRANSFER_SAME_UNIT,
    CaseStatusError,
    CaseTransitionError,
    S,
    _bounded,
    _clean_text,
    _closed_pauses,
    _deadline,
    _deadline_text,
    _event,
    _save,
    _today,
    actor_label,
    clause,
)
from yuanqu.core.attachments import Upload
from yuanqu.core.audit import audit_record
from yuanqu.core.models import AuditLog, User
from yuanqu.core.workdays import WorkCalendar
from yuanqu.registry.models import ResponsibleUnit


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
    return "；".join(f"{number}. {clause(item)}" for number, item in enumerate(items, start=1))


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
        f"已补正材料{on_behalf}：{clause(body) or '见附件'}。恢复计时，办理期限顺延至{_deadline_text(deadline)}",
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


@transaction.atomic
def case_reply(*, actor: User, case: Case, version: int, text: str, files: Sequence[Upload] = ()) -> Case:
    """反馈: the answer to the enterprise; handling ends and is judged on time or late. The 首问负责人
    of the lead unit answers an accepted case directly (its unit becomes the lead unit, no 交办 and
    签收), and the lead unit's handler an assigned one without signing for it first; the timeline
    says so."""
    _require(actor, case, "reply", version)
    text = _clean_text(text)
    types = attachment_check(files, existing=case.attachments.count())
    direct = case.status == S.ACCEPTED
    unsigned = case.status == S.ASSIGNED
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
            **({"lead_unit": actor.unit} if direct else {}),
            "status": S.REPLIED,
            "replied_at": now,
            "reply": text,
            "finished_on_time": case.deadline is None or today <= case.deadline,
            "handling_working_days": earlier + cycle,
        },
    )
    _close_pending_approvals(case, "诉求已答复，申请自动关闭")
    if direct or unsigned:
        took = f"首问负责人所在单位{case.lead_unit}直接办理" if direct else f"{case.lead_unit}已签收"
        _event(case, actor, CaseEvent.Action.START, took, visible=True)
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
    if spec.counts_as_satisfied and next_step != "close":
        raise CaseTransitionError({"next_step": _(RATE_SATISFIED_CLOSES)})
    if next_step == "appeal" and not policy.appeal_allowed:
        raise CaseTransitionError({"next_step": _(APPEAL_NOT_ALLOWED)})
    now = clock.now()
    today = clock.local_date(now)
    follow_up_due = None
    if level in policy.follow_up_levels:
        follow_up_due = work_calendar().add_working_days(today, policy.follow_up_days).day
    changes: dict[str, Any] = {"rating_level": level, "satisfied": spec.counts_as_satisfied, "resolved": resolved}
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
        satisfied=spec.counts_as_satisfied,
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
    if not spec.counts_as_satisfied:
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
        raise CaseStatusError(_(ILLEGAL_TRANSITION) % {"status": case.get_status_display(), "action": _("办结")})
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


def _close_pending_approvals(case: Case, note: str) -> None:
    ApprovalRequest.objects.filter(case=case, status=ApprovalRequest.Status.PENDING).update(
        status=ApprovalRequest.Status.REFUSED, decided_at=clock.now(), decision_note=note
    )


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
