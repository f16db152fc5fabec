"""惠企 and 人才 payments enter the award and subsidy ledger by themselves: a 免申即享 disbursement
paid in the service app sends core's `policy_paid` hook and the ledger holds the payment, paid by
the city to the firm, once; a refused entry rolls the payment back with it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import World
from yuanqu.core.payments import policy_paid
from yuanqu.factors.models import LedgerEntry, LedgerKind, LedgerStatus
from yuanqu.factors.services import ledger
from yuanqu.service import services as service
from yuanqu.service.models import Disbursement, PolicyBatch

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 3, 10)


def disbursement(world: World) -> Disbursement:
    batch = PolicyBatch.objects.create(
        policy_code="high_tech_first",
        policy_name="首次认定高新技术企业奖励",
        number="MS-2026-001",
        confirmed_by=world.users["city_admin"],
        confirmed_at=timezone.now(),
    )
    return Disbursement.objects.create(
        batch=batch, policy_code="high_tech_first", enterprise=world.enterprises["E3"], amount_wan_yuan=Decimal("30")
    )


def test_a_paid_disbursement_enters_the_ledger_once(world: World) -> None:
    row = disbursement(world)
    service.disbursement_pay(actor=world.users["city_admin"], disbursement=row, paid_on=ON)
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.status, entry.paid_on, entry.amount_wan_yuan) == (
        LedgerKind.ENTERPRISE_POLICY,
        LedgerStatus.PAID,
        ON,
        Decimal("30.00"),
    )
    assert (entry.payer, entry.payee_name, entry.district, entry.park) == (
        "市财政局",
        "武汉丙生物医药有限公司",
        world.districts["caidian"],
        world.parks["PC"],
    )
    assert (entry.basis, entry.decision_number, entry.source) == (
        "首次认定高新技术企业奖励",
        "MS-2026-001",
        f"service.Disbursement:{row.pk}",
    )
    # The hook sent twice for one payment keeps one entry.
    policy_paid.send(
        sender=Disbursement,
        actor=world.users["city_admin"],
        kind="enterprise_policy",
        enterprise=row.enterprise,
        amount_wan_yuan=Decimal("30"),
        paid_on=ON,
        basis="x",
        decision_number="y",
        source=entry.source,
    )
    assert LedgerEntry.objects.count() == 1
    totals = {t.key: t.paid_wan_yuan for t in ledger_totals(world)}
    assert totals == {"enterprise_policy": Decimal("30.00")}


def ledger_totals(world: World) -> list:  # type: ignore[type-arg]
    from yuanqu.factors import selectors

    return selectors.ledger_totals(world.users["district_caidian"], "kind")


def test_a_refused_entry_rolls_the_payment_back(world: World) -> None:
    row = disbursement(world)
    with pytest.raises(ValidationError) as caught:
        ledger.ledger_payment_enter(
            actor=world.users["city_admin"],
            kind="planning_grant",
            enterprise=row.enterprise,
            amount_wan_yuan=Decimal("1"),
            paid_on=ON,
            basis="x",
            decision_number="y",
            source="z",
        )
    assert caught.value.message_dict["kind"] == [ledger.HOOK_KIND % {"value": "planning_grant"}]
    assert not LedgerEntry.objects.exists()
