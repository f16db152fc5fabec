"""An output schema that publishes fields of a type another module owns takes their types from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypedDict

import pytest
from pydantic import ValidationError

from yuanqu.core.contract.published import published, published_values


@dataclass(frozen=True)
class _Entry:
    code: str
    starts: dt.date
    note: str | None
    internal: int


class _Details(TypedDict, total=False):
    status: str
    shown: bool


def test_the_schema_has_the_named_fields_with_the_owners_types() -> None:
    schema = published(_Entry, ("code", "starts", "note"), name="EntryFields")

    assert {name: field.annotation for name, field in schema.model_fields.items()} == {
        "code": str,
        "starts": dt.date,
        "note": str | None,
    }
    with pytest.raises(ValidationError):
        schema.model_validate({"code": "A", "starts": "not a date", "note": None})


def test_a_field_the_owner_does_not_declare_is_refused_at_once() -> None:
    with pytest.raises(KeyError):
        published(_Entry, ("code", "missing"), name="Broken")


def test_the_values_are_read_from_an_object_or_a_mapping() -> None:
    entry = _Entry(code="A", starts=dt.date(2026, 1, 2), note=None, internal=7)
    details: _Details = {"status": "在建", "shown": True}

    assert published_values(entry, published(_Entry, ("code", "note"), name="E")) == {"code": "A", "note": None}
    assert published_values(details, published(_Details, ("status",), name="D")) == {"status": "在建"}
