"""Project 陪跑: a specialist accompanies a project through the stages 洽谈 → 落地 → 建设 → 成长 → 壮大,
with a note at each step; the project is linked to the 招商 pipeline's project when there is one.
A note may keep the stage or move it on, never back. When the linked 招商 project moves, the 陪跑
record follows to the matching stage (`PIPELINE_TO_COMPANION`) with a note saying so, never back.
Audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied
from yuanqu.core.writes import create_audited
from yuanqu.investment.models import Project
from yuanqu.registry.models import Park
from yuanqu.service.models import (
    COMPANION_ORDER,
    PIPELINE_TO_COMPANION,
    CompanionNote,
    CompanionProject,
    CompanionStage,
)
from yuanqu.service.services.common import SPECIALIST_SCOPE, check_role, clean_text
from yuanqu.service.services.standards import PARK_OUT_OF_SCOPE

STAGE_BACK = gettext_noop("陪跑阶段不能倒退：当前为“%(current)s”，不能改为“%(stage)s”")
UNKNOWN_STAGE = gettext_noop("未知的陪跑阶段“%(stage)s”，可选：%(allowed)s")
PROJECT_TAKEN = gettext_noop("招商项目“%(number)s”已有陪跑记录")
FOLLOWED = gettext_noop("招商项目%(number)s进入“%(pipeline)s”，陪跑阶段随之进入“%(stage)s”")


@transaction.atomic
def companion_open(
    *, actor: User, name: str, park: Park, specialist: User, investment_project: Project | None = None
) -> CompanionProject:
    check_role(actor)
    if not Park.objects.visible_to(actor).filter(pk=park.pk).exists():
        raise WriteDenied(_(PARK_OUT_OF_SCOPE) % {"park": park.name}, code="out_of_scope")
    if not Park.objects.visible_to(specialist).filter(pk=park.pk).exists():
        raise ValidationError({"specialist": _(SPECIALIST_SCOPE) % {"name": str(specialist), "firm": park.name}})
    if (
        investment_project is not None
        and CompanionProject.objects.filter(investment_project=investment_project).exists()
    ):
        raise ValidationError({"investment_project": _(PROJECT_TAKEN) % {"number": investment_project.number}})
    project = CompanionProject(
        name=clean_text(name, field="name", label=_("项目名称"), limit=120),
        park=park,
        investment_project=investment_project,
        specialist=specialist,
        created_at=clock.now(),
    )
    return create_audited(actor=actor, row=project, detail="项目陪跑：建立")


@transaction.atomic
def companion_note(*, actor: User, project: CompanionProject, stage: str, text: str) -> CompanionNote:
    check_role(actor)
    if stage not in COMPANION_ORDER:
        allowed = "、".join(f"{value}（{label}）" for value, label in CompanionStage.choices)
        raise ValidationError({"stage": _(UNKNOWN_STAGE) % {"stage": stage[:20], "allowed": allowed}})
    if COMPANION_ORDER.index(stage) < COMPANION_ORDER.index(project.stage):
        raise ValidationError(
            {"stage": _(STAGE_BACK) % {"current": project.get_stage_display(), "stage": CompanionStage(stage).label}}
        )
    note = CompanionNote(
        project=project,
        stage=stage,
        text=clean_text(text, field="text", label=_("陪跑记录"), limit=1000),
        written_by=actor,
        written_at=clock.now(),
    )
    note.full_clean()
    note.save()
    if stage != project.stage:
        CompanionProject.objects.filter(pk=project.pk).update(stage=stage)
        project.refresh_from_db()
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=note, after=snapshot(note), detail="项目陪跑：记录")
    return note


def companion_stage_proposed(project: CompanionProject) -> CompanionStage | None:
    """The stage the linked 招商 project's own stage calls for, when it is ahead of the record's."""
    pipeline = project.investment_project
    if pipeline is None:
        return None
    target = PIPELINE_TO_COMPANION.get(pipeline.stage)
    if target is None or COMPANION_ORDER.index(target) <= COMPANION_ORDER.index(project.stage):
        return None
    return target


@transaction.atomic
def companion_follow(*, project: CompanionProject, actor: User | None) -> CompanionNote | None:
    """Move the record on to the stage its 招商 project calls for, with a note; nothing when the
    record is already there or beyond (it never goes back). Called when the 招商 project moves (in
    the same transaction as the move, by `actor`, the one who moved it)."""
    project = (
        CompanionProject.objects.select_for_update(of=("self",)).select_related("investment_project").get(pk=project.pk)
    )
    target = companion_stage_proposed(project)
    if target is None or project.investment_project is None:
        return None
    pipeline = project.investment_project
    note = CompanionNote(
        project=project,
        stage=target,
        text=_(FOLLOWED) % {"number": pipeline.number, "pipeline": pipeline.get_stage_display(), "stage": target.label},
        written_by=actor,
        written_at=clock.now(),
    )
    note.full_clean()
    note.save()
    CompanionProject.objects.filter(pk=project.pk).update(stage=target)
    audit_record(
        actor=actor, action=AuditLog.Action.CREATE, obj=note, after=snapshot(note), detail="项目陪跑：随招商阶段"
    )
    return note
