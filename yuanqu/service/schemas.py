"""The input of 陪跑's writes, one specification for the API (`service/api.py`) and the pages
(`service/forms.py` checks its cleaned values with these)."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

from yuanqu.core.contract.schemas import Code, Id, InputSchema, PlausibleDate, check_text, decimal_schema

Reason = Annotated[str, AfterValidator(check_text), Field(max_length=200)]
LongText = Annotated[str, AfterValidator(check_text), Field(max_length=3000)]
NeedText = Annotated[str, AfterValidator(check_text), Field(max_length=500)]


class SpecialistAssignIn(InputSchema):
    enterprise: Code
    specialist: Code  # the specialist's user name
    reason: Reason = ""


class BulkAssignIn(InputSchema):
    specialist: Code
    park: Code | None = None
    chain: Code | None = None
    tier: Code | None = None
    skip_assigned: bool = True
    reason: Reason = ""


class HandoverIn(InputSchema):
    from_specialist: Code
    to_specialist: Code
    reason: Reason


class PlanIn(InputSchema):
    enterprise: Code
    planned_on: PlausibleDate
    purpose: Reason = ""


class ServiceVisitIn(InputSchema):
    enterprise: Code
    visited_on: PlausibleDate
    people: Reason
    topics: Reason
    situation: LongText = ""
    needs: Annotated[list[NeedText], Field(max_length=10)] = []
    plan: Id | None = None


class ConfirmIn(InputSchema):
    policy: Code
    enterprises: Annotated[list[Code], Field(min_length=1, max_length=5000)]
    note: Reason = ""


class PayIn(InputSchema):
    paid_on: PlausibleDate
    amount_wan_yuan: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2), decimal_schema(12, 2)] | None = (
        None
    )


WaveCode = Annotated[str, AfterValidator(check_text), Field(max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]


class WaveIn(InputSchema):
    code: WaveCode
    name: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=100)]
    opens_on: PlausibleDate
    closes_on: PlausibleDate


class SurveyAnswerIn(InputSchema):
    # Item code → a score 1..scale or one of the item's choices (checked against the pack's
    # questionnaire by the service, which names the item).
    answers: Annotated[
        dict[
            Code,
            Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
            | Annotated[str, AfterValidator(check_text), Field(max_length=200)],
        ],
        Field(max_length=200),
    ]


Short = Annotated[str, AfterValidator(check_text), Field(max_length=100)]


class ParkServiceIn(InputSchema):
    service_type: Code
    provider: Short
    promise: Annotated[str, AfterValidator(check_text), Field(max_length=300)]
    time_limit_days: Annotated[int, Field(ge=1, le=365)]
    fee: Short
    contact: Short


Yuan = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2), decimal_schema(14, 2)]


class FeeIn(InputSchema):
    park: Code
    item: Short
    charged_by: Short
    basis: Reason = ""
    amount_yuan: Yuan  # 元 per unit and period
    unit: Code  # m2 firm kwh ton m3 item
    period: Code  # month quarter year once
    amount: Annotated[str, AfterValidator(check_text), Field(max_length=100)] = ""  # the standard's wording
    approval: Annotated[str, AfterValidator(check_text), Field(max_length=100)] = ""


class FeeReviewIn(InputSchema):
    decision: Code  # confirmed: it has no basis; dismissed: the flag was wrong
    reason: Reason


class RetireIn(InputSchema):
    reason: Reason


class FeeReportIn(InputSchema):
    occurred_on: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=50)]
    description: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=2000)]


class ApplyRulesIn(InputSchema):
    """Applying the stored assignment rules takes no input."""


class CompanionIn(InputSchema):
    name: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=120)]
    park: Code
    specialist: Code
    investment_project: Code | None = None  # the 招商 project's number (ZS-2026-00012)


class CompanionNoteIn(InputSchema):
    stage: Code
    text: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=1000)]


class ServiceRequestIn(InputSchema):
    description: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=500)]


class ServiceRequestDoneIn(InputSchema):
    outcome: Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=500)]
