"""The webhook channel against a local gateway: a signed body that verifies, a 500 retried after its
backoff, a dead letter after the last attempt, a resend by a city administrator (audited), and the
secret nowhere in the audit log or the delivery rows."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.jobs.testing import run_queued_tasks
from yuanqu.notifications import services, webhook
from yuanqu.notifications.models import Channel, ChannelPreference, Delivery
from yuanqu.notifications.tests.conftest import SECRET, Gateway

pytestmark = pytest.mark.django_db

KIND = "test_event"
services.kinds_register({KIND: "测试事件"})


def _send(world: World, capture: DjangoCaptureOnCommitCallbacks, persona: str = "handler") -> Delivery:
    user = world.users[persona]
    ChannelPreference.objects.create(user=user, kind=KIND, by_email=False, by_webhook=True)
    with capture(execute=True):
        services.notification_send(recipients=[user], kind=KIND, title="诉求 ZMN-1 已超期", body="请尽快办理")
    delivery = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 0)  # queued, not sent by the sender
    run_queued_tasks()  # the worker's first attempt
    delivery.refresh_from_db()
    return delivery


def test_it_posts_a_signed_body_that_verifies(
    world: World, gateway: Gateway, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    delivery = _send(world, django_capture_on_commit_callbacks)
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 1
    (headers, body) = gateway.requests[0]
    timestamp = int(headers[webhook.TIMESTAMP_HEADER])
    assert webhook.verify(body=body, secret=SECRET, timestamp=timestamp, header=headers[webhook.SIGNATURE_HEADER])
    assert not webhook.verify(
        body=body + b" ", secret=SECRET, timestamp=timestamp, header=headers[webhook.SIGNATURE_HEADER]
    )
    assert not webhook.verify(
        body=body, secret=SECRET, timestamp=timestamp + 1, header=headers[webhook.SIGNATURE_HEADER]
    )
    payload = json.loads(body)
    assert payload["title"] == "诉求 ZMN-1 已超期" and payload["recipient"]["username"] == "t-handler"
    assert headers[webhook.DELIVERY_HEADER] == str(delivery.pk)


def test_a_500_is_retried_after_its_backoff_and_then_succeeds(
    world: World, gateway: Gateway, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    gateway.statuses = [500]
    delivery = _send(world, django_capture_on_commit_callbacks)
    assert delivery.status == Delivery.Status.PENDING and delivery.last_error == "HTTP 500"
    assert delivery.next_attempt_at is not None
    assert delivery.next_attempt_at - timezone.now() > dt.timedelta(seconds=50)
    assert services.deliveries_send().sent == 0  # not due yet
    result = services.deliveries_send(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert result.sent == 1 and delivery.status == Delivery.Status.SENT and delivery.attempts == 2
    assert len(gateway.requests) == 2
    assert services.deliveries_send(now=delivery.created_at + dt.timedelta(days=2)).sent == 0  # nothing twice


def test_the_backoff_doubles() -> None:
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3)] == [60.0, 120.0, 240.0]


def test_it_lands_on_the_dead_letter_list_after_the_last_attempt_and_an_admin_resends(
    world: World, gateway: Gateway, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    gateway.statuses = [500, 503, 500]
    delivery = _send(world, django_capture_on_commit_callbacks)
    later = timezone.now() + dt.timedelta(days=1)
    assert services.deliveries_send(now=later).retrying == 1
    assert services.deliveries_send(now=later + dt.timedelta(days=1)).dead == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DEAD and delivery.attempts == 3
    assert services.deliveries_send(now=later + dt.timedelta(days=9)).sent == 0

    assert world.client("handler").get("/notifications/failed/").status_code == 403
    assert world.client("district_jiangxia").post("/notifications/failed/", {"id": delivery.pk}).status_code == 403
    admin = world.client("city_admin")
    assert "t-handler" in admin.get("/notifications/failed/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post("/notifications/failed/", {"id": delivery.pk})
    run_queued_tasks()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and len(gateway.requests) == 4
    entry = AuditLog.objects.get(object_type="notifications.Delivery")
    assert entry.actor == world.users["city_admin"] and entry.after == {
        "status": "pending",
        "attempts": 0,
        "last_error": "HTTP 500",
    }


def test_the_secret_is_neither_in_the_audit_log_nor_in_the_deliveries(
    world: World, gateway: Gateway, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    gateway.statuses = [500, 500, 500]
    delivery = _send(world, django_capture_on_commit_callbacks)
    for _ in range(2):
        services.deliveries_send(now=timezone.now() + dt.timedelta(days=3))
    services.deliveries_resend(actor=world.users["sysadmin"], ids=[delivery.pk])
    stored = json.dumps(list(Delivery.objects.values()), default=str) + json.dumps(
        list(AuditLog.objects.values("before", "after", "detail", "object_repr")), default=str
    )
    assert SECRET not in stored and "sha256=" not in stored


def test_a_delivery_is_taken_by_one_sweep_only(
    world: World, gateway: Gateway, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    gateway.statuses = [500]
    delivery = _send(world, django_capture_on_commit_callbacks)
    due = delivery.next_attempt_at
    assert due is not None
    first = services._claim(services._due(due), due, 10)
    second = services._claim(services._due(due), due, 10)
    assert first == [delivery.pk] and second == []
    # Held by the first sweep until its lease runs out; then another sweep may take it over.
    assert services.deliveries_send(now=due).sent == 0
    assert services.deliveries_send(now=due + services.LEASE + dt.timedelta(seconds=1)).sent == 1


def test_an_unreachable_gateway_never_fails_the_sender(
    world: World, settings: Settings, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    settings.NOTIFY_WEBHOOK_URL = "http://127.0.0.1:9/nothing-listens"
    settings.NOTIFY_WEBHOOK_SECRET = SECRET
    settings.NOTIFY_WEBHOOK_TIMEOUT_SECONDS = 1
    delivery = _send(world, django_capture_on_commit_callbacks)
    assert delivery.status == Delivery.Status.PENDING and delivery.last_error.startswith("URLError")
