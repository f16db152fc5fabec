"""陪跑 API (/api/v1/service/): specialists (assign, bulk, hand over), visit plans, the visit schedule
with due dates, visits with their needs and the cases they became. Reads go through `visible_to`;
writes through `service.actions` (the services), with the bodies of `service/schemas.py` that the
pages use too. A role with no part in 陪跑 answers 403; an object outside the scope 404."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from yuanqu.casework import clock
from yuanqu.casework.models import Visit
from yuanqu.core.access import get_visible_or_404
from yuanqu.core.apiauth import api_user
from yuanqu.core.contract.pagination import Mapped, Page
from yuanqu.core.contract.schemas import CodePath
from yuanqu.core.models import User
from yuanqu.registry.models import Enterprise
from yuanqu.service import actions, schemas, selectors
from yuanqu.service.models import PlannedVisit, SpecialistAssignment
from yuanqu.service.views import NO_ACCESS, READER_ROLES

router = Router(tags=["陪跑服务"])


def _reader(request: HttpRequest) -> User:
    user = api_user(request)
    if user.role not in READER_ROLES and not user.is_superuser:
        raise PermissionDenied(_(NO_ACCESS))
    return user


class AssignmentOut(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    specialist: str
    specialist_name: str
    started_on: dt.date
    ended_on: dt.date | None
    reason: str


def _assignment_out(row: SpecialistAssignment) -> dict[str, Any]:
    return {
        "id": row.pk,
        "enterprise": row.enterprise.uscc,
        "enterprise_name": row.enterprise.name,
        "specialist": row.specialist.username,
        "specialist_name": str(row.specialist),
        "started_on": row.started_on,
        "ended_on": row.ended_on,
        "reason": row.reason,
    }


class PlanOut(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    specialist: str
    planned_on: dt.date
    purpose: str
    status: str
    visit: int | None


def _plan_out(plan: PlannedVisit) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "enterprise": plan.enterprise.uscc,
        "enterprise_name": plan.enterprise.name,
        "specialist": plan.specialist.username,
        "planned_on": plan.planned_on,
        "purpose": plan.purpose,
        "status": plan.status,
        "visit": plan.visit_id,
    }


class DueOut(Schema):
    enterprise: str
    enterprise_name: str
    specialist: str
    tier: str
    tier_name: str
    every_months: int
    last_visit: dt.date | None
    next_due: dt.date
    planned_on: dt.date | None
    state: str


class NeedOut(Schema):
    text: str
    case: str
    case_status: str
    case_status_label: str
    resolved: bool | None
    satisfied: bool | None


class VisitOut(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    visited_on: dt.date
    visited_by: str
    people: str
    topics: str
    situation: str
    needs: list[NeedOut]


def _visit_out(visit: Visit) -> dict[str, Any]:
    detail = getattr(visit, "detail", None)
    return {
        "id": visit.pk,
        "enterprise": visit.enterprise.uscc,
        "enterprise_name": visit.enterprise.name,
        "visited_on": visit.visited_on,
        "visited_by": str(visit.visited_by) if visit.visited_by else "",
        "people": detail.people if detail else "",
        "topics": detail.topics if detail else visit.summary,
        "situation": detail.situation if detail else "",
        "needs": [
            {
                "text": need.text,
                "case": need.case.number,
                "case_status": need.case.status,
                "case_status_label": need.case.get_status_display(),
                "resolved": need.case.resolved,
                "satisfied": need.case.satisfied,
            }
            for need in visit.needs.all()
        ],
    }


@router.get("/assignments", response=list[AssignmentOut], summary="企业服务专员（当前指派）")
@paginate(Page, page_size=100)
def list_assignments(request: HttpRequest) -> Any:
    user = _reader(request)
    rows = SpecialistAssignment.objects.visible_to(user).current().select_related("enterprise", "specialist")
    return Mapped(rows.order_by("enterprise__name", "id"), _assignment_out)


@router.get("/enterprises/{uscc}/assignments", response=list[AssignmentOut], summary="一家企业的服务专员历史")
@paginate(Page, page_size=100)
def enterprise_assignments(request: HttpRequest, uscc: CodePath) -> Any:
    user = _reader(request)
    firm = get_visible_or_404(Enterprise.objects.all(), user, uscc=uscc)
    rows = (
        SpecialistAssignment.objects.visible_to(user).filter(enterprise=firm).select_related("enterprise", "specialist")
    )
    return Mapped(rows, _assignment_out)


@router.post("/assignments", response={201: AssignmentOut}, summary="指派或更换服务专员")
def create_assignment(request: HttpRequest, payload: schemas.AssignIn) -> Any:
    return Status(201, _assignment_out(actions.assign(actor=_reader(request), data=payload)))


@router.post("/assignments/bulk", response={201: list[AssignmentOut]}, summary="按园区、产业链、走访分档批量指派")
def bulk_assignment(request: HttpRequest, payload: schemas.BulkAssignIn) -> Any:
    return Status(201, [_assignment_out(row) for row in actions.assign_bulk(actor=_reader(request), data=payload)])


@router.post("/assignments/handover", response={201: list[AssignmentOut]}, summary="服务专员移交（保留历史）")
def handover(request: HttpRequest, payload: schemas.HandoverIn) -> Any:
    return Status(201, [_assignment_out(row) for row in actions.handover(actor=_reader(request), data=payload)])


@router.get("/plans", response=list[PlanOut], summary="走访计划")
@paginate(Page, page_size=100)
def list_plans(request: HttpRequest) -> Any:
    user = _reader(request)
    return Mapped(PlannedVisit.objects.visible_to(user).select_related("enterprise", "specialist"), _plan_out)


@router.post("/plans", response={201: PlanOut}, summary="计划走访")
def create_plan(request: HttpRequest, payload: schemas.PlanIn) -> Any:
    return Status(201, _plan_out(actions.plan(actor=_reader(request), data=payload)))


@router.get("/due", response=list[DueOut], summary="走访到期情况（按走访分档频次）")
@paginate(Page, page_size=100)
def list_due(request: HttpRequest) -> Any:
    user = _reader(request)
    return [
        {
            "enterprise": row.enterprise.uscc,
            "enterprise_name": row.enterprise.name,
            "specialist": row.specialist,
            "tier": row.tier.code,
            "tier_name": row.tier.name,
            "every_months": row.tier.every_months,
            "last_visit": row.last_visit,
            "next_due": row.next_due,
            "planned_on": row.planned_on,
            "state": row.state,
        }
        for row in selectors.visit_schedule(user, Enterprise.objects.all(), on=clock.today())
    ]


@router.get("/visits", response=list[VisitOut], summary="走访记录（含企业需求及其诉求办理结果）")
@paginate(Page, page_size=50)
def list_visits(request: HttpRequest) -> Any:
    return Mapped(selectors.visit_history(_reader(request)), _visit_out)


@router.post("/visits", response={201: VisitOut}, summary="登记走访（企业需求转为“啄木鸟”诉求）")
def record_visit(request: HttpRequest, payload: schemas.VisitIn) -> Any:
    user = _reader(request)
    visit = actions.visit(actor=user, data=payload)
    return Status(201, _visit_out(selectors.visit_history(user).get(pk=visit.pk)))
