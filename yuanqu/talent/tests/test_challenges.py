"""揭榜挂帅: a firm posts a challenge, people form a team whose every member agrees to join before it
applies, the firm selects a team and only then reads its members' contacts (audited), and records the
outcome. Scoping by role, and a member's withdrawal taking the membership with it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied
from yuanqu.talent.models import Challenge, ChallengeMember, ChallengeTeam
from yuanqu.talent.services import challenges, personal
from yuanqu.talent.services.challenges import ChallengeData
from yuanqu.talent.tests.conftest import TalentWorld


def _challenge(tw: TalentWorld, now: dt.datetime, **fields: object) -> Challenge:
    values: dict[str, object] = {
        "title": "高功率激光器散热难题",
        "description": "万瓦级光纤激光器连续运行时的热管理方案",
        "reward": 200,
        "deadline": timezone.localdate(now) + dt.timedelta(days=60),
        "chain": "laser",
        **fields,
    }
    return challenges.challenge_create(actor=tw.world.users["enterprise"], data=ChallengeData(**values), now=now)  # type: ignore[arg-type]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_team_applies_only_once_every_member_agreed_and_the_firm_sees_contacts_only_after_selecting(
    tw: TalentWorld, now: dt.datetime
) -> None:
    challenge = _challenge(tw, now)
    leader = tw.register("lead@example.com", "赵队长")
    member = tw.register("member@example.com", "钱成员")
    rival = tw.register("rival@example.com", "孙对手")

    lead_page = _client(leader)
    assert (
        lead_page.post(
            f"/talent/challenges/{challenge.pk}/teams/new/", {"name": "散热攻关队", "proposal": "微通道液冷"}
        ).status_code
        == 302
    )
    team = ChallengeTeam.objects.get(name="散热攻关队")
    lead_page.post(f"/talent/teams/{team.pk}/invite/", {"username": member.username})
    invited = ChallengeMember.objects.get(profile__user=member)
    assert invited.status == ChallengeMember.Status.INVITED

    # Not before the invited person agrees; and a team still forming is not the firm's to see.
    with pytest.raises(Conflict) as refused:
        challenges.team_apply(actor=leader, team=team, now=now)
    assert refused.value.messages == [f"人才档案 {invited.profile_id}尚未同意加入团队，团队不能揭榜"]
    firm = tw.world.client("enterprise")
    assert "散热攻关队" not in firm.get(f"/talent/challenges/{challenge.pk}/").content.decode()

    member_page = _client(member)
    assert "散热攻关队" in member_page.get("/talent/challenges/").content.decode()
    member_page.post(f"/talent/team-members/{invited.pk}/answer/", {"accept": "yes"})
    assert lead_page.post(f"/talent/teams/{team.pk}/apply/").status_code == 302
    team.refresh_from_db()
    assert team.status == ChallengeTeam.Status.APPLIED

    other = challenges.team_create(actor=rival, challenge=challenge, name="对手队", proposal="", now=now)
    challenges.team_apply(actor=rival, team=other, now=now)

    # Applied: the firm sees the teams with masked names and no contact.
    page = firm.get(f"/talent/challenges/{challenge.pk}/").content.decode()
    assert "赵**" in page and "钱**" in page and "赵队长" not in page and "member@example.com" not in page
    with pytest.raises(WriteDenied):
        challenges.team_contacts(actor=tw.world.users["enterprise"], team=team)

    assert firm.post(f"/talent/teams/{team.pk}/select/").status_code == 302
    other.refresh_from_db()
    challenge.refresh_from_db()
    assert (other.status, challenge.status) == (ChallengeTeam.Status.NOT_SELECTED, Challenge.Status.SELECTED)
    page = firm.get(f"/talent/challenges/{challenge.pk}/").content.decode()
    assert "赵队长 lead@example.com" in page and "钱成员 member@example.com" in page
    assert "孙对手" not in page and "rival@example.com" not in page
    read = AuditLog.objects.get(action="read", object_type="talent.ChallengeTeam")
    assert "@" not in str(read.before) + str(read.after) + read.detail

    firm.post(f"/talent/challenges/{challenge.pk}/outcome/", {"outcome": "achieved", "note": "温升降低12℃"})
    challenge.refresh_from_db()
    assert (challenge.status, challenge.outcome) == (Challenge.Status.DONE, "achieved")
    again = firm.post(f"/talent/challenges/{challenge.pk}/outcome/", {"outcome": "achieved"}, follow=True)
    assert "选定团队后才能记录结果" in again.content.decode()


def test_consent_rules_for_team_members(tw: TalentWorld, now: dt.datetime) -> None:
    challenge = _challenge(tw, now)
    leader = tw.register("l2@example.com", "周队长")
    invitee = tw.register("i2@example.com", "吴成员")
    team = challenges.team_create(actor=leader, challenge=challenge, name="二队", proposal="", now=now)
    member = challenges.team_invite(actor=leader, team=team, username=invitee.username, now=now)

    # Only the invited person answers; a member cannot invite; a declined invitation is gone.
    with pytest.raises(WriteDenied):
        challenges.member_answer(actor=leader, member=member, accept=True, now=now)
    assert challenges.member_answer(actor=invitee, member=member, accept=False, now=now) is None
    assert not ChallengeMember.objects.filter(profile__user=invitee).exists()
    with pytest.raises(ValidationError) as unknown:
        challenges.team_invite(actor=leader, team=team, username="rc00000000", now=now)
    assert unknown.value.messages == ["登录名“rc00000000”不是已建档的人才用户"]

    # Accepted, then the member withdraws consent: the membership goes with the profile.
    member = challenges.team_invite(actor=leader, team=team, username=invitee.username, now=now)
    challenges.member_answer(actor=invitee, member=member, accept=True, now=now)
    with pytest.raises(WriteDenied):
        challenges.team_invite(actor=invitee, team=team, username=leader.username, now=now)
    with pytest.raises(Conflict) as twice:
        challenges.team_create(actor=invitee, challenge=challenge, name="三队", proposal="", now=now)
    assert twice.value.messages == ["您已在该榜单的一个团队中"]
    personal.consent_withdraw(actor=invitee)
    assert list(team.members.values_list("profile__name", flat=True)) == ["周队长"]


def test_challenge_input_and_scoping(tw: TalentWorld, now: dt.datetime) -> None:
    with pytest.raises(ValidationError) as reward:
        _challenge(tw, now, reward=0)
    assert reward.value.messages == ["榜额应在1至100000万元之间"]
    with pytest.raises(ValidationError) as past:
        _challenge(tw, now, deadline=timezone.localdate(now) - dt.timedelta(days=1))
    assert past.value.messages == [f"揭榜截止日期（{timezone.localdate(now) - dt.timedelta(days=1)}）不能早于今天"]
    challenge = _challenge(tw, now)
    refused = tw.world.client("enterprise").post(
        "/talent/challenges/new/",
        {"title": "x", "description": "y", "reward": "5", "deadline": "2020-01-01"},
        follow=True,
    )
    assert "揭榜截止日期（2020-01-01）不能早于今天" in refused.content.decode()
    assert tw.world.client("district_caidian").get(f"/talent/challenges/{challenge.pk}/").status_code == 404
    assert tw.world.client("district_jiangxia").get(f"/talent/challenges/{challenge.pk}/").status_code == 200
    assert tw.world.client("handler").get("/talent/challenges/").status_code == 403
    person = tw.register("p3@example.com", "郑某")
    assert "高功率激光器散热难题" in _client(person).get("/talent/challenges/").content.decode()
    Challenge.objects.filter(pk=challenge.pk).update(status=Challenge.Status.DONE)
    assert _client(person).get(f"/talent/challenges/{challenge.pk}/").status_code == 404
