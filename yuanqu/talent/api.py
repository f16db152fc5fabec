"""人才直通车 API (/api/v1/talent/), scoped: a person reaches only their own profile, their matches
and the interest in them; a firm only its openings and, of the people, those who accepted its
interest (with their contact, each read audited); the city reads openings and demand. Reads go
through `visible_to`, writes through the services with the bodies of `talent/schemas.py` that the
pages use too. A role with no part answers 403; an object outside the scope 404."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.contract.pagination import Mapped, Page
from yuanqu.core.contract.schemas import IdPath
from yuanqu.core.pageauth import role_reader
from yuanqu.core.roles import Role
from yuanqu.talent import queries, schemas
from yuanqu.talent.models import Interest, Opening, Profile
from yuanqu.talent.services import interests, openings, personal, profiles
from yuanqu.talent.views import NO_ACCESS, STAFF_READERS

router = Router(tags=["人才直通车"])


TALENT = frozenset({Role.TALENT})
FIRM = frozenset({Role.ENTERPRISE})
READERS = STAFF_READERS | TALENT | FIRM

# A system administrator acts as the city, never as a person or a firm (who have their own data).
_talent = role_reader(TALENT, NO_ACCESS, api=True, superuser=False)
_firm = role_reader(FIRM, NO_ACCESS, api=True, superuser=False)
_talent_or_firm = role_reader(TALENT | FIRM, NO_ACCESS, api=True, superuser=False)
_reader = role_reader(READERS, NO_ACCESS, api=True)


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
    return {
        "id": profile.pk,
        "name": profile.name,
        "contact": profile.contact,
        "education": profile.education,
        "experience_years": profile.experience_years,
        "skills_text": profile.skills_text,
        "skill_tags": list(profile.skill_tags),
        "title_grade": profile.title_grade,
        "skill_grade": profile.skill_grade,
        "certificates": profile.certificates,
        "desired_roles": profile.desired_roles,
        "salary_min": profile.salary_min,
        "salary_max": profile.salary_max,
        "parks": [park.code for park in profile.parks.all()],
        "visibility": profile.visibility,
        "chains": [chain.code for chain in profile.visible_chains.all()],
    }


class OpeningOut(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    title: str
    chain: str
    skills_text: str
    skill_tags: list[str]
    education: str
    experience_years: int
    salary_min: int
    salary_max: int
    headcount: int
    park: str | None
    challenge: bool
    migratory: bool
    valid_from: dt.date
    valid_to: dt.date
    status: str


def _opening_out(row: Opening) -> dict[str, Any]:
    return {
        "id": row.pk,
        "enterprise": row.enterprise.uscc,
        "enterprise_name": row.enterprise.name,
        "title": row.title,
        "chain": row.chain.code,
        "skills_text": row.skills_text,
        "skill_tags": list(row.skill_tags),
        "education": row.education,
        "experience_years": row.experience_years,
        "salary_min": row.salary_min,
        "salary_max": row.salary_max,
        "headcount": row.headcount,
        "park": row.park.code if row.park else None,
        "challenge": row.challenge,
        "migratory": row.migratory,
        "valid_from": row.valid_from,
        "valid_to": row.valid_to,
        "status": row.status,
    }


class MatchOut(Schema):
    opening: OpeningOut
    score: int
    explanation: str


class InterestOut(Schema):
    id: int
    opening: int
    opening_title: str
    enterprise_name: str
    status: str
    score: int
    explanation: str
    outcome: str
    created_at: dt.datetime


def _interest_out(row: Interest) -> dict[str, Any]:
    return {
        "id": row.pk,
        "opening": row.opening_id,
        "opening_title": row.opening.title,
        "enterprise_name": row.opening.enterprise.name,
        "status": row.status,
        "score": row.score,
        "explanation": row.explanation,
        "outcome": row.outcome,
        "created_at": row.created_at,
    }


class CandidateOut(Schema):
    interest: int
    name: str
    contact: str
    score: int
    explanation: str
    outcome: str


@router.get("/me", response=ProfileOut, summary="我的人才档案")
def my_profile(request: HttpRequest) -> Any:
    user = _talent(request)
    return _profile_out(Profile.objects.visible_to(user).get())


@router.put("/me", response=ProfileOut, summary="更新我的人才档案")
def update_profile(request: HttpRequest, payload: schemas.ProfileIn) -> Any:
    user = _talent(request)
    data = profiles.ProfileData(**payload.model_dump())
    return _profile_out(profiles.profile_update(actor=user, data=data, now=timezone.now()))


@router.delete("/me", response={204: None}, summary="撤回同意并删除档案与账号")
def withdraw(request: HttpRequest) -> Any:
    personal.consent_withdraw(actor=_talent(request))
    return Status(204, None)


@router.get("/me/matches", response=list[MatchOut], summary="与我匹配的岗位（附匹配说明）")
@paginate(Page, page_size=50)
def my_matches(request: HttpRequest) -> Any:
    user = _talent(request)
    profile = Profile.objects.visible_to(user).get()
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


@router.get("/openings/{pk}/candidates", response=list[CandidateOut], summary="接受本企业意向的人才（含联系方式）")
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
def answer_interest(request: HttpRequest, pk: IdPath, payload: schemas.AnswerIn) -> Any:
    user = _talent(request)
    row = get_visible_or_404(Interest.objects.select_related("profile", "opening__enterprise"), user, pk=pk)
    return _interest_out(interests.interest_answer(actor=user, interest=row, accept=payload.accept, now=timezone.now()))


@router.post("/interests/{pk}/outcome", response=InterestOut, summary="反馈面试或录用结果（企业用户）")
def interest_outcome(request: HttpRequest, pk: IdPath, payload: schemas.OutcomeIn) -> Any:
    user = _firm(request)
    row = get_visible_or_404(Interest.objects.select_related("profile", "opening__enterprise"), user, pk=pk)
    done = interests.interest_outcome(actor=user, interest=row, outcome=payload.outcome, now=timezone.now())
    return _interest_out(done)
