"""A published collection of the API: one kind of row, declared once as who may read it, the rows a
reader sees and how one row is written out, and from that its list, its one row and its create
operations, added to a router by one call each instead of a function written out per operation.

    EVENTS = Collection(reader=_reader, rows=_events, out=_event_out)
    EVENTS.add_list(router, "/events", RecruitmentEventOut, "专项招聘活动", name="list_events")
    EVENTS.add_detail(router, "/events/{pk}", RecruitmentEventOut, "专项招聘活动详情", name="get_event")
    EVENTS.add_create(router, "/events", RecruitmentEventOut, "发布专项招聘活动", name="create_event",
                      payload=schemas.EventIn, create=lambda user, payload: ...)

Each operation behaves as the function it replaces would: the reader refuses a role with 403 before
anything is read; the list is paginated (`core.contract.pagination.Page`) and writes out only the page
sent; the one row is looked up through the reader's scope (404 outside it, as if it did not exist);
a create runs the app's action (which checks the write and audits it) and answers 201 with the new
row read back through the reader's scope. The operation is named as if it were the function `name`
of the module that writes the rows out (`out`), so its OpenAPI operationId and URL name are those
the hand-written function had. Who calls this: the API modules of 陪跑/惠企, 人才 and 要素."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from yuanqu.core.contract.errors import NOT_FOUND
from yuanqu.core.contract.pagination import Mapped, Page
from yuanqu.core.contract.schemas import IdPath
from yuanqu.core.models import User

M = TypeVar("M", bound=models.Model)
P = TypeVar("P", bound=Schema)


@dataclass(frozen=True)
class Collection(Generic[M]):
    """One kind of row as the API publishes it."""

    # The signed-in user, or 403 for a role with no part here.
    reader: Callable[[HttpRequest], User]
    # The rows the user sees (through `visible_to`), in the list's order, with what `out` reads loaded.
    rows: Callable[[User], QuerySet[M]]
    # One row as the response schema's values.
    out: Callable[[M], dict[str, Any]]

    def one(self, user: User, pk: Any) -> dict[str, Any]:
        """Row `pk` written out, if `user` sees it; otherwise 404, as if it did not exist."""
        try:
            row = self.rows(user).get(pk=pk)
        except (ObjectDoesNotExist, ValueError) as exc:
            raise Http404(NOT_FOUND) from exc
        return self.out(row)

    def add_list(
        self, router: Router, path: str, response: Any, summary: str, *, name: str, page_size: int = 100
    ) -> None:
        def operation(request: HttpRequest) -> Any:
            return Mapped(self.rows(self.reader(request)), self.out)

        listed = paginate(Page, page_size=page_size)(self._named(operation, name, request=HttpRequest))
        router.add_api_operation(path, ["GET"], listed, response=list[response], summary=summary)

    def add_detail(self, router: Router, path: str, response: Any, summary: str, *, name: str, key: str = "pk") -> None:
        def operation(request: HttpRequest, **path_key: Any) -> Any:
            return self.one(self.reader(request), path_key[key])

        named = self._named(operation, name, request=HttpRequest, **{key: IdPath})
        router.add_api_operation(path, ["GET"], named, response=response, summary=summary)

    def add_create(
        self,
        router: Router,
        path: str,
        response: Any,
        summary: str,
        *,
        name: str,
        payload: type[P],
        create: Callable[[User, P], models.Model],
        writer: Callable[[HttpRequest], User] | None = None,
    ) -> None:
        """POST `path`: `create(user, payload)` (the app's action: it checks and audits the write),
        answered with 201 and the new row as the user sees it. `writer` is the role check when fewer
        roles may create than read."""
        check = writer or self.reader

        def operation(request: HttpRequest, payload: P) -> Any:
            user = check(request)
            return Status(201, self.one(user, create(user, payload).pk))

        named = self._named(operation, name, request=HttpRequest, payload=payload)
        router.add_api_operation(path, ["POST"], named, response={201: response}, summary=summary)

    def _named(self, operation: Callable[..., Any], name: str, **annotations: Any) -> Callable[..., Any]:
        """`operation` as Django Ninja should see it: the function `name` of the module that writes
        the rows out, taking the parameters `annotations` names, of those types."""
        operation.__name__ = operation.__qualname__ = name
        operation.__module__ = self.out.__module__
        parameters = [
            inspect.Parameter(key, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=annotation)
            for key, annotation in annotations.items()
        ]
        operation.__signature__ = inspect.Signature(parameters, return_annotation=Any)  # type: ignore[attr-defined]
        return operation
