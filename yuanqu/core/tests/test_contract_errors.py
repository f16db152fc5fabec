"""The one error shape of the API and the site's error pages (core/contract)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client, RequestFactory
from pytest_django.fixtures import DjangoAssertNumQueries

from conftest import World
from yuanqu.core.contract import errors, pages


def _shape(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code and isinstance(body["detail"], str)
    assert any("\u4e00" <= char <= "\u9fff" for char in body["detail"]), body
    return body


def test_it_answers_401_403_404_405_415_422_and_400_in_one_shape(world: World) -> None:
    admin = world.client("city_admin")
    _shape(Client().get("/api/v1/registry/parks"), 401, "not_authenticated")
    _shape(
        world.client("city_viewer").post(
            "/api/v1/indicators/famous_parks_selected/reported",
            {"year": 2025, "value": "1"},
            content_type="application/json",
        ),
        403,
        "permission_denied",
    )
    _shape(admin.get("/api/v1/registry/parks/NOPE"), 404, "not_found")
    _shape(admin.get("/api/v1/registry/no-such-thing"), 404, "not_found")
    not_allowed = _shape(
        admin.put("/api/v1/registry/parks", {}, content_type="application/json"), 405, "method_not_allowed"
    )
    assert not_allowed == {"detail": errors.METHOD_NOT_ALLOWED, "code": "method_not_allowed"}
    _shape(admin.post("/api/v1/registry/parks", "code=PX", content_type="text/plain"), 415, "unsupported_media_type")
    _shape(admin.post("/api/v1/registry/parks", "{", content_type="application/json"), 400, "bad_request")
    invalid = _shape(
        admin.post("/api/v1/registry/parks", {"code": "PX"}, content_type="application/json"), 422, "validation_error"
    )
    assert {"loc": ["body", "payload", "name"], "msg": "必填"} in invalid["errors"]
    assert "name：必填" in invalid["detail"]


def test_it_answers_a_service_refusal_with_its_message_and_the_field(world: World) -> None:
    response = world.client("city_admin").patch(
        "/api/v1/registry/parks/PA", {"operator_uscc": "91350100M000100Y44"}, content_type="application/json"
    )
    body = _shape(response, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["body", "operator_uscc"] and "校验位" in body["errors"][0]["msg"]


def test_it_answers_an_unforeseen_error_with_500_and_an_incident_that_is_in_the_log(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from yuanqu.registry import selectors

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("simulated fault")

    monkeypatch.setattr(selectors, "park_list", broken)
    with caplog.at_level(logging.ERROR, logger="yuanqu.errors"):
        response = world.client("city_admin").get("/api/v1/registry/parks")
    body = _shape(response, 500, "server_error")
    incident = body["incident"]
    assert body["detail"] == errors.SERVER_ERROR.format(incident=incident)
    assert "simulated fault" not in response.content.decode()
    logged = [record for record in caplog.records if incident in record.getMessage()]
    assert logged and logged[0].exc_info is not None and "simulated fault" in str(logged[0].exc_info[1])


def test_the_site_shows_chinese_403_and_404_pages_with_a_way_home(world: World) -> None:
    missing = world.client("city_admin").get("/registry/parks/NOPE/")
    assert missing.status_code == 404
    page = missing.content.decode()
    assert "页面不存在" in page and 'href="/"' in page and "返回首页" in page
    forbidden = world.client("auditor").get("/intake/upload/")
    assert forbidden.status_code == 403
    assert "无权访问" in forbidden.content.decode() and "返回首页" in forbidden.content.decode()


def test_the_500_page_shows_the_logged_incident_without_touching_the_database(
    db: None, caplog: pytest.LogCaptureFixture, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    request = RequestFactory().get("/cockpit/")
    with caplog.at_level(logging.ERROR, logger="yuanqu.errors"), django_assert_num_queries(0):
        try:
            raise RuntimeError("database is down")
        except RuntimeError:
            response = pages.server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    incident = caplog.records[-1].getMessage().split()[1].rstrip(":")
    assert len(incident) == 12 and incident in page
    assert "服务器内部错误" in page and "返回首页" in page


def test_the_site_answers_a_nul_in_the_query_with_a_chinese_400_page(world: World) -> None:
    response = world.client("city_admin").get("/registry/enterprises/?q=a%00b")
    assert response.status_code == 400
    assert "请求无效" in response.content.decode() and "不能包含空字符或控制字符" in response.content.decode()


def test_the_site_answers_an_overlong_query_value_with_a_chinese_400_page(world: World) -> None:
    response = world.client("city_admin").get("/registry/enterprises/", {"q": "园" * 60000})
    assert response.status_code == 400
    assert "查询参数“q”过长：至多 1000 个字符" in response.content.decode()


def test_it_says_how_long_text_may_be_even_after_the_text_check() -> None:
    from yuanqu.core.contract.errors import schema_message

    text = {"type": "too_long", "input": "长" * 1001, "ctx": {"field_type": "Value", "max_length": 1000}}
    items = {"type": "too_long", "input": [1] * 11, "ctx": {"field_type": "List", "max_length": 10}}
    assert schema_message(text) == "长度不能超过 1000 个字符"
    assert schema_message(items) == "至多 10 项"
