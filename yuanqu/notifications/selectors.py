"""Reads of the notification centre, always the user's own (`Notification.objects.visible_to`); the
dead-letter list for the city administrators."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from yuanqu.core.models import User
from yuanqu.core.permissions import is_city_admin
from yuanqu.notifications.models import ChannelPreference, Delivery, Notification
from yuanqu.notifications.services import kinds


def notifications_for(user: User) -> QuerySet[Notification]:
    """The user's notices, unread first, newest first within each."""
    return Notification.objects.visible_to(user).unread_first()


def unread_count(user: User) -> int:
    return int(Notification.objects.visible_to(user).unread().count())


@dataclass(frozen=True)
class PreferenceRow:
    kind: str
    label: str
    email: bool
    webhook: bool


def preferences_for(user: User) -> list[PreferenceRow]:
    """Every registered kind of event with the user's channels (the defaults where none is set)."""
    stored = {pref.kind: pref for pref in ChannelPreference.objects.filter(user=user)}
    rows = []
    for kind, label in sorted(kinds().items()):
        pref = stored.get(kind)
        rows.append(PreferenceRow(kind, label, pref.by_email if pref else True, pref.by_webhook if pref else False))
    return rows


def dead_letters(user: User) -> QuerySet[Delivery]:
    """Deliveries that used up their attempts; the city administrators' list, nobody else's."""
    if not is_city_admin(user):
        return Delivery.objects.none()
    return Delivery.objects.filter(status=Delivery.Status.DEAD).select_related("notification__recipient")
