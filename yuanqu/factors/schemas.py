"""The input of 要素保障's writes, one specification for the API (`factors/api.py`) and the pages
(`factors/forms.py` checks its cleaned values with these)."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

from yuanqu.core.contract.schemas import Code, Id, InputSchema, PlausibleDate, Year, check_text, decimal_schema

Reason = Annotated[str, AfterValidator(check_text), Field(max_length=300)]
Approval = Annotated[str, AfterValidator(check_text), Field(max_length=100)]
Price = Annotated[Decimal, Field(gt=0, max_digits=10, decimal_places=2), decimal_schema(10, 2)]
Area = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2), decimal_schema(12, 2)]
WanYuan = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2), decimal_schema(12, 2)]


class LandSupplyIn(InputSchema):
    parcel: Code  # the parcel's code in the land registry
    method: Code
    term_years: Annotated[int, Field(ge=1, le=99)]
    area_mu: Area
    land_grade: Annotated[int, Field(ge=1, le=99)]
    start_price: Price
    final_price: Price
    supplied_on: PlausibleDate
    project: Code | None = None  # the 招商 project's number
    enterprise: Code | None = None  # the firm's credit code
    with_plan: bool = False
    fee_waiver_wan_yuan: WanYuan = Decimal(0)
    exception_reason: Reason = ""
    exception_approval: Approval = ""


Amount = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2), decimal_schema(12, 2)]
Text200 = Annotated[str, AfterValidator(check_text), Field(max_length=200)]


class GrantIn(InputSchema):
    kind: Code  # planning_grant, standard_grant, enterprise_policy, talent_policy
    amount_wan_yuan: Amount
    basis: Text200
    decision_number: Approval
    approved_on: PlausibleDate
    park: Code | None = None  # the receiving park's code (its operator is paid)
    enterprise: Code | None = None  # the receiving firm's credit code
    payee_uscc: Code = ""


class AwardsIn(InputSchema):
    run: Id  # the confirmed 产业名园 selection (evaluation run)
    decision_number: Approval
    approved_on: PlausibleDate


class PayLedgerIn(InputSchema):
    paid_on: PlausibleDate


class ClawBackIn(InputSchema):
    on: PlausibleDate
    reason: Reason


LongText = Annotated[str, AfterValidator(check_text), Field(max_length=3000)]
Title = Annotated[str, AfterValidator(check_text), Field(max_length=120)]
Convener = Annotated[str, AfterValidator(check_text), Field(max_length=60)]
DecisionText = Annotated[str, AfterValidator(check_text), Field(max_length=100)]


class MeetingIn(InputSchema):
    held_on: PlausibleDate
    title: Title
    convener: Convener
    units: Annotated[list[Code], Field(min_length=1, max_length=60)]  # responsible unit codes
    agenda: LongText


class MeetingDecisionIn(InputSchema):
    text: DecisionText
    lead: Code
    co_units: Annotated[list[Code], Field(max_length=60)] = []
    due_on: PlausibleDate


FundCode = Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=20)]
FundName = Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=120)]


class FundIn(InputSchema):
    code: FundCode
    name: FundName
    kind: Code  # guidance, park, angel, transfer, talent
    manager: FundName
    manager_uscc: Code = ""
    established_on: PlausibleDate
    size_wan_yuan: Amount
    city_paid_wan_yuan: WanYuan = Decimal(0)
    district_paid_wan_yuan: WanYuan = Decimal(0)
    social_paid_wan_yuan: WanYuan = Decimal(0)
    # The size by source (认缴); all 0 when not broken down, else together the size.
    city_committed_wan_yuan: WanYuan = Decimal(0)
    district_committed_wan_yuan: WanYuan = Decimal(0)
    social_committed_wan_yuan: WanYuan = Decimal(0)
    chains: Annotated[list[Code], Field(max_length=30)] = []  # industry chain codes
    concessions: Reason = ""  # 让利 terms
    district: Code | None = None  # a district's own fund (set to the user's district for a district)


class InvestmentIn(InputSchema):
    enterprise: Code | None = None  # the firm's credit code
    project: Code | None = None  # the 招商 project's number
    chain: Code | None = None  # the industry chain's code (else the project's)
    stage: Code  # seed, start_up, growth, mature
    instrument: Code = "equity"  # equity, convertible, loan
    invested_on: PlausibleDate
    amount_wan_yuan: Amount


class ExitIn(InputSchema):
    on: PlausibleDate
    recovered_wan_yuan: WanYuan
    note: Approval = ""


Mu = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2), decimal_schema(12, 2)]
PositiveMu = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2), decimal_schema(12, 2)]


class QuotaIn(InputSchema):
    district: Code  # the district's code
    year: Year
    quota_mu: Mu
    basis: Approval  # the document that set the plan


class TopUpIn(InputSchema):
    district: Code
    year: Year
    topup_mu: PositiveMu
    basis: Approval  # the document of the city's top-up
