"""How current each district's data is: its last applied import and its latest month and year of
statistics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from yuanqu.core.models import User
from yuanqu.dashboard.pack import dashboard_policy
from yuanqu.indicators.models import Frequency, IndicatorCell
from yuanqu.registry.models import (
    District,
)
from yuanqu.stats.models import ImportBatch


@dataclass(frozen=True)
class Freshness:
    district: str
    code: str
    last_import: dt.datetime | None
    last_import_kind: str
    monthly_until: dt.date | None
    annual_until: int | None
    late: bool


def freshness(user: User, districts: Sequence[District], today: dt.date | None = None) -> list[Freshness]:
    """Per district: the last applied import the user may see (batches carry the uploader's
    district), and the latest month and year of statistics the indicator engine has for it."""
    today = today or timezone.localdate()
    ids = [district.pk for district in districts]
    latest_data: dict[tuple[int, str], dt.date] = {}
    cells = (
        IndicatorCell.objects.filter(district_id__in=ids)
        .filter(Q(source="monthly", frequency=Frequency.MONTH) | Q(source="annual", frequency=Frequency.YEAR))
        .values("district_id", "source")
        .annotate(latest=Max("period"))
        .order_by()
    )
    for row in cells:
        latest_data[(row["district_id"], row["source"])] = row["latest"]
    imports: dict[int | None, tuple[dt.datetime, str]] = {}
    kinds = dict(ImportBatch.Kind.choices)
    batches = (
        ImportBatch.objects.visible_to(user)
        .filter(status=ImportBatch.Status.APPLIED)
        .values("district_id", "kind")
        .annotate(last=Max("created_at"))
        .order_by()
    )
    for row in batches:
        known = imports.get(row["district_id"])
        if known is None or row["last"] > known[0]:
            imports[row["district_id"]] = (row["last"], str(kinds.get(row["kind"], row["kind"])))
    city = imports.get(None)
    threshold = _months_before(today, dashboard_policy().late_after_months)
    rows = []
    for district in districts:
        own = imports.get(district.pk)
        last = own if own and (city is None or own[0] >= city[0]) else city
        monthly = latest_data.get((district.pk, "monthly"))
        annual = latest_data.get((district.pk, "annual"))
        rows.append(
            Freshness(
                district=district.name,
                code=district.code,
                last_import=last[0] if last else None,
                last_import_kind=last[1] if last else "",
                monthly_until=monthly,
                annual_until=annual.year if annual else None,
                late=monthly is None or monthly < threshold,
            )
        )
    return rows


def freshness_summary(rows: Sequence[Freshness]) -> str:
    """One line: the latest month any district has, and which districts lag behind."""
    months = [row.monthly_until for row in rows if row.monthly_until]
    if not rows:
        return ""
    if months:
        newest = max(months)
        latest = gettext("月度数据最新至%(year)s年%(month)02d月") % {"year": newest.year, "month": newest.month}
    else:
        latest = gettext("尚无月度数据")
    late = [row.district for row in rows if row.late]
    if not late:
        return gettext("%(latest)s；各区均已更新") % {"latest": latest}
    return gettext("%(latest)s；%(count)s 个区滞后（%(districts)s）") % {
        "latest": latest,
        "count": len(late),
        "districts": gettext("、").join(late),
    }


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)
