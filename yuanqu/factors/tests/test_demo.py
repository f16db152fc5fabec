"""The demo's 要素保障: land sales over three years priced around each district's 基准地价 with a few
kept below 70% with an approval, grants, four meetings whose decisions became 督办 tasks, 20 funds
with their investments (some in 招商 projects), and each district's 用地计划 with the city's top-ups;
the demo's clearing removes them with the synthetic city."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.demo.factors import factors_demo_generate
from yuanqu.demo.generator import demo_clear, demo_generate
from yuanqu.demo.investment import investment_demo_generate
from yuanqu.factors import selectors
from yuanqu.factors.models import Fund, FundInvestment, LandQuota, LandSupply, LedgerEntry, Meeting, MeetingDecision
from yuanqu.registry.services import policy_pack_apply
from yuanqu.targets.models import SupervisedTask

pytestmark = pytest.mark.django_db


def test_the_demo_builds_land_sales_grants_and_meetings_and_clears_them(db: None) -> None:
    policy_pack_apply()
    demo_generate(seed=7, scale=0.05)
    assert User.objects.filter(role=Role.CITY_ADMIN).exists()
    investment_demo_generate(seed=7, projects=40, sites=0)
    sales, grants, meetings, funds, investments, plans = factors_demo_generate(seed=7, scale=0.05)
    assert sales == LandSupply.objects.count() > 0
    assert {row.supplied_on.year for row in LandSupply.objects.all()} == {2023, 2024, 2025}
    flagged = LandSupply.objects.filter(below_floor=True)
    assert all(row.exception_approval for row in flagged)
    assert LandSupply.objects.filter(below_floor=False, start_ratio__lt=0.7).count() == 0
    assert grants == LedgerEntry.objects.count() > 0
    assert meetings == Meeting.objects.count() == 4
    assert MeetingDecision.objects.count() == 12
    tasks = SupervisedTask.objects.filter(group_code="lxhy_decisions").count()
    assert tasks == 12
    # 产业基金: 20 funds of the five kinds, each within its size, investments at a small scale
    assert funds == Fund.objects.count() == 20
    assert {row.kind for row in Fund.objects.all()} == {"guidance", "park", "angel", "transfer", "talent"}
    assert investments == FundInvestment.objects.count() == 30
    assert FundInvestment.objects.filter(project__isnull=False).exists()
    for fund in Fund.objects.all():
        assert sum(i.amount_wan_yuan for i in FundInvestment.objects.filter(fund=fund)) <= fund.size_wan_yuan
        assert fund.committed_by_source and fund.paid_in_wan_yuan <= fund.size_wan_yuan
    park_funds = FundInvestment.objects.filter(fund__kind="park")
    assert all(row.district_id == row.fund.district_id for row in park_funds)
    # 用地计划: every district with sales has a plan in each sale year, topped up where it sold more
    assert plans == LandQuota.objects.count() > 0
    admin = User.objects.filter(role=Role.CITY_ADMIN).order_by("pk").first()
    assert admin is not None
    for year in (2023, 2024, 2025):
        lines = [line for line in selectors.land_plan(admin, year) if line.supplied_mu > 0]
        assert lines and all(line.quota_mu is not None and line.supplied_mu <= line.available_mu for line in lines)
    demo_clear()
    assert not LandSupply.objects.exists() and not LedgerEntry.objects.exists() and not Meeting.objects.exists()
    assert not Fund.objects.exists() and not FundInvestment.objects.exists() and not LandQuota.objects.exists()
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
