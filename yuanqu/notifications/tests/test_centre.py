"""The notification centre as a user sees it: only their own notices, unread first, marked read one
by one or all at once, the unread count in the header, the API's page and mark-read, and the channel
settings (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import World
from yuanqu.core.audit import mask_personal
from yuanqu.core.models import AuditLog
from yuanqu.jobs.testing import run_queued_tasks
from yuanqu.notifications import selectors, services
from yuanqu.notifications.models import ChannelPreference, Notification

pytestmark = pytest.mark.django_db

KIND = "test_event"
services.kinds_register({KIND: "测试事件"})


def _notes(world: World) -> list[Notification]:
    base = timezone.now()
    rows = []
    for n, persona in enumerate(["enterprise", "enterprise", "enterprise", "handler"]):
        rows += services.notification_send(
            recipients=[world.users[persona]], kind=KIND, title=f"通知{n}", at=base + dt.timedelta(minutes=n)
        )
    return rows


def test_it_shows_a_user_only_their_own_notices_unread_first(world: World) -> None:
    first, second, third, _other = _notes(world)
    services.notifications_mark_read(user=world.users["enterprise"], ids=[third.pk])
    assert list(selectors.notifications_for(world.users["enterprise"])) == [second, first, third]
    assert list(Notification.objects.visible_to(world.users["city_admin"])) == []
    page = world.client("enterprise").get("/notifications/").content.decode()
    assert "通知0" in page and "通知3" not in page


def test_it_marks_one_and_then_all_read_and_never_anyone_elses(world: World) -> None:
    first, _second, _third, other = _notes(world)
    client = world.client("enterprise")
    assert 'data-testid="unread-notifications">3<' in client.get("/notifications/").content.decode()
    assert client.post("/notifications/", {"id": [first.pk, other.pk]}, HTTP_HX_REQUEST="true").content == b""
    other.refresh_from_db()
    assert other.read_at is None and selectors.unread_count(world.users["enterprise"]) == 2
    client.post("/notifications/")
    assert selectors.unread_count(world.users["enterprise"]) == 0
    assert 'data-testid="unread-notifications"' not in client.get("/notifications/").content.decode()
    assert selectors.unread_count(world.users["handler"]) == 1


def test_the_page_refuses_ids_that_are_not_numbers(world: World) -> None:
    _notes(world)
    response = world.client("enterprise").post("/notifications/", {"id": ["x"]}, follow=True)
    assert "编号须为正整数" in response.content.decode()
    assert selectors.unread_count(world.users["enterprise"]) == 3


def test_the_api_lists_the_callers_notices_a_page_at_a_time_and_marks_them_read(world: World) -> None:
    first, _second, _third, other = _notes(world)
    client = world.client("enterprise")
    body = client.get("/api/v1/notifications/?page_size=2").json()
    assert body["count"] == 3 and body["page_size"] == 2
    assert [item["title"] for item in body["items"]] == ["通知2", "通知1"]
    assert client.get("/api/v1/notifications/unread").json() == {"unread": 3}
    answer = client.post("/api/v1/notifications/read", {"ids": [first.pk, other.pk]}, content_type="application/json")
    assert answer.json() == {"updated": 1}
    assert client.post("/api/v1/notifications/read", {}, content_type="application/json").json() == {"updated": 2}
    bad = client.post("/api/v1/notifications/read", {"ids": [0]}, content_type="application/json")
    assert bad.status_code == 422 and set(bad.json()) >= {"detail", "code", "errors"}
    assert world.client("anonymous").get("/api/v1/notifications/").status_code == 401


def test_a_user_chooses_channels_per_kind_and_the_change_is_audited(world: World) -> None:
    client = world.client("handler")
    assert "测试事件" in client.get("/notifications/settings/").content.decode()
    client.post("/notifications/settings/", {"kind": KIND, "webhook": "on"})
    preference = ChannelPreference.objects.get(user=world.users["handler"], kind=KIND)
    assert (preference.by_email, preference.by_webhook) == (False, True)
    entry = AuditLog.objects.get(object_type="notifications.ChannelPreference")
    assert entry.after is not None and entry.after["by_webhook"] is True and entry.actor == world.users["handler"]
    assert mask_personal(entry.after)["by_webhook"] is True  # not taken for personal data when read
    client.post("/notifications/settings/", {"kind": KIND, "webhook": "on"})  # no change, no entry
    assert AuditLog.objects.filter(object_type="notifications.ChannelPreference").count() == 1


def test_an_unknown_kind_is_refused(world: World) -> None:
    response = world.client("handler").post("/notifications/settings/", {"kind": "nope", "email": "on"}, follow=True)
    assert "未知的通知类型：nope" in response.content.decode()
    assert not ChannelPreference.objects.exists()


def test_email_follows_the_users_choice_and_leaves_after_commit(
    world: World, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    handler, firm = world.users["handler"], world.users["enterprise"]
    for user in (handler, firm):
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    services.preference_set(actor=handler, kind=KIND, email=False, webhook=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notification_send(recipients=[handler, firm], kind=KIND, title="有新事项")
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert mailoutbox == []  # queued for the worker after commit, never sent by the sender itself
    run_queued_tasks()
    assert [message.to for message in mailoutbox] == [["t-ent-e1@example.com"]]


def test_a_mail_server_outage_does_not_fail_the_sender(
    world: World, settings: Settings, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    settings.EMAIL_BACKEND = "yuanqu.notifications.tests.test_centre.BrokenBackend"
    firm = world.users["enterprise"]
    firm.email = "firm@example.com"
    firm.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = services.notification_send(recipients=[firm], kind=KIND, title="有新事项")
    run_queued_tasks()
    delivery = note.deliveries.get()
    assert delivery.status == "pending" and "connection refused" in delivery.last_error


def test_a_keyed_notice_is_sent_once(world: World) -> None:
    user = world.users["handler"]
    assert len(services.notification_send(recipients=[user], kind=KIND, title="日报", key="k:1")) == 1
    assert services.notification_send(recipients=[user], kind=KIND, title="日报", key="k:1") == []
    assert Notification.objects.filter(key="k:1").count() == 1


class BrokenBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("connection refused")


def test_the_pages_speak_english_when_chosen(world: World) -> None:
    from django.utils import translation

    _notes(world)
    client = world.client("city_admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/notifications/"})
    try:
        inbox = client.get("/notifications/").content.decode()
        settings_page = client.get("/notifications/settings/").content.decode()
        failed = client.get("/notifications/failed/").content.decode()
    finally:
        translation.deactivate()
    assert "My notifications" in inbox and "Mark all as read" in inbox
    assert "Kind of event" in settings_page and "SMS / WeCom (Government)" in settings_page
    assert "No failed notifications" in failed


def test_the_failed_list_names_what_is_wrong_with_a_resend(world: World) -> None:
    """The page's posts go through the one page-post path: an id that is not a number is named as
    such, an empty choice asks for one, and a service refusal reads in the page's language."""
    from django.utils import translation

    client = world.client("city_admin")

    def resend(ids: list[str]) -> str:
        return client.post("/notifications/failed/", {"id": ids}, follow=True).content.decode()

    assert "编号须为正整数" in resend(["x"])
    assert "请选择要重发的通知" in resend([])
    assert "所选通知均不在发送失败列表中" in resend(["1"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/notifications/"})
    try:
        refused = client.post("/notifications/settings/", {"kind": "nope"}, follow=True).content.decode()
    finally:
        translation.deactivate()
    assert "Unknown kind of notification: nope" in refused
