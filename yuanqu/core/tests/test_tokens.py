"""API tokens: they expire, record their use (the first use of a day audited, not every call), and
are listed and revoked by their owner on /core/me/ and by the system administrator in the admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.core.forms import ERR_TOKEN_UNKNOWN
from yuanqu.core.models import ApiToken, AuditLog
from yuanqu.core.services import api_token_create, api_token_revoke


def _get(raw: str) -> int:
    return Client().get("/api/v1/registry/parks", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


def test_a_token_expires_after_the_configured_days(world: World, settings: Settings) -> None:
    token, _ = api_token_create(user=world.users["city_viewer"], name="默认")
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(minutes=1)
    settings.API_TOKEN_DAYS = 7
    token, _ = api_token_create(user=world.users["city_viewer"], name="短期")
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)


def test_an_expired_token_answers_401(world: World) -> None:
    token, raw = api_token_create(user=world.users["city_viewer"], name="对接")
    assert _get(raw) == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _get(raw) == 401


def test_use_is_recorded_and_the_first_use_of_a_day_audited_once(world: World) -> None:
    token, raw = api_token_create(user=world.users["city_viewer"], name="对接")
    for _ in range(3):
        assert _get(raw) == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    uses = AuditLog.objects.filter(action="token", detail="使用API令牌（当日首次）")
    assert uses.count() == 1 and uses.get().object_id == str(token.pk)
    # The next day's first use is audited again.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - dt.timedelta(days=1))
    assert _get(raw) == 200
    assert uses.count() == 2


def test_the_owner_sees_expiry_and_last_use_on_the_account_page(world: World) -> None:
    _, raw = api_token_create(user=world.users["park_operator"], name="园区系统")
    _get(raw)
    page = world.client("park_operator").get("/core/me/").content.decode()
    expires = timezone.localdate() + dt.timedelta(days=90)
    assert "园区系统" in page and expires.isoformat() in page and "有效" in page


# Full-width digits read as the number they spell (Django's integer field), here one no token has.
@pytest.mark.parametrize("value", ["abc", "", "９９９９９９９", "99999999999999999999999", "-1"])
def test_revoking_a_malformed_token_id_says_so(world: World, value: str) -> None:
    token, _ = api_token_create(user=world.users["park_operator"], name="园区系统")
    response = world.client("park_operator").post("/core/me/", {"revoke": value}, follow=True)
    assert response.status_code == 200
    assert ERR_TOKEN_UNKNOWN in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_owner_cannot_revoke_another_users_token_from_the_page(world: World) -> None:
    other, _ = api_token_create(user=world.users["city_viewer"], name="他人")
    response = world.client("park_operator").post("/core/me/", {"revoke": str(other.pk)}, follow=True)
    assert ERR_TOKEN_UNKNOWN in response.content.decode()
    other.refresh_from_db()
    assert other.revoked_at is None
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=world.users["park_operator"], token_id=other.pk)


def test_the_owner_revokes_a_token_and_it_answers_401(world: World) -> None:
    token, raw = api_token_create(user=world.users["park_operator"], name="园区系统")
    response = world.client("park_operator").post("/core/me/", {"revoke": str(token.pk)}, follow=True)
    assert "令牌已吊销" in response.content.decode()
    assert _get(raw) == 401


def test_the_system_administrator_lists_and_revokes_any_token(world: World) -> None:
    token, raw = api_token_create(user=world.users["park_operator"], name="园区系统")
    sysadmin = world.client("sysadmin")
    listing = sysadmin.get("/admin/core/apitoken/").content.decode()
    assert "园区系统" in listing and token.token_hash not in listing
    response = sysadmin.post("/admin/core/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert "已吊销 1 个令牌" in response.content.decode()
    assert _get(raw) == 401
    entry = AuditLog.objects.get(detail="吊销API令牌")
    assert entry.actor == world.users["sysadmin"] and entry.after == {"owner": "t-park-pa", "prefix": token.prefix}
    detail = sysadmin.get(f"/admin/core/apitoken/{token.pk}/change/").content.decode()
    assert token.token_hash not in detail


def test_a_city_administrator_does_not_manage_others_tokens(world: World) -> None:
    api_token_create(user=world.users["park_operator"], name="园区系统")
    assert world.client("city_admin").get("/admin/core/apitoken/").status_code == 403


def test_a_token_name_longer_than_it_can_be_stored_is_refused_not_cut(world: World) -> None:
    response = world.client("park_operator").post("/core/me/", {"name": "区" * 61}, follow=True)
    assert "用途不能超过60个字符" in response.content.decode()
    assert not world.users["park_operator"].api_tokens.exists()
    blank = world.client("park_operator").post("/core/me/", {"name": "  "}, follow=True)
    assert "请填写令牌用途" in blank.content.decode()
