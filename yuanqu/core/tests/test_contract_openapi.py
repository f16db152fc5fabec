"""The API's contract as its OpenAPI document states it: a Chinese summary on every operation, the
error answers documented with the one error schema, every list paginated by the one pagination,
every string bounded in length and every integer in range, and no untyped object as a response."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from yuanqu.api import api
from yuanqu.core.contract.openapi import ALWAYS

PAGE_FIELDS = {"items", "count", "page", "page_size"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return api.get_openapi_schema()  # type: ignore[no-any-return]


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_every_operation_has_a_chinese_summary(document: dict[str, Any]) -> None:
    missing = [
        f"{method} {path}"
        for method, path, operation in operations(document)
        if not any("\u4e00" <= char <= "\u9fff" for char in operation.get("summary", ""))
    ]
    assert not missing


def test_every_operation_documents_its_errors_with_the_one_error_schema(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        expected = set(ALWAYS) | ({409} if method != "get" else set())
        if "requestBody" in operation:
            expected |= {413, 415}
        assert expected <= set(operation["responses"]), f"{method} {path}"
        for status in expected:
            schema = operation["responses"][status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}
    error = document["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"detail", "code"}


def test_every_list_is_paginated_by_the_one_pagination(document: dict[str, Any]) -> None:
    bare = []
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) >= 300:
                continue
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            if schema is None:
                continue
            schema = resolve(document, schema)
            if schema.get("type") == "array" and method == "get":
                bare.append(f"{method} {path}")
            if "items" in schema.get("properties", {}):
                assert set(schema["properties"]) == PAGE_FIELDS, f"{method} {path}"
    assert not bare


def test_no_response_is_an_untyped_object(document: dict[str, Any]) -> None:
    untyped = []
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            if schema is not None and int(status) < 300:
                resolved = resolve(document, schema)
                if resolved.get("type") == "object" and "properties" not in resolved:
                    untyped.append(f"{method} {path} {status}")
    assert not untyped


def _walk_inputs(document: dict[str, Any], schema: dict[str, Any], where: str, seen: set[str]) -> Iterator[str]:
    """Where an input string has no maximum length or an input integer no bounds."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return
        seen = seen | {name}
        schema = resolve(document, schema)
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            yield from _walk_inputs(document, option, where, seen)
    kind = schema.get("type")
    # A decimal is offered as a number or a patterned string; its digits are bounded by max_digits.
    bounded_otherwise = {"enum", "const", "format", "pattern"} & set(schema)
    if kind == "string" and not bounded_otherwise and "maxLength" not in schema:
        yield where
    if kind == "integer" and ("maximum" not in schema or "minimum" not in schema):
        yield where
    for name, child in schema.get("properties", {}).items():
        yield from _walk_inputs(document, child, f"{where}.{name}", seen)
    if isinstance(schema.get("items"), dict):
        yield from _walk_inputs(document, schema["items"], f"{where}[]", seen)
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _walk_inputs(document, schema["additionalProperties"], f"{where}{{}}", seen)
    if isinstance(schema.get("propertyNames"), dict):
        yield from _walk_inputs(document, schema["propertyNames"], f"{where}<key>", seen)


def test_every_input_string_and_integer_is_bounded(document: dict[str, Any]) -> None:
    unbounded: list[str] = []
    for method, path, operation in operations(document):
        for parameter in operation.get("parameters", []):
            unbounded += _walk_inputs(document, parameter["schema"], f"{method} {path} ?{parameter['name']}", set())
        for media in operation.get("requestBody", {}).get("content", {}).values():
            unbounded += _walk_inputs(document, media["schema"], f"{method} {path} body", set())
    assert not unbounded, "\n".join(unbounded)


def test_every_body_and_query_schema_is_an_input_schema() -> None:
    """So that no operation skips the refusal of NUL, control characters and lone surrogates."""
    import inspect
    import typing

    from ninja import Schema

    from yuanqu.core.contract.schemas import InputSchema

    plain = []
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                hints = typing.get_type_hints(operation.view_func, include_extras=True)
                for name in inspect.signature(operation.view_func).parameters:
                    hint = hints.get(name)
                    candidates = [hint, *typing.get_args(hint)]
                    plain += [
                        f"{operation.view_func.__qualname__}({name}: {candidate.__name__})"
                        for candidate in candidates
                        if inspect.isclass(candidate)
                        and issubclass(candidate, Schema)
                        and not issubclass(candidate, InputSchema)
                    ]
    assert not plain


def test_no_two_schemas_share_a_name() -> None:
    """The document keeps one component per class name: a second schema of the same name silently
    replaces the first, so an operation would be documented (and fuzzed) with another's fields."""
    from ninja import Schema

    modules: dict[str, set[str]] = {}
    pending = list(Schema.__subclasses__())
    while pending:
        schema = pending.pop()
        pending += schema.__subclasses__()
        if schema.__module__.startswith("yuanqu."):
            modules.setdefault(schema.__name__, set()).add(schema.__module__)
    shared = {name: sorted(where) for name, where in modules.items() if len(where) > 1}
    assert not shared, shared
