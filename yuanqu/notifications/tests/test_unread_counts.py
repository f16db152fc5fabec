"""The unread counts of the header and of casework's badge, kept in the read cache per user
(notifications/selectors.py, core/readcache.py `personal_value`): each user counts their own; a
signed-in page reads them with the user, without a statement of its own; a notice sent, read, given
to another user or deleted shows on the next request, through the services and through the bulk
writes of the queryset alike; a transaction that rolls back leaves no count behind."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from conftest import World, make_user
from yuanqu.casework.models import Notification as CaseNotification
from yuanqu.casework.notify import notify
from yuanqu.casework.notify import unread_count as case_unread_count
from yuanqu.core import readcache
from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.notifications import selectors, services
from yuanqu.notifications.models import Notification

KIND = "test_event"
services.kinds_register({KIND: "测试事件"})
PAGE = "/registry/parks/"


def header_count(client: Client, path: str = PAGE) -> int:
    """The unread count the page's header shows (0 when it shows no badge)."""
    text = client.get(path).content.decode()
    who = text.split('data-testid="who">', 1)[1].split("</div>", 1)[0]
    if 'data-testid="unread-notifications">' not in who:
        return 0
    return int(who.split('data-testid="unread-notifications">', 1)[1].split("<", 1)[0])


def notice_statements(client: Client, path: str = PAGE) -> list[str]:
    """The statements of one request that read the notices' table."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries if "notifications_notification" in query["sql"]]


def send(user: User, title: str) -> Notification:
    return services.notification_send(recipients=[user], kind=KIND, title=title)[0]


def test_it_counts_each_users_own_notices_from_one_page_entry(
    module_world: World, cache_on: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    first = module_world.users["district_jiangxia"]
    second = make_user("t-district-jx-unread", Role.DISTRICT, district=module_world.districts["jiangxia"])
    with django_capture_on_commit_callbacks(execute=True):
        for title in ("一", "二", "三"):
            send(first, f"第一位的通知{title}")
        send(second, "第二位的通知")
    mine, theirs = module_world.client("district_jiangxia"), Client()
    theirs.force_login(second)
    for client, count in ((mine, 3), (theirs, 1), (mine, 3), (theirs, 1)):
        assert header_count(client) == count
    assert (selectors.unread_count(first), selectors.unread_count(second)) == (3, 1)


def test_a_signed_in_page_reads_the_counts_with_the_user(
    module_world: World, cache_on: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    user = module_world.users["park_operator"]
    with django_capture_on_commit_callbacks(execute=True):
        send(user, "一条通知")
    client = module_world.client("park_operator")
    assert len(notice_statements(client)) == 1  # counted once, in one statement
    assert notice_statements(client) == []  # then read with the user
    assert header_count(client) == 1


def test_a_new_notice_shows_on_the_next_request(
    module_world: World, cache_on: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    user = module_world.users["enterprise"]
    client = module_world.client("enterprise")
    assert header_count(client) == 0
    assert header_count(client) == 0  # kept
    with django_capture_on_commit_callbacks(execute=True):
        send(user, "新通知")
    assert header_count(client) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_send(recipients=[user, module_world.users["handler"]], kind=KIND, title="群发")
    assert header_count(client) == 2
    assert notice_statements(client) == []  # kept again, at the new stamp


def test_reading_one_lowers_it_and_reading_all_clears_it(
    module_world: World, cache_on: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    user = module_world.users["city_viewer"]
    with django_capture_on_commit_callbacks(execute=True):
        notices = [send(user, f"通知{n}") for n in range(3)]
    client = module_world.client("city_viewer")
    assert header_count(client) == 3
    services.notifications_mark_read(user=user, ids=[notices[0].pk])
    assert header_count(client) == 2
    assert client.post("/notifications/", {"id": [notices[1].pk]}, HTTP_HX_REQUEST="true").status_code == 200
    assert header_count(client) == 1
    assert client.post("/notifications/").status_code == 302  # all of them
    assert header_count(client) == 0


def test_a_casework_notice_raises_the_badge_and_the_header_and_reading_it_lowers_both(
    module_world: World, cache_on: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    user = module_world.users["handler"]
    with django_capture_on_commit_callbacks(execute=True):
        send(user, "中心的通知")
    assert (selectors.unread_count(user), case_unread_count(user)) == (1, 0)
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], case=None, kind="remind", text="催办")
    assert (selectors.unread_count(user), case_unread_count(user)) == (2, 1)
    # casework's own mark-read is a bulk update of its rows
    CaseNotification.objects.visible_to(user).unread().update(read_at=timezone.now())
    assert (selectors.unread_count(user), case_unread_count(user)) == (1, 0)


def test_bulk_writes_and_deletes_of_the_rows_make_the_counts_fresh(
    module_world: World, cache_on: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    first, second = module_world.users["park_operator"], module_world.users["enterprise"]
    with django_capture_on_commit_callbacks(execute=True):
        notice = send(first, "给第一位")
    assert (selectors.unread_count(first), selectors.unread_count(second)) == (1, 0)
    Notification.objects.filter(pk=notice.pk).update(recipient=second)  # given to another user
    assert (selectors.unread_count(first), selectors.unread_count(second)) == (0, 1)
    Notification.objects.filter(pk=notice.pk).delete()
    assert selectors.unread_count(second) == 0
    Notification.objects.bulk_create(
        [Notification(recipient=first, kind=KIND, title="批量", created_at=notice.created_at)]
    )
    assert selectors.unread_count(first) == 1


def test_a_count_read_inside_a_transaction_that_rolls_back_is_not_kept(
    module_world: World, cache_on: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    user = module_world.users["district_jiangxia"]
    with django_capture_on_commit_callbacks(execute=True):
        send(user, "已提交的通知")
    assert selectors.unread_count(user) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        send(user, "将回滚的通知")
        assert selectors.unread_count(user) == 2  # the transaction sees its own notice …
        raise RuntimeError
    assert selectors.unread_count(user) == 1  # … and nobody keeps it


def test_an_inactive_user_counts_nothing(module_world: World, cache_on: None) -> None:
    user = module_world.users["enterprise"]
    send(user, "通知")
    user.is_active = False
    assert selectors.unread_count(user) == 0


def test_without_the_read_cache_the_counts_come_from_the_database(module_world: World) -> None:
    user = module_world.users["enterprise"]
    send(user, "通知")
    send(user, "通知二")
    assert selectors.unread_count(user) == 2
    assert readcache.read_cache().get(readcache.personal_keys(user.pk)[1]) is None


def test_no_senders_notice_changes_the_pages_data_version(
    module_world: World, cache_on: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    """Every notice table, the centre's and each sender's own, is bookkeeping: a notice renews its
    reader's count stamp and leaves every cached page body valid."""
    tables: tuple[type[Model], ...] = (Notification, *selectors.notice_subclasses())
    for model in tables:
        meta = model._meta
        assert meta.app_label in readcache.UNVERSIONED_APPS or meta.label_lower in readcache.UNVERSIONED_MODELS, meta
    user = module_world.users["handler"]
    version = readcache.data_version()
    with django_capture_on_commit_callbacks(execute=True):
        send(user, "中心的通知")
        notify([user], case=None, kind="remind", text="催办")
    assert readcache.data_version() == version
    assert (selectors.unread_count(user), case_unread_count(user)) == (2, 1)
