"""The input types every API schema is built from, so that what the database cannot hold is refused
with 422 before any view or service sees it: text without NUL, control characters or lone
surrogates and with a declared maximum length (longer input is refused, never cut), dates within
1949–2100, integers within what the columns hold, no NaN or infinity.

`InputSchema` is the base of every body and query schema of `/api/v1/`; the `*Param` aliases bound
the single path and query parameters; `query_schema` makes a list endpoint's query schema from the
list's filters (`core.listing`), so the page and the API take the same parameters. A test walks the
OpenAPI schema and fails on any string without a maximum length and any integer without bounds."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from django.utils.translation import gettext, gettext_noop
from ninja import Field, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.params import functions as param
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, ConfigDict, WithJsonSchema, create_model, model_validator
from pydantic_core import PydanticCustomError

# Largest value of a 64-bit signed column (ids on PostgreSQL are bigint).
MAX_BIGINT = 2**63 - 1
# Largest value of a 32-bit signed column (counts, versions, percentages, days).
MAX_INT = 2**31 - 1
FIRST_YEAR = 1949
LAST_YEAR = 2100
FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)
LAST_DAY = dt.date(LAST_YEAR, 12, 31)
# Bound of a page number: far more than any list holds, far less than overflows an offset.
MAX_PAGE = 1_000_000

TEXT_CONTROL = "不能包含空字符或控制字符"
TEXT_SURROGATE = "含有无效的 Unicode 字符（孤立代理项）"
NUMBER_TOO_LARGE = "数值超出允许范围"
DATE_RANGE = f"日期须在 {FIRST_DAY.isoformat()} 至 {LAST_DAY.isoformat()} 之间"

# Tab, line feed and carriage return are text; every other C0 control and DEL is not.
_CONTROL = frozenset(chr(code) for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def text_problem(value: str) -> str | None:
    """What makes a string unstorable, or None: a NUL or other control character, a lone surrogate."""
    if not _CONTROL.isdisjoint(value):
        return TEXT_CONTROL
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return TEXT_SURROGATE
    return None


def check_text(value: str) -> str:
    problem = text_problem(value)
    if problem is not None:
        raise PydanticCustomError("text_invalid", problem)
    return value


def check_date(value: dt.date) -> dt.date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError("date_range", DATE_RANGE)
    return value


def _walk(value: Any) -> None:
    """Refuse, anywhere in a decoded body (free-form objects too), a string that cannot be stored or
    an integer that no column holds."""
    if isinstance(value, str):
        check_text(value)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not -MAX_BIGINT <= value <= MAX_BIGINT:
            raise PydanticCustomError("number_too_large", NUMBER_TOO_LARGE)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(key)
            _walk(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _walk(item)


class InputSchema(Schema):
    """Base of every API input schema: refuses unstorable text and integers anywhere in the input,
    and NaN or infinity in any number."""

    model_config = ConfigDict(allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        # Ninja's own root validator hands the decoded input over wrapped in a DjangoGetter.
        raw = data._obj if isinstance(data, DjangoGetter) else data
        if isinstance(raw, dict):
            _walk(raw)
        return data


def if_sent() -> Any:
    """Default of a PATCH field the object must always have: absent leaves it unchanged, `null` is
    refused with 422 (the field's type does not admit None; pydantic does not validate the default)."""
    return Field(None)


def decimal_schema(max_digits: int, decimal_places: int) -> WithJsonSchema:
    """The OpenAPI of a decimal column's input (a number, or a string of digits), bounded like the
    column, for `Annotated[Decimal, Field(max_digits=…, decimal_places=…), decimal_schema(…)]`."""
    limit = 10 ** (max_digits - decimal_places)
    return WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": -limit, "exclusiveMaximum": limit},
                {"type": "string", "maxLength": max_digits + 2, "pattern": r"^-?\d+(\.\d+)?$"},
            ]
        }
    )


Code = Annotated[str, AfterValidator(check_text), Field(max_length=64)]
Name = Annotated[str, AfterValidator(check_text), Field(max_length=200)]
SearchText = Annotated[str, AfterValidator(check_text), Field(max_length=100)]
PlausibleDate = Annotated[dt.date, AfterValidator(check_date)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Id = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]

# Single path and query parameters (outside a schema).
CodePath = Annotated[str, param.Path(..., max_length=64)]
IdPath = Annotated[int, param.Path(..., ge=1, le=MAX_BIGINT)]
IdParam = Annotated[int, param.Query(..., ge=1, le=MAX_BIGINT)]
YearParam = Annotated[int, param.Query(..., ge=FIRST_YEAR, le=LAST_YEAR)]
OptionalYearParam = Annotated[int | None, param.Query(None, ge=FIRST_YEAR, le=LAST_YEAR)]
OptionalCodeParam = Annotated[str | None, param.Query(None, max_length=64)]


FiltersT = TypeVar("FiltersT")
FILTER_REFUSED = gettext_noop("筛选条件 %(name)s 的值“%(value)s”不是可选的值：不存在或不在您的权限范围内")


def query_schema(
    filters: type,
    *,
    name: str,
    names: Mapping[str, str] | None = None,
    search: str = "q",
    types: Mapping[str, Any] | None = None,
    hidden: tuple[str, ...] = (),
) -> type[InputSchema]:
    """The query schema of a list endpoint whose filters are the dataclass `filters` (read by
    `core.listing.filters_from_query`): each filter the query sets, in its order, under its query
    parameter (`names` as `filters_from_query` takes them), a flag as a bool, the `search` field as
    `SearchText`, a field of `types` as that type and any other text as a `Code`, with the filter's
    default. The filters in `hidden` are the page's alone (the API does not offer them)."""
    fields: dict[str, Any] = {}
    for field in dataclasses.fields(filters):
        if field.metadata.get("from_query") is False or field.name in hidden:
            continue
        kind: Any = bool if field.type in (bool, "bool") else SearchText if field.name == search else Code
        kind = (types or {}).get(field.name, kind)
        fields[(names or {}).get(field.name, field.name)] = (kind, field.default)
    schema: type[InputSchema] = create_model(name, __base__=InputSchema, **fields)
    return schema


def filters_taken(filters: FiltersT) -> FiltersT:
    """A list endpoint's filters (read by `core.listing.filters_from_query`) when every filter asked
    for could be taken; else 422 naming each query parameter whose value is no choice — a code not
    in the reader's scope or none at all, an unknown status. A page ignores such a value with a
    warning and shows the whole scope; an API client has no warning to read, so it is refused
    rather than answered with rows it did not ask for."""
    pairs: tuple[tuple[str, str], ...] = getattr(filters, "ignored_pairs", ())
    if pairs:
        raise NinjaValidationError(
            [
                {
                    "loc": ["query", name],
                    "msg": gettext(FILTER_REFUSED) % {"name": name, "value": value},
                    "type": "filter_not_a_choice",
                }
                for name, value in pairs
            ]
        )
    return filters
