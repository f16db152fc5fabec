"""The audit log: no secret in any entry, personal data masked for its readers, and the events that
matter recorded (password changes, API token life, bulk API reads)."""

from __future__ import annotations

import json

from django.test import Client
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.core.audit import audit_record, mask_personal, snapshot
from yuanqu.core.models import ApiToken, AuditLog, User
from yuanqu.core.services import api_token_create

STRONG = "Blue-river-lantern-42"


def _all_entries() -> str:
    return json.dumps(list(AuditLog.objects.values()), default=str, ensure_ascii=False)


def test_it_keeps_the_password_hash_out_of_a_user_created_in_the_admin(world: World) -> None:
    response = world.client("sysadmin").post(
        "/admin/core/user/add/",
        {"username": "t-newcomer", "password1": STRONG, "password2": STRONG, "usable_password": "true"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="t-newcomer")
    entry = AuditLog.objects.get(action="create", object_type="core.User", object_id=str(user.pk))
    assert entry.after is not None
    assert entry.after["username"] == "t-newcomer"
    assert "password" not in entry.after
    assert user.password not in _all_entries() and STRONG not in _all_entries()


def test_it_keeps_the_password_hash_out_of_an_admin_edit(world: World) -> None:
    viewer = world.users["city_viewer"]
    response = world.client("sysadmin").post(
        f"/admin/core/user/{viewer.pk}/change/",
        {
            "username": viewer.username,
            "display_name": "市领导",
            "role": viewer.role,
            "is_active": "on",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditLog.objects.get(action="update", object_id=str(viewer.pk))
    assert entry.after is not None
    assert entry.after["display_name"] == "市领导" and "password" not in entry.after
    viewer.refresh_from_db()
    assert viewer.password not in _all_entries()


def test_it_leaves_secret_columns_out_of_every_snapshot(world: World) -> None:
    token, _ = api_token_create(user=world.users["city_viewer"], name="对接")
    assert "token_hash" not in snapshot(token)
    assert "password" not in snapshot(world.users["city_viewer"])
    # Whoever builds the dictionary, the writer drops secret names.
    entry = audit_record(
        actor=None,
        action=AuditLog.Action.UPDATE,
        object_type="x.Y",
        before={"password": "pbkdf2_sha256$1$a$b", "secret_key": "k", "name": "旧"},
        after={"token_hash": "abc", "api_key": "k", "name": "新"},
    )
    entry.refresh_from_db()
    assert entry.before == {"name": "旧"} and entry.after == {"name": "新"}
    assert token.token_hash not in _all_entries()


def test_it_masks_personal_data_for_the_auditor(world: World) -> None:
    audit_record(
        actor=world.users["enterprise"],
        action=AuditLog.Action.CREATE,
        object_type="casework.Case",
        after={"contact_name": "张三丰", "contact_phone": "13812345678", "title": "用电报装"},
    )
    page = world.client("auditor").get("/core/audit/").content.decode()
    assert "13812345678" not in page and "张三丰" not in page
    assert "138****5678" in page and "用电报装" in page


def test_it_hides_a_secret_stored_by_an_older_version_when_read() -> None:
    masked = mask_personal({"password": "pbkdf2_sha256$870000$salt$hash", "email": "li.si@example.gov.cn"})
    assert masked == {"password": "［已隐去］", "email": "l***@example.gov.cn"}


def test_it_audits_a_password_change_in_the_admin_without_the_password(world: World) -> None:
    viewer = world.users["city_viewer"]
    response = world.client("sysadmin").post(
        f"/admin/core/user/{viewer.pk}/password/",
        {"password1": STRONG, "password2": STRONG, "usable_password": "true"},
    )
    assert response.status_code == 302
    entry = AuditLog.objects.get(action="password")
    assert entry.actor == world.users["sysadmin"] and entry.object_id == str(viewer.pk)
    assert entry.detail == "修改密码" and entry.before is None and entry.after is None
    viewer.refresh_from_db()
    assert STRONG not in _all_entries() and viewer.password not in _all_entries()


def test_it_audits_a_bulk_api_read_once_per_response(world: World, settings: Settings) -> None:
    settings.AUDIT_BULK_READ_ROWS = 2
    client = world.client("city_admin")
    response = client.get("/api/v1/registry/parks")
    rows = len(response.json()["items"])
    assert rows >= 2
    entry = AuditLog.objects.get(action="read")
    assert entry.actor == world.users["city_admin"]
    assert entry.after is not None
    assert entry.object_repr == "/api/v1/registry/parks" and entry.after["rows"] == rows
    settings.AUDIT_BULK_READ_ROWS = 1000
    client.get("/api/v1/registry/parks")
    assert AuditLog.objects.filter(action="read").count() == 1


def test_it_audits_a_token_reading_in_bulk(world: World, settings: Settings) -> None:
    settings.AUDIT_BULK_READ_ROWS = 2
    _, raw = api_token_create(user=world.users["city_viewer"], name="对接")
    Client().get("/api/v1/registry/parks", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert AuditLog.objects.get(action="read").actor == world.users["city_viewer"]
    assert ApiToken.objects.get().last_used_at is not None


def test_it_masks_personal_data_in_the_admin_too(world: World) -> None:
    entry = audit_record(
        actor=world.users["enterprise"],
        action=AuditLog.Action.CREATE,
        object_type="casework.Case",
        after={"contact_phone": "13812345678"},
    )
    page = world.client("sysadmin").get(f"/admin/core/auditlog/{entry.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "13812345678" not in html and "138****5678" in html


def test_masking_leaves_a_flag_named_after_a_personal_field_alone() -> None:
    from yuanqu.core.audit import mask_personal

    masked = mask_personal({"email": "zhang@example.cn", "send_email": True, "contact_phone": 13800138000})
    assert masked["send_email"] is True
    assert masked["email"] != "zhang@example.cn" and str(masked["contact_phone"]) != "13800138000"
