"""Sessions that expire after YUANQU_SESSION_IDLE_MINUTES without the user doing anything.

A session is renewed (saved again, with a new expiry date and cookie) when the user does something
and less than half of the idle time is left, not on every request: with an idle time of 30 minutes a
busy user's session is written at most once every 15 minutes, where it used to be written on every
page. A user who stops is signed out after between half the idle time and the whole of it (the
session's expiry date in the database decides; a page after it asks for the sign-in again).

A request a page makes by itself while it waits (a job's progress bar asks every second) never renews
it: such a view is marked `@passive`; its request reads the session but neither renews nor rewrites
it, so a page left open on a progress bar does not keep a session alive for ever, and a poll never
waits for the database's write lock (on SQLite an import writing for a minute holds it).

The session engine (settings.SESSION_ENGINE = "yuanqu.core.sessions") is Django's database engine,
the database the one place a session lives (every process and host sees a sign-out at once), with
the read that every page makes done as one plain statement instead of through the ORM, which cost
several times the statement itself: the same row, the same expiry test, the same decoding."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connections, router
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

View = TypeVar("View", bound=Callable[..., Any])
PASSIVE = "session_passive"
# When the session was last saved (seconds since the epoch), kept in the session itself.
RENEWED = "_renewed_at"


class SessionStore(db.SessionStore):
    """Django's database sessions, read with one plain statement (see the module's docstring)."""

    def load(self) -> dict[str, Any]:
        key = self.session_key
        if key:
            connection = connections[router.db_for_read(self.model)]
            table = connection.ops.quote_name(self.model._meta.db_table)
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608 (the table's own quoted name)
                    [key, now],
                )
                row = cursor.fetchone()
            if row is not None:
                data: dict[str, Any] = self.decode(row[0])
                return data
        self._session_key = None
        return {}


def passive(view: View) -> View:
    """Mark a view as one a page calls by itself (polling): it does not renew the session."""
    setattr(view, PASSIVE, True)
    return view


def session_stamp(session: SessionBase) -> None:
    """Note in the session that it is being saved now (its expiry date starts again)."""
    session[RENEWED] = int(time.time())


def session_renewal_due(session: SessionBase) -> bool:
    """Whether less than half of the idle time is left since the session was last saved (or it was
    never stamped)."""
    renewed = session.get(RENEWED)
    if not isinstance(renewed, int):
        return True
    return time.time() - renewed >= settings.SESSION_COOKIE_AGE / 2


def signed_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """A sign-in saves the session anyway: stamp it, so the next page need not save it again."""
    session = getattr(request, "session", None)
    if session is not None:
        session_stamp(session)


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
        if (
            session is not None
            and (session.accessed or session.modified)
            and not session.is_empty()
            and (session.modified or session_renewal_due(session))
        ):
            # Setting the stamp marks the session modified: Django saves it and sends the cookie.
            session_stamp(session)
        return super().process_response(request, response)
