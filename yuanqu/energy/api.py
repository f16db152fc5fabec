"""The carbon API, at /api/v1/carbon/ (canonical, in the OpenAPI document): carbon accounts by level
and period with the scope split (范围一、范围二), the intensities and the method of each figure; one
owner's year against the year before and the base year; the pack's coefficients and factors with
their sources (national and provincial grid factors); a park's 零碳 standing; the accounts by
industry chain; and the city administrator's rebuild of every account (a background job, 202).

The same operations answer at /api/v1/energy/, the path of the first release, for the clients that
use it; they are left out of the OpenAPI document (`legacy_router`). Reads go through `visible_to`
(404 outside the scope); an auditor is refused (403)."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.params import functions as param

from yuanqu.core.apiauth import api_user
from yuanqu.core.contract.errors import NOT_FOUND
from yuanqu.core.contract.pagination import Mapped, Page
from yuanqu.core.contract.published import published_values
from yuanqu.core.contract.schemas import Code, CodePath, InputSchema, OptionalYearParam
from yuanqu.energy import selectors
from yuanqu.energy.jobs import carbon_job_start
from yuanqu.energy.models import CarbonAccount
from yuanqu.energy.rules import config
from yuanqu.jobs.api import JobStartedOut, job_started

# A month of the year (1–12), 0 or absent for the year itself.
MonthParam = Annotated[int, param.Query(0, ge=0, le=12)]


class AccountOut(Schema):
    level: str
    frequency: str
    year: int
    month: int
    enterprise: str | None
    park: str | None
    district: str | None
    firms: int
    energy_tce: float
    scope1_t: float
    scope2_t: float
    co2_t: float
    value_added: float | None
    energy_per_value_added: float | None
    co2_per_value_added: float | None
    co2_per_tce: float | None
    clean_share: float | None
    renewable_share: float | None
    by_fuel: dict[str, dict[str, str]]
    method: dict[str, Any]


def _account_out(row: CarbonAccount) -> dict[str, Any]:
    # The figures are decimals on the row; the schema publishes them as numbers (float).
    return published_values(
        row,
        AccountOut,
        enterprise=row.enterprise.uscc if row.enterprise else None,
        park=row.park.code if row.park else None,
        district=row.district.code if row.district else None,
    )


class AccountQuery(InputSchema):
    level: Literal["", "enterprise", "park", "district", "city"] = ""
    frequency: Literal["", "month", "year"] = ""
    park: Code = ""
    district: Code = ""
    enterprise: Code = ""


@paginate(Page, page_size=100)
def list_accounts(request: HttpRequest, query: Query[AccountQuery], year: OptionalYearParam = None) -> Any:
    rows = selectors.accounts(api_user(request, auditors=False))
    lookups = {
        "level": query.level,
        "frequency": query.frequency,
        "park__code": query.park,
        "district__code": query.district,
        "enterprise__uscc": query.enterprise,
        "year": year,
    }
    rows = rows.filter(**{key: value for key, value in lookups.items() if value})
    return Mapped(rows.order_by("level", "year", "month", "id"), _account_out)


class SourcedOut(Schema):
    fuel: str
    value: str
    unit: str
    source: str
    year: int


class GridOut(Schema):
    year: int
    value: str
    source: str


class FactorsOut(Schema):
    electricity_basis: str
    green_electricity: str
    coefficients: list[SourcedOut]
    emission_factors: list[SourcedOut]
    grid_region: str
    grid: list[GridOut]
    provincial_region: str  # empty: the pack carries no provincial grid factor
    provincial_grid: list[GridOut]


def factors(request: HttpRequest) -> Any:
    api_user(request, auditors=False)
    settings = config()

    def table(items: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {"fuel": fuel, "value": str(item.value), "unit": item.unit, "source": item.source, "year": item.year}
            for fuel, item in items.items()
        ]

    return {
        "electricity_basis": settings.electricity_basis,
        "green_electricity": settings.green_electricity,
        "coefficients": table(settings.coefficients),
        "emission_factors": table(settings.factors),
        "grid_region": settings.grid_region,
        "grid": [published_values(g, GridOut, value=str(g.value)) for g in settings.grid],
        "provincial_region": settings.provincial_region,
        "provincial_grid": [published_values(g, GridOut, value=str(g.value)) for g in settings.provincial_grid],
    }


class StandingOut(Schema):
    indicator: str
    name: str
    core: bool
    value: float | None
    threshold: float | None
    at_most: bool
    met: bool | None
    gap: float | None
    note: str


class ZeroCarbonOut(Schema):
    park: str
    year: int | None
    qualifies: bool
    source: str
    illustrative: bool  # the thresholds are still to be checked against the notice's annex
    indicators: list[StandingOut]


def zero_carbon(request: HttpRequest, code: CodePath, year: OptionalYearParam = None) -> Any:
    user = api_user(request, auditors=False)
    carbon = selectors.park_carbon(user, selectors.carbon_park(user, code), year)
    return {
        "park": carbon.park.code,
        "year": carbon.year,
        "qualifies": carbon.qualifies,
        "source": config().zero_carbon_source,
        "illustrative": config().zero_carbon_illustrative,
        "indicators": [published_values(s, StandingOut) for s in carbon.standings],
    }


class ChainAccountOut(Schema):
    chain: str
    name: str
    firms: int
    energy_tce: float
    scope1_t: float
    scope2_t: float
    co2_t: float
    value_added: float | None
    energy_per_value_added: float | None
    co2_per_value_added: float | None
    co2_per_tce: float | None
    renewable_share: float | None
    method: dict[str, Any]


class ChainAccountsOut(Schema):
    year: int | None
    month: int  # 0: the year; 1–12: the months 1 to this one (1–本月累计)
    note: str
    chains: list[ChainAccountOut]


CHAIN_NOTE = (
    "按产业链各环节对应的国民经济行业小类归集可见范围内企业的碳账户（年度，或1月至所选月份累计）；"
    "同一企业可属多条产业链，各链合计不等于全市"
)


def chain_accounts(request: HttpRequest, year: OptionalYearParam = None, month: MonthParam = 0) -> Any:
    """The 能碳 page's 产业链碳账户 table: per industry chain, the sums of the year's firm accounts
    (the latest year by default; `month` 1–12 for the months 1 to that one, 1–本月累计) within the
    caller's scope; an auditor
    is refused (403)."""
    user = api_user(request, auditors=False)
    year = year or selectors.latest_year(user)
    rows = selectors.chain_accounts(user, year, month) if year else []
    return {
        "year": year,
        "month": month,
        "note": CHAIN_NOTE,
        "chains": [published_values(row, ChainAccountOut, chain=row.chain.code, name=row.chain.name) for row in rows],
    }


def recompute(request: HttpRequest) -> Status[dict[str, Any]]:
    """The rebuild runs as a background job: the answer (202) carries the job's id, its page and its
    API address. Anyone but a city administrator is refused (403)."""
    return job_started(carbon_job_start(actor=api_user(request)))


class CarbonChangeOut(Schema):
    name: str
    unit: str
    value: float | None
    previous: float | None
    base: float | None
    year_on_year: float | None  # per cent
    against_base: float | None  # per cent
    method: dict[str, Any]  # the year's account's: what is included, which factor of which year


class CarbonChangesOut(Schema):
    level: str
    code: str
    year: int
    base_year: int
    changes: list[CarbonChangeOut]


class OwnerQuery(InputSchema):
    level: Literal["enterprise", "park", "district", "chain", "city"]
    code: Code = ""  # the firm's USCC, the park's, district's or chain's code; empty for the city


OWNER_LOOKUP = {"enterprise": "enterprise__uscc", "park": "park__code", "district": "district__code"}


def changes(request: HttpRequest, query: Query[OwnerQuery], year: OptionalYearParam = None) -> Any:
    """One firm's, park's, district's, industry chain's or the city's annual account of a year (the
    latest by default) against the year before and the plan's base year: 综合能耗, CO₂ and the three
    intensities, as on the park's carbon account page, each with the method of the year's account. A
    chain's accounts are the sums of its firms' within the caller's scope (as `/chains`). 404 where the
    caller reads no annual account of it."""
    user = api_user(request, auditors=False)
    trend: list[Any]
    if query.level == "chain":
        trend = selectors.chain_trend(user, query.code)
    else:
        rows = selectors.accounts(user).filter(level=query.level, month=0)
        if query.level in OWNER_LOOKUP:
            rows = rows.filter(**{OWNER_LOOKUP[query.level]: query.code})
        trend = list(rows.order_by("year"))
    year = year or (trend[-1].year if trend else None)
    if not trend or year is None:
        raise Http404(NOT_FOUND)
    base = selectors.base_year()
    found = selectors.account_changes(trend, year, base)
    return {
        "level": query.level,
        "code": query.code,
        "year": year,
        "base_year": base,
        "changes": [published_values(c, CarbonChangeOut) for c in found],
    }


def _router(*, legacy: bool) -> Router:
    """The operations, mounted at /carbon/ (in the OpenAPI document) and at /energy/ (`legacy`: the
    first release's path, kept for its clients, out of the document)."""
    router = Router(tags=["能碳"])
    shown = not legacy

    def named(name: str) -> dict[str, Any]:
        prefix = "energy" if legacy else "carbon"
        return {"include_in_schema": shown, "operation_id": f"{prefix}_{name}", "url_name": f"{prefix}_{name}"}

    router.get(
        "/accounts",
        response=list[AccountOut],
        summary="碳账户（企业、园区、区、全市；月度、年度；范围一、范围二）",
        **named("accounts"),
    )(list_accounts)
    router.get(
        "/changes",
        response=CarbonChangesOut,
        summary="碳账户同比与基期比较（企业、园区、区、产业链、全市）",
        **named("changes"),
    )(changes)
    router.get(
        "/factors",
        response=FactorsOut,
        summary="折标准煤系数、排放因子和电网排放因子（含来源和年份）",
        **named("factors"),
    )(factors)
    router.get(
        "/parks/{code}/zero-carbon",
        response=ZeroCarbonOut,
        summary="园区零碳园区对标（指标、要求、差距）",
        **named("zero_carbon"),
    )(zero_carbon)
    router.get(
        "/chains",
        response=ChainAccountsOut,
        summary="产业链碳账户（年度或1月至所选月份累计，可见范围内企业按产业链归集）",
        **named("chains"),
    )(chain_accounts)
    router.post(
        "/recompute",
        response={202: JobStartedOut},
        summary="按当前政策包重算全部碳账户（市级管理员，后台任务）",
        **named("recompute"),
    )(recompute)
    return router


router = _router(legacy=False)
legacy_router = _router(legacy=True)
