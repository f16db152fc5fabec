"""The one pagination of the API's list endpoints: `?page=` (from 1) and `?page_size=` (bounded),
answering `{"items": [...], "count": N, "page": p, "page_size": s}`. An endpoint declares
`@paginate(Page)` (or `@paginate(Page, page_size=…)` for its default) and returns a queryset, a
list, or a `Mapped` queryset whose rows are turned into dicts only for the page that is sent."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from yuanqu.core.contract.schemas import MAX_PAGE

# The largest page any client may ask for; the endpoint's own default is usually smaller.
MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50


class Page(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，至多 {MAX_PAGE_SIZE}")

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    items_attribute: str = "items"

    def __init__(self, *, page_size: int = DEFAULT_PAGE_SIZE, **kwargs: Any) -> None:
        self.page_size = min(page_size, MAX_PAGE_SIZE)
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        size = pagination.page_size or self.page_size
        offset = (pagination.page - 1) * size
        return {
            "items": list(queryset[offset : offset + size]),
            "count": self._items_count(queryset),
            "page": pagination.page,
            "page_size": size,
        }


class Mapped(Sequence[dict[str, Any]]):
    """A queryset seen through a row→dict function, applied to the sliced page only."""

    def __init__(self, queryset: QuerySet[Any], to_dict: Callable[[Any], dict[str, Any]]) -> None:
        self._queryset = queryset
        self._to_dict = to_dict

    def __len__(self) -> int:
        return self._queryset.count()

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self._to_dict(row) for row in self._queryset[index]]
        return self._to_dict(self._queryset[index])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self._to_dict(row) for row in self._queryset)
