"""陪跑 and 惠企's cards on the 工作台 (core.workbench): a specialist's visits due (and its firms'
overdue service requests) with a link to the full 服务专员工作台; for the park, the district and the
city, the service requests of their scope open past the day the park's list promised; for an
enterprise the open policies it qualifies for or nearly does."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from yuanqu.core.models import User
from yuanqu.core.permissions import is_enterprise_user, serves_firms
from yuanqu.core.workbench import Card, CardItem, Figure
from yuanqu.service import matching, selectors

ITEMS = 8


def cards(user: User, today: dt.date) -> list[Card]:
    if is_enterprise_user(user) and user.enterprise is not None:
        return [_policies(user, today)]
    if serves_firms(user):
        bench = _specialist(user, today)
        requests = _overdue_requests(user, today)
        return [card for card in (bench, requests) if card is not None]
    return []


def _overdue_requests(user: User, today: dt.date) -> Card | None:
    """Only when some request of the user's scope is overdue."""
    rows = selectors.overdue_requests(user, on=today)
    count = rows.count()
    if not count:
        return None
    url = reverse("service:requests") + "?state=overdue"
    return Card(
        key="service-requests",
        app="service",
        title=_("服务申请：超过承诺时限"),
        figures=(Figure(_("逾期服务申请"), count, url=url, tone="late"),),
        items=[
            CardItem(
                label=row.enterprise.name,
                url=url,
                note=_("%(service)s，承诺 %(day)s 前办结")
                % {"service": row.description[:30], "day": row.due_on.isoformat()},
                tone="late",
            )
            for row in rows[:ITEMS]
        ],
        more_url=url,
        more_label=_("服务申请"),
        order=16,
    )


def _specialist(user: User, today: dt.date) -> Card | None:
    """Only for a user who is some firm's specialist: the visits due, overdue first."""
    bench = selectors.workbench(user, on=today)
    if not bench.firms:
        return None
    due = sorted(bench.due_this_week, key=lambda row: (row.state != "overdue", row.next_due))
    return Card(
        key="service-visits",
        app="service",
        title=_("服务专员：应走访的企业"),
        figures=(
            Figure(_("服务企业"), len(bench.firms)),
            Figure(_("应走访"), len(due), tone="due" if due else ""),
            Figure(_("企业在办诉求"), len(bench.open_cases)),
            Figure(_("逾期服务申请"), len(bench.overdue_requests), tone="late" if bench.overdue_requests else ""),
        ),
        items=[
            CardItem(
                label=row.enterprise.name,
                url=reverse("service:workbench"),
                note=_("%(state)s，应于 %(day)s 前走访") % {"state": row.state_label, "day": row.next_due.isoformat()},
                tone="late" if row.state == "overdue" else "due",
            )
            for row in due[:ITEMS]
        ],
        more_url=reverse("service:workbench"),
        more_label=_("服务专员工作台"),
        order=15,
    )


def _policies(user: User, today: dt.date) -> Card:
    assert user.enterprise is not None
    rows = [row for row in matching.firm_policies(user.enterprise, on=today) if row.open]
    qualifying = [row for row in rows if row.verdict.passed]
    near = [row for row in rows if not row.verdict.passed and row.verdict.near_miss]
    items = [
        CardItem(label=row.policy.name, url=reverse("service:my_policies"), note=_("符合条件"), tone="ok")
        for row in qualifying
    ]
    items += [CardItem(label=row.policy.name, url=reverse("service:my_policies"), note=_("差一项条件")) for row in near]
    return Card(
        key="service-policies",
        app="service",
        title=_("可申请的惠企政策"),
        items=items[:ITEMS],
        empty=_("目前没有您符合条件的在期政策。"),
        more_url=reverse("service:my_policies"),
        more_label=_("我可享受的政策"),
        order=30,
    )
