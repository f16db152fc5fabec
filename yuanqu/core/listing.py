"""The list page's one shape: the rows the reader may see (already filtered by the page's query), as
one page of PER_PAGE rows (`?page=`), or, for a list that has a registered export, as a spreadsheet of
the same rows on `?export=xlsx` (`core.exports.export_respond`: at once, or through a background job
when it is long).

    def park_list(request):
        user = page_user(request)
        filters = selectors.ParkFilters.from_query(request.GET, user)
        return list_page(request, "registry/park_list.html", selectors.park_list(user, filters),
                         actor=user, export=exports.PARKS, context={"filters": filters})

A page that builds more from its page of rows than a template can (a row's deadline, a masked field)
takes `page_of` and renders itself. A list's filters are a frozen dataclass (a `QueryFilters`) read
from the query string (or an API's filter schema, or an export's stored parameters) by
`filters_from_query`, the one reader: the park, enterprise, case and task lists and the cockpit read
theirs with it, and a page shows what it ignored with `say_ignored`. A filter that names an object
(a district, a park, a unit) takes the objects in the reader's scope as its choices (`named_in`): a
code outside them — another district's park for a district user, or no object at all — is ignored
and said like any unknown value, instead of an empty list without a word.

A list page that is only that — filters read from the query, what was ignored said, the filtered rows
as a page or their export, and the filter form's choices — is declared as a `FilteredList` and
served by `filtered_list_page` (the registry's park and enterprise lists)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, TypeVar

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_noop

from yuanqu.core.exports import export_respond
from yuanqu.core.models import User

PER_PAGE = 50
EXPORT = "xlsx"
# A filter's text is cut to this length: no code, name or search the lists filter on is longer.
FILTER_LENGTH = 60
FLAG_ON = frozenset({"1", "true", "on"})

FiltersT = TypeVar("FiltersT")
# The codes a filter may take, or a test of one (`str.isdigit`).
Choices = Collection[str] | Callable[[str], bool]
FROM_QUERY = "from_query"
FILTER_IGNORED = gettext_noop("筛选条件 %(name)s 的值“%(value)s”不是可选的值，已忽略")


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


@dataclasses.dataclass(frozen=True)
class FilteredList:
    """A filtered list page: its template, its filters class (read with `from_query(query, reader)`),
    the reader's rows under those filters, its registered export, and the filter form's choices for
    the reader (the template's context beside `page` and `filters`)."""

    template: str
    filters: Any  # a QueryFilters dataclass with a `from_query(query, reader)` class method
    rows: Callable[[User, Any], QuerySet[Any]]
    export: str | None
    choices: Callable[[User], Mapping[str, Any]]


def filtered_list_page(request: HttpRequest, spec: FilteredList, *, actor: User) -> HttpResponse:
    """The list of `spec` for `actor`: filters from the query (what they ignored said on the page),
    then `list_page` over the filtered rows."""
    filters = spec.filters.from_query(request.GET, actor)
    say_ignored(request, filters)
    context = {"filters": filters, **spec.choices(actor)}
    return list_page(
        request, spec.template, spec.rows(actor, filters), actor=actor, export=spec.export, context=context
    )


def filters_from_query(
    cls: type[FiltersT],
    query: Mapping[str, Any],
    *,
    names: Mapping[str, str] | None = None,
    choices: Mapping[str, Choices] | None = None,
) -> FiltersT:
    """The filters `cls` (a dataclass of text and on/off fields) chosen in `query`: each field read
    from the parameter of its name (or of `names[field]`), text stripped and cut to FILTER_LENGTH
    characters, a flag on for 1, true or on. A missing or empty parameter is no filter (the field's
    default). A value a field cannot take — a code outside its `choices` (a collection of codes, or
    a test of one such as `str.isdigit` for a number) — is no filter either, the same on every list,
    and the filters' `ignored` (see `QueryFilters`) says so with FILTER_IGNORED. Fields marked
    `not_from_query()` are left to their defaults."""
    chosen: dict[str, Any] = {}
    ignored: list[tuple[str, str]] = []
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        if field.metadata.get(FROM_QUERY) is False:
            continue
        name = (names or {}).get(field.name, field.name)
        text = str(query.get(name) or "").strip()[:FILTER_LENGTH]
        if field.type in (bool, "bool"):
            chosen[field.name] = text in FLAG_ON
            continue
        allowed = (choices or {}).get(field.name)
        if text and allowed is not None and not (allowed(text) if callable(allowed) else text in allowed):
            ignored.append((name, text))
            text = ""
        if text or field.default is dataclasses.MISSING:
            chosen[field.name] = text
    filters = cls(**chosen)
    if ignored and isinstance(filters, QueryFilters):
        # Frozen: set as the dataclass itself sets its fields.
        object.__setattr__(filters, "ignored_pairs", tuple(ignored))
    return filters


def named_in(objects: QuerySet[Any], field: str = "code") -> Callable[[str], bool]:
    """The choices of a filter that names one of `objects` (those in the reader's scope) by `field`:
    one query, made only when the filter is given."""
    return lambda code: objects.filter(**{field: code}).exists()


def not_from_query(default: str = "") -> Any:
    """A field of a filters class that the query does not set (a label filled in by the reader)."""
    return dataclasses.field(default=default, metadata={FROM_QUERY: False})


class QueryFilters:
    """A base for a list's filters (a frozen dataclass): `ignored` holds what the query asked for
    that no filter could take, each as the message the page shows (`say_ignored`). It is not a
    field, so it is no part of the filters' identity: equality, repr and the read cache's key."""

    # The query parameter and value of each filter ignored (an API refuses them: `filters_taken`).
    ignored_pairs: tuple[tuple[str, str], ...] = ()

    @property
    def ignored(self) -> tuple[str, ...]:
        return tuple(gettext(FILTER_IGNORED) % {"name": name, "value": value} for name, value in self.ignored_pairs)


def say_ignored(request: HttpRequest, filters: object) -> None:
    """Show the page's reader which of the filters asked for were ignored (one warning each)."""
    for message in getattr(filters, "ignored", ()):
        messages.warning(request, message)
