"""The input of the talent writes, one specification for the API (`talent/api.py`) and the pages
(`talent/forms.py` checks its cleaned values with these). The services turn them into their own
dataclasses and check them against the pack and the registry."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

from yuanqu.core.contract.schemas import Code, Id, InputSchema, PlausibleDate, check_text, decimal_schema

Short = Annotated[str, AfterValidator(check_text), Field(max_length=60)]
Medium = Annotated[str, AfterValidator(check_text), Field(max_length=300)]
Long = Annotated[str, AfterValidator(check_text), Field(max_length=2000)]
Tag = Annotated[str, AfterValidator(check_text), Field(max_length=20)]
Salary = Annotated[int, Field(ge=0, le=1_000_000)]
Years = Annotated[int, Field(ge=0, le=60)]


class ProfileIn(InputSchema):
    name: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=40)]
    education: Code = ""
    experience_years: Years = 0
    skills_text: Long = ""
    skill_tags: Annotated[list[Tag], Field(max_length=12)] = []
    title_grade: Code = ""
    skill_grade: Code = ""
    certificates: Medium = ""
    desired_roles: Medium = ""
    salary_min: Salary = 0
    salary_max: Salary = 0
    park_codes: Annotated[list[Code], Field(max_length=20)] = []
    visibility: Code = "nobody"
    chain_codes: Annotated[list[Code], Field(max_length=40)] = []


class OpeningIn(InputSchema):
    title: Short
    chain: Code
    node: Short = ""
    industry: Code = ""
    skills_text: Annotated[str, AfterValidator(check_text), Field(max_length=1000)] = ""
    skill_tags: Annotated[list[Tag], Field(max_length=12)] = []
    education: Code = ""
    experience_years: Years = 0
    salary_min: Salary
    salary_max: Salary
    headcount: Annotated[int, Field(ge=1, le=999)] = 1
    park: Code = ""
    challenge: bool = False
    migratory: bool = False
    valid_from: PlausibleDate
    valid_to: PlausibleDate


class InterestIn(InputSchema):
    opening: Id
    profile: Id


class TalentAnswerIn(InputSchema):
    accept: bool


class OutcomeIn(InputSchema):
    outcome: Code


class UnmaskIn(InputSchema):
    reason: Annotated[str, AfterValidator(check_text), Field(max_length=100)]


class HonourIn(InputSchema):
    kind: Code
    name: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=100)]
    uscc: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=18)]
    awarded_on: PlausibleDate
    valid_to: PlausibleDate | None = None
    issuer: Short = ""


class HonourCorrectIn(HonourIn):
    reason: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=200)]


class TalentGrantIn(InputSchema):
    profile: Id
    policy: Code
    uscc: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=18)]
    # Left out: the amount the policy's rule gives; a different amount needs `override_reason`.
    amount_wan_yuan: (
        Annotated[Decimal, Field(gt=0, le=10000, max_digits=12, decimal_places=2), decimal_schema(12, 2)] | None
    ) = None
    decision_number: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=100)]
    override_reason: Annotated[str, AfterValidator(check_text), Field(max_length=200)] = ""


class TalentGrantPayIn(InputSchema):
    paid_on: PlausibleDate


Figure = Annotated[int, Field(ge=0, le=1_000_000)]


class EventIn(InputSchema):
    title: Short
    park: Code = ""
    starts_on: PlausibleDate
    ends_on: PlausibleDate
    venue: Annotated[str, AfterValidator(check_text), Field(max_length=100)] = ""
    description: Annotated[str, AfterValidator(check_text), Field(max_length=1000)] = ""


class EventFirmIn(InputSchema):
    uscc: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=18)]


class EventOpeningIn(InputSchema):
    opening: Id


class EventFiguresIn(InputSchema):
    visitors: Figure
    interviews: Figure
    offers: Figure
    hires: Figure


class ChallengeIn(InputSchema):
    title: Short
    description: Long
    reward: Annotated[int, Field(ge=1, le=100_000)]
    chain: Code = ""
    deadline: PlausibleDate


class TeamIn(InputSchema):
    name: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=40)]
    proposal: Annotated[str, AfterValidator(check_text), Field(max_length=1000)] = ""


class InviteIn(InputSchema):
    username: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=150)]


class ChallengeOutcomeIn(InputSchema):
    outcome: Code
    note: Annotated[str, AfterValidator(check_text), Field(max_length=300)] = ""
