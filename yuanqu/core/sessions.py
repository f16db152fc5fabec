"""Sessions that expire after YUANQU_SESSION_IDLE_MINUTES without the user doing anything.

Every request the user makes renews the session (SESSION_SAVE_EVERY_REQUEST), except a request a page
makes by itself while it waits: a job's progress bar asks every second. Such a view is marked
`@passive`; its request reads the session but neither renews nor rewrites it, so a page left open on
a progress bar does not keep a session alive for ever, and a poll never waits for the database's
write lock (on SQLite an import writing for a minute holds it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

View = TypeVar("View", bound=Callable[..., Any])
PASSIVE = "session_passive"


def passive(view: View) -> View:
    """Mark a view as one a page calls by itself (polling): it does not renew the session."""
    setattr(view, PASSIVE, True)
    return view


class IdleSessionMiddleware(SessionMiddleware):
    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> None:
        if getattr(view_func, PASSIVE, False):
            setattr(request, PASSIVE, True)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and getattr(request, PASSIVE, False) and not session.modified:
            if session.accessed:
                patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)
