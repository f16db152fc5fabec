"""Reads of the notification centre, always the user's own (`Notification.objects.visible_to`); the
dead-letter list for the city administrators; the unread counts every page's header shows.

The unread counts (the header's, and a sender's own, such as casework's badge) are one plain
statement for all of them, kept in the read cache per user (`core.readcache.personal_value`) under
a stamp that every write to the user's notices sets anew (`NoticeQuerySet`, and the signals of
`NotificationsConfig.ready`): a signed-in page reads them with the user, without a query of its own,
and a notice sent or read shows on the next request."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import connections, router
from django.db.models import Model, QuerySet

from yuanqu.core.access import active_user
from yuanqu.core.models import User
from yuanqu.core.permissions import is_city_admin
from yuanqu.core.readcache import personal_value
from yuanqu.notifications.models import ChannelPreference, Delivery, Notification
from yuanqu.notifications.services import kinds


def notifications_for(user: User) -> QuerySet[Notification]:
    """The user's notices, unread first, newest first within each."""
    return Notification.objects.visible_to(user).unread_first()


UNREAD_COUNTS = "notifications.unread"


def unread_count(user: User | AnonymousUser | None) -> int:
    """The user's unread notices, of every kind."""
    return unread_count_of(user, Notification)


def unread_count_of(user: User | AnonymousUser | None, model: type[Notification]) -> int:
    """The user's unread notices that are rows of `model`: `Notification` for all of them, or a
    sender's subclass (casework's notices)."""
    member = active_user(user)
    if member is None:
        return 0
    counts = personal_value(member.pk, UNREAD_COUNTS, lambda: unread_counts_read(member.pk))
    return int(counts.get(model._meta.label_lower, 0))


@cache
def notice_subclasses() -> tuple[type[Model], ...]:
    """The senders' tables under the centre's (a subclass of `Notification` whose key is the link to
    its notice), in a fixed order; the models are fixed once the apps are loaded, so found once."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, Notification)
        and model is not Notification
        and not model._meta.proxy
        and model._meta.pk is not None
        and getattr(model._meta.pk.remote_field, "model", None) is Notification
    ]
    return tuple(sorted(found, key=lambda model: model._meta.label_lower))


def unread_counts_read(user_id: int) -> dict[str, int]:
    """The user's unread notices from the database, by table: `{"notifications.notification": all,
    "casework.notification": casework's, …}`, in one statement."""
    subclasses = notice_subclasses()
    connection = connections[router.db_for_read(Notification)]
    quote = connection.ops.quote_name
    joins = "".join(
        f" LEFT OUTER JOIN {quote(model._meta.db_table)} t{index}"
        f" ON t{index}.{quote(model._meta.pk.column)} = n.{quote(Notification._meta.pk.column)}"  # type: ignore[union-attr]
        for index, model in enumerate(subclasses)
    )
    counted = "".join(
        f", COUNT(t{index}.{quote(model._meta.pk.column)})"  # type: ignore[union-attr]
        for index, model in enumerate(subclasses)
    )
    statement = (
        f"SELECT COUNT(*){counted} FROM {quote(Notification._meta.db_table)} n{joins}"  # noqa: S608 (quoted table and column names from the models)
        f" WHERE n.{quote(Notification._meta.get_field('recipient').column)} = %s"
        f" AND n.{quote(Notification._meta.get_field('read_at').column)} IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [user_id])
        row = cursor.fetchone()
    labels = [Notification._meta.label_lower, *(model._meta.label_lower for model in subclasses)]
    return {label: int(value) for label, value in zip(labels, row or (), strict=False)}


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
