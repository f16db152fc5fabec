"""人才直通车's cards on the 工作台 (core.workbench): for a firm, the people who accepted its interest
and wait for an outcome, the 揭榜挂帅 teams waiting to be selected and the 专项招聘 events it takes
part in; for the organisers of 专项招聘 events (park, district, city), the events held whose
figures are not yet recorded. A card appears only when it has something to show."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from yuanqu.core.models import User
from yuanqu.core.permissions import is_talent_event_organiser
from yuanqu.core.roles import Role
from yuanqu.core.workbench import Card, CardItem, Figure
from yuanqu.talent.models import Challenge, ChallengeTeam, Interest, RecruitmentEvent

ITEMS = 8


def cards(user: User, today: dt.date) -> list[Card]:
    found: Card | None = None
    if user.role == Role.ENTERPRISE and user.enterprise_id is not None:
        found = _firm(user, today)
    elif is_talent_event_organiser(user):
        found = _organiser(user, today)
    return [found] if found is not None else []


def _firm(user: User, today: dt.date) -> Card | None:
    waiting = list(
        Interest.objects.visible_to(user)
        .filter(status=Interest.Status.ACCEPTED, outcome="", profile__isnull=False)
        .select_related("opening")
        .order_by("decided_at", "id")
    )
    teams = list(
        ChallengeTeam.objects.visible_to(user)
        .filter(status=ChallengeTeam.Status.APPLIED, challenge__status=Challenge.Status.OPEN)
        .select_related("challenge")
        .order_by("applied_at", "id")
    )
    events = list(
        RecruitmentEvent.objects.visible_to(user)
        .filter(firms=user.enterprise_id, ends_on__gte=today)
        .order_by("starts_on", "id")
    )
    if not (waiting or teams or events):
        return None
    items = [
        CardItem(
            label=_("岗位“%(title)s”") % {"title": row.opening.title},
            url=reverse("talent:opening", args=[row.opening_id]),
            note=_("对方已接受意向，请反馈面试或录用结果"),
            tone="due",
        )
        for row in waiting
    ]
    items += [
        CardItem(
            label=_("榜单“%(title)s”") % {"title": team.challenge.title},
            url=reverse("talent:challenge", args=[team.challenge_id]),
            note=_("有团队揭榜，待选定"),
            tone="due",
        )
        for team in teams
    ]
    items += [
        CardItem(
            label=event.title,
            url=reverse("talent:event", args=[event.pk]),
            note=_("%(day)s 开始") % {"day": event.starts_on.isoformat()},
        )
        for event in events
    ]
    return Card(
        key="talent-firm",
        app="talent",
        title=_("人才直通车"),
        figures=(
            Figure(_("待反馈结果"), len(waiting), tone="due" if waiting else ""),
            Figure(_("待选定的揭榜团队"), len(teams), tone="due" if teams else ""),
            Figure(_("参加的专项招聘"), len(events)),
        ),
        items=items[:ITEMS],
        more_url=reverse("talent:home"),
        more_label=_("人才直通车"),
        order=40,
    )


def _organiser(user: User, today: dt.date) -> Card | None:
    held = list(
        RecruitmentEvent.objects.visible_to(user)
        .filter(starts_on__lte=today, outcome_at__isnull=True)
        .select_related("park")
        .order_by("starts_on", "id")
    )
    if not held:
        return None
    return Card(
        key="talent-events",
        app="talent",
        title=_("专项招聘：待记录结果"),
        figures=(Figure(_("待记录结果的活动"), len(held), tone="due"),),
        items=[
            CardItem(
                label=event.title,
                url=reverse("talent:event", args=[event.pk]),
                note=_("%(park)s，%(day)s 开始") % {"park": event.park.name, "day": event.starts_on.isoformat()},
                tone="late" if event.ends_on < today else "due",
            )
            for event in held[:ITEMS]
        ],
        more_url=reverse("talent:events"),
        more_label=_("专项招聘"),
        order=40,
    )
