"""The 联席会议 (保障措施一 健全工作机制): a meeting is recorded with its attending units — the pack's
联席会议成员单位 and the office (市经信局) — and each decision (议定事项) becomes a supervised task of the
督办 with its lead and co-units, so the units report on it quarterly, the city presses (催办) and
completes it as any other task. The decision keeps its deadline; past it and not completed, it is
overdue on the conference page.

The task is of the kind 联席会议议定事项 (`SupervisedTask.Kind.DECISION`) with the decision's
deadline (`due_on`), coded `LXHY-<meeting>-<number>`, grouped as 联席会议议定事项; the pack's task
sync never touches it.

Who writes: the city's administrators. Who calls this: `factors.actions` and the demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.core.attachments import Upload, attachments_check, attachments_store
from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.pack import installed_pack
from yuanqu.core.permissions import is_city_admin, write_gate
from yuanqu.core.roles import Role
from yuanqu.core.texts import clean_text
from yuanqu.core.writes import save_audited
from yuanqu.factors.models import Meeting, MeetingDecision, MeetingMinutes
from yuanqu.registry.models import ResponsibleUnit
from yuanqu.registry.pack import LAYOUT
from yuanqu.targets.models import SupervisedTask, TaskAssignment

CITY_ROLES = frozenset({Role.CITY_ADMIN, Role.SYSADMIN})
# The pack's unit holding the conference's members, and the unit that hosts its office.
MEMBERS_GROUP = "lxhy"
OFFICE_UNIT = "jxj"
GROUP_CODE = "lxhy_decisions"
GROUP_TITLE = "联席会议议定事项"
SORT_FROM = 1000  # after the pack's tasks and safeguards on the 督办 list

MEETING_NOT_ALLOWED = gettext_noop("只有市级管理员可以登记联席会议及其议定事项")
UNIT_NOT_MEMBER = gettext_noop("“%(unit)s”不是联席会议成员单位")
NO_UNITS = gettext_noop("请选择参会单位")
DUE_BEFORE_MEETING = gettext_noop("完成时限不能早于会议日期%(day)s")
MEETING_IN_FUTURE = gettext_noop("会议日期不能晚于今天")
LEAD_IS_CO = gettext_noop("牵头单位“%(unit)s”不能同时为配合单位")
DECISION_LIMIT = 100


check_city = write_gate(is_city_admin, MEETING_NOT_ALLOWED, "factors_not_allowed")


def member_codes() -> frozenset[str]:
    """The units that may attend and lead: the pack's 联席会议成员单位, the office, and each district."""
    layout = installed_pack().section(LAYOUT)
    members = next((unit.members for unit in layout.units if unit.code == MEMBERS_GROUP), ())
    return frozenset({OFFICE_UNIT, *members})


def _check_units(units: Sequence[ResponsibleUnit], field: str) -> None:
    members = member_codes()
    for unit in units:
        # A district government takes part for its district (各区人民政府 are 责任单位 of the safeguard).
        if unit.code not in members and unit.district_id is None:
            raise ValidationError({field: _(UNIT_NOT_MEMBER) % {"unit": unit.name}})


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    held_on: dt.date,
    title: str,
    convener: str,
    units: Sequence[ResponsibleUnit],
    agenda: str,
    synthetic: bool = False,
) -> Meeting:
    check_city(actor)
    if held_on > clock.today():
        raise ValidationError({"held_on": _(MEETING_IN_FUTURE)})
    if not units:
        raise ValidationError({"units": _(NO_UNITS)})
    _check_units(units, "units")
    meeting = Meeting(
        held_on=held_on,
        title=clean_text(title, field="title", label="会议名称"),
        convener=clean_text(convener, field="convener", label="召集人"),
        agenda=clean_text(agenda, field="agenda", label="议程"),
        recorded_by=actor,
        recorded_at=clock.now(),
        synthetic=synthetic,
    )
    meeting.full_clean()
    meeting.save()
    meeting.units.set(units)
    after = {**snapshot(meeting), "units": sorted(unit.code for unit in units)}
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=meeting, after=after, detail="登记联席会议")
    return meeting


@transaction.atomic
def decision_add(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    lead: ResponsibleUnit,
    co_units: Sequence[ResponsibleUnit] = (),
    due_on: dt.date,
) -> MeetingDecision:
    """Add a decision to a meeting; it becomes a supervised task led by `lead` with `co_units`."""
    check_city(actor)
    body = clean_text(text, field="text", label="议定事项", limit=DECISION_LIMIT)
    if due_on < meeting.held_on:
        raise ValidationError({"due_on": _(DUE_BEFORE_MEETING) % {"day": meeting.held_on.isoformat()}})
    _check_units([lead], "lead")
    _check_units(co_units, "co_units")
    if any(unit.pk == lead.pk for unit in co_units):
        raise ValidationError({"co_units": _(LEAD_IS_CO) % {"unit": lead.name}})
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    number = locked.decisions.count() + 1
    task = SupervisedTask(
        code=f"LXHY-{meeting.pk}-{number}",
        kind=SupervisedTask.Kind.DECISION,
        number=1,
        due_on=due_on,
        reports_from=meeting.held_on,
        group_code=GROUP_CODE,
        group_title=GROUP_TITLE,
        title=body,
        summary=f"{meeting.held_on:%Y-%m-%d} {meeting.title}议定事项{number}：{body}（完成时限：{due_on:%Y-%m-%d}）",
        units_text="、".join(unit.name for unit in (lead, *co_units))[:300],
        sort_order=SORT_FROM + min(meeting.pk, 30000),
    )
    # The task links no target of the board (target_codes stays its empty default).
    task.full_clean(exclude=["target_codes"])
    task.save()
    TaskAssignment.objects.create(task=task, unit=lead, role=TaskAssignment.Role.LEAD, via=lead.code[:30])
    for order, unit in enumerate(co_units, start=1):
        TaskAssignment.objects.create(
            task=task, unit=unit, role=TaskAssignment.Role.CO, via=unit.code[:30], sort_order=order
        )
    decision = MeetingDecision(meeting=meeting, number=number, text=body, due_on=due_on, task=task)
    save_audited(
        actor=actor,
        row=decision,
        also={"lead": lead.code, "co_units": [unit.code for unit in co_units]},
        detail="联席会议议定事项转为督办任务",
    )
    return decision


MAX_MINUTES = 5
MINUTES_COUNT = gettext_noop("一次会议至多保存%(count)s份会议纪要")
MINUTES_REQUIRED = gettext_noop("请选择会议纪要文件")


@transaction.atomic
def minutes_attach(*, actor: User, meeting: Meeting, files: Sequence[Upload]) -> list[MeetingMinutes]:
    """Keep the meeting's minutes (checked by `core.attachments`: type, content, size); audited."""
    check_city(actor)
    if not files:
        raise ValidationError({"files": _(MINUTES_REQUIRED)})
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    checked = attachments_check(
        files,
        existing=locked.minutes.count(),
        most=MAX_MINUTES,
        too_many=_(MINUTES_COUNT) % {"count": MAX_MINUTES},
    )
    kept = attachments_store(MeetingMinutes, files, checked, actor=actor, meeting=locked, uploaded_at=clock.now())
    for row in kept:
        audit_record(
            actor=actor,
            action=AuditLog.Action.CREATE,
            obj=row,
            after={"meeting": locked.pk, "name": row.original_name, "size": row.size, "sha256": row.sha256},
            detail="上传联席会议纪要",
        )
    return kept
