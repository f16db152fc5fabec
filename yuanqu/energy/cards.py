"""能碳's cards on the 工作台 (core.workbench): for a park operator, the monthly intensity warnings of
the park's latest month (energy/intensity.py), the park's firms that have not reported last month's
energy data and the 零碳园区 indicators the park misses; for a district user,
the same per park of the district; for an enterprise's user, whether its last month is reported.
Reads through energy.selectors (always within the user's scope)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from yuanqu.core.models import User
from yuanqu.core.permissions import has_role
from yuanqu.core.roles import Role
from yuanqu.core.workbench import Card, CardItem, Figure
from yuanqu.energy import selectors
from yuanqu.energy.intensity import OWN, IntensityWarning
from yuanqu.energy.models import EnergyMonthly
from yuanqu.registry.models import Park

ITEMS = 8


def cards(user: User, today: dt.date) -> list[Card]:
    if has_role(user, (Role.PARK_OPERATOR,)) and user.park is not None:
        return [_park(user, user.park, today)]
    if has_role(user, (Role.DISTRICT,)):
        card = _district(user, today)
        return [card] if card is not None else []
    if has_role(user, (Role.ENTERPRISE,)) and user.enterprise is not None:
        card = _firm(user, today)
        return [card] if card is not None else []
    return []


def _month_label(month: dt.date) -> str:
    return _("%(year)d年%(month)d月") % {"year": month.year, "month": month.month}


def _warning_note(warning: IntensityWarning) -> str:
    values = {"period": warning.period, "n": warning.count, "ratio": warning.ratio}
    if warning.kind == OWN:
        return _("%(period)s 单位工业增加值能耗为此前%(n)s个月中位数的%(ratio)s倍") % values
    return _("%(period)s 单位工业增加值能耗为同行业%(n)s家企业中位数的%(ratio)s倍") % values


def _park(user: User, park: Park, today: dt.date) -> Card:
    month = selectors.month_due(today)
    missing = selectors.missing_monthly(user, Park.objects.filter(pk=park.pk), month)
    year, gaps = selectors.park_gaps(user, park)
    flagged = selectors.park_warnings(user, park)
    items = [
        CardItem(
            label=row.enterprise.name if row.enterprise else _("园区合计"),
            url=reverse("energy:enterprise", args=[row.enterprise.uscc])
            if row.enterprise
            else reverse("energy:park", args=[park.code]),
            note=_warning_note(row.warning),
            tone="late",
        )
        for row in flagged[:ITEMS]
    ]
    items += [
        CardItem(
            label=firm.name,
            url=reverse("energy:enterprise", args=[firm.uscc]),
            note=_("未报%(month)s能源数据") % {"month": _month_label(month)},
            tone="due",
        )
        for firm in missing[:ITEMS]
    ]
    items += [
        CardItem(
            label=gap.name,
            url=reverse("energy:park", args=[park.code]),
            note=_("零碳园区指标未达到，差距 %(gap)s") % {"gap": gap.gap},
            tone="late" if gap.core else "due",
        )
        for gap in gaps
    ]
    return Card(
        key="energy-park",
        app="energy",
        title=_("能碳：%(park)s") % {"park": park.name},
        figures=(
            Figure(_("未报月度能源数据的企业"), len(missing), tone="due" if missing else ""),
            Figure(_("月度能耗强度预警"), len(flagged), tone="late" if flagged else ""),
            Figure(
                _("%(year)s年零碳园区未达到的指标") % {"year": year} if year else _("零碳园区未达到的指标"),
                len(gaps),
                url=reverse("energy:park", args=[park.code]),
                tone="due" if gaps else "",
            ),
        ),
        items=items,
        empty=_("%(month)s能源数据已报齐，零碳园区指标无差距。") % {"month": _month_label(month)},
        more_url=reverse("energy:park", args=[park.code]),
        more_label=_("园区碳账户"),
        order=40,
    )


def _district(user: User, today: dt.date) -> Card | None:
    parks = Park.objects.visible_to(user).order_by("code")
    month = selectors.month_due(today)
    missing = selectors.missing_monthly(user, parks, month)
    late: dict[int, int] = {}
    for firm in missing:
        if firm.park_id is not None:
            late[firm.park_id] = late.get(firm.park_id, 0) + 1
    missed = selectors.parks_gaps(user, parks)
    items = []
    for park in parks:
        gaps = missed.get(park.pk, [])
        if not late.get(park.pk) and not gaps:
            continue
        items.append(
            CardItem(
                label=park.name,
                url=reverse("energy:park", args=[park.code]),
                note=_("%(firms)s家企业未报%(month)s能源数据，零碳园区%(gaps)s项指标未达到")
                % {"firms": late.get(park.pk, 0), "month": _month_label(month), "gaps": len(gaps)},
                tone="due",
            )
        )
    if not items and not parks.exists():
        return None
    return Card(
        key="energy-district",
        app="energy",
        title=_("能碳：各园区能源数据与零碳差距"),
        figures=(Figure(_("未报月度能源数据的企业"), len(missing), tone="due" if missing else ""),),
        items=items[:ITEMS],
        empty=_("%(month)s能源数据已报齐，各园区零碳园区指标无差距。") % {"month": _month_label(month)},
        more_url=reverse("energy:overview"),
        more_label=_("能碳总览"),
        order=40,
    )


def _firm(user: User, today: dt.date) -> Card | None:
    """Only for a firm that reports monthly energy data: whether last month is in."""
    firm = user.enterprise
    assert firm is not None
    month = selectors.month_due(today)
    rows = EnergyMonthly.objects.visible_to(user).filter(enterprise=firm)
    if not rows.exists():
        return None
    reported = rows.filter(period=month).exists()
    return Card(
        key="energy-firm",
        app="energy",
        title=_("本企业能源数据"),
        items=[]
        if reported
        else [
            CardItem(
                label=_("%(month)s能源数据未报送") % {"month": _month_label(month)},
                url=reverse("energy:enterprise", args=[firm.uscc]),
                tone="due",
            )
        ],
        empty=_("%(month)s能源数据已报送。") % {"month": _month_label(month)},
        more_url=reverse("energy:enterprise", args=[firm.uscc]),
        more_label=_("本企业能源与碳排放"),
        order=40,
    )
