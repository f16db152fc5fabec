"""Correcting a 工匠 register entry (the city's talent handlers; the earlier values kept as a numbered
revision, audited), and the API of 专项招聘 events, 揭榜挂帅 challenges and the register, in scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from yuanqu.core.models import AuditLog
from yuanqu.core.permissions import WriteDenied
from yuanqu.talent.models import HonourRevision, TalentHonour
from yuanqu.talent.services.challenges import ChallengeData, challenge_create
from yuanqu.talent.services.events import EventData, event_create, event_register
from yuanqu.talent.services.honours import NOTHING_CHANGED, HonourData, honour_correct, honour_create
from yuanqu.talent.tests.conftest import NOW, TalentWorld

AWARDED = dt.date(2025, 9, 1)


def _honour(tw: TalentWorld) -> TalentHonour:
    data = HonourData(kind="craftsman", name="张工", uscc=tw.world.enterprises["E1"].uscc, awarded_on=AWARDED)
    return honour_create(actor=tw.world.users["city_admin"], data=data, now=NOW)


def test_a_correction_keeps_the_earlier_values_as_a_revision_and_is_audited(tw: TalentWorld) -> None:
    honour = _honour(tw)
    admin = tw.world.users["city_admin"]
    other = tw.world.enterprises["E3"]
    fixed = HonourData(kind="craftsman", name="张工匠", uscc=other.uscc, awarded_on=AWARDED, issuer="武汉市人社局")
    honour_correct(actor=admin, honour=honour, data=fixed, reason="企业名称登记错误", now=NOW)
    honour.refresh_from_db()
    assert (honour.name, honour.enterprise, honour.park) == ("张工匠", other, other.park)
    revision = HonourRevision.objects.get(honour=honour)
    assert revision.number == 1 and revision.reason == "企业名称登记错误"
    assert revision.before["name"] == "张工" and revision.before["enterprise_id"] == tw.world.enterprises["E1"].pk
    entry = AuditLog.objects.get(action="update", object_type="talent.TalentHonour")
    assert entry.before is not None and entry.after is not None
    assert entry.before["name"] == "张工" and entry.after["name"] == "张工匠"
    assert "第1次修订" in entry.detail
    with pytest.raises(ValidationError) as same:
        honour_correct(actor=admin, honour=honour, data=fixed, reason="再改", now=NOW)
    assert same.value.message_dict == {"name": [NOTHING_CHANGED]}
    for persona in ("district_jiangxia", "park_operator", "enterprise", "city_viewer"):
        with pytest.raises(WriteDenied):
            honour_correct(actor=tw.world.users[persona], honour=honour, data=fixed, reason="越权", now=NOW)
    assert HonourRevision.objects.count() == 1


def test_the_correction_page_and_the_api(tw: TalentWorld) -> None:
    honour = _honour(tw)
    firm = tw.world.enterprises["E1"]
    admin = tw.world.client("city_admin")
    page = admin.get(f"/talent/honours/{honour.pk}/").content.decode()
    assert 'data-testid="honour-correct"' in page
    assert (
        'data-testid="honour-correct"'
        not in tw.world.client("enterprise").get(f"/talent/honours/{honour.pk}/").content.decode()
    )
    body = {"kind": "craftsman", "name": "张工", "uscc": firm.uscc, "awarded_on": "2025-09-01", "issuer": ""}
    refused = admin.post(f"/talent/honours/{honour.pk}/correct/", {**body, "reason": ""})
    assert refused.status_code == 302 and not HonourRevision.objects.exists()
    done = admin.post(f"/talent/honours/{honour.pk}/correct/", {**body, "awarded_on": "2025-09-02", "reason": "日期"})
    assert done.status_code == 302 and HonourRevision.objects.count() == 1
    api = admin.put(
        f"/api/v1/talent/honours/{honour.pk}",
        {**body, "awarded_on": "2025-09-03", "valid_to": None, "reason": "再次核对"},
        "application/json",
    )
    assert api.status_code == 200, api.content
    assert [item["number"] for item in api.json()["revisions"]] == [2, 1]
    assert tw.world.client("enterprise").get(f"/api/v1/talent/honours/{honour.pk}").json()["awarded_on"] == (
        "2025-09-03"
    )
    assert tw.world.client("district_caidian").get(f"/api/v1/talent/honours/{honour.pk}").status_code == 404
    assert (
        tw.world.client("enterprise")
        .put(f"/api/v1/talent/honours/{honour.pk}", {**body, "reason": "越权"}, "application/json")
        .status_code
        == 403
    )
    created = admin.post(
        "/api/v1/talent/honours",
        {"kind": "alliance", "name": "光电产教联合体", "uscc": firm.uscc, "awarded_on": "2025-01-01"},
        "application/json",
    )
    assert firm.park is not None
    assert created.status_code == 201 and created.json()["park"] == firm.park.code


def test_events_and_challenges_on_the_api_in_scope_without_people(tw: TalentWorld) -> None:
    event = event_create(
        actor=tw.world.users["park_operator"],
        data=EventData(title="江夏专场", park="PA", starts_on=NOW.date(), ends_on=NOW.date()),
        now=NOW,
    )
    person = tw.register("event.api@example.com", "活动甲")
    tw.profile(person, name="活动甲")
    event_register(actor=person, event=event, now=NOW)
    challenge = challenge_create(
        actor=tw.world.users["enterprise"],
        data=ChallengeData(title="散热难题", description="泵浦模块温升", reward=100, deadline=NOW.date()),
        now=NOW,
    )
    admin = tw.world.client("city_admin")
    listed = admin.get("/api/v1/talent/events").json()["items"]
    assert [(item["title"], item["registered"]) for item in listed] == [("江夏专场", 1)]
    assert "活动甲" not in admin.get(f"/api/v1/talent/events/{event.pk}").content.decode()
    assert tw.world.client("district_caidian").get(f"/api/v1/talent/events/{event.pk}").status_code == 404
    assert tw.world.client("enterprise").get("/api/v1/talent/events").status_code == 200
    assert tw.world.client("handler").get("/api/v1/talent/events").status_code == 403
    got = admin.get(f"/api/v1/talent/challenges/{challenge.pk}").json()
    assert (got["title"], got["reward_wan_yuan"], got["teams_applied"]) == ("散热难题", 100, 0)
    assert tw.world.client("district_caidian").get(f"/api/v1/talent/challenges/{challenge.pk}").status_code == 404
    assert [item["id"] for item in tw.world.client("enterprise").get("/api/v1/talent/challenges").json()["items"]] == [
        challenge.pk
    ]
