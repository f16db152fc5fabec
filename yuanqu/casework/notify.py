"""Notifications: in-app rows for each recipient, and the same text by email (Django's email
backend; the console backend in demo and debug) after the transaction commits."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q

from yuanqu.casework import clock
from yuanqu.casework.models import Case, Notification
from yuanqu.core.models import User
from yuanqu.core.roles import Role

log = logging.getLogger(__name__)


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


def notify(
    recipients: Iterable[User | None], *, case: Case | None, kind: str, text: str, exclude: User | None = None
) -> list[Notification]:
    """One notification per distinct recipient (never the person who acted)."""
    seen: set[int] = set()
    rows: list[Notification] = []
    at = clock.now()
    for user in recipients:
        if user is None or user.pk in seen or (exclude is not None and user.pk == exclude.pk):
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, case=case, kind=kind, text=text[:300], created_at=at))
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    emails = [(row.pk, row.recipient.email) for row in created if row.recipient.email]
    if emails:
        subject = f"【园区平台·啄木鸟】{case.number if case else ''}"
        transaction.on_commit(lambda: _send(emails, subject, text))
    return created


def _send(emails: list[tuple[int, str]], subject: str, text: str) -> None:
    messages = [
        EmailMessage(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[address])
        for _, address in emails
    ]
    try:
        get_connection().send_messages(messages)
    except Exception:  # a mail server outage must not fail the request that caused it
        log.exception("casework notification email failed")
        return
    Notification.objects.filter(pk__in=[pk for pk, _ in emails]).update(emailed_at=clock.now())
