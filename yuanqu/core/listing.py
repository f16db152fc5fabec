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
takes `page_of` and renders itself."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuanqu.core.exports import export_respond
from yuanqu.core.models import User

PER_PAGE = 50
EXPORT = "xlsx"


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
