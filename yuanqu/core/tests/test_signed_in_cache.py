"""The signed-in user of a request comes from the read cache while the data version is the one it was
read at (core/signin.py), and the session from one plain statement (core/sessions.py): a role change,
a deactivation, a new password, a renamed scope object and a sign-out all take effect on the next
request; the cached copy holds no password; each reader's header counts their own notices."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import World, make_user
from yuanqu.core import readcache
from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.core.sessions import SessionStore
from yuanqu.core.signin import SIGNED_IN_PREFIX, SignedInUser
from yuanqu.notifications.services import notification_send

PAGE = "/registry/parks/"


def user_queries(client: Client, path: str) -> tuple[int, list[str]]:
    """The answer's status and the statements of the request that read the users' table."""
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    return status, [query["sql"] for query in captured.captured_queries if 'FROM "core_user"' in query["sql"]]


def header(client: Client, path: str = PAGE) -> str:
    text: str = client.get(path).content.decode()
    return text.split('data-testid="who">', 1)[1].split("</div>", 1)[0]


def test_it_reads_the_user_once_and_then_from_the_cache(module_world: World, cache_on: None) -> None:
    client = module_world.client("district_jiangxia")
    status, first = user_queries(client, PAGE)
    assert status == 200 and len(first) == 1
    status, second = user_queries(client, PAGE)
    assert status == 200 and second == []
    assert "江夏" in header(client)  # the district's name, read with the user


def test_the_cached_copy_holds_neither_the_password_nor_the_last_sign_in(module_world: World, cache_on: None) -> None:
    user = module_world.users["park_operator"]
    client = module_world.client("park_operator")
    client.get(PAGE)
    entry = readcache.read_cache().get(f"{SIGNED_IN_PREFIX}:{user.pk}")
    assert isinstance(entry, SignedInUser)
    assert "password" not in entry.user.__dict__ and "last_login" not in entry.user.__dict__
    assert "boundary" not in entry.user.park.__dict__  # the park's outline stays in the database
    assert entry.user.get_session_auth_hash() == user.get_session_auth_hash()
    entry.user.set_password("另一个足够长的口令-2026")
    assert entry.user.get_session_auth_hash() != user.get_session_auth_hash()


def test_a_save_of_the_cached_user_keeps_its_password_and_last_sign_in(module_world: World, cache_on: None) -> None:
    user = module_world.users["city_viewer"]
    client = module_world.client("city_viewer")
    client.get(PAGE)
    stored = User.objects.get(pk=user.pk)
    entry = readcache.read_cache().get(f"{SIGNED_IN_PREFIX}:{user.pk}")
    assert isinstance(entry, SignedInUser)
    cached = entry.user
    cached.display_name = "市级查看（改名）"
    cached.save()
    again = User.objects.get(pk=user.pk)
    assert (again.display_name, again.password, again.last_login) == (
        "市级查看（改名）",
        stored.password,
        stored.last_login,
    )


def test_a_role_change_takes_effect_on_the_next_request(module_world: World, cache_on: None) -> None:
    user = module_world.users["city_viewer"]
    client = module_world.client("city_viewer")
    assert client.get("/targets/").status_code == 200
    assert client.get("/targets/").status_code == 200  # the user from the cache
    assert "市级查看" in header(client)
    user.role = Role.AUDITOR
    user.save()
    assert client.get("/targets/").status_code == 403  # the auditor reads the audit log only
    assert "审计员" in header(client, "/core/audit/")


def test_a_deactivated_user_is_signed_out_on_the_next_request(module_world: World, cache_on: None) -> None:
    user = module_world.users["district_jiangxia"]
    client = module_world.client("district_jiangxia")
    assert client.get(PAGE).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    answer = client.get(PAGE)
    assert answer.status_code == 302 and answer["Location"].startswith("/login/")


def test_a_new_password_signs_out_the_sessions_opened_before(module_world: World, cache_on: None) -> None:
    user = module_world.users["enterprise"]
    client = module_world.client("enterprise")
    assert client.get(PAGE).status_code == 200
    user.set_password("另一个足够长的口令-2026")
    user.save()
    answer = client.get(PAGE)
    assert answer.status_code == 302 and answer["Location"].startswith("/login/")


def test_a_renamed_district_is_named_on_the_next_request(module_world: World, cache_on: None) -> None:
    district = module_world.districts["jiangxia"]
    client = module_world.client("district_jiangxia")
    assert district.name in header(client)
    district.name = "江夏区（新）"
    district.save()
    assert "江夏区（新）" in header(client)


def test_a_signed_out_session_opens_nothing(module_world: World, cache_on: None) -> None:
    client = module_world.client("park_operator")
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert client.get(PAGE).status_code == 200
    client.post("/logout/")
    stolen = Client()
    stolen.cookies[django_settings.SESSION_COOKIE_NAME] = key
    answer = stolen.get(PAGE)
    assert answer.status_code == 302 and answer["Location"].startswith("/login/")


def test_the_session_store_reads_a_live_session_and_nothing_else(module_world: World) -> None:
    client = module_world.client("handler")
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert SessionStore(session_key=key).load()[SESSION_KEY] == str(module_world.users["handler"].pk)
    store = SessionStore(session_key=key)
    store.set_expiry(-1)  # expired a second ago
    store.save()
    expired = SessionStore(session_key=key)
    assert expired.load() == {} and expired.session_key is None
    for key in ("", "no-such-session-key-0123456789abcdef", "x" * 400, "'; DROP TABLE django_session; --"):
        assert SessionStore(session_key=key).load() == {}


def test_two_readers_of_one_page_entry_each_count_their_own_notices(module_world: World, cache_on: None) -> None:
    first = module_world.users["district_jiangxia"]
    second = make_user("t-district-jx-3", Role.DISTRICT, district=module_world.districts["jiangxia"])
    notification_send(recipients=[first], kind="test", title="第一位的通知一")
    notification_send(recipients=[first], kind="test", title="第一位的通知二")
    notification_send(recipients=[second], kind="test", title="第二位的通知")
    mine, theirs = module_world.client("district_jiangxia"), Client()
    theirs.force_login(second)
    for client, count in ((mine, 2), (theirs, 1), (mine, 2), (theirs, 1)):
        assert f'data-testid="unread-notifications">{count}<' in header(client)
