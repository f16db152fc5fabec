"""Authentication basics: health check, lockout, API tokens hashed at rest and revocable, headers."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.core.models import ApiToken, AuditLog, hash_token
from yuanqu.core.services import api_token_create, api_token_revoke


@pytest.mark.django_db
def test_it_reports_health() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_it_holds_an_account_back_after_repeated_failures(world: World, settings: Settings) -> None:
    settings.LOGIN_USER_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        client.post("/login/", {"username": "t-admin", "password": "wrong"})
    response = client.post("/login/", {"username": "t-admin", "password": "persona-password-1"})
    assert response.status_code == 429
    assert "登录失败次数过多，请于" in response.content.decode()


def test_it_logs_in_with_the_right_password(world: World) -> None:
    client = Client()
    response = client.post("/login/", {"username": "t-district-jx", "password": "persona-password-1"})
    assert response.status_code == 302
    assert client.get("/registry/parks/").status_code == 200


def test_it_stores_only_the_hash_of_a_token_and_honours_revocation(world: World) -> None:
    user = world.users["district_jiangxia"]
    token, raw = api_token_create(user=user, name="区统计系统")
    assert token.token_hash == hash_token(raw) and raw not in token.token_hash
    assert not ApiToken.objects.filter(token_hash=raw).exists()
    client = Client()
    ok = client.get("/api/v1/registry/parks", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ok.status_code == 200
    assert {item["code"] for item in ok.json()["items"]} == {"PA", "PB"}
    api_token_revoke(actor=user, token_id=token.pk)
    assert client.get("/api/v1/registry/parks", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    # created, first used today, revoked
    assert AuditLog.objects.filter(action="token", actor=user).count() == 3


def test_it_lists_tokens_on_the_users_page(world: World) -> None:
    client = world.client("park_operator")
    response = client.post("/core/me/", {"name": "园区系统"})
    html = response.content.decode()
    assert "新令牌" in html and "园区系统" in html
    assert ApiToken.objects.get(user=world.users["park_operator"]).name == "园区系统"


def test_it_sends_a_same_host_only_content_policy(world: World) -> None:
    response = world.client("city_admin").get("/registry/parks/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_it_requires_csrf_for_session_api_writes(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["city_admin"])
    response = client.post("/api/v1/registry/parks", {}, content_type="application/json")
    assert response.status_code == 403  # the session is not accepted for a write without the CSRF token


def test_it_serves_local_api_docs(world: World) -> None:
    client = world.client("city_viewer")
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and "/api/v1/registry/parks" in schema.json()["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "http://" not in docs.replace("http://testserver", "") and "https://" not in docs
