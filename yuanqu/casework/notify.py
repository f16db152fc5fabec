"""Casework's side of the notification centre (`yuanqu.notifications`): who hears about a case
(enterprise users, unit handlers, supervisors, park staff), `notify` — the centre's in-app notice
with the case attached, and the channels each recipient chose (email, webhook) after the transaction
commits — the reads and the mark-read that casework's own page and API show, and the daily digest of
due and overdue cases to each handler (`yuanqu casework_digest`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.casework.models import Case, Notification
from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.notifications import selectors as centre_selectors
from yuanqu.notifications import services as centre

# The kinds of event casework sends, for the centre's channel settings (stored text stays Chinese).
KINDS = {
    "submitted": gettext_noop("诉求：新提交"),
    "accepted": gettext_noop("诉求：已受理"),
    "rejected": gettext_noop("诉求：不予受理"),
    "notice": gettext_noop("诉求：补正通知"),
    "supplemented": gettext_noop("诉求：已补正"),
    "assigned": gettext_noop("诉求：交办"),
    "transferred": gettext_noop("诉求：转办"),
    "replied": gettext_noop("诉求：已答复"),
    "dissatisfied": gettext_noop("诉求：不满意"),
    "appeal_decided": gettext_noop("诉求：申诉处理结果"),
    "approval": gettext_noop("诉求：待审批"),
    "approval_decided": gettext_noop("诉求：审批结果"),
    "withdrawn": gettext_noop("诉求：已撤回"),
    "remind": gettext_noop("诉求：催办"),
    "comment": gettext_noop("诉求：新留言"),
    "handover": gettext_noop("诉求：首问负责人变更"),
    "response": gettext_noop("诉求：受理提醒"),
    "deadline": gettext_noop("诉求：到期提醒"),
    "escalation": gettext_noop("诉求：超期上报"),
    "follow_up": gettext_noop("诉求：回访提醒"),
    "digest": gettext_noop("诉求：每日待办汇总"),
}
centre.kinds_register(KINDS)

# The daily digest lists cases whose deadline falls within this many days (and every overdue one).
DIGEST_AHEAD_DAYS = 3
DIGEST_LINES = 20


def enterprise_users(case: Case) -> list[User]:
    if case.enterprise_id is None:
        return []
    return list(User.objects.filter(is_active=True, role=Role.ENTERPRISE, enterprise_id=case.enterprise_id))


def unit_handlers(*unit_ids: int | None) -> list[User]:
    ids = [unit_id for unit_id in unit_ids if unit_id is not None]
    if not ids:
        return []
    return list(User.objects.filter(is_active=True, role=Role.HANDLER, unit_id__in=ids))


def supervisors(case: Case) -> list[User]:
    return list(
        User.objects.filter(is_active=True).filter(
            Q(role=Role.CITY_ADMIN) | Q(role=Role.DISTRICT, district_id=case.district_id)
        )
    )


def park_staff(case: Case) -> list[User]:
    if case.park_id is None:
        return []
    return list(User.objects.filter(is_active=True, role=Role.PARK_OPERATOR, park_id=case.park_id))


def case_link(case: Case) -> str:
    return reverse("casework:case_detail", args=[case.number])


def notify(
    recipients: Iterable[User | None], *, case: Case | None, kind: str, text: str, exclude: User | None = None
) -> list[Notification]:
    """One notice per distinct recipient (never the person who acted), with the case attached."""

    def build(**fields: Any) -> Notification:
        return Notification(case=case, **fields)

    rows = centre.notification_send(
        recipients=recipients,
        kind=kind,
        title=text,
        link=case_link(case) if case is not None else "",
        exclude=exclude,
        at=clock.now(),
        build=build,
    )
    return [row for row in rows if isinstance(row, Notification)]


def notifications_for(user: User) -> QuerySet[Notification]:
    """The user's casework notices (the centre lists them with every other notice); casework's page
    and API read them here (`selectors.notifications_for`)."""
    return Notification.objects.visible_to(user).select_related("case")


def unread_count(user: User) -> int:
    """The user's unread casework notices (counted with the centre's, and kept with them per user)."""
    return centre_selectors.unread_count_of(user, Notification)


def notifications_mark_read(*, user: User, ids: Sequence[int] | None = None) -> int:
    """Mark the user's own unread casework notices read (all of them without `ids`); notices of
    other apps stay as they are (the centre's inbox marks those). Not audited, like the centre's."""
    rows = Notification.objects.visible_to(user).unread()
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return int(rows.update(read_at=clock.now()))


# ── the daily digest ─────────────────────────────────────────────────────────────────────────


def _digest_lines(cases: Iterable[Case], today: dt.date) -> tuple[int, int, list[str]]:
    overdue = due = 0
    lines: list[str] = []
    for case in cases:
        late = case.deadline is not None and case.deadline < today
        overdue += late
        due += not late
        state = "已超期" if late else "将到期"
        if len(lines) < DIGEST_LINES:
            lines.append(f"{case.number} {case.title}（办理期限 {case.deadline:%Y-%m-%d}，{state}）")
    return overdue, due, lines


def digest_send(*, today: dt.date | None = None) -> int:
    """Each active handler with open cases due within DIGEST_AHEAD_DAYS or overdue gets one notice
    listing them; at most one per handler and day, however often it runs. Returns notices sent."""
    today = today or clock.today()
    horizon = today + dt.timedelta(days=DIGEST_AHEAD_DAYS)
    sent = 0
    for handler in User.objects.filter(is_active=True, role=Role.HANDLER).order_by("pk"):
        cases = (
            Case.objects.visible_to(handler)
            .filter(status__in=Case.CLOCK_STATUSES, paused_since__isnull=True, deadline__lte=horizon)
            .order_by("deadline", "number")
        )
        overdue, due, lines = _digest_lines(cases, today)
        if not lines:
            continue
        title = f"待办诉求日报（{today:%Y-%m-%d}）：{overdue} 件已超期，{due} 件将到期"
        more = overdue + due - len(lines)
        body = "\n".join(lines) + (f"\n另有 {more} 件，见诉求列表。" if more > 0 else "")
        sent += len(
            centre.notification_send(
                recipients=[handler],
                kind="digest",
                title=title,
                body=body,
                link=reverse("casework:queue"),
                at=clock.now(),
                key=f"casework-digest:{today.isoformat()}:{handler.pk}",
            )
        )
    return sent
