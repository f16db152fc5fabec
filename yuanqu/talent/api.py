"""人才直通车 API (/api/v1/talent/), scoped: a person reaches only their own profile, their matches
and the interest in them; a firm only its openings and, of the people, those who accepted its
interest (with their contact, each read audited); the city reads openings and demand. 专项招聘
events (registrations as a count), 揭榜挂帅 challenges (teams as a count) and the 工匠 register
(with its revisions; written and corrected by the city's talent handlers) are read in scope. Reads go
through `visible_to`, writes through the services with the bodies of `talent/schemas.py` that the
pages use too. A role with no part answers 403; an object outside the scope 404."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.contract.collection import Collection
from yuanqu.core.contract.pagination import Mapped, Page
from yuanqu.core.contract.published import (
    From,
    RelatedEnterprise,
    RelatedEnterpriseName,
    RelatedPark,
    RelatedParkName,
    RelatedParkOrNone,
    published_values,
)
from yuanqu.core.contract.schemas import IdParam, IdPath, OptionalCodeParam
from yuanqu.core.pageauth import role_reader
from yuanqu.core.roles import Role
from yuanqu.talent import queries, schemas
from yuanqu.talent.config import config
from yuanqu.talent.forms import NO_ACCESS
from yuanqu.talent.models import (
    Challenge,
    ChallengeMember,
    ChallengeTeam,
    Interest,
    Opening,
    Profile,
    RecruitmentEvent,
    TalentGrant,
    TalentHonour,
)
from yuanqu.talent.services import challenges, events, grants, honours, interests, openings, personal, profiles
from yuanqu.talent.services.common import check_staff, own_profile
from yuanqu.talent.views import STAFF_READERS, talent_reader

router = Router(tags=["人才直通车"])


TALENT = frozenset({Role.TALENT})
FIRM = frozenset({Role.ENTERPRISE})
READERS = STAFF_READERS | TALENT | FIRM

# A system administrator acts as the city, never as a person or a firm (who have their own data).
_talent = role_reader(TALENT, NO_ACCESS, api=True, superuser=False)
_firm = role_reader(FIRM, NO_ACCESS, api=True, superuser=False)
_talent_or_firm = role_reader(TALENT | FIRM, NO_ACCESS, api=True, superuser=False)
_reader = talent_reader(READERS, api=True)


class ProfileOut(Schema):
    id: int
    name: str
    contact: str
    education: str
    experience_years: int
    skills_text: str
    skill_tags: list[str]
    title_grade: str
    skill_grade: str
    certificates: str
    desired_roles: str
    salary_min: int
    salary_max: int
    parks: list[str]
    visibility: str
    chains: list[str]


def _profile_out(profile: Profile) -> dict[str, Any]:
    return published_values(
        profile,
        ProfileOut,
        skill_tags=list(profile.skill_tags),
        parks=[park.code for park in profile.parks.all()],
        chains=[chain.code for chain in profile.visible_chains.all()],
    )


class OpeningOut(Schema):
    id: int
    enterprise: RelatedEnterprise
    enterprise_name: RelatedEnterpriseName
    title: str
    chain: Annotated[str, From("chain.code")]
    skills_text: str
    skill_tags: list[str]
    education: str
    experience_years: int
    salary_min: int
    salary_max: int
    headcount: int
    park: RelatedParkOrNone
    challenge: bool
    migratory: bool
    valid_from: dt.date
    valid_to: dt.date
    status: str


def _opening_out(row: Opening) -> dict[str, Any]:
    return published_values(row, OpeningOut, skill_tags=list(row.skill_tags))


class TalentMatchOut(Schema):
    opening: OpeningOut
    score: int
    explanation: str


class InterestOut(Schema):
    id: int
    opening: Annotated[int, From("opening_id")]
    opening_title: Annotated[str, From("opening.title")]
    enterprise_name: Annotated[str, From("opening.enterprise.name")]
    status: str
    score: int
    explanation: str
    outcome: str
    created_at: dt.datetime


def _interest_out(row: Interest) -> dict[str, Any]:
    return published_values(row, InterestOut)


class TalentCandidateOut(Schema):
    interest: int
    name: str
    contact: str
    score: int
    explanation: str
    outcome: str


@router.get("/me", response=ProfileOut, summary="我的人才档案")
def my_profile(request: HttpRequest) -> Any:
    user = _talent(request)
    return _profile_out(own_profile(user))


@router.put("/me", response=ProfileOut, summary="更新我的人才档案")
def update_profile(request: HttpRequest, payload: schemas.ProfileIn) -> Any:
    user = _talent(request)
    data = profiles.ProfileData(**payload.model_dump())
    return _profile_out(profiles.profile_update(actor=user, data=data, now=timezone.now()))


@router.delete("/me", response={204: None}, summary="撤回同意并删除档案与账号")
def withdraw(request: HttpRequest) -> Any:
    personal.consent_withdraw(actor=_talent(request))
    return Status(204, None)


@router.get("/me/matches", response=list[TalentMatchOut], summary="与我匹配的岗位（附匹配说明）")
@paginate(Page, page_size=50)
def my_matches(request: HttpRequest) -> Any:
    user = _talent(request)
    profile = own_profile(user)
    found = queries.openings_for(profile, on=timezone.localdate(), limit=200)
    return [
        {"opening": _opening_out(item.opening), "score": item.match.score, "explanation": item.match.explanation}
        for item in found
        if item.opening is not None
    ]


@router.get("/openings", response=list[OpeningOut], summary="招聘岗位")
@paginate(Page, page_size=100)
def list_openings(request: HttpRequest) -> Any:
    user = _reader(request)
    rows = Opening.objects.visible_to(user).select_related("enterprise", "chain", "park")
    return Mapped(rows.order_by("-id"), _opening_out)


@router.post("/openings", response={201: OpeningOut}, summary="发布岗位（企业用户）")
def create_opening(request: HttpRequest, payload: schemas.OpeningIn) -> Any:
    user = _firm(request)
    row = openings.opening_create(actor=user, data=openings.OpeningData(**payload.model_dump()), now=timezone.now())
    return Status(201, _opening_out(row))


@router.post("/openings/{pk}/close", response=OpeningOut, summary="关闭岗位（企业用户）")
def close_opening(request: HttpRequest, pk: IdPath) -> Any:
    user = _firm(request)
    row = get_visible_or_404(Opening.objects.select_related("enterprise", "chain", "park"), user, pk=pk)
    return _opening_out(openings.opening_close(actor=user, opening=row))


@router.get(
    "/openings/{pk}/candidates", response=list[TalentCandidateOut], summary="接受本企业意向的人才（含联系方式）"
)
@paginate(Page, page_size=50)
def opening_candidates(request: HttpRequest, pk: IdPath) -> Any:
    user = _firm(request)
    row = get_visible_or_404(Opening.objects.all(), user, pk=pk)
    accepted = row.interests.filter(status=Interest.Status.ACCEPTED, profile__isnull=False).select_related(
        "opening", "profile"
    )

    def candidate(interest: Interest) -> dict[str, Any]:
        # Only the rows of the page sent are read in clear, each read audited.
        name, contact = interests.interest_contact(actor=user, interest=interest)
        return {
            "interest": interest.pk,
            "name": name,
            "contact": contact,
            "score": interest.score,
            "explanation": interest.explanation,
            "outcome": interest.outcome,
        }

    return Mapped(accepted.order_by("pk"), candidate)


@router.get("/interests", response=list[InterestOut], summary="用人意向（企业：本企业发出的；人才：发给我的）")
@paginate(Page, page_size=100)
def list_interests(request: HttpRequest) -> Any:
    user = _talent_or_firm(request)
    rows = Interest.objects.visible_to(user).select_related("opening__enterprise")
    return Mapped(rows, _interest_out)


@router.post("/interests", response={201: InterestOut}, summary="发出用人意向（企业用户）")
def create_interest(request: HttpRequest, payload: schemas.InterestIn) -> Any:
    user = _firm(request)
    row = get_visible_or_404(Opening.objects.all(), user, pk=payload.opening)
    profile = queries.findable_by(row).filter(pk=payload.profile).first()
    if profile is None:
        raise PermissionDenied(_(interests.NOT_FINDABLE))
    interest = interests.interest_express(actor=user, opening=row, profile=profile, now=timezone.now())
    return Status(201, _interest_out(interest))


@router.post("/interests/{pk}/answer", response=InterestOut, summary="答复用人意向（人才用户）")
def answer_interest(request: HttpRequest, pk: IdPath, payload: schemas.TalentAnswerIn) -> Any:
    user = _talent(request)
    row = get_visible_or_404(Interest.objects.select_related("profile", "opening__enterprise"), user, pk=pk)
    return _interest_out(interests.interest_answer(actor=user, interest=row, accept=payload.accept, now=timezone.now()))


@router.post("/interests/{pk}/outcome", response=InterestOut, summary="反馈面试或录用结果（企业用户）")
def interest_outcome(request: HttpRequest, pk: IdPath, payload: schemas.OutcomeIn) -> Any:
    user = _firm(request)
    row = get_visible_or_404(Interest.objects.select_related("profile", "opening__enterprise"), user, pk=pk)
    done = interests.interest_outcome(actor=user, interest=row, outcome=payload.outcome, now=timezone.now())
    return _interest_out(done)


# ── 专项招聘 events, 揭榜挂帅 challenges and the 工匠 register (read in scope; the register written by
# the city's talent handlers) ─────────────────────────────────────────────────────────────────────

_honour_reader = talent_reader(STAFF_READERS | FIRM, demand=False, api=True)


class RecruitmentEventOut(Schema):
    id: int
    park: RelatedPark
    park_name: RelatedParkName
    title: str
    starts_on: dt.date
    ends_on: dt.date
    venue: str
    description: str
    firms: list[str]
    openings: list[int]
    registered: int
    visitors: int | None
    interviews: int | None
    offers: int | None
    hires: int | None


def _event_out(row: RecruitmentEvent) -> dict[str, Any]:
    return published_values(
        row,
        RecruitmentEventOut,
        firms=sorted(firm.uscc for firm in row.firms.all()),
        openings=sorted(opening.pk for opening in row.openings.all()),
        # How many registered, never who (as on the page).
        registered=row.registrations.count(),
    )


def _events(user: Any) -> Any:
    return (
        RecruitmentEvent.objects.visible_to(user)
        .select_related("park")
        .prefetch_related("firms", "openings")
        .order_by("-starts_on", "-id")
    )


EVENTS = Collection(reader=_reader, rows=_events, out=_event_out)
EVENTS.add_list(router, "/events", RecruitmentEventOut, "专项招聘活动", name="list_events")
EVENTS.add_detail(router, "/events/{pk}", RecruitmentEventOut, "专项招聘活动详情（报名只给人数）", name="get_event")
EVENTS.add_create(
    router,
    "/events",
    RecruitmentEventOut,
    "发布专项招聘活动（园区、区、市级管理员）",
    name="create_event",
    payload=schemas.EventIn,
    create=lambda user, payload: events.event_create(
        actor=user, data=events.EventData(**payload.model_dump()), now=timezone.now()
    ),
)


@router.put("/events/{pk}", response=RecruitmentEventOut, summary="修改专项招聘活动（主办园区不变）")
def update_event(request: HttpRequest, pk: IdPath, payload: schemas.EventIn) -> Any:
    user = _reader(request)
    row = get_visible_or_404(RecruitmentEvent.objects.select_related("park"), user, pk=pk)
    events.event_update(actor=user, event=row, data=events.EventData(**payload.model_dump()), now=timezone.now())
    return _event_out(get_visible_or_404(_events(user), user, pk=pk))


@router.post("/events/{pk}/firms", response=RecruitmentEventOut, summary="添加参会企业（组织方）")
def add_event_firm(request: HttpRequest, pk: IdPath, payload: schemas.EventFirmIn) -> Any:
    user = _reader(request)
    row = get_visible_or_404(RecruitmentEvent.objects.select_related("park"), user, pk=pk)
    events.event_firm_add(actor=user, event=row, uscc=payload.uscc)
    return _event_out(get_visible_or_404(_events(user), user, pk=pk))


@router.post("/events/{pk}/openings", response=RecruitmentEventOut, summary="把本企业的岗位带到活动中（参会企业）")
def add_event_opening(request: HttpRequest, pk: IdPath, payload: schemas.EventOpeningIn) -> Any:
    user = _firm(request)
    row = get_visible_or_404(RecruitmentEvent.objects.all(), user, pk=pk)
    opening_row = get_visible_or_404(Opening.objects.all(), user, pk=payload.opening)
    events.event_opening_add(actor=user, event=row, opening=opening_row, now=timezone.now())
    return _event_out(get_visible_or_404(_events(user), user, pk=pk))


@router.post("/events/{pk}/register", response={201: RecruitmentEventOut}, summary="报名专项招聘活动（人才用户）")
def register_event(request: HttpRequest, pk: IdPath) -> Any:
    user = _talent(request)
    row = get_visible_or_404(RecruitmentEvent.objects.all(), user, pk=pk)
    events.event_register(actor=user, event=row, now=timezone.now())
    return Status(201, _event_out(get_visible_or_404(_events(user), user, pk=pk)))


@router.post("/events/{pk}/outcome", response=RecruitmentEventOut, summary="记录活动结果（组织方；再次记录即更正）")
def event_outcome(request: HttpRequest, pk: IdPath, payload: schemas.EventFiguresIn) -> Any:
    user = _reader(request)
    row = get_visible_or_404(RecruitmentEvent.objects.select_related("park"), user, pk=pk)
    events.event_outcome(actor=user, event=row, figures=events.EventFigures(**payload.model_dump()), now=timezone.now())
    return _event_out(get_visible_or_404(_events(user), user, pk=pk))


class ChallengeOut(Schema):
    id: int
    enterprise: RelatedEnterprise
    enterprise_name: RelatedEnterpriseName
    title: str
    description: str
    reward_wan_yuan: Annotated[int, From("reward")]
    chain: Annotated[str | None, From("chain.code")]
    deadline: dt.date
    status: str
    teams_applied: int
    outcome: str
    outcome_note: str


def _challenge_out(row: Challenge) -> dict[str, Any]:
    return published_values(
        row,
        ChallengeOut,
        # Teams are counted once they apply; who is in them is the firm's after it selects (pages).
        teams_applied=sum(1 for team in row.teams.all() if team.status != ChallengeTeam.Status.FORMING),
    )


def _challenges(user: Any) -> Any:
    return (
        Challenge.objects.visible_to(user)
        .select_related("enterprise", "chain")
        .prefetch_related("teams")
        .order_by("-created_at", "-id")
    )


CHALLENGES = Collection(reader=_reader, rows=_challenges, out=_challenge_out)
CHALLENGES.add_list(router, "/challenges", ChallengeOut, "揭榜挂帅榜单", name="list_challenges")
CHALLENGES.add_detail(router, "/challenges/{pk}", ChallengeOut, "揭榜挂帅榜单详情", name="get_challenge")
CHALLENGES.add_create(
    router,
    "/challenges",
    ChallengeOut,
    "发布揭榜挂帅榜单（企业用户）",
    name="create_challenge",
    payload=schemas.ChallengeIn,
    create=lambda user, payload: challenges.challenge_create(
        actor=user, data=challenges.ChallengeData(**payload.model_dump()), now=timezone.now()
    ),
    writer=_firm,
)


@router.put("/challenges/{pk}", response=ChallengeOut, summary="修改榜单（尚无团队揭榜时）")
def update_challenge(request: HttpRequest, pk: IdPath, payload: schemas.ChallengeIn) -> Any:
    user = _firm(request)
    row = get_visible_or_404(Challenge.objects.all(), user, pk=pk)
    data = challenges.ChallengeData(**payload.model_dump())
    challenges.challenge_update(actor=user, challenge=row, data=data, now=timezone.now())
    return _challenge_out(get_visible_or_404(_challenges(user), user, pk=pk))


@router.post("/challenges/{pk}/close", response=ChallengeOut, summary="撤榜（尚无团队揭榜时）")
def close_challenge(request: HttpRequest, pk: IdPath) -> Any:
    user = _firm(request)
    row = get_visible_or_404(Challenge.objects.all(), user, pk=pk)
    challenges.challenge_close(actor=user, challenge=row, now=timezone.now())
    return _challenge_out(get_visible_or_404(_challenges(user), user, pk=pk))


@router.post("/challenges/{pk}/outcome", response=ChallengeOut, summary="记录揭榜结果（企业用户）")
def challenge_outcome(request: HttpRequest, pk: IdPath, payload: schemas.ChallengeOutcomeIn) -> Any:
    user = _firm(request)
    row = get_visible_or_404(Challenge.objects.all(), user, pk=pk)
    challenges.challenge_outcome(
        actor=user, challenge=row, outcome=payload.outcome, note=payload.note, now=timezone.now()
    )
    return _challenge_out(get_visible_or_404(_challenges(user), user, pk=pk))


class TeamMemberOut(Schema):
    id: int
    profile: int | None
    name: str  # the person's own name to themselves and their team; masked for the firm
    status: str


class TeamOut(Schema):
    id: int
    challenge: int
    name: str
    proposal: str
    status: str
    members: list[TeamMemberOut]


def _team_out(team: ChallengeTeam, *, user: Any) -> dict[str, Any]:
    members = list(team.members.all())
    inside = any(member.profile is not None and member.profile.user_id == user.pk for member in members)
    return {
        "id": team.pk,
        "challenge": team.challenge_id,
        "name": team.name,
        "proposal": team.proposal,
        "status": team.status,
        "members": [
            {
                "id": member.pk,
                "profile": member.profile_id,
                "name": ""
                if member.profile is None
                else (member.profile.name if inside else member.profile.name_masked),
                "status": member.status,
            }
            for member in sorted(members, key=lambda item: item.pk)
        ],
    }


def _teams(user: Any) -> Any:
    return ChallengeTeam.objects.visible_to(user).prefetch_related("members__profile").order_by("pk")


@router.get(
    "/challenges/{pk}/teams", response=list[TeamOut], summary="榜单的团队（企业：已揭榜的，姓名脱敏；人才：本人所在的）"
)
@paginate(Page, page_size=50)
def list_teams(request: HttpRequest, pk: IdPath) -> Any:
    user = _talent_or_firm(request)
    row = get_visible_or_404(Challenge.objects.all(), user, pk=pk)
    return [_team_out(team, user=user) for team in _teams(user).filter(challenge=row)]


@router.post("/challenges/{pk}/teams", response={201: TeamOut}, summary="组建揭榜团队（人才用户，本人任负责人）")
def create_team(request: HttpRequest, pk: IdPath, payload: schemas.TeamIn) -> Any:
    user = _talent(request)
    row = get_visible_or_404(Challenge.objects.all(), user, pk=pk)
    team = challenges.team_create(
        actor=user, challenge=row, name=payload.name, proposal=payload.proposal, now=timezone.now()
    )
    return Status(201, _team_out(_teams(user).get(pk=team.pk), user=user))


@router.post("/teams/{pk}/invite", response={201: TeamOut}, summary="按登录名邀请成员（团队负责人）")
def invite_member(request: HttpRequest, pk: IdPath, payload: schemas.InviteIn) -> Any:
    user = _talent(request)
    team = get_visible_or_404(ChallengeTeam.objects.select_related("challenge"), user, pk=pk)
    challenges.team_invite(actor=user, team=team, username=payload.username, now=timezone.now())
    return Status(201, _team_out(_teams(user).get(pk=pk), user=user))


@router.post("/teams/{pk}/apply", response=TeamOut, summary="揭榜（团队负责人；全部成员同意后）")
def apply_team(request: HttpRequest, pk: IdPath) -> Any:
    user = _talent(request)
    team = get_visible_or_404(ChallengeTeam.objects.select_related("challenge"), user, pk=pk)
    challenges.team_apply(actor=user, team=team, now=timezone.now())
    return _team_out(_teams(user).get(pk=pk), user=user)


@router.post(
    "/team-members/{pk}/answer", response={200: TeamOut, 204: None}, summary="答复组队邀请（同意：团队；拒绝：204）"
)
def answer_member(request: HttpRequest, pk: IdPath, payload: schemas.TalentAnswerIn) -> Any:
    user = _talent(request)
    member = get_visible_or_404(ChallengeMember.objects.select_related("team"), user, pk=pk)
    team_id = member.team_id
    if challenges.member_answer(actor=user, member=member, accept=payload.accept, now=timezone.now()) is None:
        return Status(204, None)  # declined: the invitation is gone, and the team is no longer the person's
    return _team_out(_teams(user).get(pk=team_id), user=user)


@router.post("/teams/{pk}/select", response=TeamOut, summary="选定揭榜团队（企业用户）")
def select_team(request: HttpRequest, pk: IdPath) -> Any:
    user = _firm(request)
    team = get_visible_or_404(ChallengeTeam.objects.select_related("challenge"), user, pk=pk)
    challenges.team_select(actor=user, team=team, now=timezone.now())
    return _team_out(_teams(user).get(pk=pk), user=user)


class TeamContactOut(Schema):
    name: str
    contact: str


@router.get(
    "/teams/{pk}/contacts",
    response=list[TeamContactOut],
    summary="入选团队成员的联系方式（企业用户；每次读取记入审计）",
)
@paginate(Page, page_size=50)
def team_contacts(request: HttpRequest, pk: IdPath) -> Any:
    user = _firm(request)
    team = get_visible_or_404(ChallengeTeam.objects.select_related("challenge"), user, pk=pk)
    return [{"name": name, "contact": contact} for name, contact in challenges.team_contacts(actor=user, team=team)]


class HonourRevisionOut(Schema):
    number: int
    before: dict[str, Any]
    reason: str
    corrected_at: dt.datetime


class HonourOut(Schema):
    id: int
    kind: str
    name: str
    enterprise: RelatedEnterprise
    enterprise_name: RelatedEnterpriseName
    park: RelatedParkOrNone
    awarded_on: dt.date
    valid_to: dt.date | None
    issuer: str
    revisions: list[HonourRevisionOut]


def _honour_out(row: TalentHonour) -> dict[str, Any]:
    return published_values(
        row,
        HonourOut,
        revisions=[
            {"number": item.number, "before": item.before, "reason": item.reason, "corrected_at": item.corrected_at}
            for item in row.revisions.all()
        ],
    )


def _honours(user: Any) -> Any:
    return (
        TalentHonour.objects.visible_to(user)
        .select_related("enterprise", "park")
        .prefetch_related("revisions")
        .order_by("kind", "-awarded_on", "id")
    )


HONOURS = Collection(reader=_honour_reader, rows=_honours, out=_honour_out)
HONOURS.add_list(router, "/honours", HonourOut, "工匠与技能平台名录", name="list_honours")
HONOURS.add_detail(router, "/honours/{pk}", HonourOut, "名录条目（含修订记录）", name="get_honour")
HONOURS.add_create(
    router,
    "/honours",
    HonourOut,
    "登记名录条目（人才局、人社局经办人）",
    name="create_honour",
    payload=schemas.HonourIn,
    create=lambda user, payload: honours.honour_create(
        actor=user, data=honours.HonourData(**payload.model_dump()), now=timezone.now()
    ),
)


@router.put("/honours/{pk}", response=HonourOut, summary="更正名录条目（原内容作为修订保留）")
def correct_honour(request: HttpRequest, pk: IdPath, payload: schemas.HonourCorrectIn) -> Any:
    user = _honour_reader(request)
    row = get_visible_or_404(TalentHonour.objects.all(), user, pk=pk)
    data = payload.model_dump()
    reason = data.pop("reason")
    honours.honour_correct(actor=user, honour=row, data=honours.HonourData(**data), reason=reason, now=timezone.now())
    return _honour_out(get_visible_or_404(_honours(user), user, pk=pk))


# ── talent policies delivered (confirm → notify → disburse) ────────────────────────────────────

_grant_reader = talent_reader(STAFF_READERS | TALENT, demand=False, api=True)


class GrantQuoteOut(Schema):
    policy: str
    profile: int
    amount_wan_yuan: Decimal | None  # None: no rule, or no tier holds; the handler enters the amount
    explanation: str


@router.get("/grants/quote", response=GrantQuoteOut, summary="按政策金额规则试算（人才局、人社局经办人）")
def quote_grant(request: HttpRequest, profile: IdParam, policy: OptionalCodeParam = None) -> Any:
    user = _grant_reader(request)
    check_staff(user)
    row = get_visible_or_404(Profile.objects.all(), user, pk=profile)
    found = next((item for item in config().policies if item.code == policy), None)
    if found is None:
        raise ValidationError({"policy": _(grants.POLICY_UNKNOWN) % {"code": (policy or "")[:40]}})
    quote = grants.grant_quote(found, row, on=timezone.localdate())
    return {
        "policy": found.code,
        "profile": row.pk,
        "amount_wan_yuan": quote.amount_wan_yuan,
        "explanation": quote.explanation,
    }


class GrantOut(Schema):
    id: int
    policy: Annotated[str, From("policy_code")]
    policy_name: str
    person: str  # masked for staff; the person's own name for the person
    profile: Annotated[int | None, From("profile_id")]
    employer: RelatedEnterprise
    employer_name: RelatedEnterpriseName
    amount_wan_yuan: Decimal
    computed_wan_yuan: Decimal | None
    computation: str
    override_reason: str
    decision_number: str
    status: str
    paid_on: dt.date | None


def _grant_out(row: TalentGrant, *, own: bool = False) -> dict[str, Any]:
    person = ""
    if row.profile is not None:
        person = row.profile.name if own else row.profile.name_masked
    return published_values(row, GrantOut, person=person)


@router.get("/grants", response=list[GrantOut], summary="人才政策兑现（人才：我的；工作人员：已脱敏）")
@paginate(Page, page_size=100)
def list_grants(request: HttpRequest) -> Any:
    user = _grant_reader(request)
    rows = TalentGrant.objects.visible_to(user).select_related("profile", "enterprise").order_by("-id")
    own = user.role == Role.TALENT
    return Mapped(rows, lambda row: _grant_out(row, own=own))


@router.post("/grants", response={201: GrantOut}, summary="核定人才政策并通知本人（人才局、人社局经办人）")
def create_grant(request: HttpRequest, payload: schemas.TalentGrantIn) -> Any:
    user = _grant_reader(request)
    check_staff(user)
    profile = get_visible_or_404(Profile.objects.all(), user, pk=payload.profile)
    data = grants.GrantData(
        policy=payload.policy,
        uscc=payload.uscc,
        amount_wan_yuan=payload.amount_wan_yuan,
        decision_number=payload.decision_number,
        override_reason=payload.override_reason,
    )
    row = grants.grant_confirm(actor=user, profile=profile, data=data, now=timezone.now())
    return Status(201, _grant_out(row))


@router.post("/grants/{pk}/pay", response=GrantOut, summary="登记拨付（记入奖补台账）")
def pay_grant(request: HttpRequest, pk: IdPath, payload: schemas.TalentGrantPayIn) -> Any:
    user = _grant_reader(request)
    check_staff(user)
    row = get_visible_or_404(TalentGrant.objects.all(), user, pk=pk)
    return _grant_out(grants.grant_pay(actor=user, grant=row, paid_on=payload.paid_on, now=timezone.now()))
