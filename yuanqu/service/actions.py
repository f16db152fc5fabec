"""The 陪跑 writes as the pages and the API call them: codes in the input (credit code, user name,
park, chain, tier) resolved within the actor's scope, then the service. One place, so that a page and
the API do the same thing with the same input."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.casework.models import Visit
from yuanqu.casework.services import enterprise_for_entry
from yuanqu.core.audit import audit_record
from yuanqu.core.lookups import found_or_invalid
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import serves_firms
from yuanqu.core.roles import Role
from yuanqu.investment.models import Project
from yuanqu.registry.models import Enterprise, IndustryChain, Park
from yuanqu.service import schemas, selectors, services
from yuanqu.service.config import config
from yuanqu.service.models import (
    AssignmentRule,
    CompanionNote,
    CompanionProject,
    Disbursement,
    FeeReport,
    ParkFee,
    ParkService,
    PlannedVisit,
    PolicyBatch,
    ServiceRequest,
    SpecialistAssignment,
    SurveyReceipt,
    SurveyWave,
)
from yuanqu.service.services.common import check_role
from yuanqu.service.snapshots import snapshots
from yuanqu.stats.models import ImportBatch

UNKNOWN_SPECIALIST = gettext_noop("未知的服务专员“%(name)s”（须为您管理范围内的园区、区或市级用户）")
UNKNOWN_PLAN = gettext_noop("未知的走访计划")
UNKNOWN_TIER = gettext_noop("未知的走访分档“%(code)s”")
NO_SUCH_FIRMS = gettext_noop("以下统一社会信用代码在您的管理范围内找不到企业：%(codes)s")


def specialist_candidates(actor: User) -> QuerySet[User]:
    """The users the actor may make a specialist: the city anyone of the park, district or city;
    a district its own users and its parks' operators; a park operator its park's operators."""
    users = User.objects.filter(is_active=True, role__in=services.SPECIALIST_ROLES - {Role.SYSADMIN})
    if actor.is_city_wide:
        return users.order_by("username")
    if actor.role == Role.DISTRICT and actor.district_id is not None:
        return users.filter(
            Q(role=Role.DISTRICT, district_id=actor.district_id)
            | Q(role=Role.PARK_OPERATOR, park__district_id=actor.district_id)
        ).order_by("username")
    if actor.role == Role.PARK_OPERATOR and actor.park_id is not None:
        return users.filter(role=Role.PARK_OPERATOR, park_id=actor.park_id).order_by("username")
    return users.none()


def _specialist(actor: User, name: str, field: str = "specialist") -> User:
    found = specialist_candidates(actor).filter(username=name).first()
    if found is None:
        raise ValidationError({field: _(UNKNOWN_SPECIALIST) % {"name": name[:64]}})
    return found


def firms_matching(
    actor: User, *, park: str | None, chain: str | None, tier: str | None, on: dt.date
) -> list[Enterprise]:
    """The firms of the actor's scope in a park, a chain and a visit tier (each optional): the
    assignment rule of a bulk assignment."""
    firms = Enterprise.objects.visible_to(actor).select_related("park", "district")
    if park:
        firms = firms.filter(park__code=park)
    if chain:
        firms = firms.filter(industry__chain_nodes__chain__code=chain).distinct()
    found = list(firms)
    if tier:
        cfg = config()
        if tier not in {item.code for item in cfg.tiers}:
            raise ValidationError({"tier": _(UNKNOWN_TIER) % {"code": tier[:64]}})
        values = snapshots(found, on=on)
        found = [firm for firm in found if selectors.tier_for(cfg, values[firm.pk], on).code == tier]
    return found


def assign(*, actor: User, data: schemas.SpecialistAssignIn) -> SpecialistAssignment:
    check_role(actor)
    enterprise = enterprise_for_entry(actor=actor, uscc=data.enterprise)
    return services.assignment_set(
        actor=actor, enterprise=enterprise, specialist=_specialist(actor, data.specialist), reason=data.reason
    )


def assign_bulk(*, actor: User, data: schemas.BulkAssignIn) -> list[SpecialistAssignment]:
    check_role(actor)
    specialist = _specialist(actor, data.specialist)
    firms = firms_matching(actor, park=data.park, chain=data.chain, tier=data.tier, on=clock.today())
    return services.assignment_bulk(
        actor=actor, enterprises=firms, specialist=specialist, reason=data.reason, skip_assigned=data.skip_assigned
    )


def handover(*, actor: User, data: schemas.HandoverIn) -> list[SpecialistAssignment]:
    check_role(actor)
    return services.assignment_handover(
        actor=actor,
        from_specialist=_specialist(actor, data.from_specialist, "from_specialist"),
        to_specialist=_specialist(actor, data.to_specialist, "to_specialist"),
        reason=data.reason,
    )


def plan(*, actor: User, data: schemas.PlanIn) -> PlannedVisit:
    check_role(actor)
    enterprise = enterprise_for_entry(actor=actor, uscc=data.enterprise)
    return services.visit_plan(actor=actor, enterprise=enterprise, planned_on=data.planned_on, purpose=data.purpose)


def visit(*, actor: User, data: schemas.ServiceVisitIn) -> Visit:
    check_role(actor)
    enterprise = enterprise_for_entry(actor=actor, uscc=data.enterprise)
    planned = None
    if data.plan is not None:
        planned = PlannedVisit.objects.visible_to(actor).filter(pk=data.plan).first()
        if planned is None:
            raise ValidationError({"plan": _(UNKNOWN_PLAN)})
    return services.visit_record(
        actor=actor,
        enterprise=enterprise,
        visited_on=data.visited_on,
        people=data.people,
        topics=data.topics,
        situation=data.situation,
        needs=data.needs,
        plan=planned,
    )


def confirm(*, actor: User, data: schemas.ConfirmIn) -> PolicyBatch:
    services.check_confirm_role(actor)
    found = {firm.uscc: firm for firm in Enterprise.objects.visible_to(actor).filter(uscc__in=data.enterprises)}
    missing = [code for code in data.enterprises if code not in found]
    if missing:
        raise ValidationError(
            {"enterprises": _(NO_SUCH_FIRMS) % {"codes": "、".join(code[:18] for code in missing[:5])}}
        )
    return services.policy_batch_confirm(
        actor=actor, policy_code=data.policy, enterprises=[found[code] for code in data.enterprises], note=data.note
    )


def pay(*, actor: User, disbursement: Disbursement, data: schemas.PayIn) -> Disbursement:
    return services.disbursement_pay(
        actor=actor, disbursement=disbursement, paid_on=data.paid_on, amount_wan_yuan=data.amount_wan_yuan
    )


def wave_open(*, actor: User, data: schemas.WaveIn) -> SurveyWave:
    return services.survey_wave_open(
        actor=actor, code=data.code, name=data.name, opens_on=data.opens_on, closes_on=data.closes_on
    )


def answer(*, actor: User, wave: SurveyWave, data: schemas.SurveyAnswerIn) -> SurveyReceipt:
    return services.survey_answer(actor=actor, wave=wave, answers=data.answers)


def park_service(*, actor: User, park: Park, data: schemas.ParkServiceIn) -> ParkService:
    return services.park_service_set(
        actor=actor,
        park=park,
        service_type=data.service_type,
        provider=data.provider,
        promise=data.promise,
        time_limit_days=data.time_limit_days,
        fee=data.fee,
        contact=data.contact,
    )


UNKNOWN_PARK = gettext_noop("您的管理范围内没有园区“%(code)s”")


def _park(actor: User, code: str) -> Park:
    return found_or_invalid(Park.objects.visible_to(actor), "park", UNKNOWN_PARK, code[:64], code=code)


def fee_add(*, actor: User, data: schemas.FeeIn) -> ParkFee:
    check_role(actor)
    park = _park(actor, data.park)
    return services.park_fee_add(
        actor=actor,
        park=park,
        item=data.item,
        charged_by=data.charged_by,
        basis=data.basis,
        amount_yuan=data.amount_yuan,
        unit=data.unit,
        period=data.period,
        amount=data.amount,
        approval=data.approval,
    )


def fee_review(*, actor: User, fee: ParkFee, data: schemas.FeeReviewIn) -> ParkFee:
    return services.park_fee_review(actor=actor, fee=fee, decision=data.decision, reason=data.reason)


def fee_retire(*, actor: User, fee: ParkFee, data: schemas.RetireIn) -> ParkFee:
    return services.park_fee_retire(actor=actor, fee=fee, reason=data.reason)


def park_service_retire(*, actor: User, park: Park, service_type: str, data: schemas.RetireIn) -> ParkService:
    return services.park_service_retire(actor=actor, park=park, service_type=service_type, reason=data.reason)


def fee_report(*, actor: User, fee: ParkFee, data: schemas.FeeReportIn) -> FeeReport:
    return services.fee_report(actor=actor, fee=fee, occurred_on=data.occurred_on, description=data.description)


UNKNOWN_CHAIN = gettext_noop("未知的产业链“%(code)s”")
RULE_EMPTY = gettext_noop("指派规则至少应限定园区、产业链或走访分档之一")


def rule_add(*, actor: User, data: schemas.BulkAssignIn) -> AssignmentRule:
    """Store the bulk assignment's choice as a rule, its codes checked within the actor's scope."""
    check_role(actor)
    specialist = _specialist(actor, data.specialist)
    if not (data.park or data.chain or data.tier):
        raise ValidationError({"park": _(RULE_EMPTY)})
    if data.park and not Park.objects.visible_to(actor).filter(code=data.park).exists():
        raise ValidationError({"park": _(UNKNOWN_PARK) % {"code": data.park[:64]}})
    if data.chain and not IndustryChain.objects.filter(code=data.chain).exists():
        raise ValidationError({"chain": _(UNKNOWN_CHAIN) % {"code": data.chain[:64]}})
    if data.tier and data.tier not in {item.code for item in config().tiers}:
        raise ValidationError({"tier": _(UNKNOWN_TIER) % {"code": data.tier[:64]}})
    return services.assignment_rule_add(
        actor=actor,
        specialist=specialist,
        park_code=data.park or "",
        chain_code=data.chain or "",
        tier_code=data.tier or "",
    )


def _rule_apply(actor: User, rule: AssignmentRule, on: dt.date) -> list[SpecialistAssignment]:
    """The firms of `actor`'s scope that `rule` takes and that have no specialist yet go to the rule's
    specialist; firms the specialist may not serve are left for the next rule."""
    firms = firms_matching(
        actor, park=rule.park_code or None, chain=rule.chain_code or None, tier=rule.tier_code or None, on=on
    )
    taken = set(
        SpecialistAssignment.objects.filter(enterprise__in=firms, ended_on__isnull=True).values_list(
            "enterprise_id", flat=True
        )
    )
    allowed = set(Enterprise.objects.visible_to(rule.specialist).values_list("pk", flat=True))
    open_firms = [firm for firm in firms if firm.pk not in taken and firm.pk in allowed]
    if not open_firms:
        return []
    return services.assignment_bulk(
        actor=actor, enterprises=open_firms, specialist=rule.specialist, reason=_("按指派规则"), skip_assigned=True
    )


@transaction.atomic
def rules_apply(*, actor: User, data: schemas.ApplyRulesIn | None = None) -> list[SpecialistAssignment]:
    """Give each firm of the actor's scope that has no specialist the specialist of the first of the
    actor's rules that takes it; firms the rule's specialist may not serve are left for the next rule."""
    check_role(actor)
    today = clock.today()
    made: list[SpecialistAssignment] = []
    for rule in AssignmentRule.objects.visible_to(actor).select_related("specialist"):
        made += _rule_apply(actor, rule, today)
    return made


# The import kinds that can bring a firm a rule takes: new firms, and the labels and annual figures a
# visit tier is decided by.
RULE_BATCH_KINDS = frozenset({ImportBatch.Kind.ENTERPRISES, ImportBatch.Kind.LABELS, ImportBatch.Kind.ANNUAL})


@transaction.atomic
def rules_apply_after_import(*, batch: ImportBatch | None = None) -> list[SpecialistAssignment]:
    """Every stored rule, in the order written, applied by itself after an import: a firm with no
    specialist gets the specialist of the first rule that takes it. Each rule acts within its
    author's scope, and its author is who assigned in the history and the audit log. A rule whose
    author or specialist no longer serves firms is skipped. Firms with a specialist are never moved,
    so a second run assigns nothing (and records nothing). The run is audited with its batch and
    count (服务专员：导入后按规则指派)."""
    today = clock.today()
    made: list[SpecialistAssignment] = []
    for rule in AssignmentRule.objects.select_related("specialist", "created_by").order_by("id"):
        author = rule.created_by
        if author is None or not serves_firms(author) or not serves_firms(rule.specialist):
            continue
        made += _rule_apply(author, rule, today)
    if made:
        audit_record(
            actor=None,
            action=AuditLog.Action.CREATE,
            object_type="service.SpecialistAssignment",
            object_repr=_("按指派规则指派%(count)s家企业") % {"count": len(made)},
            after={"batch": batch.pk if batch is not None else None, "assigned": len(made)},
            detail="服务专员：导入后按规则指派",
        )
    return made


UNKNOWN_PROJECT = gettext_noop("您的管理范围内没有招商项目“%(code)s”")


def companion_open(*, actor: User, data: schemas.CompanionIn) -> CompanionProject:
    check_role(actor)
    park = _park(actor, data.park)
    project = None
    if data.investment_project:
        number = data.investment_project
        rows = Project.objects.visible_to(actor)
        project = found_or_invalid(rows, "investment_project", UNKNOWN_PROJECT, number[:64], number=number)
    return services.companion_open(
        actor=actor,
        name=data.name,
        park=park,
        specialist=_specialist(actor, data.specialist),
        investment_project=project,
    )


def companion_note(*, actor: User, project: CompanionProject, data: schemas.CompanionNoteIn) -> CompanionNote:
    return services.companion_note(actor=actor, project=project, stage=data.stage, text=data.text)


def service_request(*, actor: User, line: ParkService, data: schemas.ServiceRequestIn) -> ServiceRequest:
    return services.service_request_submit(actor=actor, line=line, description=data.description)


def service_request_done(*, actor: User, request: ServiceRequest, data: schemas.ServiceRequestDoneIn) -> ServiceRequest:
    return services.service_request_complete(actor=actor, request=request, outcome=data.outcome)
