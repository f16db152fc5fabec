"""走访记录."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from yuanqu.casework import clock
from yuanqu.casework.models import (
    Visit,
)
from yuanqu.casework.services.common import (
    OUT_OF_SCOPE,
    VISIT_NOT_ALLOWED,
    CasePermissionError,
    CaseTransitionError,
    _clean_text,
    _today,
)
from yuanqu.casework.services.submission import may_enter
from yuanqu.core.models import User
from yuanqu.core.writes import create_audited
from yuanqu.registry.models import Enterprise


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
    return create_audited(actor=actor, row=visit, detail="走访记录")
