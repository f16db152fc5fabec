"""Writes of 督办: loading the pack's tasks, progress reports from the responsible units, the city's
comments and presses (催办), and closing a task. Keyword-only, atomic, validated, audited; the error
messages are constants that tests assert on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from yuanqu.core.attachments import Upload, attachments_check, attachments_store
from yuanqu.core.audit import audit_record, changed, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.pack import PolicyPack
from yuanqu.core.permissions import WriteDenied, writable_fields
from yuanqu.core.readcache import data_version_bump
from yuanqu.indicators.catalogue import policy_pack
from yuanqu.registry.models import ResponsibleUnit
from yuanqu.registry.pack import LAYOUT
from yuanqu.targets.models import (
    ReportAttachment,
    SupervisedTask,
    TaskAssignment,
    TaskComment,
    TaskReport,
    acting_unit_q,
    quarter_label,
    quarter_start,
)
from yuanqu.targets.pack import TARGETS, Task

ERR_UNITS_MISSING = "责任单位尚未载入（缺少：{codes}），请先运行 yuanqu policy apply"
ERR_NOT_ASSIGNED = "您所在的单位不是该任务的责任单位，不能报送进展"
ERR_NO_UNIT = "只有责任单位办理人和区级用户可以报送进展"
ERR_PERIOD_FUTURE = "不能报送尚未开始的季度（{label}）"
ERR_PERIOD_BEFORE = "报送期早于政策实施期（{start}起）"
ERR_TEXT_EMPTY = "请填写进展情况"
ERR_PERCENT = "完成进度应为0到100之间的整数"
MAX_ATTACHMENTS_PER_REPORT = 10
ERR_ATTACHMENT_COUNT = "每份进展报告最多{count}个附件"
ERR_CITY_ONLY = "只有市级管理员可以批示、催办和办结任务"
ERR_PRESS_UNIT = "被催办单位“{unit}”不是该任务的责任单位"
# A unit code that names no unit, on the page and the API (translated where the page shows it).
ERR_PRESS_NO_UNIT = gettext_noop("请选择被催办单位")
ERR_COMMENT_EMPTY = "请填写内容"
ERR_TRANSITION = "任务当前状态为“{status}”，不能{action}"


def _pack(pack: PolicyPack | None) -> PolicyPack:
    return pack or policy_pack()


def _expand(pack: PolicyPack, code: str, units: dict[str, ResponsibleUnit]) -> list[ResponsibleUnit]:
    """A pack unit as registry rows: itself, its members (a group), or its expansion per district."""
    unit = pack.section(LAYOUT).unit(code)
    if unit.members:
        return [row for member in unit.members for row in _expand(pack, member, units)]
    if unit.expands_to:
        prefix = f"{code}-"
        return sorted((row for key, row in units.items() if key.startswith(prefix)), key=lambda row: row.code)
    return [units[code]] if code in units else []


@transaction.atomic
def supervised_tasks_sync(*, pack: PolicyPack | None = None, actor: User | None = None) -> dict[str, int]:
    """Create or update the tasks and safeguards of the pack with their lead and co units. Idempotent;
    reports and comments stay. Needs the pack's units in the registry (registry policy_pack_apply)."""
    pack = _pack(pack)
    plan = pack.section(TARGETS)
    units = {row.code: row for row in ResponsibleUnit.objects.all()}
    needed = {code for task in (*plan.tasks, *plan.safeguards) for code in (*task.lead_units, *task.co_units)}
    missing = sorted(code for code in needed if not _expand(pack, code, units))
    if missing:
        raise ValidationError(ERR_UNITS_MISSING.format(codes="、".join(missing)), code="units_missing")
    groups = {group.code: group for group in plan.task_groups}
    assignments = 0
    for order, task in enumerate((*plan.tasks, *plan.safeguards)):
        row, _ = SupervisedTask.objects.update_or_create(
            code=task.code,
            defaults={
                "kind": task.kind,
                "number": task.number,
                "group_code": task.group or "",
                "group_title": groups[task.group].title if task.group in groups else "",
                "group_title_en": groups[task.group].title_en if task.group in groups else "",
                "title": task.title,
                "title_en": task.title_en,
                "summary": task.summary,
                "units_text": task.units_text,
                "target_codes": list(task.targets),
                "sort_order": order,
            },
        )
        assignments += _sync_assignments(pack, row, task, units)
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        object_type="targets.SupervisedTask",
        object_repr="督办任务（政策包）",
        after={"pack": pack.code, "version": pack.version, "tasks": len(plan.tasks) + len(plan.safeguards)},
        detail="从政策包同步重点任务与保障措施",
    )
    return {"tasks": len(plan.tasks) + len(plan.safeguards), "assignments": assignments}


def _sync_assignments(pack: PolicyPack, row: SupervisedTask, task: Task, units: dict[str, ResponsibleUnit]) -> int:
    wanted: dict[int, tuple[str, str, int]] = {}
    order = 0
    roles: tuple[tuple[str, tuple[str, ...]], ...] = (
        (TaskAssignment.Role.LEAD, task.lead_units),
        (TaskAssignment.Role.CO, task.co_units),
    )
    for role, codes in roles:
        for code in codes:
            for unit in _expand(pack, code, units):
                if unit.pk not in wanted:  # a unit named as lead and again through a group stays lead
                    wanted[unit.pk] = (role, code, order)
                    order += 1
    existing = {assignment.unit_id: assignment for assignment in row.assignments.all()}
    reporting = set(row.reports.values_list("unit_id", flat=True))
    # A unit dropped from the pack keeps its assignment while it has reports on the task.
    row.assignments.filter(unit_id__in=set(existing) - set(wanted) - reporting).delete()
    changed: list[TaskAssignment] = []
    fresh: list[TaskAssignment] = []
    for unit_id, (role, via, position) in wanted.items():
        found = existing.get(unit_id)
        if found is None:
            fresh.append(TaskAssignment(task=row, unit_id=unit_id, role=role, via=via, sort_order=position))
        elif (found.role, found.via, found.sort_order) != (role, via, position):
            found.role, found.via, found.sort_order = role, via, position
            changed.append(found)
    TaskAssignment.objects.bulk_create(fresh)
    TaskAssignment.objects.bulk_update(changed, ["role", "via", "sort_order"])
    return len(wanted)


# ── reports ────────────────────────────────────────────────────────────────────────────────


def acting_unit(user: User) -> ResponsibleUnit | None:
    condition = acting_unit_q(user)
    if condition is None or not user.is_active:
        return None
    return ResponsibleUnit.objects.filter(condition).first()


@transaction.atomic
def task_report_submit(
    *,
    actor: User,
    task: SupervisedTask,
    period: dt.date,
    text: str,
    percent_done: int,
    files: Sequence[Upload] = (),
    today: dt.date | None = None,
) -> TaskReport:
    """A unit files (or revises) its progress on a task for a quarter, with attachments."""
    unit = acting_unit(actor) if "reports" in writable_fields(actor, SupervisedTask) else None
    if unit is None:
        raise WriteDenied(ERR_NO_UNIT, code="no_unit")
    if not TaskAssignment.objects.filter(task=task, unit=unit).exists():
        raise WriteDenied(ERR_NOT_ASSIGNED, code="not_assigned")
    today = today or timezone.localdate()
    period = quarter_start(period)
    errors: dict[str, str] = {}
    if period > quarter_start(today):
        errors["period"] = ERR_PERIOD_FUTURE.format(label=quarter_label(period))
    start = _pack(None).period_start
    if period < quarter_start(start):
        errors["period"] = ERR_PERIOD_BEFORE.format(start=start.isoformat())
    if not text.strip():
        errors["text"] = ERR_TEXT_EMPTY
    if isinstance(percent_done, bool) or not isinstance(percent_done, int) or not 0 <= percent_done <= 100:
        errors["percent_done"] = ERR_PERCENT
    if errors:
        raise ValidationError(errors)
    report = TaskReport.objects.select_for_update().filter(task=task, unit=unit, period=period).first()
    checked = attachments_check(
        files,
        existing=report.attachments.count() if report else 0,
        most=MAX_ATTACHMENTS_PER_REPORT,
        too_many=ERR_ATTACHMENT_COUNT.format(count=MAX_ATTACHMENTS_PER_REPORT),
    )
    before = snapshot(report, ("text", "percent_done")) if report else None
    if report is None:
        report = TaskReport(task=task, unit=unit, period=period)
    report.text = text.strip()
    report.percent_done = percent_done
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.full_clean()
    report.save()
    attachments_store(ReportAttachment, files, checked, actor=actor, report=report, uploaded_at=timezone.now())
    after = snapshot(report, ("text", "percent_done"))
    detail = f"{unit.name}报送{quarter_label(period)}进展，附件{len(files)}个"
    if before is None:
        audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=report, after=after, detail=detail)
    else:
        old, new = changed(before, after)
        audit_record(actor=actor, action=AuditLog.Action.UPDATE, obj=report, before=old, after=new, detail=detail)
    SupervisedTask.objects.filter(pk=task.pk, status=SupervisedTask.Status.NOT_STARTED).update(
        status=SupervisedTask.Status.IN_PROGRESS
    )
    return report


# ── the city's comments, presses and closing ────────────────────────────────────────────────


def _require_city_admin(actor: User, field: str) -> None:
    """The city's part of a task (`status`, `comments` in core.permissions.FIELD_OWNERS)."""
    if field not in writable_fields(actor, SupervisedTask):
        raise WriteDenied(ERR_CITY_ONLY, code="city_only")


@transaction.atomic
def task_comment_add(*, actor: User, task: SupervisedTask, text: str, report: TaskReport | None = None) -> TaskComment:
    _require_city_admin(actor, "comments")
    if not text.strip():
        raise ValidationError({"text": ERR_COMMENT_EMPTY})
    comment = TaskComment.objects.create(
        task=task,
        kind=TaskComment.Kind.COMMENT,
        report=report,
        text=text.strip(),
        author=actor,
        created_at=timezone.now(),
    )
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=comment, after=snapshot(comment), detail="批示意见")
    return comment


@transaction.atomic
def task_press(*, actor: User, task: SupervisedTask, unit: ResponsibleUnit, text: str) -> TaskComment:
    """催办: the city presses one responsible unit of a task (e.g. for an overdue report)."""
    _require_city_admin(actor, "comments")
    if not TaskAssignment.objects.filter(task=task, unit=unit).exists():
        raise ValidationError({"unit": ERR_PRESS_UNIT.format(unit=unit.name)})
    if not text.strip():
        raise ValidationError({"text": ERR_COMMENT_EMPTY})
    press = TaskComment.objects.create(
        task=task, kind=TaskComment.Kind.PRESS, unit=unit, text=text.strip(), author=actor, created_at=timezone.now()
    )
    audit_record(
        actor=actor, action=AuditLog.Action.CREATE, obj=press, after=snapshot(press), detail=f"催办{unit.name}"
    )
    return press


def _transition(actor: User, task: SupervisedTask, old: str, new: str, action: str) -> SupervisedTask:
    _require_city_admin(actor, "status")
    completed_at = timezone.now() if new == SupervisedTask.Status.COMPLETED else None
    moved = SupervisedTask.objects.filter(pk=task.pk, status=old).update(status=new, completed_at=completed_at)
    if not moved:
        current = SupervisedTask.objects.get(pk=task.pk)
        raise ValidationError(
            ERR_TRANSITION.format(status=current.get_status_display(), action=action), code="transition"
        )
    data_version_bump()  # an update() sends no signal: the task board must not stay cached
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=task,
        before={"status": old},
        after={"status": new},
        detail=action,
    )
    return SupervisedTask.objects.get(pk=task.pk)


@transaction.atomic
def task_complete(*, actor: User, task: SupervisedTask) -> SupervisedTask:
    """办结 (销号): a task in progress is closed by the city."""
    return _transition(actor, task, SupervisedTask.Status.IN_PROGRESS, SupervisedTask.Status.COMPLETED, "办结")


@transaction.atomic
def task_reopen(*, actor: User, task: SupervisedTask) -> SupervisedTask:
    return _transition(actor, task, SupervisedTask.Status.COMPLETED, SupervisedTask.Status.IN_PROGRESS, "重新打开")
