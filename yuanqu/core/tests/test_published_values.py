"""`published_values`: an API answer read off a row by its schema's field names, with the fields the
row holds otherwise given by the endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

import pytest
from ninja import Schema

from yuanqu.core.contract.published import From, published_values


class LineOut(Schema):
    code: str
    amount: float
    park: str | None


@dataclass
class Line:
    code: str
    amount: Decimal
    park_id: int | None


def test_it_reads_the_schemas_fields_off_the_row_and_takes_the_computed_ones() -> None:
    row = Line(code="L1", amount=Decimal("12.50"), park_id=7)
    answer = published_values(row, LineOut, park="PA")
    assert answer == {"code": "L1", "amount": Decimal("12.50"), "park": "PA"}
    # The schema makes the decimal a number, as the API answers it.
    assert LineOut.model_validate(answer).model_dump() == {"code": "L1", "amount": 12.5, "park": "PA"}


def test_it_reads_a_mapping_by_key() -> None:
    assert published_values({"code": "L2", "amount": 1, "park": None}, LineOut) == {
        "code": "L2",
        "amount": 1,
        "park": None,
    }


def test_it_refuses_a_keyword_that_is_no_field_of_the_schema() -> None:
    with pytest.raises(KeyError, match="parc"):
        published_values(Line(code="L3", amount=Decimal(1), park_id=None), LineOut, parc="PA")


def test_a_field_neither_on_the_row_nor_given_is_an_error() -> None:
    with pytest.raises(AttributeError):
        published_values(Line(code="L4", amount=Decimal(1), park_id=None), LineOut)


@dataclass
class Park:
    code: str
    name: str


@dataclass
class Plot:
    number: str
    park: Park | None


class PlotOut(Schema):
    number: str
    park: Annotated[str | None, From("park.code")]
    park_name: Annotated[str | None, From("park.name")]


def test_it_reads_a_field_along_its_declared_path() -> None:
    row = Plot(number="P1", park=Park(code="PA", name="光谷园"))
    assert published_values(row, PlotOut) == {"number": "P1", "park": "PA", "park_name": "光谷园"}


def test_a_declared_path_through_an_absent_row_is_none() -> None:
    assert published_values(Plot(number="P2", park=None), PlotOut) == {"number": "P2", "park": None, "park_name": None}


def test_a_computed_value_wins_over_the_declared_path() -> None:
    row = Plot(number="P3", park=Park(code="PA", name="光谷园"))
    assert published_values(row, PlotOut, park_name="另称")["park_name"] == "另称"


def test_the_declared_path_leaves_the_published_schema_as_it_was() -> None:
    class PlainOut(Schema):
        number: str
        park: str | None
        park_name: str | None

    declared = PlotOut.model_json_schema()
    plain = PlainOut.model_json_schema()
    assert declared["properties"] == plain["properties"]
    assert declared["required"] == plain["required"]
