"""Signing in against guessing: a growing wait per user name and per address, counted in the database,
a user's own browser let through a stranger's wait, a system administrator's unlock, and every
outcome audited without the password."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.core.models import AuditLog, LoginThrottle, User
from yuanqu.core.roles import Role
from yuanqu.core.signin import KNOWN_BROWSER_COOKIE, delay_after

RIGHT = "persona-password-1"


def _attempt(address: str, username: str, password: str, client: Client | None = None) -> Any:
    return (client or Client(REMOTE_ADDR=address)).post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_it_holds_one_account_back_when_guessed_from_four_addresses(world: World) -> None:
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"):
        for _ in range(5):
            assert _attempt(address, "t-admin", "wrong-guess-000").status_code in {200, 429}
    response = _attempt("10.0.0.5", "t-admin", RIGHT)
    assert response.status_code == 429
    assert "登录失败次数过多，请于" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_it_slows_guessing_spread_over_many_accounts_from_one_address(world: World) -> None:
    names = [f"spray-{number}" for number in range(10)]
    for name in names:
        user = User(username=name, role=Role.CITY_VIEWER)
        user.set_password(RIGHT)
        user.save()
    for name in names:
        for _ in range(4):
            _attempt("10.9.9.9", name, "wrong-guess-000")
    # The address is now waiting, whatever account it tries, even with the right password …
    assert _attempt("10.9.9.9", "spray-0", RIGHT).status_code == 429
    assert _attempt("10.9.9.9", "t-viewer", RIGHT).status_code == 429
    # … while no single name reached its own limit: the same account from elsewhere signs in.
    assert _attempt("10.1.1.1", "spray-0", RIGHT).status_code == 302


def test_it_doubles_the_wait_with_each_failure_past_the_limit(settings: Settings) -> None:
    settings.LOGIN_DELAY_BASE_SECONDS = 60
    settings.LOGIN_DELAY_MAX_SECONDS = 3600
    assert delay_after(4, 5) is None
    assert delay_after(5, 5) == dt.timedelta(minutes=1)
    assert delay_after(6, 5) == dt.timedelta(minutes=2)
    assert delay_after(8, 5) == dt.timedelta(minutes=8)
    assert delay_after(40, 5) == dt.timedelta(hours=1)


def test_it_keeps_the_counts_in_the_database(world: World) -> None:
    for _ in range(3):
        _attempt("10.0.0.7", "t-admin", "wrong-guess-000")
    counts = dict(LoginThrottle.objects.values_list("key", "failures"))
    assert counts == {"user:t-admin": 3, "addr:10.0.0.7": 3}
    assert _attempt("10.0.0.7", "t-admin", RIGHT).status_code == 302
    # The right password clears the name's count, never the address's.
    assert dict(LoginThrottle.objects.values_list("key", "failures")) == {"addr:10.0.0.7": 3}


def test_a_stranger_cannot_keep_the_owner_out_of_the_owners_own_browser(world: World) -> None:
    own_browser = Client(REMOTE_ADDR="10.0.0.8")
    assert _attempt("10.0.0.8", "t-sysadmin", RIGHT, own_browser).status_code == 302
    assert own_browser.cookies[KNOWN_BROWSER_COOKIE].value
    own_browser.post("/logout/", REMOTE_ADDR="10.0.0.8")
    for _ in range(12):
        _attempt("172.16.0.66", "t-sysadmin", "wrong-guess-000")
    # A new browser waits like the stranger does …
    assert _attempt("10.0.0.9", "t-sysadmin", RIGHT).status_code == 429
    # … the owner's browser, known from an earlier sign-in, is let through.
    assert _attempt("10.0.0.8", "t-sysadmin", RIGHT, own_browser).status_code == 302


def test_a_known_browser_for_another_user_buys_no_extra_guesses(world: World) -> None:
    browser = Client(REMOTE_ADDR="10.0.0.10")
    assert _attempt("10.0.0.10", "t-viewer", RIGHT, browser).status_code == 302
    browser.post("/logout/", REMOTE_ADDR="10.0.0.10")
    for _ in range(5):
        _attempt("10.0.0.10", "t-admin", "wrong-guess-000", browser)
    assert _attempt("10.0.0.10", "t-admin", RIGHT, browser).status_code == 429


def test_a_system_administrator_lifts_the_wait_and_it_is_audited(world: World) -> None:
    for _ in range(6):
        _attempt("10.0.0.11", "t-admin", "wrong-guess-000")
    assert _attempt("10.0.0.12", "t-admin", RIGHT).status_code == 429
    admin_user = world.users["city_admin"]
    sysadmin = world.client("sysadmin")
    response = sysadmin.post(
        "/admin/core/user/", {"action": "unlock_sign_in", "_selected_action": [admin_user.pk]}, follow=True
    )
    assert "已解除 1 个账号的登录限制" in response.content.decode()
    entry = AuditLog.objects.get(detail="解除登录限制")
    assert entry.actor == world.users["sysadmin"] and entry.object_id == str(admin_user.pk)
    assert _attempt("10.0.0.12", "t-admin", RIGHT).status_code == 302


def test_only_a_system_administrator_may_unlock(world: World) -> None:
    for _ in range(6):
        _attempt("10.0.0.13", "t-viewer", "wrong-guess-000")
    city_admin = world.client("city_admin")
    page = city_admin.get("/admin/core/user/").content.decode()
    assert "unlock_sign_in" not in page
    city_admin.post(
        "/admin/core/user/", {"action": "unlock_sign_in", "_selected_action": [world.users["city_viewer"].pk]}
    )
    assert LoginThrottle.objects.filter(key="user:t-viewer").exists()
    assert not AuditLog.objects.filter(detail="解除登录限制").exists()


def test_it_audits_sign_ins_and_failures_without_the_password(world: World) -> None:
    _attempt("10.0.0.14", "t-admin", "Never-store-this-guess-9")
    _attempt("10.0.0.14", "t-admin", RIGHT)
    failed = AuditLog.objects.get(action="login", detail="登录失败")
    assert failed.object_repr == "t-admin" and failed.ip_address == "10.0.0.14"
    succeeded = AuditLog.objects.get(action="login", detail="登录成功")
    assert succeeded.actor == world.users["city_admin"]
    everything = json.dumps(list(AuditLog.objects.values()), default=str)
    assert "Never-store-this-guess-9" not in everything and RIGHT not in everything


def test_it_audits_the_start_of_a_wait(world: World, settings: Settings) -> None:
    settings.LOGIN_USER_FAILURE_LIMIT = 2
    for _ in range(2):
        _attempt("10.0.0.15", "t-viewer", "wrong-guess-000")
    entry = AuditLog.objects.get(action="login", detail__startswith="连续登录失败，暂停登录至")
    assert entry.after is not None
    assert entry.after["key"] == "user:t-viewer" and entry.after["failures"] == 2


def test_the_admin_login_is_held_back_too(world: World) -> None:
    for _ in range(5):
        Client().post("/admin/login/", {"username": "t-sysadmin", "password": "wrong-guess-000"})
    response = Client().post("/admin/login/", {"username": "t-sysadmin", "password": RIGHT})
    assert response.status_code == 200
    assert "登录失败次数过多，请于" in response.content.decode()


@pytest.mark.parametrize("password", ["Short-pw-1", "password1234", "t-newcomer-1"])
def test_the_admin_refuses_a_weak_password_for_a_new_user(world: World, password: str) -> None:
    response = world.client("sysadmin").post(
        "/admin/core/user/add/",
        {"username": "t-newcomer", "password1": password, "password2": password, "usable_password": "true"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="t-newcomer").exists()


def test_the_unlock_command_lifts_the_wait_from_the_server(world: World) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    for _ in range(5):
        _attempt("10.0.0.16", "t-sysadmin", "wrong-guess-000")
    assert _attempt("10.0.0.17", "t-sysadmin", RIGHT).status_code == 429
    call_command("unlock", "t-sysadmin")
    assert _attempt("10.0.0.17", "t-sysadmin", RIGHT).status_code == 302
    entry = AuditLog.objects.get(detail="解除登录限制")
    assert entry.actor_name == "system" and entry.object_id == str(world.users["sysadmin"].pk)
    with pytest.raises(CommandError, match="没有用户名为“nobody”的账号"):
        call_command("unlock", "nobody")


def test_counters_idle_for_the_window_are_forgotten(world: World) -> None:
    from django.utils import timezone

    old = timezone.now() - dt.timedelta(days=2)
    LoginThrottle.objects.create(key="user:someone-long-ago", failures=4, last_failure_at=old)
    LoginThrottle.objects.create(key="user:t-viewer", failures=4, last_failure_at=old)
    _attempt("10.0.0.18", "t-viewer", "wrong-guess-000")
    assert not LoginThrottle.objects.filter(key="user:someone-long-ago").exists()
    # An idle counter starts again rather than continuing from 4.
    assert LoginThrottle.objects.get(key="user:t-viewer").failures == 1
