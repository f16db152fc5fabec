"""The award and subsidy ledger: 产业名园 awards generated from a confirmed selection, the cap per
park type (a second payment beyond it refused by the service and by the database), paying and
clawing back, and a district's own payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from conftest import World
from yuanqu.core.contract.errors import Conflict
from yuanqu.factors.models import AwardAccount, LedgerEntry, LedgerStatus
from yuanqu.factors.services import ledger

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 1, 15)


def generate(world: World, run: Any, persona: str = "city_admin") -> list[LedgerEntry]:
    return ledger.award_ledger_generate(
        actor=world.users[persona], run=run, decision_number="武财〔2026〕1号", approved_on=DAY
    )


def test_it_enters_the_awards_of_the_confirmed_selection(world: World, selection: Any) -> None:
    entries = generate(world, selection())
    assert [(e.park.code if e.park else "", e.amount_wan_yuan, e.year, e.payer) for e in entries] == [
        ("PA", Decimal("4000"), 2025, "市财政局"),
        ("PC", Decimal("1600"), 2025, "市财政局"),
    ]
    assert AwardAccount.objects.get(park=world.parks["PA"]).cap_wan_yuan == Decimal("5000")
    assert AwardAccount.objects.get(park=world.parks["PC"]).granted_wan_yuan == Decimal("1600")


def test_it_refuses_a_selection_not_yet_confirmed(world: World, selection: Any) -> None:
    with pytest.raises(Conflict) as caught:
        generate(world, selection(confirmed=False))
    assert caught.value.messages == [ledger.RUN_NOT_CONFIRMED % {"year": 2025}]
    assert not LedgerEntry.objects.exists()


def test_it_refuses_to_generate_the_same_selection_twice(world: World, selection: Any) -> None:
    run = selection()
    generate(world, run)
    with pytest.raises(Conflict):
        generate(world, run)
    assert LedgerEntry.objects.count() == 2


def test_a_second_payment_beyond_the_cap_is_refused_and_nothing_is_written(world: World, selection: Any) -> None:
    generate(world, selection(2025, {"PA": 4000}))
    with pytest.raises(ValidationError) as caught:
        generate(world, selection(2026, {"PA": 1200, "PC": 800}))
    assert caught.value.message_dict["amount_wan_yuan"] == [
        ledger.OVER_CAP
        % {"park": "江夏现代产业园", "type": "现代产业园", "granted": Decimal("4000.00"), "amount": 1200, "cap": 5000}
    ]
    # All or nothing: PC's award of the same selection was not entered either.
    assert LedgerEntry.objects.count() == 1
    assert AwardAccount.objects.get(park=world.parks["PA"]).granted_wan_yuan == Decimal("4000")


def test_a_payment_up_to_the_cap_exactly_is_accepted(world: World, selection: Any) -> None:
    generate(world, selection(2025, {"PA": 4000}))
    generate(world, selection(2026, {"PA": 1000}))
    assert AwardAccount.objects.get(park=world.parks["PA"]).granted_wan_yuan == Decimal("5000")


def test_the_database_refuses_an_account_past_its_cap(world: World, selection: Any) -> None:
    generate(world, selection(2025, {"PA": 4000}))
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardAccount.objects.filter(park=world.parks["PA"]).update(granted_wan_yuan=Decimal("5000.01"))


def test_a_claw_back_frees_the_amount_on_the_account(world: World, selection: Any) -> None:
    entry = generate(world, selection(2025, {"PA": 4000}))[0]
    ledger.ledger_entry_pay(actor=world.users["city_admin"], entry=entry, paid_on=DAY)
    ledger.ledger_entry_claw_back(actor=world.users["city_admin"], entry=entry, on=DAY, reason="运营主体退出")
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.CLAWED_BACK
    assert AwardAccount.objects.get(park=world.parks["PA"]).granted_wan_yuan == Decimal("0")
    generate(world, selection(2026, {"PA": 5000}))


def test_an_entry_is_paid_once(world: World, selection: Any) -> None:
    entry = generate(world, selection())[0]
    ledger.ledger_entry_pay(actor=world.users["city_admin"], entry=entry, paid_on=DAY)
    with pytest.raises(Conflict):
        ledger.ledger_entry_pay(actor=world.users["city_admin"], entry=entry, paid_on=DAY)


def test_only_the_city_generates_awards(world: World, selection: Any) -> None:
    with pytest.raises(PermissionDenied):
        generate(world, selection(), "district_jiangxia")
    assert not LedgerEntry.objects.exists()


def test_a_district_records_its_own_grant_and_not_another_districts(world: World) -> None:
    district = world.users["district_jiangxia"]
    entry = ledger.ledger_entry_record(
        actor=district,
        kind="planning_grant",
        amount_wan_yuan=Decimal("50"),
        basis="保障措施（四）：园区规划编制",
        decision_number="江财〔2026〕3号",
        approved_on=DAY,
        park=world.parks["PA"],
    )
    assert entry.payer == "江夏区"
    assert entry.payer_district == world.districts["jiangxia"]
    with pytest.raises(PermissionDenied):
        ledger.ledger_entry_record(
            actor=district,
            kind="planning_grant",
            amount_wan_yuan=Decimal("50"),
            basis="保障措施（四）",
            decision_number="江财〔2026〕4号",
            approved_on=DAY,
            park=world.parks["PC"],
        )
    with pytest.raises(PermissionDenied):
        ledger.ledger_entry_pay(actor=world.users["district_caidian"], entry=entry, paid_on=DAY)


def test_a_bad_payee_credit_code_is_refused_by_name(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        ledger.ledger_entry_record(
            actor=world.users["city_admin"],
            kind="standard_grant",
            amount_wan_yuan=Decimal("20"),
            basis="保障措施（四）：标准制订",
            decision_number="武财〔2026〕9号",
            approved_on=DAY,
            park=world.parks["PB"],
            payee_uscc="91420100XXXXXXXXX1",
        )
    assert "收款方统一社会信用代码“91420100XXXXXXXXX1”无效" in caught.value.message_dict["payee_uscc"][0]
