"""The API's writes of 专项招聘 events and 揭榜挂帅 challenges: the same services as the pages, in
the same scope, refusals as 403/409/422 in the API's one error shape, each write audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from conftest import make_user
from yuanqu.core.models import AuditLog, User
from yuanqu.core.roles import Role
from yuanqu.notifications.models import Notification
from yuanqu.talent.models import Challenge, ChallengeTeam, EventRegistration, RecruitmentEvent
from yuanqu.talent.services import challenges, events
from yuanqu.talent.tests.conftest import TalentWorld

JSON = "application/json"


def _post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, body or {}, JSON)


def _said(response: Any) -> str:
    """The error's words (a validation error's detail names each field's message)."""
    return str(response.json()["detail"])


def _person(tw: TalentWorld, contact: str, name: str) -> Client:
    user = tw.register(contact, name)
    tw.profile(user, name=name)
    client = Client()
    client.force_login(user)
    return client


def _e3(tw: TalentWorld) -> Client:
    client = Client()
    user = User.objects.filter(username="t-ent-e3").first()
    client.force_login(user or make_user("t-ent-e3", Role.ENTERPRISE, enterprise=tw.world.enterprises["E3"]))
    return client


def test_an_event_through_the_api_from_announcement_to_figures(tw: TalentWorld) -> None:
    today = timezone.localdate()
    body = {"title": "江夏专场", "park": "PA", "starts_on": today.isoformat(), "ends_on": today.isoformat()}
    operator = tw.world.client("park_operator")
    viewer = tw.world.client("city_viewer")
    refused = _post(viewer, "/api/v1/talent/events", body)
    assert refused.status_code == 403
    assert refused.json()["detail"] == events.NOT_ORGANISER
    assert _post(tw.world.client("enterprise"), "/api/v1/talent/events", body).status_code == 403
    backwards = {**body, "ends_on": (today - dt.timedelta(days=1)).isoformat()}
    invalid = _post(operator, "/api/v1/talent/events", backwards)
    assert invalid.status_code == 422 and invalid.json()["code"] == "validation_error"
    assert not RecruitmentEvent.objects.exists()
    made = _post(operator, "/api/v1/talent/events", body)
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    # Out of scope: another district's operator does not find it; the park stays the park.
    assert tw.world.client("district_caidian").put(f"/api/v1/talent/events/{pk}", body, JSON).status_code == 404
    moved = operator.put(f"/api/v1/talent/events/{pk}", {**body, "park": "PB"}, JSON)
    assert moved.status_code == 422 and events.PARK_FIXED in _said(moved)
    assert operator.put(f"/api/v1/talent/events/{pk}", body, JSON).status_code == 409  # nothing changed
    changed = operator.put(f"/api/v1/talent/events/{pk}", {**body, "venue": "江夏人才市场"}, JSON)
    assert changed.status_code == 200 and changed.json()["venue"] == "江夏人才市场"
    entry = AuditLog.objects.filter(object_type="talent.RecruitmentEvent", action="update").latest("id")
    assert entry.before == {**entry.after, "venue": ""}  # type: ignore[dict-item]
    e1 = tw.world.enterprises["E1"].uscc
    assert _post(operator, f"/api/v1/talent/events/{pk}/firms", {"uscc": e1}).json()["firms"] == [e1]
    assert _post(operator, f"/api/v1/talent/events/{pk}/firms", {"uscc": e1}).status_code == 409
    opening = tw.opening(valid_from=today, valid_to=today + dt.timedelta(days=60))
    firm = tw.world.client("enterprise")
    brought = _post(firm, f"/api/v1/talent/events/{pk}/openings", {"opening": opening.pk})
    assert brought.status_code == 200 and brought.json()["openings"] == [opening.pk]
    assert _post(_e3(tw), f"/api/v1/talent/events/{pk}/openings", {"opening": 1}).status_code == 404
    person = _person(tw, "event.person@example.com", "报名甲")
    assert _post(person, f"/api/v1/talent/events/{pk}/register").json()["registered"] == 1
    assert _post(person, f"/api/v1/talent/events/{pk}/register").status_code == 409
    assert _post(firm, f"/api/v1/talent/events/{pk}/register").status_code == 403
    assert EventRegistration.objects.count() == 1
    figures = {"visitors": 80, "interviews": 20, "offers": 3, "hires": 5}
    too_many = _post(operator, f"/api/v1/talent/events/{pk}/outcome", figures)
    assert too_many.status_code == 422 and "录用人数（5）不能多于达成意向人数（3）" in _said(too_many)
    done = _post(operator, f"/api/v1/talent/events/{pk}/outcome", {**figures, "hires": 2})
    assert done.status_code == 200 and done.json()["hires"] == 2
    assert _post(viewer, f"/api/v1/talent/events/{pk}/outcome", figures).status_code == 403


def test_a_challenge_through_the_api_from_posting_to_outcome(tw: TalentWorld) -> None:
    soon = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    body = {"title": "散热难题", "description": "泵浦模块温升过高", "reward": 80, "deadline": soon}
    firm = tw.world.client("enterprise")
    assert _post(tw.world.client("city_admin"), "/api/v1/talent/challenges", body).status_code == 403
    assert _post(firm, "/api/v1/talent/challenges", {**body, "reward": 0}).status_code == 422
    made = _post(firm, "/api/v1/talent/challenges", body)
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert _e3(tw).put(f"/api/v1/talent/challenges/{pk}", body, JSON).status_code == 404
    raised = firm.put(f"/api/v1/talent/challenges/{pk}", {**body, "reward": 120}, JSON)
    assert raised.status_code == 200 and raised.json()["reward_wan_yuan"] == 120
    leader = _person(tw, "leader@example.com", "队长甲")
    member_user = tw.register("member@example.com", "队员乙")
    tw.profile(member_user, name="队员乙")
    member = Client()
    member.force_login(member_user)
    team = _post(leader, f"/api/v1/talent/challenges/{pk}/teams", {"name": "光学组", "proposal": "微通道冷却"})
    assert team.status_code == 201 and team.json()["members"][0]["name"] == "队长甲"
    team_id = team.json()["id"]
    invited = _post(leader, f"/api/v1/talent/teams/{team_id}/invite", {"username": member_user.username})
    assert invited.status_code == 201
    pending = _post(leader, f"/api/v1/talent/teams/{team_id}/apply")
    assert pending.status_code == 409 and "尚未同意加入团队" in pending.json()["detail"]
    invitation = invited.json()["members"][1]["id"]
    assert _post(leader, f"/api/v1/talent/team-members/{invitation}/answer", {"accept": True}).status_code == 404
    agreed = _post(member, f"/api/v1/talent/team-members/{invitation}/answer", {"accept": True})
    assert agreed.status_code == 200 and [m["status"] for m in agreed.json()["members"]] == ["accepted"] * 2
    assert _post(leader, f"/api/v1/talent/teams/{team_id}/apply").json()["status"] == "applied"
    # Once a team applied, the challenge can no longer change or be withdrawn.
    assert firm.put(f"/api/v1/talent/challenges/{pk}", body, JSON).status_code == 409
    assert _post(firm, f"/api/v1/talent/challenges/{pk}/close").status_code == 409
    seen = firm.get(f"/api/v1/talent/challenges/{pk}/teams").json()["items"]
    assert [m["name"] for m in seen[0]["members"]] == ["队**", "队**"]
    assert firm.get(f"/api/v1/talent/teams/{team_id}/contacts").status_code == 403  # not selected yet
    assert _post(_e3(tw), f"/api/v1/talent/teams/{team_id}/select").status_code == 404
    assert _post(firm, f"/api/v1/talent/teams/{team_id}/select").json()["status"] == "selected"
    contacts = firm.get(f"/api/v1/talent/teams/{team_id}/contacts").json()["items"]
    assert sorted(item["contact"] for item in contacts) == ["leader@example.com", "member@example.com"]
    assert AuditLog.objects.filter(detail=challenges.DETAIL_CONTACTS).count() == 1
    outcome = _post(firm, f"/api/v1/talent/challenges/{pk}/outcome", {"outcome": "maybe"})
    assert outcome.status_code == 422
    closed = _post(firm, f"/api/v1/talent/challenges/{pk}/outcome", {"outcome": "achieved", "note": "温升降至8℃"})
    assert closed.status_code == 200 and closed.json()["status"] == Challenge.Status.DONE


def test_a_firm_withdraws_a_challenge_no_team_applied_to(tw: TalentWorld) -> None:
    soon = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    firm = tw.world.client("enterprise")
    pk = _post(
        firm, "/api/v1/talent/challenges", {"title": "视觉难题", "description": "反光", "reward": 10, "deadline": soon}
    ).json()["id"]
    leader = _person(tw, "forming@example.com", "组队丙")
    team_id = _post(leader, f"/api/v1/talent/challenges/{pk}/teams", {"name": "视觉组"}).json()["id"]
    assert _post(_e3(tw), f"/api/v1/talent/challenges/{pk}/close").status_code == 404
    withdrawn = _post(firm, f"/api/v1/talent/challenges/{pk}/close")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert Notification.objects.filter(kind=challenges.NOTICE_KIND, title__contains="撤回榜单").count() == 1
    late = _post(leader, f"/api/v1/talent/teams/{team_id}/apply")
    assert late.status_code == 409 and late.json()["detail"] == challenges.CHALLENGE_CLOSED
    assert ChallengeTeam.objects.get(pk=team_id).status == ChallengeTeam.Status.FORMING
    assert _post(firm, f"/api/v1/talent/challenges/{pk}/close").status_code == 409


def test_the_pages_change_an_event_and_change_and_withdraw_a_challenge(tw: TalentWorld) -> None:
    today = timezone.localdate()
    event = events.event_create(
        actor=tw.world.users["park_operator"],
        data=events.EventData(title="江夏专场", park="PA", starts_on=today, ends_on=today),
        now=timezone.now(),
    )
    operator = tw.world.client("park_operator")
    page = operator.get(f"/talent/events/{event.pk}/").content.decode()
    assert 'data-testid="event-edit-form"' in page
    body = {"title": "江夏专场", "park": "PA", "starts_on": today.isoformat(), "ends_on": today.isoformat()}
    moved = operator.post(f"/talent/events/{event.pk}/edit/", {**body, "park": "PB"}, follow=True)
    assert events.PARK_FIXED in moved.content.decode()
    assert operator.post(f"/talent/events/{event.pk}/edit/", {**body, "venue": "人才市场"}).status_code == 302
    event.refresh_from_db()
    assert (event.park.code, event.venue) == ("PA", "人才市场")
    assert tw.world.client("city_viewer").post(f"/talent/events/{event.pk}/edit/", body).status_code == 403
    soon = today + dt.timedelta(days=20)
    challenge = challenges.challenge_create(
        actor=tw.world.users["enterprise"],
        data=challenges.ChallengeData(title="散热难题", description="温升", reward=10, deadline=soon),
        now=timezone.now(),
    )
    firm = tw.world.client("enterprise")
    assert 'data-testid="challenge-close-form"' in firm.get(f"/talent/challenges/{challenge.pk}/").content.decode()
    changed = {"title": "散热难题", "description": "温升", "reward": "30", "deadline": soon.isoformat()}
    assert firm.post(f"/talent/challenges/{challenge.pk}/edit/", changed).status_code == 302
    assert firm.post(f"/talent/challenges/{challenge.pk}/close/").status_code == 302
    challenge.refresh_from_db()
    assert (challenge.reward, challenge.status) == (30, Challenge.Status.WITHDRAWN)
    assert 'data-testid="challenge-close-form"' not in firm.get(f"/talent/challenges/{challenge.pk}/").content.decode()
