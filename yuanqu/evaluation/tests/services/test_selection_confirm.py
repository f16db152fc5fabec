"""Confirming the 产业名园 list: a city admin confirms (audited with the list), a confirmed list cannot
change (no second confirmation, no deletion, no second confirmed list for the year)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yuanqu.core.models import AuditLog
from yuanqu.evaluation import services
from yuanqu.evaluation.models import EvaluationRun

from ..conftest import YEAR, EvalWorld


@pytest.fixture
def run(ew: EvalWorld) -> EvaluationRun:
    return services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params={"runs": 100})


def test_it_confirms_the_list_and_audits_it(ew: EvalWorld, run: EvaluationRun) -> None:
    confirmed = services.selection_confirm(actor=ew.user("city_admin"), run=run)
    assert confirmed.is_confirmed and confirmed.confirmed_by == ew.user("city_admin")
    entry = AuditLog.objects.get(object_type="evaluation.EvaluationRun", object_id=str(run.pk), action="update")
    assert entry.before == {"selection_status": "proposed"}
    assert entry.after is not None
    assert entry.after["selection_status"] == "confirmed"
    assert [item["park"] for item in entry.after["selected"] if item["type"] == "modern"] == ["M6", "M5", "M4", "M3"]
    # Types in code order: the first featured park gets the full 2,000万 cap.
    assert entry.after["selected"][0] == {**entry.after["selected"][0], "type": "featured", "award_wan_yuan": 2000}


def test_it_refuses_to_change_a_confirmed_list(ew: EvalWorld, run: EvaluationRun) -> None:
    admin = ew.user("city_admin")
    services.selection_confirm(actor=admin, run=run)
    with pytest.raises(ValidationError, match=services.ALREADY_CONFIRMED):
        services.selection_confirm(actor=admin, run=run)
    with pytest.raises(ValidationError, match=services.CONFIRMED_NOT_DELETABLE):
        services.evaluation_run_delete(actor=admin, run=run)
    other = services.evaluation_run(actor=admin, year=YEAR, params={"runs": 100})
    with pytest.raises(ValidationError, match="2025年度已有确认的产业名园名单"):
        services.selection_confirm(actor=admin, run=other)
    assert EvaluationRun.objects.filter(year=YEAR, selection_status="confirmed").count() == 1


def test_it_refuses_confirmation_by_a_viewer(ew: EvalWorld, run: EvaluationRun) -> None:
    with pytest.raises(PermissionDenied):
        services.selection_confirm(actor=ew.user("city_viewer"), run=run)
    run.refresh_from_db()
    assert not run.is_confirmed


def test_it_deletes_an_unconfirmed_run_with_its_rows(ew: EvalWorld, run: EvaluationRun) -> None:
    pk = run.pk
    services.evaluation_run_delete(actor=ew.user("city_admin"), run=run)
    assert not EvaluationRun.objects.filter(pk=pk).exists()
    assert AuditLog.objects.filter(object_id=str(pk), action="delete").exists()
