"""Input the database cannot hold is refused before any view sees it (core/contract/schemas and
middleware): NUL and other control characters, lone surrogates, overlong text, implausible dates,
numbers beyond any column, bodies that are not JSON objects."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import World
from yuanqu.core.contract.schemas import DATE_RANGE, TEXT_CONTROL, TEXT_SURROGATE
from yuanqu.registry.models import Enterprise, Park


def _post(client: Client, url: str, data: Any, method: str = "post") -> Any:
    body = data if isinstance(data, str) else json.dumps(data)
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/registry/parks?q=a%00b",
        "/api/v1/registry/parks/P%00A",
        "/api/v1/registry/enterprises?industry=%1b",
        "/api/v1/casework/cases?q=%ED%A0%80",
    ],
)
def test_it_refuses_a_nul_or_control_character_in_the_path_or_query_with_422(world: World, url: str) -> None:
    response = world.client("city_admin").get(url)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert response.json()["detail"] in {TEXT_CONTROL, TEXT_SURROGATE}


@pytest.mark.parametrize(("text", "message"), [("江夏\x00产业园", TEXT_CONTROL), ("江夏\ud800产业园", TEXT_SURROGATE)])
def test_it_refuses_a_nul_or_a_lone_surrogate_in_a_json_body_and_stores_nothing(
    world: World, text: str, message: str
) -> None:
    response = _post(world.client("city_admin"), "/api/v1/registry/parks/PA", {"name": text}, "patch")
    assert response.status_code == 422 and message in response.json()["detail"]
    nested = _post(
        world.client("city_admin"),
        "/api/v1/registry/parks/PA",
        {"boundary": {"type": "Polygon", "coordinates": [], text: 1}},
        "patch",
    )
    assert nested.status_code == 422
    assert Park.objects.get(code="PA").name == "江夏现代产业园"


def test_it_refuses_text_longer_than_its_column_instead_of_cutting_it(world: World) -> None:
    response = _post(world.client("city_admin"), "/api/v1/registry/parks/PA", {"name": "园" * 81}, "patch")
    assert response.status_code == 422
    assert response.json()["errors"][0] == {"loc": ["body", "payload", "name"], "msg": "长度不能超过 80 个字符"}
    assert Park.objects.get(code="PA").name == "江夏现代产业园"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/registry/parks?page=99999999999999999999",
        "/api/v1/registry/parks?page_size=100000",
        "/api/v1/registry/parks?q=" + "园" * 60000,
        "/api/v1/evaluation/runs/92233720368547758070",
        "/api/v1/evaluation/runs/compare?a=1&b=99999999999999999999",
        "/api/v1/indicators/revenue/units?period=2025-06&offset=100000000000000000000",
        "/api/v1/evaluation/grades?year=0",
    ],
)
def test_it_refuses_huge_pages_offsets_ids_and_search_strings_with_422(world: World, url: str) -> None:
    response = world.client("city_admin").get(url)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize("day", ["0001-01-01", "1948-12-31", "2101-01-01"])
def test_it_refuses_an_implausible_date(world: World, day: str) -> None:
    uscc = world.enterprises["E1"].uscc
    response = _post(world.client("city_admin"), f"/api/v1/registry/enterprises/{uscc}", {"founded_on": day}, "patch")
    assert response.status_code == 422 and response.json()["errors"][0]["msg"] == DATE_RANGE


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/registry/parks/PA", "green_level"),
        ("/api/v1/registry/parks/PA", "operator_name"),
        ("/api/v1/registry/parks/PA", "operator_uscc"),
        ("/api/v1/registry/parks/PA", "planned_area_km2"),
        ("ENTERPRISE", "address"),
        ("ENTERPRISE", "name"),
    ],
)
def test_it_refuses_null_for_a_field_that_must_have_a_value(world: World, url: str, field: str) -> None:
    if url == "ENTERPRISE":
        url = f"/api/v1/registry/enterprises/{world.enterprises['E1'].uscc}"
    response = _post(world.client("city_admin"), url, {field: None}, "patch")
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["loc"][-1] == field


def test_null_still_clears_a_field_that_may_be_empty(world: World) -> None:
    uscc = world.enterprises["E1"].uscc
    response = _post(world.client("city_admin"), f"/api/v1/registry/enterprises/{uscc}", {"founded_on": None}, "patch")
    assert response.status_code == 200 and Enterprise.objects.get(uscc=uscc).founded_on is None


@pytest.mark.parametrize("body", ["[]", "null", '"name"', "17"])
def test_it_refuses_a_body_that_is_not_a_json_object(world: World, body: str) -> None:
    response = _post(world.client("city_admin"), "/api/v1/registry/parks/PA", body, "patch")
    assert response.status_code == 422 and response.json()["detail"] == "请求内容须为 JSON 对象"


def test_it_refuses_multipart_to_a_json_endpoint_with_415_and_takes_it_where_files_are_taken(world: World) -> None:
    client = world.client("city_admin")
    response = client.post("/api/v1/registry/parks", {"code": "PX", "name": "x"})  # multipart by default
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"
    upload = client.post("/api/v1/intake/batches", {"kind": "nope"})
    assert upload.status_code == 422  # multipart accepted there; the unknown kind is what is refused


def test_it_refuses_nan_and_numbers_beyond_any_column(world: World) -> None:
    client = world.client("city_admin")
    uscc = world.enterprises["E1"].uscc
    nan = _post(client, f"/api/v1/registry/enterprises/{uscc}", '{"lon": NaN, "lat": 30.4}', "patch")
    assert nan.status_code == 422
    huge = _post(client, "/api/v1/casework/notifications/read", {"ids": [2**64]})
    assert huge.status_code == 422


def test_api_json_is_gzipped_for_a_client_that_accepts_it_and_pages_are_not(world: World) -> None:
    client = world.client("city_admin")
    api = client.get("/api/v1/registry/enterprises?page_size=200", headers={"accept-encoding": "gzip"})
    assert api.status_code == 200 and api["Content-Encoding"] == "gzip"
    page = client.get("/registry/enterprises/", headers={"accept-encoding": "gzip"})
    assert page.status_code == 200 and not page.has_header("Content-Encoding")
