"""The list page's one shape: the rows the reader may see (already filtered by the page's query), as
one page of PER_PAGE rows (`?page=`), or, for a list that has a registered export, as a spreadsheet of
the same rows on `?export=xlsx` (`core.exports.export_respond`: at once, or through a background job
when it is long).

    def park_list(request):
        user = page_user(request)
        filters = selectors.ParkFilters.from_query(request.GET)
        return list_page(request, "registry/park_list.html", selectors.park_list(user, filters),
                         actor=user, export=exports.PARKS, context={"filters": filters})

A page that builds more from its page of rows than a template can (a row's deadline, a masked field)
takes `page_of` and renders itself. A list's filters are a frozen dataclass read from the query string
(or an API's filter schema, or an export's stored parameters) by `filters_from_query`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuanqu.core.exports import export_respond
from yuanqu.core.models import User

PER_PAGE = 50
EXPORT = "xlsx"
# A filter's text is cut to this length: no code, name or search the lists filter on is longer.
FILTER_LENGTH = 60
FLAG_ON = frozenset({"1", "true", "on"})

FiltersT = TypeVar("FiltersT")


def page_of(request: HttpRequest, rows: QuerySet[Any] | Sequence[Any], per_page: int = PER_PAGE) -> Page[Any]:
    """The page of `rows` that `?page=` asks for (the last for a number past the end, the first for
    anything that is not a number)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def export_asked(request: HttpRequest) -> bool:
    """Whether the list is asked for as a spreadsheet (`?export=xlsx`)."""
    return request.GET.get("export") == EXPORT


def list_page(
    request: HttpRequest,
    template: str,
    rows: QuerySet[Any] | Sequence[Any],
    *,
    actor: User,
    export: str | None = None,
    per_page: int = PER_PAGE,
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The list as a page (`page` in the template's context, with `context`), or as the registered
    export `export` of the same query when the reader asks for the spreadsheet."""
    if export is not None and export_asked(request):
        return export_respond(request, actor=actor, code=export, params=request.GET.dict())
    return render(request, template, {"page": page_of(request, rows, per_page), **(context or {})})


def filters_from_query(
    cls: type[FiltersT], query: Mapping[str, Any], *, names: Mapping[str, str] | None = None
) -> FiltersT:
    """The filters `cls` (a dataclass of text and on/off fields) chosen in `query`: each field read
    from the parameter of its name (or of `names[field]`), text stripped and cut to FILTER_LENGTH
    characters, a flag on for 1, true or on. A missing or empty parameter is no filter; a value
    outside a field's choices is the selector's or the class's to drop."""
    chosen: dict[str, Any] = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        text = str(query.get((names or {}).get(field.name, field.name)) or "").strip()[:FILTER_LENGTH]
        chosen[field.name] = text in FLAG_ON if field.type in (bool, "bool") else text
    return cls(**chosen)
