"""Output schemas that publish fields of a type another module owns: a pack section's dataclass or a
service's `TypedDict`. The API names the fields it publishes, and their types come from the owning
type, so the two cannot drift apart and the fields are not declared twice.

    if TYPE_CHECKING:
        IndicatorFields = Schema
    else:
        IndicatorFields = published(Indicator, ("code", "name", ...), name="IndicatorFields")

    class IndicatorOut(IndicatorFields):
        terms: list[TermOut]  # what the API shapes itself

`published_values(item, IndicatorFields)` reads those fields off an object for the answer."""

from __future__ import annotations

import typing
from typing import Any

from ninja import Schema
from pydantic import create_model


def published(source: type, fields: tuple[str, ...], *, name: str) -> type[Schema]:
    """A schema with `fields` of `source`, each with the type `source` declares for it; a field
    `source` does not declare is a programming error (KeyError at import)."""
    hints = typing.get_type_hints(source)
    declared: dict[str, Any] = {field: (hints[field], ...) for field in fields}
    return create_model(name, __base__=Schema, **declared)


def published_values(item: object, schema: type[Schema]) -> dict[str, Any]:
    """The published fields of `item`, read as attributes (a dataclass) or keys (a mapping)."""
    if isinstance(item, dict):
        return {field: item[field] for field in schema.model_fields}
    return {field: getattr(item, field) for field in schema.model_fields}
