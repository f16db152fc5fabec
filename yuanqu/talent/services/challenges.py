"""揭榜挂帅: a firm posts a technical challenge with a reward; a person forms a team, invites others by
their login name, and each invited person agrees to join (the consent: if the team is selected the
firm sees their name and contact) before the team may apply; the firm selects one team, reads the
selected members' contacts (each read audited) and records the outcome. A member's withdrawal deletes
the membership with the profile; no personal field enters an audit entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.audit import audit_record
from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied
from yuanqu.core.roles import Role
from yuanqu.core.transitions import status_move
from yuanqu.core.writes import create_audited, fields_edit
from yuanqu.notifications import services as notices
from yuanqu.registry.models import Enterprise, IndustryChain
from yuanqu.talent.models import Challenge, ChallengeMember, ChallengeTeam, Profile
from yuanqu.talent.services.common import check_firm, check_talent, clean_text
from yuanqu.talent.services.openings import CHAIN_UNKNOWN

REWARD_RANGE = gettext_noop("榜额应在1至100000万元之间")
DEADLINE_PAST = gettext_noop("揭榜截止日期（%(date)s）不能早于今天")
DEADLINE_TOO_FAR = gettext_noop("揭榜截止日期至多在一年之后")
NOT_OWN_CHALLENGE = gettext_noop("只能管理本企业发布的榜单")
CHALLENGE_CLOSED = gettext_noop("该榜单已截止或已选定团队，不能再组队揭榜")
ALREADY_IN_TEAM = gettext_noop("%(who)s已在该榜单的一个团队中")
NOT_LEADER = gettext_noop("只有团队负责人可以邀请成员或揭榜")
NOT_FORMING = gettext_noop("该团队已揭榜，成员不能再变动")
NO_SUCH_PERSON = gettext_noop("登录名“%(value)s”不是已建档的人才用户")
TEAM_TOO_LARGE = gettext_noop("团队至多%(limit)s人")
NOT_OWN_MEMBERSHIP = gettext_noop("这不是发给您的组队邀请")
MEMBER_ANSWERED = gettext_noop("您已答复该组队邀请")
MEMBERS_PENDING = gettext_noop("%(who)s尚未同意加入团队，团队不能揭榜")
NOT_APPLIED = gettext_noop("只能从已揭榜的团队中选定")
NOT_SELECTED = gettext_noop("团队入选后才能查看成员联系方式")
NOT_SELECTED_YET = gettext_noop("选定团队后才能记录结果")
OUTCOME_UNKNOWN = gettext_noop("结果“%(value)s”不是可选项")
NOT_EDITABLE = gettext_noop("已有团队揭榜或榜单已不在揭榜中，不能再修改或撤榜")
CHALLENGE_UNCHANGED = gettext_noop("修改后的内容与原内容相同，无需修改")
DETAIL_CONTACTS = "企业查看入选揭榜团队成员的联系方式"
NOTICE_KIND = "talent_challenge"
NOTICE_INVITED = "您被邀请加入揭榜团队“{team}”（榜单：{title}），请确认是否同意"
NOTICE_APPLIED = "揭榜团队 {team} 揭榜贵企业的榜单“{title}”"
NOTICE_SELECTED = "您所在的揭榜团队“{team}”{result}（榜单：{title}）"
NOTICE_WITHDRAWN = "企业已撤回榜单“{title}”，您所在的团队不能再揭榜"
notices.kinds_register({NOTICE_KIND: gettext_noop("人才直通车：揭榜挂帅的组队、揭榜与选定")})

MAX_MEMBERS = 20
YOU = gettext_noop("您")


@dataclass(frozen=True, slots=True)
class ChallengeData:
    title: str
    description: str
    reward: int
    deadline: dt.date
    chain: str = ""


def _profile_of(user: User) -> Profile:
    check_talent(user)
    return Profile.objects.get(user=user)


def _challenge_fields(data: ChallengeData, now: dt.datetime) -> dict[str, Any]:
    """The checked values of a challenge (the same rules for a new one and a change)."""
    chain = None
    if data.chain:
        chain = IndustryChain.objects.filter(code=data.chain).first()
        if chain is None:
            raise ValidationError({"chain": _(CHAIN_UNKNOWN) % {"value": data.chain[:40]}})
    if not 1 <= data.reward <= 100_000:
        raise ValidationError({"reward": _(REWARD_RANGE)})
    if data.deadline < timezone.localdate(now):
        raise ValidationError({"deadline": _(DEADLINE_PAST) % {"date": data.deadline}})
    if (data.deadline - timezone.localdate(now)).days > 366:
        raise ValidationError({"deadline": _(DEADLINE_TOO_FAR)})
    return {
        "title": clean_text(data.title, field="title", label="榜单名称", limit=60),
        "description": clean_text(data.description, field="description", label="技术难题", limit=2000),
        "reward": data.reward,
        "chain": chain,
        "deadline": data.deadline,
    }


@transaction.atomic
def challenge_create(*, actor: User, data: ChallengeData, now: dt.datetime) -> Challenge:
    """Post a challenge for the actor's own firm."""
    check_firm(actor)
    assert actor.enterprise_id is not None  # check_firm refused a firm user without a firm
    challenge = Challenge(
        enterprise=Enterprise.objects.get(pk=actor.enterprise_id),
        created_by=actor,
        created_at=now,
        **_challenge_fields(data, now),
    )
    return create_audited(actor=actor, row=challenge)


def _check_editable(actor: User, challenge: Challenge) -> None:
    """The firm's own challenge, still open, with no team applied (a team applied to what it read)."""
    _check_own(actor, challenge)
    Challenge.objects.select_for_update().filter(pk=challenge.pk).first()
    applied = challenge.teams.exclude(status=ChallengeTeam.Status.FORMING).exists()
    if challenge.status != Challenge.Status.OPEN or applied:
        raise Conflict(_(NOT_EDITABLE))


@transaction.atomic
def challenge_update(*, actor: User, challenge: Challenge, data: ChallengeData, now: dt.datetime) -> Challenge:
    """The firm changes its challenge while no team has applied."""
    _check_editable(actor, challenge)

    def plain(row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "chain": row["chain"].code if row["chain"] is not None else None}

    values = _challenge_fields(data, now)
    fields_edit(actor=actor, row=challenge, values=values, unchanged=_(CHALLENGE_UNCHANGED), audited=plain)
    return challenge


@transaction.atomic
def challenge_close(*, actor: User, challenge: Challenge, now: dt.datetime) -> Challenge:
    """The firm withdraws its challenge (撤榜) while no team has applied; teams still forming can no
    longer apply and their members are told."""
    _check_editable(actor, challenge)
    # `_check_editable` has found it open.
    status_move(
        actor=actor,
        row=challenge,
        before=Challenge.Status.OPEN,
        after=Challenge.Status.WITHDRAWN,
        refused=None,
        columns={"outcome_at": now},
    )
    members = User.objects.filter(talent_profile__challenge_memberships__team__challenge=challenge).distinct()
    if members.exists():
        notices.notification_send(
            recipients=members,
            kind=NOTICE_KIND,
            title=NOTICE_WITHDRAWN.format(title=challenge.title),
            link=reverse("talent:challenges"),
            at=now,
        )
    challenge.refresh_from_db()
    return challenge


def _check_open(challenge: Challenge, now: dt.datetime) -> None:
    if challenge.status != Challenge.Status.OPEN or challenge.deadline < timezone.localdate(now):
        raise Conflict(_(CHALLENGE_CLOSED))


def _check_free(challenge: Challenge, profile: Profile, who: str) -> None:
    if ChallengeMember.objects.filter(team__challenge=challenge, profile=profile).exists():
        raise Conflict(_(ALREADY_IN_TEAM) % {"who": who})


@transaction.atomic
def team_create(*, actor: User, challenge: Challenge, name: str, proposal: str, now: dt.datetime) -> ChallengeTeam:
    """A person forms a team for an open challenge and leads it (their own membership is agreed)."""
    profile = _profile_of(actor)
    Challenge.objects.select_for_update().filter(pk=challenge.pk).first()
    _check_open(challenge, now)
    _check_free(challenge, profile, _(YOU))
    team = ChallengeTeam.objects.create(
        challenge=challenge,
        name=clean_text(name, field="name", label="团队名称", limit=40),
        proposal=clean_text(proposal, field="proposal", label="攻关方案", limit=1000, required=False),
        leader=profile,
        created_at=now,
    )
    ChallengeMember.objects.create(
        team=team, profile=profile, status=ChallengeMember.Status.ACCEPTED, invited_at=now, decided_at=now
    )
    audit_record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=team,
        after={"challenge": challenge.pk, "leader": profile.pk, "status": team.status},
    )
    return team


def _check_leader(actor: User, team: ChallengeTeam) -> Profile:
    profile = _profile_of(actor)
    if team.leader_id != profile.pk:
        raise WriteDenied(_(NOT_LEADER), code="not_leader")
    if team.status != ChallengeTeam.Status.FORMING:
        raise Conflict(_(NOT_FORMING))
    return profile


@transaction.atomic
def team_invite(*, actor: User, team: ChallengeTeam, username: str, now: dt.datetime) -> ChallengeMember:
    """The leader invites a person by their login name; the person must agree before the team applies."""
    _check_leader(actor, team)
    _check_open(team.challenge, now)
    login = (username or "").strip()[:150]
    invitee = Profile.objects.filter(user__username=login, user__role=Role.TALENT, user__is_active=True).first()
    if invitee is None:
        raise ValidationError({"username": _(NO_SUCH_PERSON) % {"value": login[:30]}})
    _check_free(team.challenge, invitee, f"人才档案 {invitee.pk}")
    if team.members.count() >= MAX_MEMBERS:
        raise ValidationError({"username": _(TEAM_TOO_LARGE) % {"limit": MAX_MEMBERS}})
    member = ChallengeMember.objects.create(team=team, profile=invitee, invited_at=now)
    audit_record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=member,
        after={"team": team.pk, "profile": invitee.pk, "status": member.status},
    )
    notices.notification_send(
        recipients=[invitee.user],
        kind=NOTICE_KIND,
        title=NOTICE_INVITED.format(team=team.name, title=team.challenge.title),
        link=reverse("talent:challenges"),
        at=now,
    )
    return member


@transaction.atomic
def member_answer(*, actor: User, member: ChallengeMember, accept: bool, now: dt.datetime) -> ChallengeMember | None:
    """The invited person agrees to join (and to the firm seeing their name and contact if the team is
    selected) or declines (the invitation is removed). Answers None when declined."""
    profile = _profile_of(actor)
    if member.profile_id != profile.pk:
        raise WriteDenied(_(NOT_OWN_MEMBERSHIP), code="not_own_membership")
    if member.status != ChallengeMember.Status.INVITED:
        raise Conflict(_(MEMBER_ANSWERED))
    if member.team.status != ChallengeTeam.Status.FORMING:
        raise Conflict(_(NOT_FORMING))
    before = {"status": member.status}
    if not accept:
        audit_record(actor=actor, action=AuditLog.Action.DELETE, obj=member, before=before)
        member.delete()
        return None
    member.status = ChallengeMember.Status.ACCEPTED
    member.decided_at = now
    member.save(update_fields=["status", "decided_at"])
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, obj=member, before=before, after={"status": member.status})
    return member


@transaction.atomic
def team_apply(*, actor: User, team: ChallengeTeam, now: dt.datetime) -> ChallengeTeam:
    """The leader applies once every member agreed; the firm's users get a notice."""
    _check_leader(actor, team)
    _check_open(team.challenge, now)
    waiting = team.members.filter(status=ChallengeMember.Status.INVITED).order_by("id").first()
    if waiting is not None:
        raise Conflict(_(MEMBERS_PENDING) % {"who": f"人才档案 {waiting.profile_id}"})
    status_move(
        actor=actor,
        row=team,
        before=ChallengeTeam.Status.FORMING,
        after=ChallengeTeam.Status.APPLIED,
        refused=None,
        columns={"applied_at": now},
    )
    challenge = team.challenge
    notices.notification_send(
        recipients=User.objects.filter(role=Role.ENTERPRISE, enterprise_id=challenge.enterprise_id, is_active=True),
        kind=NOTICE_KIND,
        title=NOTICE_APPLIED.format(team=team.pk, title=challenge.title),
        link=reverse("talent:challenge", args=[challenge.pk]),
        at=now,
    )
    team.refresh_from_db()
    return team


def _check_own(actor: User, challenge: Challenge) -> None:
    check_firm(actor)
    if challenge.enterprise_id != actor.enterprise_id:
        raise WriteDenied(_(NOT_OWN_CHALLENGE), code="not_own_challenge")


@transaction.atomic
def team_select(*, actor: User, team: ChallengeTeam, now: dt.datetime) -> ChallengeTeam:
    """The firm selects one applied team; the other applied teams are not selected; every member is told."""
    challenge = team.challenge
    _check_own(actor, challenge)
    if team.status != ChallengeTeam.Status.APPLIED:
        raise Conflict(_(NOT_APPLIED))
    status_move(
        actor=actor,
        row=challenge,
        before=Challenge.Status.OPEN,
        after=Challenge.Status.SELECTED,
        refused=_(CHALLENGE_CLOSED),
        audited={"team": team.pk},
    )
    others = list(challenge.teams.filter(status=ChallengeTeam.Status.APPLIED).exclude(pk=team.pk))
    ChallengeTeam.objects.filter(pk=team.pk).update(status=ChallengeTeam.Status.SELECTED)
    ChallengeTeam.objects.filter(pk__in=[other.pk for other in others]).update(status=ChallengeTeam.Status.NOT_SELECTED)
    for each, result in [(team, "入选"), *((other, "未入选") for other in others)]:
        notices.notification_send(
            recipients=User.objects.filter(talent_profile__challenge_memberships__team=each),
            kind=NOTICE_KIND,
            title=NOTICE_SELECTED.format(team=each.name, result=result, title=challenge.title),
            link=reverse("talent:challenges"),
            at=now,
        )
    team.refresh_from_db()
    challenge.refresh_from_db()
    return team


@transaction.atomic
def team_contacts(*, actor: User, team: ChallengeTeam) -> list[tuple[str, str]]:
    """The names and contacts of the selected team's members, for the firm that selected it; audited."""
    _check_own(actor, team.challenge)
    if team.status != ChallengeTeam.Status.SELECTED:
        raise WriteDenied(_(NOT_SELECTED), code="not_selected")
    members = team.members.filter(status=ChallengeMember.Status.ACCEPTED).select_related("profile").order_by("id")
    audit_record(actor=actor, action=AuditLog.Action.READ, obj=team, detail=DETAIL_CONTACTS)
    return [(member.profile.name, member.profile.contact) for member in members]


@transaction.atomic
def challenge_outcome(*, actor: User, challenge: Challenge, outcome: str, note: str, now: dt.datetime) -> Challenge:
    """The firm records whether the selected team solved the problem; the challenge is closed."""
    _check_own(actor, challenge)
    if outcome not in Challenge.Outcome.values or not outcome:
        raise ValidationError({"outcome": _(OUTCOME_UNKNOWN) % {"value": outcome[:20]}})
    text = clean_text(note, field="outcome_note", label="结果说明", limit=300, required=False)
    status_move(
        actor=actor,
        row=challenge,
        before=Challenge.Status.SELECTED,
        after=Challenge.Status.DONE,
        refused=_(NOT_SELECTED_YET),
        columns={"outcome": outcome, "outcome_note": text, "outcome_at": now},
        audited={"outcome": outcome},
    )
    challenge.refresh_from_db()
    return challenge
