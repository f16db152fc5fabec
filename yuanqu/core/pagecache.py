"""Whole pages served from the read cache (core/readcache.py) when nothing they show has changed.

The expensive pages (the cockpit, the park and district profiles, the target board, the case list,
the park list, the evaluation runs) are wrapped in `cached_page(name)`. A page is rendered once per
key and its HTML kept; the key holds the page's path and query, the reader's scope, the language, the
day, the data version that every write bumps and the policy pack's fingerprint. The scope is the role
and its district, park, enterprise and unit, not the user, for the roles whose reads depend on those
alone (`SHARED_SCOPE_ROLES`): two district users of one district share an entry; any other role
(a handler, whose queue holds the cases they answered first, a talent user, …) gets entries of its own.

The parts of a page that belong to the requester are never cached: the page is rendered with
placeholders in their place and the placeholders are filled per request.
- The CSRF token: in the render that is cached, `csrf_token` is a placeholder (set by the platform's
  context processor, `yuanqu.context_processors.platform`); each answer gets the requester's token.
- Slots: `{% page_slot "includes/frame_who.html" %}` (template tag library `page_slots`) renders a
  small template for the requester: in the render that is cached it leaves a placeholder, and each
  answer renders the template for the requester (the header's name, role and notice count, the
  holiday warning, the casework notice badge). A slot template is rendered with a plain context
  (`slot_context`: the request, its user, the CSRF token and the holiday warning), never through
  the context processors, which a cached answer would otherwise run once per slot.
- Messages: a request with messages waiting is answered by the view itself (after a write: the page
  is new anyway) and nothing is cached.
The placeholders carry a random marker drawn per render and kept with the entry, so text in the data
can never be taken for one; the entry keeps the page cut at its placeholders, so an answer joins the
pieces instead of searching the page.

An entry is kept under a key without the data version and holds the version it was rendered at: the
version and the entry come in one round trip to the cache (`data_version_with`), and an entry of any
other version is never served (it is rendered again and replaced).

Each process also keeps the entries it served last in its own memory (`LocalEntries`, at most
`YUANQU_PAGE_CACHE_LOCAL_MB`, least recently served dropped first), by key: an entry there is served
when the data version the request has already read (with its user, `core/signin.py`) is the one the
entry holds, with no round trip to the shared cache and no unpickling of the page. An entry is the
same whichever process rendered it at that version, so the shared cache stays the one that decides:
a write anywhere sets a new version there, and the next request of every process reads it.

Reads that the view audits (`audit_record(action=READ)`) are recorded while the page is rendered and
recorded again, for the requester, each time the entry is served.

Not cached: anything but a GET that answers 200 with HTML and sets no cookie; a page whose view
asked for the real CSRF token itself; exports (`?export=`); answers to signed-out users; anything
while `READ_CACHE_ENABLED` is off. A page whose content depends on the user's own id for one of the
shared roles must not be wrapped (or must have its role left out of `SHARED_SCOPE_ROLES`).
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import Context, Engine
from django.template.context_processors import csrf
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe

from yuanqu.core import audit
from yuanqu.core.models import AuditLog, CalendarYear
from yuanqu.core.pack import installed_pack
from yuanqu.core.readcache import CACHED_SINCE_BUMP, data_version_kept, data_version_with, read_cache, scope_of
from yuanqu.core.roles import HOLIDAY_TABLE_KEEPERS, Role

PAGE_PREFIX = "yuanqu:page"
# The roles whose pages depend on the role and its scope objects only, never on the user's own id.
SHARED_SCOPE_ROLES = frozenset({Role.CITY_ADMIN, Role.CITY_VIEWER, Role.DISTRICT, Role.PARK_OPERATOR, Role.ENTERPRISE})
# Set on the request while a page is rendered for the cache: the marker of its placeholders.
MARKER_ATTRIBUTE = "_yuanqu_page_marker"


# The placeholder of the CSRF token in a cut page (the slots' are their template names).
CSRF_PART = ""


@dataclass(frozen=True)
class PageEntry:
    """One cached answer: the data version it was rendered at, its HTML cut at its placeholders (text
    at the even places, a slot's template name or CSRF_PART at the odd ones), its headers, its
    audited reads."""

    version: str
    parts: tuple[str, ...]
    headers: tuple[tuple[str, str], ...]
    reads: tuple[dict[str, str], ...]


class LocalEntries:
    """The page entries this process served last, by key, at most `limit` bytes of them (the least
    recently served dropped first); shared by the threads of the process."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: OrderedDict[str, tuple[PageEntry, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str, version: str) -> PageEntry | None:
        """The entry under `key` if it was rendered at `version`."""
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0].version != version:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: str, entry: PageEntry) -> None:
        size = sum(sys.getsizeof(part) for part in entry.parts)
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[1]
            if size > self.limit:
                return
            self._entries[key] = (entry, size)
            self._size += size
            while self._size > self.limit:
                _key, (_entry, dropped) = self._entries.popitem(last=False)
                self._size -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0


local_entries = LocalEntries(settings.PAGE_CACHE_LOCAL_MB * 1024 * 1024)


def page_marker(request: HttpRequest | None) -> str | None:
    """The placeholder marker when `request` is being rendered for the cache, else None."""
    marker: str | None = getattr(request, MARKER_ATTRIBUTE, None)
    return marker


def csrf_placeholder(marker: str) -> str:
    return f"yqslot{marker}csrf"


def slot(request: HttpRequest | None, template: str) -> SafeString:
    """A per-request part of a page: a placeholder in a render for the cache, otherwise `template`
    rendered for the request (`{% page_slot %}` calls this)."""
    marker = page_marker(request)
    if marker is not None:
        return mark_safe(f"<!--yqslot{marker}:{template}-->")  # noqa: S308 (a marker of hex digits and a template name)
    return render_slot(request, template, slot_context(request))


def render_slot(request: HttpRequest | None, template: str, context: dict[str, Any]) -> SafeString:
    """`template` rendered with `context` alone (no context processors), escaped as a page is. A copy
    of `context`: what one slot sets (`{% … as name %}`) never reaches the next."""
    engine = Engine.get_default()
    return mark_safe(engine.get_template(template).render(Context(dict(context), autoescape=engine.autoescape)))  # noqa: S308 (a rendered template, escaped by it)


def slot_context(request: HttpRequest | None, *, token: str | None = None) -> dict[str, Any]:
    """What a slot template sees: the request, its user, the CSRF token (the requester's own: `token`
    when the caller has one already) and, for the holiday table's keepers when it is due, the years
    the holiday table lacks."""
    user: Any = getattr(request, "user", None) or AnonymousUser()
    context: dict[str, Any] = {"request": request, "user": user, "role_label": role_label(user)}
    if request is None:
        return context
    context.update({"csrf_token": token} if token is not None else csrf(request))
    if (
        user.is_authenticated
        and (user.is_superuser or user.role in HOLIDAY_TABLE_KEEPERS)
        and holiday_warning_due(request)
    ):
        context["holiday_years_missing"] = SimpleLazyObject(lambda: holiday_years_shown(request))
    return context


def role_label(user: Any) -> Any:
    """The user's role as the header names it (the role's label, translated where shown): what
    `get_role_display` gives, without the choices it builds again at every call."""
    role = getattr(user, "role", "")
    try:
        return Role(role).label
    except ValueError:
        return role


# The session remembers that the holiday warning was shown, so it is not repeated on every page.
HOLIDAY_WARNING_SHOWN = "holiday_warning_shown"
# Where the warning matters every time: the 工作台 and the 啄木鸟 pages, whose deadlines it concerns
# (by URL name: the frame names apps, it does not import their views).
HOLIDAY_WARNING_PAGES = ("core:workbench", "casework:")


def holiday_warning_due(request: HttpRequest) -> bool:
    match = request.resolver_match
    view = match.view_name if match is not None else ""
    if any(view == page or (page.endswith(":") and view.startswith(page)) for page in HOLIDAY_WARNING_PAGES):
        return True
    session = getattr(request, "session", None)
    return session is None or not session.get(HOLIDAY_WARNING_SHOWN)


def holiday_years_shown(request: HttpRequest) -> list[int]:
    """The years the holiday table lacks. Once a page has looked (and shown them, if any), the session
    has had the warning: other pages neither repeat it nor ask the table again."""
    missing = CalendarYear.missing_ahead(timezone.localdate())
    session = getattr(request, "session", None)
    if session is not None:
        session[HOLIDAY_WARNING_SHOWN] = True
    return missing


def cut(content: str, marker: str) -> tuple[str, ...]:
    """`content` cut at its placeholders of `marker`: text, placeholder, text, … (see PageEntry)."""
    placeholder = re.compile(rf"<!--yqslot{marker}:(?P<template>[\w./-]+)-->|{csrf_placeholder(marker)}")
    parts: list[str] = []
    start = 0
    for match in placeholder.finditer(content):
        parts += [content[start : match.start()], match["template"] or CSRF_PART]
        start = match.end()
    parts.append(content[start:])
    return tuple(parts)


def fill(request: HttpRequest, parts: tuple[str, ...]) -> str:
    """The page of `parts` with its placeholders replaced by the requester's CSRF token and slots."""
    pieces = list(parts)
    context: dict[str, Any] | None = None
    for index in range(1, len(pieces), 2):
        # One masked token for the whole answer (each mask costs 32 random draws).
        context = context or slot_context(request, token=get_token(request))
        if pieces[index] == CSRF_PART:
            pieces[index] = context["csrf_token"]
        else:
            pieces[index] = render_slot(request, pieces[index], context)
    return "".join(pieces)


def scope_key(user: Any) -> tuple[Any, ...]:
    """What decides what a page shows its reader: the role and its scope objects, and the user only
    for the roles whose reads depend on the user's own id."""
    return scope_of(user, by_user=user.role not in SHARED_SCOPE_ROLES)


def page_key(name: str, request: HttpRequest) -> str:
    """The entry's key: the page's path and query, the reader's scope, the language, the day and the
    pack; the data version is inside the entry (PageEntry.version)."""
    query = sorted((key, value) for key in request.GET for value in request.GET.getlist(key))
    parts = repr(
        (
            request.path,
            query,
            request.headers.get("HX-Request", ""),
            scope_key(request.user),
            translation.get_language(),
            timezone.localdate().isoformat(),
            installed_pack().content_hash,
        )
    )
    digest = hashlib.sha256(parts.encode()).hexdigest()[:32]
    return f"{PAGE_PREFIX}:{name}:{digest}"


def _cacheable_request(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if not settings.READ_CACHE_ENABLED or request.method != "GET" or user is None or not user.is_authenticated:
        return False
    if "export" in request.GET or page_marker(request) is not None:
        return False
    return len(get_messages(request)) == 0  # type: ignore[arg-type]


def _cacheable_response(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
    )


def _answer(request: HttpRequest, entry: PageEntry) -> HttpResponse:
    response = HttpResponse(fill(request, entry.parts))
    for header, value in entry.headers:
        response[header] = value
    return response


def cached_page(name: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve the view's page from the read cache while the data version, the reader's scope, the
    query, the language and the pack are those it was rendered for."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = page_key(name, request)
            kept = data_version_kept()
            entry = local_entries.get(key, kept) if kept is not None else None
            if entry is not None:
                version = entry.version
            else:
                version, found = data_version_with([key])
                entry = found.get(key)
                if isinstance(entry, PageEntry) and entry.version == version:
                    local_entries.put(key, entry)
            if isinstance(entry, PageEntry) and entry.version == version:
                for read in entry.reads:
                    audit.audit_record(actor=request.user, action=AuditLog.Action.READ, **read)  # type: ignore[arg-type]
                return _answer(request, entry)
            marker = secrets.token_hex(8)
            setattr(request, MARKER_ATTRIBUTE, marker)
            try:
                with audit.reads_recorded() as reads:
                    response = view(request, *args, **kwargs)
                    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                        response.render()
            finally:
                delattr(request, MARKER_ATTRIBUTE)
            if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
                return response
            content = response.content.decode(response.charset)
            # A view that asked for the real CSRF token itself (get_token marks the cookie for
            # renewal) put the requester's token in the page: that page is never kept.
            own_token = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
            if _cacheable_response(response) and not own_token:
                headers = tuple((header, value) for header, value in response.items() if header != "Content-Length")
                parts = cut(content, marker)
                entry = PageEntry(version=version, parts=parts, headers=headers, reads=tuple(reads))
                read_cache().set(key, entry, timeout=settings.READ_CACHE_SECONDS)
                setattr(transaction.get_connection(), CACHED_SINCE_BUMP, True)
                local_entries.put(key, entry)
            else:
                parts = cut(content, marker)
            response.content = fill(request, parts).encode(response.charset)
            return response

        return wrapper

    return decorate
