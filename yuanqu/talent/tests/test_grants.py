"""Talent policies delivered: the city's talent handlers confirm a policy for a person who qualifies
(the rule engine re-checked; the employer a firm that reported hiring them), the person is told, the
payment is recorded once and sent to the ledger through `core.payments.policy_paid` without the
person's name; staff see the person masked; the 人才引进 figures count the grants per policy."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog
from yuanqu.core.payments import TALENT_POLICY, policy_paid
from yuanqu.core.permissions import WriteDenied
from yuanqu.notifications.models import Notification
from yuanqu.talent import queries
from yuanqu.talent.models import Profile, TalentGrant
from yuanqu.talent.services import grants, personal
from yuanqu.talent.services.interests import interest_answer, interest_express, interest_outcome
from yuanqu.talent.tests.conftest import NOW, TalentWorld

NAME = "兑现甲"
CONTACT = "grant.person@example.com"


@pytest.fixture
def sent() -> Iterator[list[dict[str, Any]]]:
    payloads: list[dict[str, Any]] = []

    def receive(sender: object, **payload: Any) -> None:
        payload.pop("signal", None)
        payloads.append(payload)

    policy_paid.connect(receive, dispatch_uid="talent-grant-test")
    yield payloads
    policy_paid.disconnect(dispatch_uid="talent-grant-test")


def _hired(tw: TalentWorld, **fields: Any) -> Profile:
    person = tw.register(CONTACT, NAME)
    profile = tw.profile(person, name=NAME, **fields)
    firm = tw.world.users["enterprise"]
    interest = interest_express(actor=firm, opening=tw.opening(), profile=profile, now=NOW)
    interest_answer(actor=person, interest=interest, accept=True, now=NOW)
    interest_outcome(actor=firm, interest=interest, outcome="hired", now=NOW)
    return profile


def _data(tw: TalentWorld, policy: str = "talent_housing", firm: str = "E1") -> grants.GrantData:
    return grants.GrantData(
        policy=policy,
        uscc=tw.world.enterprises[firm].uscc,
        amount_wan_yuan=Decimal("2.5"),
        decision_number="武人才〔2026〕1号",
    )


def test_confirm_notify_and_pay_once_into_the_ledger_without_the_name(
    tw: TalentWorld, sent: list[dict[str, Any]]
) -> None:
    profile = _hired(tw, education="master")
    admin = tw.world.users["city_admin"]
    grant = grants.grant_confirm(actor=admin, profile=profile, data=_data(tw), now=NOW)
    assert grant.status == TalentGrant.Status.CONFIRMED and grant.notified_at == NOW
    assert Notification.objects.filter(recipient=profile.user, kind=grants.NOTICE_KIND).exists()
    with pytest.raises(Conflict):
        grants.grant_confirm(actor=admin, profile=profile, data=_data(tw), now=NOW)
    paid = grants.grant_pay(actor=admin, grant=grant, paid_on=NOW.date(), now=NOW)
    assert paid.status == TalentGrant.Status.PAID
    assert sent == [
        {
            "actor": admin,
            "kind": TALENT_POLICY,
            "enterprise": tw.world.enterprises["E1"],
            "amount_wan_yuan": Decimal("2.50"),
            "paid_on": NOW.date(),
            "basis": grant.policy_name,
            "decision_number": "武人才〔2026〕1号",
            "source": f"talent.TalentGrant:{grant.pk}",
        }
    ]
    with pytest.raises(Conflict):
        grants.grant_pay(actor=admin, grant=grant, paid_on=NOW.date(), now=NOW)
    assert len(sent) == 1
    entries = json.dumps(list(AuditLog.objects.values()), default=str, ensure_ascii=False)
    assert NAME not in entries and CONTACT not in entries
    assert "talent.TalentGrant" in entries


def test_it_refuses_who_does_not_qualify_a_firm_that_did_not_hire_and_other_roles(tw: TalentWorld) -> None:
    profile = _hired(tw, education="associate")
    admin = tw.world.users["city_admin"]
    with pytest.raises(ValidationError) as refused:
        grants.grant_confirm(actor=admin, profile=profile, data=_data(tw), now=NOW)
    assert "不符合“青年人才安居保障（示例）”的条件" in refused.value.message_dict["policy"][0]
    tw.profile(profile.user, name=NAME, education="master")
    with pytest.raises(ValidationError) as not_employer:
        grants.grant_confirm(actor=admin, profile=profile, data=_data(tw, firm="E3"), now=NOW)
    assert not_employer.value.message_dict == {
        "uscc": [grants.NOT_EMPLOYER % {"firm": tw.world.enterprises["E3"].name}]
    }
    with pytest.raises(ValidationError):
        grants.grant_confirm(actor=admin, profile=profile, data=_data(tw, policy="nope"), now=NOW)
    for persona in ("city_viewer", "district_jiangxia", "park_operator", "enterprise"):
        with pytest.raises(WriteDenied):
            grants.grant_confirm(actor=tw.world.users[persona], profile=profile, data=_data(tw), now=NOW)
    grant = grants.grant_confirm(actor=admin, profile=profile, data=_data(tw), now=NOW)
    with pytest.raises(ValidationError):
        grants.grant_pay(actor=admin, grant=grant, paid_on=NOW.date() + dt.timedelta(days=1), now=NOW)
    with pytest.raises(WriteDenied):
        grants.grant_pay(actor=tw.world.users["district_jiangxia"], grant=grant, paid_on=NOW.date(), now=NOW)


def test_staff_see_the_person_masked_the_person_their_own_and_withdrawal_keeps_the_amounts(
    tw: TalentWorld,
) -> None:
    profile = _hired(tw, education="doctor")
    admin = tw.world.users["city_admin"]
    grant = grants.grant_confirm(actor=admin, profile=profile, data=_data(tw), now=NOW)
    page = tw.world.client("city_admin").get("/talent/grants/").content.decode()
    assert profile.name_masked in page and NAME not in page
    api = tw.world.client("district_jiangxia").get("/api/v1/talent/grants").json()["items"]
    assert [item["person"] for item in api] == [profile.name_masked]
    assert tw.world.client("district_caidian").get("/api/v1/talent/grants").json()["items"] == []
    assert tw.world.client("enterprise").get("/api/v1/talent/grants").status_code == 403
    person_page = tw.world.client("city_admin")
    person_page.force_login(profile.user)
    assert [item["person"] for item in person_page.get("/api/v1/talent/grants").json()["items"]] == [NAME]
    assert "青年人才安居保障（示例）" in person_page.get("/talent/").content.decode()
    staff = tw.world.client("district_jiangxia").get("/talent/").content.decode()
    assert 'data-testid="staff-inflow"' in staff and "青年人才安居保障（示例）</td><td>1</td>" in staff
    figures = {row.code: row for row in queries.inflow(admin)}
    assert (figures["talent_housing"].confirmed, figures["talent_housing"].paid) == (1, 0)
    personal.consent_withdraw(actor=profile.user)
    grant.refresh_from_db()
    assert grant.profile is None and grant.amount_wan_yuan == Decimal("2.50")
    with pytest.raises(Conflict):
        grants.grant_pay(actor=admin, grant=grant, paid_on=NOW.date(), now=NOW)
    assert queries.inflow(admin)[0].confirmed == 1


def test_the_pages_confirm_and_pay(tw: TalentWorld, sent: list[dict[str, Any]]) -> None:
    profile = _hired(tw, education="master")
    client = tw.world.client("city_admin")
    body = {
        "profile": str(profile.pk),
        "policy": "talent_housing",
        "uscc": tw.world.enterprises["E1"].uscc,
        "amount_wan_yuan": "3",
        "decision_number": "武人才〔2026〕2号",
    }
    assert client.post("/talent/grants/new/", {**body, "amount_wan_yuan": "-1"}).status_code == 302
    assert not TalentGrant.objects.exists()
    assert client.post("/talent/grants/new/", body).status_code == 302
    grant = TalentGrant.objects.get()
    today = timezone.localdate()
    assert client.post(f"/talent/grants/{grant.pk}/pay/", {"paid_on": today.isoformat()}).status_code == 302
    assert TalentGrant.objects.get().paid_on == today and len(sent) == 1
    assert tw.world.client("district_jiangxia").post("/talent/grants/new/", body).status_code == 403
