"""Output schemas that publish fields of a type another module owns: a pack section's dataclass or a
service's `TypedDict`. The API names the fields it publishes, and their types come from the owning
type, so the two cannot drift apart and the fields are not declared twice.

    if TYPE_CHECKING:
        IndicatorFields = Schema
    else:
        IndicatorFields = published(Indicator, ("code", "name", ...), name="IndicatorFields")

    class IndicatorOut(IndicatorFields):
        terms: list[TermOut]  # what the API shapes itself

`published_values(item, IndicatorFields)` reads those fields off an object for the answer; it serves any
output schema whose fields a row holds under the same names (`published_values(row, LedgerOut,
park=row.park.code if row.park else None)`: the keywords give the fields the row holds otherwise, a
related row's code or a choice's label), so an endpoint's answer names only what it computes. A
field that is a related row's key or name says where it is read, once, in the schema:
`enterprise: Annotated[str, From("enterprise.uscc")]` (None where a row on the way is None: an
optional related row), or `enterprise: RelatedEnterprise` for the usual ones; the OpenAPI document
does not change. Who calls this: the API modules."""

from __future__ import annotations

import functools
import typing
from dataclasses import dataclass
from typing import Annotated, Any

from ninja import Schema
from pydantic import create_model


def published(source: type, fields: tuple[str, ...], *, name: str) -> type[Schema]:
    """A schema with `fields` of `source`, each with the type `source` declares for it; a field
    `source` does not declare is a programming error (KeyError at import)."""
    hints = typing.get_type_hints(source)
    declared: dict[str, Any] = {field: (hints[field], ...) for field in fields}
    return create_model(name, __base__=Schema, **declared)


@dataclass(frozen=True)
class From:
    """Where an output field is read off the row: a dotted path of attributes (`"park.code"`)."""

    path: str


# The related rows most output schemas name: an enterprise by its USCC (and name), a park and a
# district by their codes, read off the row's `enterprise`, `park` and `district`.
RelatedEnterprise = Annotated[str, From("enterprise.uscc")]
RelatedEnterpriseOrNone = Annotated[str | None, From("enterprise.uscc")]
RelatedEnterpriseName = Annotated[str, From("enterprise.name")]
RelatedPark = Annotated[str, From("park.code")]
RelatedParkOrNone = Annotated[str | None, From("park.code")]
RelatedParkName = Annotated[str, From("park.name")]
RelatedDistrict = Annotated[str, From("district.code")]


@functools.cache
def _paths(schema: type[Schema]) -> dict[str, tuple[str, ...]]:
    """The fields of `schema` read through a `From`, with their steps."""
    return {
        name: tuple(meta.path.split("."))
        for name, field in schema.model_fields.items()
        for meta in field.metadata
        if isinstance(meta, From)
    }


def _followed(item: object, steps: tuple[str, ...]) -> Any:
    for step in steps:
        if item is None:
            return None
        item = getattr(item, step)
    return item


def published_values(item: object, schema: type[Schema], /, **computed: Any) -> dict[str, Any]:
    """The fields of `schema`: those in `computed` as given, every other one read off `item` as an
    attribute (a dataclass, a model row) or a key (a mapping). A keyword that is no field of `schema`
    is a programming error (KeyError), so a misspelt one cannot leave a field read off the row. A
    field with a `From` is read along its path."""
    unknown = computed.keys() - schema.model_fields.keys()
    if unknown:
        raise KeyError(f"{schema.__name__} has no field {', '.join(sorted(unknown))}")
    if isinstance(item, dict):
        return {field: computed[field] if field in computed else item[field] for field in schema.model_fields}
    paths = _paths(schema)
    return {
        field: computed[field] if field in computed else _followed(item, paths.get(field, (field,)))
        for field in schema.model_fields
    }
