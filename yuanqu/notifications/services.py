"""Writes of the notification centre, and the senders. Apps send through `notification_send` (inside
their own transaction); the email and webhook deliveries it plans are handed to the worker
(yuanqu.notifications.tasks) only after that transaction commits, so a failing or slow channel never
fails or holds the request that caused it: a failed delivery waits with
an exponential backoff for `deliveries_send` (the retry sweep, `yuanqu notifications_retry`), and
after `NOTIFY_MAX_ATTEMPTS` it lands on the dead-letter list, from which a city administrator resends
(`deliveries_resend`). Claiming a delivery is race-free, so several processes may run the sweep."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import is_city_admin
from yuanqu.notifications import webhook
from yuanqu.notifications.models import Channel, ChannelPreference, Delivery, Notification

log = logging.getLogger(__name__)

ERR_RESEND_FORBIDDEN = gettext_noop("只有市级管理员或系统管理员可以重发失败的通知")
ERR_KIND_UNKNOWN = gettext_noop("未知的通知类型：%(kind)s")
ERR_NOTHING_TO_RESEND = gettext_noop("所选通知均不在发送失败列表中")

# A delivery being sent holds its row this long; a process killed mid-send leaves it to the sweep.
LEASE = dt.timedelta(minutes=5)
TITLE_LIMIT = 300
BODY_LIMIT = 2000

# Kinds of event, code → Chinese label, registered by the apps that send them (preferences page).
_KINDS: dict[str, str] = {}


def kinds_register(labels: Mapping[str, str]) -> None:
    _KINDS.update(labels)


def kinds() -> dict[str, str]:
    return dict(_KINDS)


# ── sending ──────────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def notification_send(
    *,
    recipients: Iterable[User | None],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    exclude: User | None = None,
    at: dt.datetime | None = None,
    build: Callable[..., Notification] | None = None,
    key: str | None = None,
) -> list[Notification]:
    """One notice per distinct active recipient (never `exclude`, the person who acted), and the
    deliveries each recipient's channels ask for. `build` makes the row (a subclass that carries the
    sender's own subject); it gets the notice's fields as keywords. With `key` (one recipient only) a
    notice already sent under that key is not sent again, also when two processes race."""
    created_at = at or timezone.now()
    fields: dict[str, Any] = {
        "kind": kind[:40],
        "title": title[:TITLE_LIMIT],
        "body": body[:BODY_LIMIT],
        "link": link[:300],
        "created_at": created_at,
    }
    seen: set[int] = set()
    users: list[User] = []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        if exclude is not None and user.pk == exclude.pk:
            continue
        seen.add(user.pk)
        users.append(user)
    if not users:
        return []
    if key is not None:
        if len(users) != 1:
            raise ValueError("a keyed notice has one recipient")
        return _send_once(users[0], {**fields, "key": key[:100]})
    if build is None:
        rows = Notification.objects.bulk_create([Notification(recipient=user, **fields) for user in users])
    else:
        rows = []
        for user in users:
            row = build(recipient=user, **fields)
            row.save(force_insert=True)
            rows.append(row)
    deliveries_plan(notifications=rows)
    return rows


def _send_once(user: User, fields: dict[str, Any]) -> list[Notification]:
    if Notification.objects.filter(key=fields["key"]).exists():
        return []
    try:
        with transaction.atomic():
            row = Notification.objects.create(recipient=user, **fields)
    except IntegrityError:  # another process sent it a moment ago
        return []
    deliveries_plan(notifications=[row])
    return [row]


def _wanted(notifications: Sequence[Notification]) -> dict[tuple[int, str], ChannelPreference]:
    pairs = Q()
    for row in notifications:
        pairs |= Q(user_id=row.recipient_id, kind=row.kind)
    return {(pref.user_id, pref.kind): pref for pref in ChannelPreference.objects.filter(pairs)}


def deliveries_plan(*, notifications: Sequence[Notification]) -> list[Delivery]:
    """The email and webhook deliveries of new notices, sent after the transaction commits."""
    if not notifications:
        return []
    preferences = _wanted(notifications)
    now = timezone.now()
    planned: list[Delivery] = []
    for row in notifications:
        preference = preferences.get((row.recipient_id, row.kind))
        wants_email = preference.by_email if preference is not None else True
        wants_webhook = preference.by_webhook if preference is not None else False
        if wants_email and row.recipient.email:
            planned.append(Delivery(notification=row, channel=Channel.EMAIL, created_at=now, next_attempt_at=now))
        if wants_webhook and settings.NOTIFY_WEBHOOK_URL:
            planned.append(Delivery(notification=row, channel=Channel.WEBHOOK, created_at=now, next_attempt_at=now))
    if not planned:
        return []
    created = Delivery.objects.bulk_create(planned)
    ids = [delivery.pk for delivery in created]
    transaction.on_commit(lambda: _queue_sending(ids))
    return created


def _queue_sending(ids: list[int]) -> None:
    """Hand the deliveries' first attempt to the worker. A queue that cannot be reached leaves them
    due for the retry sweep: the request that caused the notice has committed and must not fail now."""
    from yuanqu.notifications.tasks import deliveries_send_task

    try:
        deliveries_send_task.enqueue(ids)
    except Exception:
        log.exception("notification deliveries %s could not be queued; the retry sweep takes them over", ids)


@dataclass
class SendResult:
    sent: int = 0
    retrying: int = 0
    dead: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _due(now: dt.datetime) -> QuerySet[Delivery]:
    return Delivery.objects.filter(
        status__in=(Delivery.Status.PENDING, Delivery.Status.SENDING), next_attempt_at__lte=now
    )


def _claim(candidates: QuerySet[Delivery], now: dt.datetime, limit: int) -> list[int]:
    """Take due deliveries for this process: rows another process holds are skipped (PostgreSQL:
    `FOR UPDATE SKIP LOCKED`), and the take itself is a conditional update, so on SQLite too a row
    goes to one process only. Taking sets a lease and counts the attempt."""
    lease_until = now + LEASE
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            rows = list(
                candidates.select_for_update(skip_locked=True)
                .order_by("next_attempt_at", "id")
                .values_list("pk", "attempts")[:limit]
            )
            claimed = []
            for pk, attempts in rows:
                Delivery.objects.filter(pk=pk).update(
                    status=Delivery.Status.SENDING, attempts=attempts + 1, next_attempt_at=lease_until
                )
                claimed.append(pk)
            return claimed
    claimed = []
    for pk, status, attempts, due in candidates.order_by("next_attempt_at", "id").values_list(
        "pk", "status", "attempts", "next_attempt_at"
    )[:limit]:
        taken = Delivery.objects.filter(pk=pk, status=status, attempts=attempts, next_attempt_at=due).update(
            status=Delivery.Status.SENDING, attempts=attempts + 1, next_attempt_at=lease_until
        )
        if taken:
            claimed.append(pk)
    return claimed


def deliveries_send(
    *, ids: Sequence[int] | None = None, now: dt.datetime | None = None, limit: int = 500
) -> SendResult:
    """Send what is due (the given deliveries, or every due one): the retry sweep. Idempotent; safe
    to run from several processes at once."""
    now = now or timezone.now()
    candidates = _due(now)
    if ids is not None:
        candidates = candidates.filter(pk__in=ids)
    result = SendResult()
    claimed = _claim(candidates, now, limit)
    for delivery in Delivery.objects.filter(pk__in=claimed).select_related("notification__recipient"):
        status = _attempt(delivery, now)
        if status == Delivery.Status.SENT:
            result.sent += 1
        elif status == Delivery.Status.DEAD:
            result.dead += 1
        else:
            result.retrying += 1
    return result


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the given number of failed attempts: base, 2×base, 4×base …, at most a day."""
    seconds = settings.NOTIFY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, 86400))


def _attempt(delivery: Delivery, now: dt.datetime) -> str:
    try:
        if delivery.channel == Channel.EMAIL:
            _send_email(delivery)
        else:
            _send_webhook(delivery, now)
    except Exception as exc:  # each channel's own failure; it is recorded, retried, never raised
        error = str(exc)[:300] or type(exc).__name__
        if delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            status, due = Delivery.Status.DEAD, None
        else:
            status, due = Delivery.Status.PENDING, timezone.now() + backoff(delivery.attempts)
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=status, next_attempt_at=due, last_error=error
        )
        log.warning("notification delivery %s (%s) failed: %s", delivery.pk, delivery.channel, error)
        return status
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )
    return Delivery.Status.SENT


def _send_email(delivery: Delivery) -> None:
    notice = delivery.notification
    address = notice.recipient.email
    if not address:
        raise ValueError("接收人没有邮箱地址")
    text = notice.body or notice.title
    if notice.link:
        text = f"{text}\n\n{notice.link}"
    message = EmailMessage(
        subject=f"【园区平台】{notice.title}"[:200],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    get_connection(fail_silently=False).send_messages([message])


def webhook_payload(delivery: Delivery) -> dict[str, Any]:
    """What the gateway receives. The recipient is named by account: the gateway maps it to a mobile
    number or a 政务微信 user."""
    notice = delivery.notification
    return {
        "delivery": delivery.pk,
        "notification": notice.pk,
        "kind": notice.kind,
        "title": notice.title,
        "body": notice.body,
        "link": notice.link,
        "created_at": notice.created_at.isoformat(),
        "recipient": {"username": notice.recipient.username, "name": str(notice.recipient)},
    }


def _send_webhook(delivery: Delivery, now: dt.datetime) -> None:
    url = settings.NOTIFY_WEBHOOK_URL
    if not url:
        raise ValueError("未配置短信/政务微信网关地址")
    webhook.post(
        url=url,
        secret=settings.NOTIFY_WEBHOOK_SECRET,
        body=webhook.encode(webhook_payload(delivery)),
        timestamp=int(timezone.now().timestamp()),
        delivery_id=delivery.pk,
        timeout=settings.NOTIFY_WEBHOOK_TIMEOUT_SECONDS,
    )


@transaction.atomic
def deliveries_resend(*, actor: User, ids: Sequence[int]) -> int:
    """Put dead-letter deliveries back in the queue, with a fresh count of attempts; audited."""
    if not is_city_admin(actor):
        raise PermissionDenied(ERR_RESEND_FORBIDDEN)
    rows = list(Delivery.objects.select_for_update().filter(pk__in=ids, status=Delivery.Status.DEAD))
    if not rows:
        raise ValidationError(gettext(ERR_NOTHING_TO_RESEND))
    now = timezone.now()
    for row in rows:
        before = snapshot(row, ["status", "attempts", "last_error"])
        row.status, row.attempts, row.next_attempt_at = Delivery.Status.PENDING, 0, now
        row.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit_record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            obj=row,
            before=before,
            after=snapshot(row, ["status", "attempts", "last_error"]),
            detail="重发失败的通知",
        )
    resent = [row.pk for row in rows]
    transaction.on_commit(lambda: _queue_sending(resent))
    return len(rows)


# ── the reader's own writes ─────────────────────────────────────────────────────────────────


def notifications_mark_read(*, user: User, ids: Sequence[int] | None = None, at: dt.datetime | None = None) -> int:
    """Mark the user's own unread notices read (all of them without `ids`). Not audited: a user's
    own notices are neither sensitive nor shared."""
    rows = Notification.objects.visible_to(user).unread()
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return int(rows.update(read_at=at or timezone.now()))


@transaction.atomic
def preference_set(*, actor: User, kind: str, email: bool, webhook: bool) -> ChannelPreference:
    """The channels the actor wants for one kind of event; audited."""
    if kind not in _KINDS:
        raise ValidationError(gettext(ERR_KIND_UNKNOWN) % {"kind": kind[:40]})
    preference, created = ChannelPreference.objects.select_for_update().get_or_create(
        user=actor, kind=kind, defaults={"by_email": email, "by_webhook": webhook}
    )
    before = None if created else snapshot(preference)
    if not created:
        if (preference.by_email, preference.by_webhook) == (email, webhook):
            return preference
        preference.by_email, preference.by_webhook = email, webhook
        preference.save(update_fields=["by_email", "by_webhook"])
    audit_record(
        actor=actor,
        action=AuditLog.Action.CREATE if created else AuditLog.Action.UPDATE,
        obj=preference,
        before=before,
        after=snapshot(preference),
        detail="通知渠道设置",
    )
    return preference
