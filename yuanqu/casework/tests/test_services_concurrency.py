"""Two people acting on one case at once cannot overwrite each other: the second gets the conflict
message and nothing of theirs is written."""

from __future__ import annotations

import pytest

from yuanqu.casework import clock, services
from yuanqu.casework.models import Case, Transfer
from yuanqu.casework.services import CONFLICT, CaseConflictError
from yuanqu.core.models import AuditLog

from .conftest import CaseWorld, at


def test_the_second_of_two_handlers_gets_a_conflict(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.IN_PROGRESS)
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)  # both loaded the same version
    events_before = case.events.count()
    audits_before = AuditLog.objects.count()
    with clock.frozen(at(2025, 3, 5)):
        services.case_reply(actor=cw.user("handler"), case=first, version=first.version, text="已解决")
        with pytest.raises(CaseConflictError) as error:
            services.case_transfer(
                actor=cw.user("handler_2"),
                case=second,
                version=second.version,
                to_unit=cw.other_unit,
                reason="转资建局",
            )
    assert error.value.messages == [CONFLICT]
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.status == Case.Status.REPLIED and fresh.lead_unit == cw.world.unit
    assert fresh.version == case.version + 1
    assert not Transfer.objects.exists()
    assert case.events.count() == events_before + 1
    assert AuditLog.objects.count() == audits_before + 1


def test_a_stale_version_is_refused_even_when_the_row_is_current(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.SUBMITTED)
    with pytest.raises(CaseConflictError):
        cw.step(case, "accept", at(2025, 3, 3), "handler", version=case.version - 1 if case.version > 1 else 99)
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUBMITTED


def test_the_update_itself_checks_the_version(cw: CaseWorld) -> None:
    """Even if another writer slips in between the read and the write, the filtered update finds no
    row and the service refuses."""
    case = cw.to_status(Case.Status.SUBMITTED)
    Case.objects.filter(pk=case.pk).update(version=case.version + 1)  # someone else wrote meanwhile
    with clock.frozen(at(2025, 3, 3)), pytest.raises(CaseConflictError):
        services.case_accept(actor=cw.user("handler"), case=case, version=case.version)
    assert Case.objects.get(pk=case.pk).first_responder is None
