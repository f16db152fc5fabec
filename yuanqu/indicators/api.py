"""Indicator API: the catalogue with its definitions, stored values per scope and period (through
`IndicatorValue.visible_to`), and the drill-down to the units behind a value (through the
registry's `visible_to`)."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from yuanqu.core.apiauth import api_user
from yuanqu.core.contract.pagination import Page
from yuanqu.core.contract.published import published, published_values
from yuanqu.core.contract.schemas import MAX_PAGE, Code, CodePath, InputSchema
from yuanqu.core.periods import Period
from yuanqu.indicators import catalogue, selectors, services
from yuanqu.indicators.describe import describe_term
from yuanqu.indicators.forms import ReportedIn
from yuanqu.indicators.pack import Indicator, Term
from yuanqu.indicators.selectors import Scope

router = Router(tags=["指标体系"])


# The catalogue entry's own fields and its terms', with the pack's types (indicators/pack.py).
if TYPE_CHECKING:
    TermFields = Schema
    IndicatorFields = Schema
else:
    TermFields = published(Term, ("name", "source", "aggregate", "measure", "indicator", "unit"), name="TermFields")
    IndicatorFields = published(
        Indicator,
        ("code", "name", "name_en", "unit", "level", "direction", "coverage", "standard", "note"),
        name="IndicatorFields",
    )


class TermOut(TermFields):
    description: str


class IndicatorOut(IndicatorFields):
    reported: bool
    formula: str | None
    terms: list[TermOut]


def _indicator_out(item: Indicator) -> dict[str, Any]:
    return published_values(item, IndicatorFields) | {
        "reported": item.reported,
        "formula": item.formula.text if item.formula else None,
        "terms": [published_values(term, TermFields) | {"description": describe_term(term)} for term in item.terms],
    }


class ValueOut(Schema):
    indicator: str
    scope_kind: str
    scope_code: str
    frequency: str
    period: dt.date
    period_key: str
    value: Decimal | None
    terms: dict[str, str]
    batch_ids: list[int]
    reported: bool
    computed_at: dt.datetime

    @staticmethod
    def resolve_period_key(obj: Any) -> str:
        return Period(obj.period, obj.frequency).key


class ValueQuery(InputSchema):
    scope: Code = "city"
    frequency: Code = ""


@router.get("/", response=list[IndicatorOut], summary="指标目录（含定义与计算口径）")
@paginate(Page, page_size=200)
def list_indicators(request: HttpRequest) -> Any:
    return [_indicator_out(item) for item in catalogue.indicators()]


@router.get("/{code}", response=IndicatorOut, summary="指标定义")
def get_indicator(request: HttpRequest, code: CodePath) -> Any:
    return _indicator_out(selectors.indicator_or_404(code))


@router.get("/{code}/values", response=list[ValueOut], summary="指标值序列（一个统计范围）")
@paginate(Page, page_size=200)
def list_values(request: HttpRequest, code: CodePath, filters: Query[ValueQuery]) -> Any:
    """The series of one scope: `scope` is city, park:<code>, district:<code> or park_type:<code>."""
    user = api_user(request, auditors=False)
    item = selectors.indicator_or_404(code)
    return selectors.series(user, item.code, selectors.scope_or_404(user, filters.scope), filters.frequency or None)


class UnitOut(Schema):
    key: str
    name: str
    park: str
    district: str
    terms: dict[str, Decimal]


class DrillOut(Schema):
    unit_kind: str
    period: str
    total: int
    offset: int
    rows: list[UnitOut]


class DrillQuery(InputSchema):
    scope: Code = "city"
    period: Code
    offset: int = Field(0, ge=0, le=MAX_PAGE * 1000)
    limit: int = Field(100, ge=1, le=1000)


@router.get("/{code}/units", response=DrillOut, summary="指标值背后的企业（地块、园区）明细")
def drill_down(request: HttpRequest, code: CodePath, filters: Query[DrillQuery]) -> Any:
    """The enterprises (parcels, parks) behind a value, with their own term values; only those the
    caller may see."""
    user = api_user(request, auditors=False)
    item = selectors.indicator_or_404(code)
    scope = selectors.scope_or_404(user, filters.scope)
    try:
        period = Period.parse(filters.period)
    except ValueError as exc:
        raise Http404("统计期无效") from exc
    found = selectors.drill_down(user, item, scope, period, offset=filters.offset, limit=filters.limit)
    return {
        "unit_kind": found.unit_kind,
        "period": period.key,
        "total": found.total,
        "offset": filters.offset,
        "rows": [row.__dict__ for row in found.rows],
    }


@router.post("/{code}/reported", response={201: ValueOut}, summary="录入上报类指标的年度值（市级管理员）")
def report_value(request: HttpRequest, code: CodePath, payload: ReportedIn) -> Any:
    """The city admin enters a year value of an indicator the platform does not compute
    (`source: reported` in the catalogue, e.g. 产业名园 selected); audited."""
    user = api_user(request, auditors=False)
    if not services.may_report(user):
        raise PermissionDenied(services.ERR_NO_PERMISSION)
    item = selectors.indicator_or_404(code)
    try:
        scope = Scope.parse(payload.scope)
    except ValueError as exc:
        raise Http404("统计范围无效") from exc
    services.indicator_value_report(
        actor=user,
        indicator=item.code,
        period=dt.date(payload.year, 12, 31),
        value=payload.value,
        scope_kind=scope.kind,
        scope_code=scope.code,
        note=payload.note,
    )
    stored = selectors.value_at(user, item.code, scope, Period(dt.date(payload.year, 12, 31), "year"))
    return Status(201, stored)
