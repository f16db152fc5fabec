"""要素保障's card on the 工作台 (core.workbench): for the city's administrators and a district, the
land sales kept below the 70% line, the districts whose 用地计划 of the year falls short of their
projects' land needs (each a line linking to the plan), the approved payments not yet paid and the
overdue 联席会议 decisions; for the 市财政局, the payments waiting to be paid. Read through the same
selectors as the pages, in the user's scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from yuanqu.core.models import User
from yuanqu.core.permissions import has_role, is_finance_reader
from yuanqu.core.roles import Role
from yuanqu.core.workbench import Card, CardItem, Figure
from yuanqu.factors import selectors
from yuanqu.factors.models import LedgerStatus

ITEMS = 8
WRITERS = frozenset({Role.CITY_ADMIN, Role.SYSADMIN, Role.DISTRICT})


def cards(user: User, today: dt.date) -> list[Card]:
    if is_finance_reader(user):
        return [_to_pay(user)]
    if has_role(user, WRITERS):
        return [_factors(user, today)]
    return []


def _to_pay(user: User) -> Card:
    waiting = selectors.ledger_entries(user).filter(status=LedgerStatus.APPROVED)
    total = waiting.aggregate(total=Sum("amount_wan_yuan"))["total"] or 0
    return Card(
        key="factors-to-pay",
        app="factors",
        title=_("奖补台账：已核定待拨付"),
        figures=(
            Figure(_("待拨付笔数"), waiting.count(), url=reverse("factors:ledger"), tone="due" if total else ""),
            Figure(_("待拨付金额（万元）"), f"{total}"),
        ),
        more_url=reverse("factors:ledger"),
        more_label=_("奖补台账"),
        order=40,
    )


def _factors(user: User, today: dt.date) -> Card:
    short = [line for line in selectors.land_plan(user, today.year) if line.shortfall_mu > 0]
    compliance = selectors.price_compliance(user)
    waiting = selectors.ledger_entries(user).filter(status=LedgerStatus.APPROVED).count()
    overview = selectors.overview(user, today)
    plan_url = f"{reverse('factors:land_plan')}?year={today.year}"
    return Card(
        key="factors",
        app="factors",
        title=_("要素保障"),
        figures=(
            Figure(_("用地计划缺口的区"), len(short), url=plan_url, tone="late" if short else ""),
            Figure(_("低于70%下限的供地"), compliance.below_floor, url=f"{reverse('factors:land')}?flagged=1"),
            Figure(_("待拨付奖补"), waiting, url=reverse("factors:ledger"), tone="due" if waiting else ""),
            Figure(_("超期议定事项"), overview.decisions_overdue, tone="late" if overview.decisions_overdue else ""),
        ),
        items=[
            CardItem(
                label=line.district_name,
                url=plan_url,
                note=_("%(year)s年用地计划缺口%(mu)s亩") % {"year": today.year, "mu": line.shortfall_mu},
                tone="late",
            )
            for line in short[:ITEMS]
        ],
        empty=_("本年度用地计划可满足签约项目的用地需求"),
        more_url=reverse("factors:overview"),
        more_label=_("要素保障概览"),
        order=45,
    )
