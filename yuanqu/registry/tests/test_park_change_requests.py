"""A park operator cannot set the fields the city owns (its type, status, recognition, evaluation
inputs); it asks through a change request that a city administrator approves (applied only if the
values it saw still hold, 409 otherwise) or rejects. Every step is audited."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.registry import change_requests
from yuanqu.registry.models import Park, ParkChangeRequest
from yuanqu.registry.services import park_update

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as HttpResponse

API = "/api/v1/registry"


def _json(client: Client, method: str, path: str, data: dict[str, Any] | None = None) -> HttpResponse:
    if method == "get":
        return client.get(f"{API}{path}")
    body = json.dumps(data or {})
    if method == "patch":
        return client.patch(f"{API}{path}", body, content_type="application/json")
    assert method == "post", method
    return client.post(f"{API}{path}", body, content_type="application/json")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"park_type": "featured"}, "园区类型"),
        ({"status": "recognised", "recognised_on": "2025-01-01"}, "认定状态"),
        ({"green_level": "national"}, "绿色园区等级"),
        ({"smart_platform": True, "smart_subsystems": 9}, "智慧平台应用子系统数"),
        ({"planned_area_km2": "40"}, "规划面积"),
    ],
)
def test_a_park_operator_cannot_patch_what_the_city_owns(world: World, changes: dict[str, Any], field: str) -> None:
    before = Park.objects.get(code="PA")
    response = _json(world.client("park_operator"), "patch", "/parks/PA", changes)
    assert response.status_code == 403, response.content
    body = response.json()
    assert field in body["detail"] and "由市级管理员负责" in body["detail"] and "提交变更申请" in body["detail"]
    assert body["code"] == "field_not_owned"
    after = Park.objects.get(code="PA")
    assert (after.park_type, after.status, after.green_level, after.smart_subsystems, after.planned_area_km2) == (
        before.park_type,
        before.status,
        before.green_level,
        before.smart_subsystems,
        before.planned_area_km2,
    )


def test_a_park_operator_keeps_its_own_operator_fields(world: World) -> None:
    response = _json(
        world.client("park_operator"),
        "patch",
        "/parks/PA",
        {"operator_name": "江夏产投运营公司", "park_type": "modern"},
    )
    assert response.status_code == 200, response.content  # park_type is unchanged, so no right is needed
    assert Park.objects.get(code="PA").operator_name == "江夏产投运营公司"


def test_an_enterprise_user_edits_its_address_only(world: World) -> None:
    client, uscc = world.client("enterprise"), world.enterprises["E1"].uscc
    assert _json(client, "patch", f"/enterprises/{uscc}", {"address": "江夏区光谷大道1号"}).status_code == 200
    refused = _json(client, "patch", f"/enterprises/{uscc}", {"name": "改名"})
    assert refused.status_code == 403 and "企业名称" in refused.json()["detail"]
    assert _json(client, "patch", "/parks/PA", {"operator_name": "x"}).status_code == 403


def _file(world: World, **changes: Any) -> ParkChangeRequest:
    return change_requests.park_change_request_file(
        actor=world.users["park_operator"],
        park=world.parks["PA"],
        changes=changes or {"park_type": "featured"},
        reason="园区主导产业调整为光电子信息特色产业",
    )


def test_the_city_approves_a_change_request_and_it_is_applied_and_audited(world: World) -> None:
    client = world.client("park_operator")
    filed = _json(
        client, "post", "/change-requests", {"park": "PA", "changes": {"park_type": "featured"}, "reason": "调整定位"}
    )
    assert filed.status_code == 201, filed.content
    body = filed.json()
    assert body["status"] == "proposed" and body["changes"] == {"park_type": {"before": "modern", "after": "featured"}}
    assert Park.objects.get(code="PA").park_type == "modern"  # nothing changes before the city decides
    listed = _json(client, "get", "/change-requests").json()
    assert [row["id"] for row in listed["items"]] == [body["id"]]
    assert _json(world.client("district_caidian"), "get", "/change-requests").json()["count"] == 0
    refused = _json(client, "post", f"/change-requests/{body['id']}/approve", {"note": "自批"})
    assert refused.status_code == 403
    approved = _json(world.client("city_admin"), "post", f"/change-requests/{body['id']}/approve", {"note": "同意"})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved" and approved.json()["decided_by"] == "t-admin"
    assert Park.objects.get(code="PA").park_type == "featured"
    steps = list(
        AuditLog.objects.filter(object_type="registry.ParkChangeRequest", object_id=str(body["id"]))
        .order_by("id")
        .values_list("action", "detail")
    )
    assert steps == [("create", "园区信息变更申请：提交"), ("update", "园区信息变更申请：批准")]
    park_entry = AuditLog.objects.filter(object_type="registry.Park", action="update").latest("id")
    assert park_entry.before == {"park_type": "modern"} and park_entry.after == {"park_type": "featured"}
    again = _json(world.client("city_admin"), "post", f"/change-requests/{body['id']}/approve", {})
    assert again.status_code == 422 and "已批准" in json.dumps(again.json(), ensure_ascii=False)


def test_approval_answers_409_when_the_park_changed_since_filing(world: World) -> None:
    request = _file(world, green_level="provincial")
    park_update(actor=world.users["city_admin"], park=world.parks["PA"], green_level="national")
    response = _json(world.client("city_admin"), "post", f"/change-requests/{request.pk}/approve", {})
    assert response.status_code == 409 and "绿色园区等级" in response.json()["detail"]
    assert response.json()["code"] == "conflict" and set(response.json()) == {"detail", "code"}
    assert Park.objects.get(code="PA").green_level == "national"
    assert ParkChangeRequest.objects.get(pk=request.pk).status == "proposed"


def test_the_city_rejects_with_a_note_and_the_proposer_withdraws(world: World) -> None:
    first, second = _file(world), _file(world, smart_platform=True, smart_subsystems=4)
    admin = world.client("city_admin")
    assert _json(admin, "post", f"/change-requests/{first.pk}/reject", {"note": ""}).status_code == 422
    rejected = _json(admin, "post", f"/change-requests/{first.pk}/reject", {"note": "未达到特色产业园认定条件"})
    assert rejected.json()["status"] == "rejected" and rejected.json()["decision_note"] == "未达到特色产业园认定条件"
    assert _json(world.client("district_jiangxia"), "post", f"/change-requests/{second.pk}/withdraw").status_code == 403
    withdrawn = _json(world.client("park_operator"), "post", f"/change-requests/{second.pk}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
    park = Park.objects.get(code="PA")
    assert (park.park_type, park.smart_subsystems) == ("modern", 0)


def test_a_change_request_is_checked_when_filed(world: World) -> None:
    with pytest.raises(ValidationError) as own:
        _file(world, operator_name="自己改")
    assert "无需申请" in own.value.message_dict["operator_name"][0]
    with pytest.raises(ValidationError) as invalid:
        _file(world, smart_subsystems=3)  # no platform
    assert "smart_subsystems" in invalid.value.message_dict
    with pytest.raises(ValidationError):
        _file(world, park_type="modern")  # already modern
    with pytest.raises(PermissionDenied):
        change_requests.park_change_request_file(
            actor=world.users["enterprise"], park=world.parks["PA"], changes={"park_type": "urban"}, reason="x"
        )
    assert not ParkChangeRequest.objects.exists()


def test_the_pages_file_and_decide_a_change_request_with_a_confirmation(world: World) -> None:
    operator = world.client("park_operator")
    assert 'data-testid="change-requests-link"' in operator.get("/registry/parks/PA/").content.decode()
    assert (
        'data-testid="change-requests-link"'
        not in world.client("enterprise").get("/registry/parks/PA/").content.decode()
    )
    assert world.client("enterprise").get("/registry/parks/PA/change-requests/").status_code == 403
    page = "/registry/parks/PA/change-requests/"
    filed = operator.post(
        page, {"action": "file", "change_green_level": "provincial", "reason": "已获省级绿色园区认定"}
    )
    assert filed.status_code == 302
    request = ParkChangeRequest.objects.get()
    assert request.changes == {"green_level": {"before": "", "after": "provincial"}}
    admin = world.client("city_admin")
    assert "（1 件待审核）" in admin.get("/registry/parks/PA/").content.decode()
    unconfirmed = admin.post(page, {"action": "approve", "request": request.pk, "note": "同意"})
    assert "此操作不能撤销：请勾选确认框后再提交" in unconfirmed.content.decode()
    assert Park.objects.get(code="PA").green_level == ""
    assert admin.post(page, {"action": "approve", "request": request.pk, "confirm": "yes"}).status_code == 302
    assert Park.objects.get(code="PA").green_level == "provincial"
    listed = admin.get(page).content.decode()
    assert "已批准" in listed and "省级绿色园区" in listed


def test_the_city_finds_pending_requests_from_the_overview(world: World) -> None:
    request = _file(world)
    admin = world.client("city_admin")
    assert 'data-testid="change-request-list-link"' in admin.get("/registry/").content.decode()
    assert 'data-testid="change-request-list-link"' not in world.client("enterprise").get("/registry/").content.decode()
    listed = admin.get("/registry/change-requests/").content.decode()
    assert "/registry/parks/PA/change-requests/" in listed and "园区类型" in listed
    assert "江夏现代产业园" not in world.client("district_caidian").get("/registry/change-requests/").content.decode()
    assert world.client("enterprise").get("/registry/change-requests/").status_code == 403
    assert world.client("handler").get("/registry/change-requests/").status_code == 403
    change_requests.park_change_request_withdraw(actor=world.users["park_operator"], request=request)
    assert "暂无变更申请" in admin.get("/registry/change-requests/").content.decode()
    assert "江夏现代产业园" in admin.get("/registry/change-requests/?status=all").content.decode()
