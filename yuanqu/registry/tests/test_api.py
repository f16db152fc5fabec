"""The registry API: 422 with field errors on bad input (never 500), scoped writes, 404 outside scope."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import World
from yuanqu.core.uscc import make as make_uscc
from yuanqu.registry.models import Enterprise


def _payload(**overrides: Any) -> dict[str, Any]:
    data = {
        "uscc": make_uscc("91420100MA4K88888"),
        "name": "武汉接口测试有限公司",
        "industry": "C3976",
        "district": "420115",
    }
    data.update(overrides)
    return data


def test_a_district_user_creates_an_enterprise_in_the_park_it_names(world: World) -> None:
    response = world.client("district_jiangxia").post(
        "/api/v1/registry/enterprises", _payload(park="PB"), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["park"] == "PB"
    assert Enterprise.objects.get(uscc=_payload()["uscc"]).park_assignment == "manual"


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"uscc": "91350100M000100Y44"}, "uscc", "校验位错误"),
        ({"industry": "X0000"}, "industry", "不在《国民经济行业分类》"),
        ({"district": "999999"}, "district", "区代码“999999”不存在"),
        ({"lon": 121.47, "lat": 31.23}, "lon", "不在武汉市范围内"),
        ({"park": "PC"}, "park", "园区"),
    ],
)
def test_it_answers_422_with_the_field_and_rule(
    world: World, override: dict[str, Any], field: str, message: str
) -> None:
    response = world.client("district_jiangxia").post(
        "/api/v1/registry/enterprises", _payload(**override), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    errors = {tuple(item["loc"])[-1]: item["msg"] for item in response.json()["errors"]}
    assert message in errors[field]
    assert not Enterprise.objects.filter(name="武汉接口测试有限公司").exists()


def test_it_answers_422_for_a_malformed_body(world: World) -> None:
    response = world.client("city_admin").post(
        "/api/v1/registry/parks", {"code": "PX"}, content_type="application/json"
    )
    assert response.status_code == 422


def test_it_answers_404_when_patching_outside_scope(world: World) -> None:
    uscc = world.enterprises["E3"].uscc
    response = world.client("district_jiangxia").patch(
        f"/api/v1/registry/enterprises/{uscc}", {"name": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert Enterprise.objects.get(uscc=uscc).name == "武汉丙生物医药有限公司"


def test_it_refuses_an_invalid_boundary_with_422(world: World) -> None:
    response = world.client("city_admin").patch(
        "/api/v1/registry/parks/PA",
        {
            "boundary": {
                "type": "Polygon",
                "coordinates": [[[114.3, 30.5], [114.32, 30.52], [114.32, 30.5], [114.3, 30.52], [114.3, 30.5]]],
            }
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "自相交" in response.json()["errors"][0]["msg"]


def test_parks_are_registered_by_the_city_only_and_a_refusal_writes_nothing(world: World) -> None:
    from yuanqu.registry.models import Park

    payload = {"code": "PX", "name": "江夏新园", "district": "420115", "planned_area_km2": "2"}
    refused = world.client("district_jiangxia").post("/api/v1/registry/parks", payload, content_type="application/json")
    assert refused.status_code == 403 and "园区编码" in refused.json()["detail"]
    assert not Park.objects.filter(code="PX").exists()
    created = world.client("city_admin").post("/api/v1/registry/parks", payload, content_type="application/json")
    assert created.status_code == 201, created.content


@pytest.mark.parametrize(("prefix", "expected"), [("C39", 4), ("c3976", 4), ("C36", 0), ("C", 4)])
def test_it_filters_enterprises_by_an_industry_code_prefix_on_the_api_and_the_page(
    world: World, prefix: str, expected: int
) -> None:
    client = world.client("city_admin")
    api = client.get(f"/api/v1/registry/enterprises?industry={prefix}")
    assert api.status_code == 200 and api.json()["count"] == expected
    page = client.get(f"/registry/enterprises/?industry={prefix}")
    assert page.status_code == 200
    assert (world.enterprises["E1"].name in page.content.decode()) is (expected > 0)
