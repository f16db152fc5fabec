"""陪跑 visits: planning a visit, and recording one with what was found. The visit itself is
casework's 走访记录 (`visit_log`); each need becomes a 啄木鸟 case through `case_submit` with the visit
attached, so the case points at the visit and the need at the case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yuanqu.casework import clock
from yuanqu.casework.models import Case, Category, Visit
from yuanqu.casework.services import case_submit, visit_log
from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.writes import create_audited
from yuanqu.registry.models import Enterprise
from yuanqu.service.config import config
from yuanqu.service.models import PlannedVisit, VisitDetail, VisitNeed
from yuanqu.service.services.common import (
    MAX_NEEDS,
    PLAN_NOT_OPEN,
    PLAN_OTHER_FIRM,
    PLAN_PAST,
    TOO_MANY_NEEDS,
    check_firm,
    check_role,
    clean_text,
)

# A need's first characters make the case's title (the case form allows 100).
NEED_TITLE_LENGTH = 40


@transaction.atomic
def visit_plan(*, actor: User, enterprise: Enterprise, planned_on: dt.date, purpose: str = "") -> PlannedVisit:
    """Put a visit to a firm in the actor's calendar."""
    check_role(actor)
    check_firm(actor, enterprise)
    if planned_on < clock.today():
        raise ValidationError({"planned_on": _(PLAN_PAST)})
    plan = PlannedVisit(
        enterprise=enterprise,
        specialist=actor,
        planned_on=planned_on,
        purpose=clean_text(purpose, field="purpose", label=_("走访事项"), limit=200, required=False),
        created_by=actor,
        created_at=clock.now(),
    )
    return create_audited(actor=actor, row=plan, detail="走访计划")


@transaction.atomic
def visit_plan_cancel(*, actor: User, plan: PlannedVisit) -> PlannedVisit:
    """Cancel a planned visit that has not taken place (version-checked: a plan that a recorded
    visit closed meanwhile stays done)."""
    check_role(actor)
    check_firm(actor, plan.enterprise)
    updated = PlannedVisit.objects.filter(pk=plan.pk, status=PlannedVisit.Status.PLANNED).update(
        status=PlannedVisit.Status.CANCELLED
    )
    if updated != 1:
        raise ValidationError({"plan": _(PLAN_NOT_OPEN)})
    plan.refresh_from_db()
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, obj=plan, after=snapshot(plan), detail="走访计划：已取消")
    return plan


@transaction.atomic
def visit_record(
    *,
    actor: User,
    enterprise: Enterprise,
    visited_on: dt.date,
    people: str,
    topics: str,
    situation: str,
    needs: Sequence[str] = (),
    plan: PlannedVisit | None = None,
) -> Visit:
    """Record a visit: casework's visit record, its details, and one 啄木鸟 case per need (in the
    pack's need category, channel 走访). A plan it fulfils is marked done."""
    check_role(actor)
    check_firm(actor, enterprise)
    people = clean_text(people, field="people", label=_("参加人员"), limit=200)
    topics = clean_text(topics, field="topics", label=_("走访主题"), limit=200)
    situation = clean_text(situation, field="situation", label=_("企业生产经营情况"), limit=3000, required=False)
    texts = [clean_text(need, field="needs", label=_("企业需求"), limit=500) for need in needs if need.strip()]
    if len(texts) > MAX_NEEDS:
        raise ValidationError({"needs": _(TOO_MANY_NEEDS) % {"limit": MAX_NEEDS}})
    if plan is not None:
        if plan.enterprise_id != enterprise.pk:
            raise ValidationError({"plan": _(PLAN_OTHER_FIRM)})
        # Version-checked: two people recording against the same plan cannot both close it.
        if not PlannedVisit.objects.filter(pk=plan.pk, status=PlannedVisit.Status.PLANNED).exists():
            raise ValidationError({"plan": _(PLAN_NOT_OPEN)})
    visit = visit_log(actor=actor, enterprise=enterprise, visited_on=visited_on, summary=topics)
    detail = VisitDetail(visit=visit, people=people, topics=topics, situation=situation)
    create_audited(actor=actor, row=detail, detail="走访详情")
    if texts:
        cfg = config()
        category = Category.objects.get(code=cfg.need_category)
        for text in texts:
            title = text if len(text) <= NEED_TITLE_LENGTH else text[: NEED_TITLE_LENGTH - 1] + "…"
            case = case_submit(
                actor=actor,
                category=category,
                title=title,
                description=text,
                enterprise=enterprise,
                channel=Case.Channel.VISIT,
                answers=dict(cfg.need_answers),
                visit=visit,
            )
            need = VisitNeed(visit=visit, text=text, case=case)
            create_audited(actor=actor, row=need, detail="走访需求转诉求")
    if plan is not None:
        updated = PlannedVisit.objects.filter(pk=plan.pk, status=PlannedVisit.Status.PLANNED).update(
            status=PlannedVisit.Status.DONE, visit=visit
        )
        if updated != 1:
            raise ValidationError({"plan": _(PLAN_NOT_OPEN)})
        plan.refresh_from_db()
        audit_record(
            actor=actor, action=AuditLog.Action.UPDATE, obj=plan, after=snapshot(plan), detail="走访计划：已走访"
        )
    return visit
