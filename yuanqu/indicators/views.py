"""Indicator pages: the catalogue with every definition, one indicator at one scope (value, how it is
made, its trend, the level below), and the drill-down to the enterprises (parcels, parks) behind a
value. Thin: reads through selectors, 404 outside the user's scope, exports through core.exports
(indicators/exports.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from yuanqu.core.exports import export_respond
from yuanqu.core.forms import take_post
from yuanqu.core.models import User
from yuanqu.core.pageauth import page_user
from yuanqu.core.periods import Period, month_end
from yuanqu.core.roles import Role
from yuanqu.indicators import catalogue, exports, forms, selectors, services
from yuanqu.indicators.comparable import (
    DEFINITION_COMPARABLE,
    DEFINITION_CURRENT,
    VALUE_ADDED_INDICATOR,
    ValueAddedGrowth,
    value_added_growth_by_month,
)
from yuanqu.indicators.describe import describe, describe_term
from yuanqu.indicators.models import CITY_CODE, Frequency, IndicatorValue, ScopeKind
from yuanqu.indicators.pack import Indicator
from yuanqu.indicators.selectors import SCOPE_KIND_NAMES, UNIT_KINDS, UNIT_NAMES, Scope
from yuanqu.indicators.templatetags.indicator_format import (
    chart_labels,
    format_number,
    period_label,
    unit_label,
)

PAGE_SIZE = 50


def _period(request: HttpRequest, available: list[Period]) -> Period | None:
    key = request.GET.get("period", "")
    if key:
        try:
            return Period.parse(key)
        except ValueError as exc:
            raise Http404("统计期无效") from exc
    years = [period for period in available if period.frequency == Frequency.YEAR]
    return years[0] if years else (available[0] if available else None)


def _value_asked(request: HttpRequest, code: str) -> tuple[User, Indicator, Scope, list[Period], Period | None]:
    """The reader, the indicator, the scope and the period (the latest year by default) a value's
    page asks for, with the periods the reader may choose from."""
    user = page_user(request, auditors=False)
    item = selectors.indicator_or_404(code)
    scope = selectors.scope_or_404(user, request.GET.get("scope", CITY_CODE))
    available = selectors.periods(user, item.code)
    return user, item, scope, available, _period(request, available)


@login_required
@require_GET
def catalogue_page(request: HttpRequest) -> HttpResponse:
    user = page_user(request, auditors=False)
    latest: dict[str, IndicatorValue] = {}
    rows = IndicatorValue.objects.visible_to(user).filter(scope_kind=ScopeKind.CITY, frequency=Frequency.YEAR)
    for row in rows.order_by("period"):
        latest[row.indicator] = row
    items = [(describe(item), latest.get(item.code)) for item in catalogue.indicators()]
    return render(
        request,
        "indicators/catalogue.html",
        {"items": items, "class_sets": catalogue.indicator_catalogue().class_sets},
    )


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    user, item, scope, available, period = _value_asked(request, code)
    current = selectors.value_at(user, item.code, scope, period) if period else None
    history = selectors.series(user, item.code, scope)
    children = selectors.children(user, item.code, scope, period) if period else {}
    listed: list[IndicatorValue | Scope] = [value for values in children.values() for value in values]
    names = selectors.scope_names([*listed, scope])
    chart = {
        "unit": unit_label(item.unit),
        "name": catalogue.display_name(item),
        "years": [[row.period.isoformat(), _float(row.value)] for row in history if row.frequency == Frequency.YEAR],
        "months": _months(history) if catalogue.month_comparable(item) else [],
        "labels": chart_labels(),
    }
    return render(
        request,
        "indicators/detail.html",
        {
            "item": describe(item),
            "indicator": item,
            "scope": scope,
            "scope_name": names.get((scope.kind, scope.code), scope.code),
            "scope_kind_name": SCOPE_KIND_NAMES.get(scope.kind, scope.kind),
            "period": period,
            "periods": [(p, period_label(p.label)) for p in available],
            "period_name": period_label(period.label) if period else "",
            "current": current,
            "term_rows": _term_rows(item, current),
            "history": list(reversed(history)),
            "children": [
                (SCOPE_KIND_NAMES[kind], [(value, names.get((kind, value.scope_code), "")) for value in rows])
                for kind, rows in children.items()
                if rows
            ],
            "chart": chart,
            "drillable": not item.external,
            "can_report": item.reported and user.is_active and (user.role == Role.CITY_ADMIN or user.is_superuser),
            "unit_name": UNIT_NAMES.get(UNIT_KINDS.get(item.terms[0].source, ""), "") if item.terms else "",
            "growth_rows": _growth_rows(user, item, scope, history),
            "growth_definitions": (gettext(DEFINITION_CURRENT), gettext(DEFINITION_COMPARABLE)),
        },
    )


def _growth_rows(
    user: User, item: Indicator, scope: Scope, history: list[IndicatorValue]
) -> list[tuple[IndicatorValue, float | None, ValueAddedGrowth]]:
    """For 规上工业增加值: each month of the latest year with its 现价同比 (all firms reporting each year)
    and the same-firm growths at current and comparable prices (indicators/comparable.py)."""
    if item.code != VALUE_ADDED_INDICATOR:
        return []
    months = {row.period: row for row in history if row.frequency == Frequency.MONTH}
    if not months:
        return []
    year = max(months).year
    ends = sorted(end for end in months if end.year == year)
    rows = []
    for end, growth in zip(ends, value_added_growth_by_month(user, scope.kind, scope.code, ends), strict=True):
        before = months.get(month_end(year - 1, end.month))
        now = months[end]
        overall = None
        if before is not None and before.value and now.value is not None:
            overall = float(now.value / before.value - 1)
        rows.append((now, overall, growth))
    return rows


def _months(history: list[IndicatorValue]) -> list[list[Any]]:
    return [[row.period.isoformat(), _float(row.value)] for row in history if row.frequency == Frequency.MONTH]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _term_rows(item: Indicator, current: IndicatorValue | None) -> list[tuple[str, str, str]]:
    if current is None:
        return []
    return [
        (
            term.name,
            describe_term(term),
            format_number(current.terms.get(term.name), term.unit) + " " + unit_label(term.unit),
        )
        for term in item.terms
    ]


@login_required
@require_GET
def units(request: HttpRequest, code: str) -> HttpResponse:
    """The enterprises (parcels, parks) behind one value, within the user's scope."""
    user, item, scope, _, period = _value_asked(request, code)
    if period is None or item.external:
        raise Http404("该指标没有可下钻的明细")
    names = selectors.scope_names([scope])
    if request.GET.get("export") == "xlsx":
        params = {
            "indicator": item.code,
            "scope": scope.key,
            "period": period.key,
            "name": f"{item.name}-{names.get((scope.kind, scope.code), scope.code)}-{period.label}明细",
        }
        return export_respond(request, actor=user, code=exports.DRILL_DOWN, params=params)
    raw_page = request.GET.get("page", "1")
    number = max(1, int(raw_page)) if raw_page.isdigit() else 1
    found = selectors.drill_down(user, item, scope, period, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    page = Paginator(range(found.total), PAGE_SIZE).get_page(number)
    return render(
        request,
        "indicators/units.html",
        {
            "item": describe(item),
            "indicator": item,
            "scope": scope,
            "scope_name": names.get((scope.kind, scope.code), scope.code),
            "period": period,
            "period_name": period_label(period.label),
            "found": found,
            "rows": [(row, [row.terms[term.name] for term in found.terms]) for row in found.rows],
            "page": page,
            "unit_name": UNIT_NAMES.get(found.unit_kind, ""),
        },
    )


@login_required
@require_POST
def report(request: HttpRequest, code: str) -> HttpResponse:
    """The city admin enters a year value of an indicator the platform does not compute."""
    user = page_user(request, auditors=False)
    item = selectors.indicator_or_404(code)

    def enter(data: dict[str, Any]) -> str:
        services.indicator_value_report(
            actor=user,
            indicator=item.code,
            period=dt.date(data["year"], 12, 31),
            value=data["value"],
            note=data["note"],
        )
        return gettext("已填报%(year)s年%(name)s") % {"year": data["year"], "name": catalogue.display_name(item)}

    take_post(request, forms.ReportForm(request.POST), enter)
    return HttpResponseRedirect(reverse("indicators:detail", args=[item.code]))
