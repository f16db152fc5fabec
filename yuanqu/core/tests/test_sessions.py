"""Idle sessions: a page renews its session only when less than half of the idle time is left, so a
busy user's session is not written on every page; a user idle past the session's expiry is asked to
sign in again."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, World
from yuanqu.core.sessions import RENEWED

PAGE = "/core/workbench/"


def _key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _age_stamp(key: str, seconds: float) -> dt.datetime:
    """Move the session's last renewal `seconds` into the past; returns its expiry date as stored."""
    store = SessionStore(session_key=key)
    store[RENEWED] = int(time.time() - seconds)
    store.save()
    return Session.objects.get(session_key=key).expire_date


def test_a_page_soon_after_the_sign_in_does_not_write_the_session(world: World) -> None:
    client = world.client("district_jiangxia")
    key = _key(client)
    before = Session.objects.get(session_key=key).expire_date
    response = client.get(PAGE)
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert Session.objects.get(session_key=key).expire_date == before


def test_the_sign_in_page_stamps_the_session_it_opens(world: World) -> None:
    client = Client()
    response = client.post("/login/", {"username": "t-district-jx", "password": PASSWORD})
    assert response.status_code == 302
    stamp = SessionStore(session_key=_key(client)).get(RENEWED)
    assert isinstance(stamp, int) and abs(stamp - time.time()) < 60


def test_a_page_past_half_the_idle_time_renews_the_session(world: World) -> None:
    client = world.client("district_jiangxia")
    key = _key(client)
    before = _age_stamp(key, settings.SESSION_COOKIE_AGE / 2 + 1)
    Session.objects.filter(session_key=key).update(expire_date=before - dt.timedelta(minutes=5))
    response = client.get(PAGE)
    assert response.status_code == 200 and settings.SESSION_COOKIE_NAME in response.cookies
    assert Session.objects.get(session_key=key).expire_date > before
    assert SessionStore(session_key=key)[RENEWED] >= int(time.time()) - 5


def test_a_page_before_half_the_idle_time_leaves_the_session_as_it_is(world: World) -> None:
    client = world.client("district_jiangxia")
    key = _key(client)
    before = _age_stamp(key, settings.SESSION_COOKIE_AGE / 2 - 60)
    response = client.get(PAGE)
    assert response.status_code == 200 and settings.SESSION_COOKIE_NAME not in response.cookies
    assert Session.objects.get(session_key=key).expire_date == before


def test_a_user_idle_past_the_expiry_is_asked_to_sign_in_again(world: World) -> None:
    client = world.client("district_jiangxia")
    key = _key(client)
    assert client.get(PAGE).status_code == 200
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_signing_out_ends_the_session_and_is_not_undone_by_the_stamp(world: World) -> None:
    client = world.client("district_jiangxia")
    key = _key(client)
    client.post("/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login/" in response["Location"]
