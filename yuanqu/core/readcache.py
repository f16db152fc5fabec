"""The cache of expensive read models (cockpit, park and district profiles, target board), keyed by a
data version that every write bumps, so that a cached page costs a few milliseconds and a stale one
is never served.

The selectors' callers (`dashboard/views.py`, `targets/views.py`) wrap a selector in `cached_read`
with the reader and the filters; the key holds the data version, the reader's scope (the user:
what a reader may see depends on the role, the district, park, enterprise or unit and, for some
records, on the user's own id), the filters, the language and the day. The cache is Django's cache
framework (settings.CACHES: the database cache by default, Redis when YUANQU_CACHE_URL is set), so
every process and host of a deployment shares the entries and the version.

The version is a random token, not a counter: a version lost to eviction is replaced by a new
token, which misses every entry, and can never meet the entries of an older version again. It is
bumped

- by every import, rollback, indicator recompute and evaluation run (their services call
  `data_version_bump`, which also covers the bulk writes that send no signals);
- by every other saved or deleted row and changed many-to-many set (the signal receivers below),
  except the platform's own bookkeeping (audit log, sessions, jobs, notices, sign-in counters),
  which no read model shows, and except deletes in the bulk tables (`BULK_MODELS`), whose services
  bump themselves.

A bump sets a new token at once (inside the writer's transaction with the database cache, so its
own later reads miss) and again when the transaction commits: a reader that computed from the old
rows between the two stores its result under a token nobody asks for any more. Within one
transaction a write bumps again only when a read model was cached since the last bump.

A request reads the version once (one cache read, a query with the database cache) however many
read models its page shows: the token is kept for the rest of the request, and forgotten at its end
and at every bump. A request that keeps a token read at its start stores what it computes later
under that token: data as new as the token's or newer, never older.

Personal values (`personal_value`: a user's unread notice counts) belong to one user and change
without a new data version (notices are bookkeeping, above). Each user has a stamp of their own, a
random token like the data version, that every write to their rows sets anew (`personal_bump`: now,
and again when the writer's transaction commits); their values are kept in one entry holding the
stamp they were computed at, and served only at that stamp. The signed-in user's stamp and entry
come in the same round trip as the data version and the user (`core/signin.py`), so a page shows
them without a query of its own. While the connection's transaction holds a bump of a user's stamp
that has not committed yet, that user's values are computed and not kept: what the transaction sees
may still be rolled back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

T = TypeVar("T")

VERSION_KEY = "yuanqu:data-version"
ENTRY_PREFIX = "yuanqu:read"
# Bookkeeping that no read model shows: writing it does not change a page.
UNVERSIONED_APPS = frozenset(
    {"admin", "sessions", "contenttypes", "auth", "migrations", "django_tasks_db", "jobs", "notifications"}
)
# A sender's notice (a subclass of the notification centre's row, in its own app) is bookkeeping too:
# the counts in the header are kept per user under their own stamp (`personal_bump`), and no cached
# page body lists notices.
UNVERSIONED_MODELS = frozenset({"core.auditlog", "core.loginthrottle", "core.apitoken", "casework.notification"})
# Tables written and deleted in bulk by services that bump the version themselves (the statistics'
# writes and rollbacks, the indicator runs): no delete receiver, so their deletes are one statement.
BULK_MODELS = frozenset(
    {
        "stats.monthlystat",
        "stats.annualstat",
        "stats.parkannualstat",
        "stats.statrevision",
        "indicators.indicatorcell",
        "indicators.indicatorvalue",
        "energy.carbonaccount",
    }
)
_MISSING = object()
CACHED_SINCE_BUMP = "yuanqu_read_cached_since_bump"
# The version a request has read, kept until the request ends or a bump (one per thread: gunicorn's
# and waitress's threads serve one request at a time). Outside a request nothing is kept.
_request = threading.local()
# Set while `migrate` runs: the cache's table may not exist yet, and the version is bumped once at
# the end instead (data migrations change what pages show).
_migrating = False


def read_cache() -> BaseCache:
    return caches[settings.READ_CACHE_ALIAS]


def data_version() -> str:
    """The current data version; a new one when none is stored (first use, or evicted). Read once
    per request."""
    kept: str | None = getattr(_request, "version", None)
    if kept is not None:
        return kept
    cache = read_cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or uuid.uuid4().hex
    if getattr(_request, "active", False):
        _request.version = str(version)
    return str(version)


def data_version_kept() -> str | None:
    """The data version this request has read already, or None (outside a request, or not read
    yet): no round trip to the cache."""
    if not getattr(_request, "active", False):
        return None
    kept: str | None = getattr(_request, "version", None)
    return kept


def data_version_with(keys: list[str]) -> tuple[str, dict[str, Any]]:
    """The current data version and the cache's entries under `keys`, in one round trip to the cache
    (one query with the database cache) when the request has not read the version yet. An entry
    found here is only as fresh as the version stored inside it: the caller compares the two."""
    cache = read_cache()
    kept: str | None = getattr(_request, "version", None)
    if kept is not None:
        return kept, cache.get_many(keys)
    found = cache.get_many([VERSION_KEY, *keys])
    version = found.pop(VERSION_KEY, None)
    if version is None:
        return data_version(), found
    if getattr(_request, "active", False):
        _request.version = str(version)
    return str(version), found


def _request_started(**kwargs: Any) -> None:
    _request.active = True
    _request.version = None
    _request.personal = {}


def _request_finished(**kwargs: Any) -> None:
    _request.active = False
    _request.version = None
    _request.personal = {}


def data_version_bump() -> None:
    """Make every cached read model stale: now, and again when the current transaction commits."""
    if not settings.READ_CACHE_ENABLED or _migrating:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _new_version()
        return
    # A service that saves 100,000 rows one by one in a transaction bumps once, not 100,000 times:
    # again only when this connection cached a read model since (it read its own writes) or the
    # commit's bump is not pending any more (a rolled-back savepoint drops its callbacks).
    pending = any(entry[1] is _new_version for entry in connection.run_on_commit)
    if pending and not getattr(connection, CACHED_SINCE_BUMP, False):
        return
    setattr(connection, CACHED_SINCE_BUMP, False)
    _new_version()
    if not pending:
        transaction.on_commit(_new_version)


def _new_version() -> None:
    _request.version = None
    read_cache().set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


# ── personal values: a user's own figures under a stamp of their own ──────────────────────────

PERSONAL_STAMP_PREFIX = "yuanqu:personal-stamp"
PERSONAL_PREFIX = "yuanqu:personal"


@dataclass(frozen=True)
class PersonalEntry:
    """One user's kept values (name → value), computed at `stamp`."""

    stamp: str
    values: dict[str, Any]


def personal_keys(user_id: int) -> tuple[str, str]:
    """The cache keys of a user's stamp and of their entry."""
    return f"{PERSONAL_STAMP_PREFIX}:{user_id}", f"{PERSONAL_PREFIX}:{user_id}"


def personal_found(user_id: int, found: dict[str, Any]) -> None:
    """Keep for the rest of the request what a read of the cache brought of this user's stamp and
    entry (`found`, from a `get_many` of `personal_keys`): the signed-in user's, read with the user."""
    if not getattr(_request, "active", False):
        return
    stamp_key, entry_key = personal_keys(user_id)
    stamp = found.get(stamp_key)
    if stamp is not None:
        _request.personal[user_id] = (str(stamp), found.get(entry_key))


class _PersonalBump:
    """The bump that a transaction owes its users when it commits (an on-commit callback; one per
    transaction, collecting the users)."""

    def __init__(self) -> None:
        self.user_ids: set[int] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        _personal_stamps_new(self.user_ids)


def _pending_bump() -> _PersonalBump | None:
    """This connection's bump still owed at commit, if any (a rolled-back savepoint drops it)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    for entry in connection.run_on_commit:
        if isinstance(entry[1], _PersonalBump) and not entry[1].done:
            return entry[1]
    return None


def _personal_stamps_new(user_ids: Iterable[int]) -> None:
    ids = set(user_ids)
    if not ids:
        return
    kept: dict[int, Any] = getattr(_request, "personal", None) or {}
    for user_id in ids:
        kept.pop(user_id, None)
    read_cache().set_many({personal_keys(user_id)[0]: uuid.uuid4().hex for user_id in ids}, timeout=None)


def personal_bump(user_ids: Iterable[int | None]) -> None:
    """The users' personal values are stale: new stamps now, and again when the current transaction
    commits (its readers elsewhere see the rows then). Every write to a user's notices calls this."""
    ids = {int(user_id) for user_id in user_ids if user_id is not None}
    if not ids or not settings.READ_CACHE_ENABLED or _migrating:
        return
    _personal_stamps_new(ids)
    if not transaction.get_connection().in_atomic_block:
        return
    pending = _pending_bump()
    if pending is None:
        pending = _PersonalBump()
        transaction.on_commit(pending)
    pending.user_ids |= ids


def _personal_stamp_and_entry(user_id: int) -> tuple[str, Any]:
    kept = getattr(_request, "personal", None)
    if kept is not None and user_id in kept:
        stamp, entry = kept[user_id]
        return str(stamp), entry
    cache = read_cache()
    stamp_key, entry_key = personal_keys(user_id)
    found = cache.get_many([stamp_key, entry_key])
    stamp = found.get(stamp_key)
    if stamp is None:
        cache.add(stamp_key, uuid.uuid4().hex, timeout=None)
        stamp = cache.get(stamp_key) or uuid.uuid4().hex
    if getattr(_request, "active", False):
        _request.personal[user_id] = (str(stamp), found.get(entry_key))
    return str(stamp), found.get(entry_key)


def personal_value(user_id: int, name: str, compute: Callable[[], T]) -> T:
    """`compute()`'s result for this user, from the cache while the user's stamp is the one it was
    computed at (see the module's docstring). `name` tells the user's values apart."""
    if not settings.READ_CACHE_ENABLED:
        return compute()
    pending = _pending_bump()
    if pending is not None and user_id in pending.user_ids:
        return compute()
    stamp, entry = _personal_stamp_and_entry(user_id)
    current = isinstance(entry, PersonalEntry) and entry.stamp == stamp
    if current and name in entry.values:
        found: T = entry.values[name]
        return found
    result = compute()
    values = {**entry.values, name: result} if current else {name: result}
    kept = PersonalEntry(stamp=stamp, values=values)
    read_cache().set(personal_keys(user_id)[1], kept, timeout=settings.READ_CACHE_SECONDS)
    if getattr(_request, "active", False):
        _request.personal[user_id] = (stamp, kept)
    return result


def scope_of(user: Any, *, by_user: bool = True) -> tuple[Any, ...]:
    """What decides what a reader sees: the scope fields visible_to reads, and the user (by id)
    unless `by_user` is off for a reader whose reads depend on those fields alone."""
    return (
        user.pk if by_user else None,
        user.role,
        user.district_id,
        user.park_id,
        user.enterprise_id,
        user.unit_id,
        user.is_superuser,
        user.is_staff,
        user.is_active,
    )


def entry_key(name: str, user: Any, filters: object, *, version: str, today: dt.date | None = None) -> str:
    """The cache key of one read model for one reader and filters at one data version."""
    day = today or timezone.localdate()
    parts = repr((scope_of(user), filters, translation.get_language(), day.isoformat()))
    digest = hashlib.sha256(parts.encode()).hexdigest()[:32]
    return f"{ENTRY_PREFIX}:{name}:{version}:{digest}"


def cached_read(name: str, user: Any, filters: object, compute: Callable[[], T]) -> T:
    """`compute()`'s result for this reader and filters, from the cache when the data version still
    matches. `filters` must have a stable repr (a frozen dataclass, a tuple of strings)."""
    if not settings.READ_CACHE_ENABLED:
        return compute()
    cache = read_cache()
    key = entry_key(name, user, filters, version=data_version())
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        result: T = found
        return result
    result = compute()
    cache.set(key, result, timeout=settings.READ_CACHE_SECONDS)
    setattr(transaction.get_connection(), CACHED_SINCE_BUMP, True)
    return result


def _changed(sender: type[Model], **kwargs: Any) -> None:
    meta = sender._meta
    if meta.app_label in UNVERSIONED_APPS or meta.label_lower in UNVERSIONED_MODELS:
        return
    if kwargs.get("raw"):  # loaddata: the command that loads it bumps when it matters
        return
    if set(kwargs.get("update_fields") or ()) == {"last_login"}:  # a sign-in changes no page's data
        return
    data_version_bump()


def _m2m_changed(sender: type[Model], action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        _changed(sender, **kwargs)


def _deletes_signalled(model: type[Model]) -> bool:
    meta = model._meta
    return not (
        meta.app_label in UNVERSIONED_APPS or meta.label_lower in UNVERSIONED_MODELS or meta.label_lower in BULK_MODELS
    )


def connect() -> None:
    """Bump the version on every versioned row saved or deleted (called from CoreConfig.ready, when
    every model is registered). The delete receiver is connected model by model, and not for the
    bookkeeping and the bulk tables: a model with a delete receiver cannot be deleted by one
    statement (Django loads each row first to send its signal), which made clearing a table of
    statistics or indicator values cost a row object per row."""
    post_save.connect(_changed, dispatch_uid="yuanqu.readcache.save")
    for model in apps.get_models(include_auto_created=True):
        if _deletes_signalled(model):
            post_delete.connect(
                _changed, sender=model, dispatch_uid=f"yuanqu.readcache.delete.{model._meta.label_lower}"
            )
    m2m_changed.connect(_m2m_changed, dispatch_uid="yuanqu.readcache.m2m")
    request_started.connect(_request_started, dispatch_uid="yuanqu.readcache.request_started")
    request_finished.connect(_request_finished, dispatch_uid="yuanqu.readcache.request_finished")


def migration_started(**kwargs: Any) -> None:
    global _migrating  # one flag per process, set and cleared by migrate's signals
    _migrating = True


def migration_finished(**kwargs: Any) -> None:
    """After `migrate`: the database cache's table (`createcachetable` does nothing when it exists),
    then a new data version."""
    global _migrating
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    _migrating = False
    data_version_bump()
