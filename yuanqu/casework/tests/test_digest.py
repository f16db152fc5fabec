"""The daily digest: a handler hears once a day about the cases due soon and overdue; a re-run the
same day sends nothing; casework's notices reach the notification centre with their case."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from yuanqu.casework import notify
from yuanqu.casework.models import Case, Notification
from yuanqu.casework.tests.conftest import CaseWorld
from yuanqu.notifications import selectors as centre
from yuanqu.notifications.models import Notification as CentreNotification


def test_it_sends_each_handler_one_digest_a_day(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.IN_PROGRESS)
    assert case.deadline is not None
    handler = cw.user("handler")
    assert notify.digest_send(today=case.deadline - dt.timedelta(days=10)) == 0  # nothing due yet
    handlers = {user for user in (cw.user("handler"), cw.user("handler_2")) if Case.objects.visible_to(user).exists()}
    assert notify.digest_send(today=case.deadline - dt.timedelta(days=1)) == len(handlers) >= 1
    assert notify.digest_send(today=case.deadline - dt.timedelta(days=1)) == 0
    call_command("casework_digest", date=case.deadline + dt.timedelta(days=2))
    call_command("casework_digest", date=case.deadline + dt.timedelta(days=2))
    digests = list(CentreNotification.objects.filter(recipient=handler, kind="digest").order_by("created_at", "pk"))
    assert len(digests) == 2
    assert "0 件已超期，1 件将到期" in digests[0].title and case.number in digests[0].body
    assert "1 件已超期，0 件将到期" in digests[1].title and "已超期" in digests[1].body


def test_casework_notices_are_in_the_centre_with_their_case(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.ACCEPTED)
    firm = cw.user("enterprise")
    (note,) = centre.notifications_for(firm)
    assert note.kind == "accepted" and note.link == f"/casework/{case.number}/"
    assert Notification.objects.get(pk=note.pk).case == case
    assert notify.unread_count(firm) == 1 and notify.notifications_mark_read(user=firm) == 1
    assert centre.unread_count(firm) == 0
