"""A page's post that acts on one row, declared instead of written out: the user from the app's
reader (its 403), the row within the user's read scope (`get_visible_or_404`, so 404 outside it),
the posted form through `core.forms.take_post` (each refusal a message), the step, and back to a
page. Most button and small-form posts of a detail page are this and nothing else; a view that
does more (renders a result, picks one of several forms) stays a function of its own.

    plan_cancel = row_post(
        reader=_reader, rows=PlannedVisit.objects.all(), done=PLAN_CANCELLED, back="service:visits",
        step=lambda user, row, _data: services.visit_plan_cancel(actor=user, plan=row),
    )

The posts on one kind of row that return to the same page are a family (`RowPosts`): its rows and
its page named once, each post a line with its reader, message and step:

    _on_challenge = RowPosts(Challenge.objects.all(), "talent:challenge", by_pk)
    challenge_close = _on_challenge.post(_firm, CHALLENGE_WITHDRAWN, lambda user, row, _data: ...)

The URL's keywords (`pk`, `code` …) are the row's lookup. With `schema=True` the step receives the
form's input as the API's schema reads it (`form.schema`), so a page and the API hand a service
the same object; otherwise the form's cleaned values. `done` is a `gettext_noop` constant, said in
the page's language. Used by the 陪跑/惠企 and 人才直通车 pages (`service/views.py`,
`talent/views.py`); any app's post of this shape may use it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from yuanqu.core.access import ScopedQuerySet, get_visible_or_404
from yuanqu.core.forms import PageForm, take_post
from yuanqu.core.models import User

M = TypeVar("M", bound=models.Model)
View = Callable[..., HttpResponse]


def by_pk(row: models.Model) -> Mapping[str, object]:
    """Back to the page of the row the post acted on."""
    return {"pk": row.pk}


@dataclass(frozen=True)
class RowPosts(Generic[M]):
    """Posts on rows of one kind that return to the same page: `back`, a URL name, with
    `back_args(row)` as its keywords where it names a row."""

    rows: ScopedQuerySet[M]
    back: str
    back_args: Callable[[M], Mapping[str, object]] | None = None

    def post(
        self,
        reader: Callable[[HttpRequest], User],
        done: str,
        step: Callable[[User, M, Any], object],
        form: type[PageForm] = PageForm,
        *,
        schema: bool = False,
        check: Callable[[User, M], object] | None = None,
    ) -> View:
        """The view of one post (see the module's docstring). `check` is a rule on the row that the
        reader's role does not settle (it raises PermissionDenied: 403), asked after the row is
        found and before the form is read, so a post outside the scope stays a 404."""

        @login_required
        @require_POST
        def view(request: HttpRequest, **lookup: Any) -> HttpResponse:
            user = reader(request)
            row = get_visible_or_404(self.rows.all(), user, **lookup)
            if check is not None:
                check(user, row)
            posted = form(request.POST)

            def act(cleaned: dict[str, Any]) -> str:
                if schema:
                    assert posted.schema is not None, "schema=True needs a form with an API schema"
                    step(user, row, posted.schema.model_validate(posted.schema_data()))
                else:
                    step(user, row, cleaned)
                return gettext(done)

            take_post(request, posted, act)
            args = self.back_args(row) if self.back_args is not None else None
            return redirect(reverse(self.back, kwargs=dict(args) if args is not None else None))

        return view


def row_post(
    *,
    reader: Callable[[HttpRequest], User],
    rows: ScopedQuerySet[M],
    step: Callable[[User, M, Any], object],
    done: str,
    back: str,
    back_args: Callable[[M], Mapping[str, object]] | None = None,
    form: type[PageForm] = PageForm,
    schema: bool = False,
    check: Callable[[User, M], object] | None = None,
) -> View:
    """A post of a family of its own: `form`, `schema` and `check` as in `RowPosts.post`."""
    return RowPosts(rows, back, back_args).post(reader, done, step, form, schema=schema, check=check)


def new_row_post(
    reader: Callable[[HttpRequest], User],
    done: str,
    step: Callable[[User, dict[str, Any]], models.Model | None],
    form: type[PageForm],
    back: str,
    made: str | None = None,
) -> View:
    """The view of a post that makes a row (a new challenge, an event, a register entry): the user
    from `reader`, the form through `take_post`, `step` with its cleaned values, which returns the
    new row; then to the page `made` of that row (by its `pk`) where there is one, else to `back`
    (also where the post was refused)."""

    @login_required
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        user = reader(request)
        made_rows: list[models.Model] = []

        def act(cleaned: dict[str, Any]) -> str:
            row = step(user, cleaned)
            if row is not None:
                made_rows.append(row)
            return gettext(done)

        if take_post(request, form(request.POST), act) and made is not None and made_rows:
            return redirect(reverse(made, kwargs=dict(by_pk(made_rows[0]))))
        return redirect(reverse(back))

    return view
