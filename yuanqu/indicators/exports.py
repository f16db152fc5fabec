"""The drill-down's spreadsheet (the enterprises, parcels or parks behind one value) as a registered
export (core.exports): read through `selectors.drill_down` for the user who asked (only the units
they may see); more than YUANQU_EXPORT_INLINE_ROWS units are written by a background job. Registered
in IndicatorsConfig.ready(). The view resolves the indicator, scope and period first; the query
carries their codes. Headers and file name are in the platform's language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_noop

from yuanqu.core.exports import Export, ExportData
from yuanqu.core.models import User
from yuanqu.core.periods import Period
from yuanqu.indicators import selectors
from yuanqu.indicators.pack import Indicator
from yuanqu.indicators.selectors import Scope

DRILL_DOWN = "indicators_drill_down"


def _asked(user: User, query: dict[str, str]) -> tuple[Indicator, Scope, Period]:
    item = selectors.indicator_or_404(query.get("indicator", ""))
    scope = selectors.scope_or_404(user, query.get("scope", ""))
    try:
        period = Period.parse(query.get("period", ""))
    except ValueError as exc:
        raise Http404("统计期无效") from exc
    if item.reported:
        raise Http404("该指标没有可下钻的明细")
    return item, scope, period


def _rows(user: User, item: Indicator, scope: Scope, period: Period) -> Iterator[list[Any]]:
    found = selectors.drill_down(user, item, scope, period, limit=None)
    for row in found.rows:
        yield [row.key, row.name, row.park, row.district, *[float(row.terms[term.name]) for term in found.terms]]


def drill_down_export(user: User, query: dict[str, str]) -> ExportData:
    """The units behind the value of `query`'s indicator, scope and period that `user` may see."""
    item, scope, period = _asked(user, query)
    counted = selectors.drill_down(user, item, scope, period, limit=0)
    headers = ["代码", "名称", "所在园区", "所属区", *[f"{term.name}（{term.unit}）" for term in counted.terms]]
    return ExportData(
        rows=counted.total,
        sheets=[("明细", headers, _rows(user, item, scope, period))],
        detail=f"{item.code} {scope.key} {period.key}",
    )


def _name(query: dict[str, str]) -> str:
    return query.get("name", "") or "指标明细"


DRILL_DOWN_EXPORT = Export(
    code=DRILL_DOWN,
    label=gettext_noop("指标明细"),
    filename="指标明细",
    object_type="indicators.IndicatorValue",
    build=drill_down_export,
    name=_name,
)
