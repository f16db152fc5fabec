"""企业服务专员: assigning a specialist to firms one by one or in bulk, and handing firms over to
another specialist. A change ends the current row and starts a new one, so the history stays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yuanqu.casework import clock
from yuanqu.core.audit import snapshot
from yuanqu.core.models import User
from yuanqu.core.permissions import serves_firms
from yuanqu.core.writes import audit_change, create_audited
from yuanqu.registry.models import Enterprise
from yuanqu.service.models import AssignmentRule, SpecialistAssignment
from yuanqu.service.services.common import (
    HANDOVER_NONE,
    HANDOVER_SAME,
    NO_FIRMS,
    SAME_SPECIALIST,
    SPECIALIST_ROLE,
    SPECIALIST_SCOPE,
    check_firm,
    check_role,
    clean_text,
)


def _check_specialist(specialist: User, enterprise: Enterprise) -> None:
    if not serves_firms(specialist):
        raise ValidationError({"specialist": _(SPECIALIST_ROLE) % {"name": str(specialist)}})
    if not Enterprise.objects.visible_to(specialist).filter(pk=enterprise.pk).exists():
        raise ValidationError({"specialist": _(SPECIALIST_SCOPE) % {"name": str(specialist), "firm": enterprise.name}})


def _assign(actor: User, enterprise: Enterprise, specialist: User, on: dt.date, reason: str) -> SpecialistAssignment:
    current = (
        SpecialistAssignment.objects.select_for_update().filter(enterprise=enterprise, ended_on__isnull=True).first()
    )
    if current is not None:
        if current.specialist_id == specialist.pk:
            raise ValidationError(
                {"specialist": _(SAME_SPECIALIST) % {"firm": enterprise.name, "name": str(specialist)}}
            )
        before = snapshot(current)
        current.ended_on = max(on, current.started_on)
        current.full_clean()
        current.save(update_fields=["ended_on"])
        audit_change(actor=actor, row=current, before=before, detail="服务专员：移交")
    assignment = SpecialistAssignment(
        enterprise=enterprise,
        specialist=specialist,
        started_on=on,
        reason=reason,
        assigned_by=actor,
        created_at=clock.now(),
    )
    return create_audited(actor=actor, row=assignment, detail="服务专员：指派")


@transaction.atomic
def assignment_set(*, actor: User, enterprise: Enterprise, specialist: User, reason: str = "") -> SpecialistAssignment:
    """Make `specialist` the firm's service specialist from today (ending the current one's row)."""
    check_role(actor)
    check_firm(actor, enterprise)
    reason = clean_text(reason, field="reason", label=_("说明"), limit=200, required=False)
    _check_specialist(specialist, enterprise)
    return _assign(actor, enterprise, specialist, clock.today(), reason)


@transaction.atomic
def assignment_bulk(
    *, actor: User, enterprises: Sequence[Enterprise], specialist: User, reason: str = "", skip_assigned: bool = True
) -> list[SpecialistAssignment]:
    """Assign one specialist to many firms (a park's, a chain's or a tier's, chosen by the caller).
    Firms already with a specialist are skipped unless `skip_assigned` is False; firms already with
    this specialist are always skipped. All or nothing: one firm the specialist may not serve refuses
    the whole list."""
    check_role(actor)
    reason = clean_text(reason, field="reason", label=_("说明"), limit=200, required=False)
    if not enterprises:
        raise ValidationError({"enterprises": _(NO_FIRMS)})
    today = clock.today()
    current = dict(
        SpecialistAssignment.objects.filter(enterprise__in=enterprises, ended_on__isnull=True).values_list(
            "enterprise_id", "specialist_id"
        )
    )
    made: list[SpecialistAssignment] = []
    for enterprise in enterprises:
        check_firm(actor, enterprise)
        held = current.get(enterprise.pk)
        if held == specialist.pk or (held is not None and skip_assigned):
            continue
        _check_specialist(specialist, enterprise)
        made.append(_assign(actor, enterprise, specialist, today, reason))
    return made


@transaction.atomic
def assignment_handover(
    *, actor: User, from_specialist: User, to_specialist: User, reason: str
) -> list[SpecialistAssignment]:
    """Hand every firm of one specialist that the actor manages over to another (a specialist who
    leaves, a re-organisation). The old rows end today and stay as history."""
    check_role(actor)
    reason = clean_text(reason, field="reason", label=_("移交原因"), limit=200)
    if from_specialist.pk == to_specialist.pk:
        raise ValidationError({"to_specialist": _(HANDOVER_SAME)})
    firms = list(
        Enterprise.objects.visible_to(actor).filter(
            specialist_assignments__specialist=from_specialist, specialist_assignments__ended_on__isnull=True
        )
    )
    if not firms:
        raise ValidationError({"from_specialist": _(HANDOVER_NONE) % {"name": str(from_specialist)}})
    today = clock.today()
    made = []
    for enterprise in firms:
        _check_specialist(to_specialist, enterprise)
        made.append(_assign(actor, enterprise, to_specialist, today, reason))
    return made


@transaction.atomic
def assignment_rule_add(
    *, actor: User, specialist: User, park_code: str, chain_code: str, tier_code: str
) -> AssignmentRule:
    """Store a bulk assignment as a rule (the caller has resolved the codes within the actor's scope)."""
    check_role(actor)
    rule = AssignmentRule(
        specialist=specialist,
        park_code=park_code,
        chain_code=chain_code,
        tier_code=tier_code,
        created_by=actor,
        created_at=clock.now(),
    )
    return create_audited(actor=actor, row=rule, detail="服务专员：指派规则")
