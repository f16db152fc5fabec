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
from django.test import Client
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


def _data(
    tw: TalentWorld, policy: str = "talent_housing", firm: str = "E1", amount: Decimal | None = None, reason: str = ""
) -> grants.GrantData:
    """No amount: the policy's rule gives it (青年人才安居保障: a master 3, a doctor 5 万元)."""
    return grants.GrantData(
        policy=policy,
        uscc=tw.world.enterprises[firm].uscc,
        amount_wan_yuan=amount,
        decision_number="武人才〔2026〕1号",
        override_reason=reason,
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
            "amount_wan_yuan": Decimal("3.00"),
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
    assert grant.profile is None and grant.amount_wan_yuan == Decimal("5.00")
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


def test_the_amount_follows_the_policys_rule_and_an_override_needs_a_reason(tw: TalentWorld) -> None:
    """The pack's amount rule (benefit tiers on the one rule engine): the handler sees the amount
    with its explanation before confirming (page and API), leaves the amount to the rule, or sets
    another with a reason that is kept on the grant and in the audit entry."""
    from dataclasses import replace

    from yuanqu.talent.config import config

    profile = _hired(tw, education="doctor", title_grade="senior")
    admin = tw.world.users["city_admin"]
    policies = {policy.code: policy for policy in config().policies}
    housing = grants.grant_quote(policies["talent_housing"], profile, on=NOW.date())
    assert housing == grants.Quote(Decimal("5.00"), "按“学历等于博士”核算：5.00万元")
    research = grants.grant_quote(policies["high_level_research"], profile, on=NOW.date())
    assert research.amount_wan_yuan == Decimal("20.00") and "正高级" in research.explanation
    none = grants.grant_quote(replace(policies["talent_housing"], benefit=()), profile, on=NOW.date())
    assert none == grants.Quote(None, grants.NO_FORMULA)
    client = tw.world.client("city_admin")
    page = client.get(f"/talent/grants/?quote_profile={profile.pk}&quote_policy=talent_housing").content.decode()
    assert "按规则核算的金额：5.00 万元" in page and "按“学历等于博士”核算" in page
    quoted = client.get(f"/api/v1/talent/grants/quote?profile={profile.pk}&policy=high_level_research").json()
    assert (quoted["amount_wan_yuan"], quoted["profile"]) == ("20.00", profile.pk)
    assert (
        tw.world.client("district_jiangxia")
        .get(f"/api/v1/talent/grants/quote?profile={profile.pk}&policy=x")
        .status_code
        == 403
    )
    with pytest.raises(ValidationError) as refused:
        grants.grant_confirm(actor=admin, profile=profile, data=_data(tw, amount=Decimal("4")), now=NOW)
    assert refused.value.message_dict == {
        "override_reason": [
            grants.OVERRIDE_REASON_REQUIRED % {"computed": Decimal("5.00"), "explanation": housing.explanation}
        ]
    }
    assert not TalentGrant.objects.exists()
    kept = grants.grant_confirm(
        actor=admin,
        profile=profile,
        data=_data(tw, amount=Decimal("4"), reason="已享受单位住房，减半以外另核"),
        now=NOW,
    )
    assert (kept.amount_wan_yuan, kept.computed_wan_yuan, kept.override_reason) == (
        Decimal("4.00"),
        Decimal("5.00"),
        "已享受单位住房，减半以外另核",
    )
    entry = AuditLog.objects.get(action="create", object_type="talent.TalentGrant")
    assert "按规则核算5.00万元，核定4.00万元，理由：已享受单位住房，减半以外另核" in entry.detail
    assert entry.after is not None and entry.after["override_reason"] == "已享受单位住房，减半以外另核"
    own = Client()
    own.force_login(profile.user)
    mine = own.get("/talent/").content.decode()
    assert "（按规则核算 5.00 万元，以核定为准）" in mine and "（按规则核算 20.00 万元，以核定为准）" in mine
    ruled = grants.grant_confirm(actor=admin, profile=profile, data=_data(tw, policy="high_level_research"), now=NOW)
    assert (ruled.amount_wan_yuan, ruled.override_reason) == (Decimal("20.00"), "")
    assert "按“职称等于正高级职称”核算" in ruled.computation
