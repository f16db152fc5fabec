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
  small template with the request's context: in the render that is cached it leaves a placeholder,
  and each answer renders the template for the requester (the header's name, role and notice count,
  the holiday warning, the casework notice badge).
- Messages: a request with messages waiting is answered by the view itself (after a write: the page
  is new anyway) and nothing is cached.
The placeholders carry a random marker drawn per render and kept with the entry, so text in the data
can never be taken for one.

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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from yuanqu.core import audit
from yuanqu.core.models import AuditLog
from yuanqu.core.pack import installed_pack
from yuanqu.core.readcache import CACHED_SINCE_BUMP, data_version, read_cache, scope_of
from yuanqu.core.roles import Role

PAGE_PREFIX = "yuanqu:page"
# The roles whose pages depend on the role and its scope objects only, never on the user's own id.
SHARED_SCOPE_ROLES = frozenset({Role.CITY_ADMIN, Role.CITY_VIEWER, Role.DISTRICT, Role.PARK_OPERATOR, Role.ENTERPRISE})
# Set on the request while a page is rendered for the cache: the marker of its placeholders.
MARKER_ATTRIBUTE = "_yuanqu_page_marker"
_SLOT = re.compile(r"<!--yqslot(?P<marker>[0-9a-f]{16}):(?P<template>[\w./-]+)-->")


@dataclass(frozen=True)
class PageEntry:
    """One cached answer: its HTML with placeholders, their marker, its headers, its audited reads."""

    marker: str
    content: str
    headers: tuple[tuple[str, str], ...]
    reads: tuple[dict[str, str], ...]


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
    return mark_safe(render_to_string(template, request=request))  # noqa: S308 (a rendered template, escaped by it)


def fill(request: HttpRequest, content: str, marker: str) -> str:
    """`content` with its placeholders replaced by the requester's CSRF token and slots."""
    token = csrf_placeholder(marker)
    if token in content:
        content = content.replace(token, get_token(request))

    def rendered(match: re.Match[str]) -> str:
        if match["marker"] != marker:
            return match[0]
        return str(slot(request, match["template"]))

    return _SLOT.sub(rendered, content)


def scope_key(user: Any) -> tuple[Any, ...]:
    """What decides what a page shows its reader: the role and its scope objects, and the user only
    for the roles whose reads depend on the user's own id."""
    return scope_of(user, by_user=user.role not in SHARED_SCOPE_ROLES)


def page_key(name: str, request: HttpRequest, *, version: str) -> str:
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
    return f"{PAGE_PREFIX}:{name}:{version}:{digest}"


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
    response = HttpResponse(fill(request, entry.content, entry.marker))
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
            cache = read_cache()
            key = page_key(name, request, version=data_version())
            entry = cache.get(key)
            if isinstance(entry, PageEntry):
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
                entry = PageEntry(marker=marker, content=content, headers=headers, reads=tuple(reads))
                cache.set(key, entry, timeout=settings.READ_CACHE_SECONDS)
                setattr(transaction.get_connection(), CACHED_SINCE_BUMP, True)
            response.content = fill(request, content, marker).encode(response.charset)
            return response

        return wrapper

    return decorate
