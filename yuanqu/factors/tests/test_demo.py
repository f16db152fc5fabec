"""The demo's 要素保障: land sales over three years priced around each district's 基准地价 with a few
kept below 70% with an approval, grants, and four meetings whose decisions became 督办 tasks; the
demo's clearing removes them with the synthetic city."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.demo.factors import factors_demo_generate
from yuanqu.demo.generator import demo_clear, demo_generate
from yuanqu.factors.models import LandSupply, LedgerEntry, Meeting, MeetingDecision
from yuanqu.registry.services import policy_pack_apply
from yuanqu.targets.models import SupervisedTask

pytestmark = pytest.mark.django_db


def test_the_demo_builds_land_sales_grants_and_meetings_and_clears_them(db: None) -> None:
    policy_pack_apply()
    demo_generate(seed=7, scale=0.05)
    assert User.objects.filter(role=Role.CITY_ADMIN).exists()
    sales, grants, meetings = factors_demo_generate(seed=7, scale=0.05)
    assert sales == LandSupply.objects.count() > 0
    assert {row.supplied_on.year for row in LandSupply.objects.all()} <= {2023, 2024, 2025}
    flagged = LandSupply.objects.filter(below_floor=True)
    assert all(row.exception_approval for row in flagged)
    assert LandSupply.objects.filter(below_floor=False, start_ratio__lt=0.7).count() == 0
    assert grants == LedgerEntry.objects.count() > 0
    assert meetings == Meeting.objects.count() == 4
    assert MeetingDecision.objects.count() == 12
    tasks = SupervisedTask.objects.filter(group_code="lxhy_decisions").count()
    assert tasks == 12
    demo_clear()
    assert not LandSupply.objects.exists() and not LedgerEntry.objects.exists() and not Meeting.objects.exists()
    assert not SupervisedTask.objects.filter(group_code="lxhy_decisions").exists()


def test_the_demo_confirms_its_selection_and_the_ledger_reconciles_to_it(world: Any, selection: Any) -> None:
    from yuanqu.demo.factors import factors_demo_awards
    from yuanqu.evaluation.models import EvaluationRun
    from yuanqu.factors import selectors

    run = selection(confirmed=False)
    assert factors_demo_awards(run=run) == 2
    run.refresh_from_db()
    assert run.selection_status == EvaluationRun.SelectionStatus.CONFIRMED
    lines = selectors.award_reconciliation(world.users["city_admin"], run)
    assert [(line.park_code, line.difference) for line in lines] == [("PC", Decimal(0)), ("PA", Decimal(0))]
    assert LedgerEntry.objects.filter(status="paid").count() == 1
    assert factors_demo_awards(run=run) == 0  # a second load enters nothing twice
