"""`Collection`: a published collection's list, one row and create, declared by one call each, are
operations as Django Ninja documents and calls hand-written functions: named after the function
they replace, with the path key and the body of the right type, paginated, and 201 on a create."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from ninja import NinjaAPI, Router, Schema

from yuanqu.api import api
from yuanqu.core.contract.collection import Collection
from yuanqu.core.models import User


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return api.get_openapi_schema()  # type: ignore[no-any-return]


def test_it_names_each_operation_as_the_function_it_replaces(document: dict[str, Any]) -> None:
    events = document["paths"]["/api/v1/talent/events"]
    assert events["get"]["operationId"] == "yuanqu_talent_api_list_events"
    assert events["post"]["operationId"] == "yuanqu_talent_api_create_event"
    detail = document["paths"]["/api/v1/talent/events/{pk}"]["get"]
    assert detail["operationId"] == "yuanqu_talent_api_get_event"
    assert document["paths"]["/api/v1/factors/land"]["post"]["operationId"] == "yuanqu_factors_api_record_land"


def test_the_list_is_paginated_the_key_is_a_path_integer_and_a_create_answers_201(document: dict[str, Any]) -> None:
    listed = document["paths"]["/api/v1/factors/funds"]["get"]
    assert {parameter["name"] for parameter in listed["parameters"]} == {"page", "page_size"}
    detail = document["paths"]["/api/v1/talent/honours/{pk}"]["get"]
    (key,) = detail["parameters"]
    assert (key["name"], key["in"], key["schema"]["type"]) == ("pk", "path", "integer")
    created = document["paths"]["/api/v1/service/visits"]["post"]
    assert created["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ServiceVisitIn")
    assert 201 in created["responses"]
    assert 200 not in created["responses"]


class _Row:
    def __init__(self, pk: int) -> None:
        self.pk = pk


class _Missing(ObjectDoesNotExist):
    pass


class _Rows:
    """A stand-in for a reader's rows, which hold row 1 alone."""

    def get(self, *, pk: Any) -> _Row:
        if pk != 1:
            raise _Missing
        return _Row(1)


def _thing_out(row: _Row) -> dict[str, Any]:
    return {"id": row.pk}


class ThingOut(Schema):
    id: int


THINGS: Collection[Any] = Collection(
    reader=lambda request: User(),
    rows=lambda user: _Rows(),  # type: ignore[arg-type,return-value]
    out=_thing_out,
)


def test_one_row_outside_the_readers_rows_is_a_404_as_if_it_did_not_exist() -> None:
    assert THINGS.one(User(), 1) == {"id": 1}
    with pytest.raises(Http404):
        THINGS.one(User(), 2)


def test_a_router_gets_operations_named_in_the_module_that_writes_the_rows_out() -> None:
    router = Router()
    THINGS.add_list(router, "/things", ThingOut, "物品", name="list_things")
    THINGS.add_detail(router, "/things/{pk}", ThingOut, "物品详情", name="get_thing")
    THINGS.add_create(
        router,
        "/things",
        ThingOut,
        "登记物品",
        name="create_thing",
        payload=ThingOut,
        create=lambda user, body: _Row(1),  # type: ignore[arg-type,return-value]
    )
    local = NinjaAPI(urls_namespace="collection-test")
    local.add_router("/", router)
    paths = local.get_openapi_schema(path_prefix="/api/")["paths"]
    prefix = __name__.replace(".", "_")
    assert paths["/api/things"]["get"]["operationId"] == f"{prefix}_list_things"
    assert paths["/api/things"]["post"]["operationId"] == f"{prefix}_create_thing"
    assert paths["/api/things/{pk}"]["get"]["summary"] == "物品详情"
