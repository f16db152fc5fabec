"""Signing in: failures counted per user name and per client address, a growing wait past the limit,
a known-browser cookie that keeps a user's own browser out of a stranger's delay, and the audit
entries for sign-ins, delays and unlocks.

Every `authenticate()` call with a request goes through `ThrottledModelBackend` (the login page and
the admin's login alike). During a wait an attempt is refused before the password is checked, so a
guess made then tells the guesser nothing. The counters live in the database (`LoginThrottle`) so
that every process and host sees the same counts. docs/operations.md explains the choice."""

from __future__ import annotations

import copy
import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from yuanqu.core.audit import audit_record
from yuanqu.core.models import SCOPE_FIELD_LABELS, SESSION_HASH_KEPT, AuditLog, LoginThrottle, User
from yuanqu.core.readcache import CACHED_SINCE_BUMP, data_version_with, personal_found, personal_keys, read_cache

ERR_LOGIN_DELAYED = gettext_noop("登录失败次数过多，请于 {time} 之后再试；如需立即登录，请联系系统管理员解除限制")
DETAIL_FAILED = "登录失败"
DETAIL_SUCCEEDED = "登录成功"
DETAIL_DELAYED = "连续登录失败，暂停登录至 {time}（{key}）"
DETAIL_UNLOCKED = "解除登录限制"

KNOWN_BROWSER_COOKIE = "yuanqu_known_browser"
KNOWN_BROWSER_SALT = "yuanqu.core.signin.known-browser"
KNOWN_BROWSER_DAYS = 180


def _username_key(username: str) -> str:
    return f"user:{username.strip().lower()[:150]}"


def _address_key(address: str) -> str:
    return f"addr:{address}"


def _browser_key(user_pk: int, nonce: str) -> str:
    return f"browser:{user_pk}:{nonce}"


def _known_browser(request: HttpRequest, username: str) -> str | None:
    """The counter key of this browser when it carries a valid cookie from an earlier successful
    sign-in of the same user, else None."""
    raw = request.COOKIES.get(KNOWN_BROWSER_COOKIE)
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=KNOWN_BROWSER_SALT, max_age=dt.timedelta(days=KNOWN_BROWSER_DAYS))
        user_pk, nonce = int(value["u"]), str(value["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if not User.objects.filter(pk=user_pk, username=username).exists():
        return None
    return _browser_key(user_pk, nonce)


def known_browser_cookie(user: User) -> str:
    return signing.dumps({"u": user.pk, "n": secrets.token_hex(8)}, salt=KNOWN_BROWSER_SALT)


def _counters(request: HttpRequest, username: str) -> list[tuple[str, int]]:
    """The counters an attempt is charged to, each with its free failures.

    A browser that signed this user in before is charged on its own counter only: a stranger's
    failures against the same name or from the same address do not hold it up, and a stolen cookie
    buys no more guesses than the name itself would."""
    browser = _known_browser(request, username)
    if browser is not None:
        return [(browser, settings.LOGIN_USER_FAILURE_LIMIT)]
    counters = [(_username_key(username), settings.LOGIN_USER_FAILURE_LIMIT)]
    address = request.META.get("REMOTE_ADDR")
    if address:
        counters.append((_address_key(str(address)), settings.LOGIN_ADDRESS_FAILURE_LIMIT))
    return counters


def delay_after(failures: int, limit: int) -> dt.timedelta | None:
    """No wait up to the limit; then the base wait, doubling with each further failure, capped."""
    if failures < limit:
        return None
    seconds = settings.LOGIN_DELAY_BASE_SECONDS * 2 ** min(failures - limit, 20)
    return dt.timedelta(seconds=min(seconds, settings.LOGIN_DELAY_MAX_SECONDS))


def login_delayed_until(*, keys: list[str], now: dt.datetime) -> dt.datetime | None:
    """The latest end of a wait among the counters, or None when none is waiting."""
    ends = [
        end
        for end in LoginThrottle.objects.filter(key__in=keys, delayed_until__gt=now).values_list(
            "delayed_until", flat=True
        )
        if end is not None
    ]
    return max(ends, default=None)


@transaction.atomic
def login_failure_record(*, counters: list[tuple[str, int]], username: str, now: dt.datetime) -> dt.datetime | None:
    """Count one failure on each counter; a counter idle for the failure window starts again.
    Returns the end of the longest wait that this failure starts, if any (each start is audited)."""
    window = dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    # Counters idle for the whole window are forgotten anyway: drop them, so that guesses spread over
    # many names and addresses cannot grow the table without bound.
    LoginThrottle.objects.filter(last_failure_at__lt=now - window).delete()
    latest: dt.datetime | None = None
    for key, limit in counters:
        row, created = LoginThrottle.objects.select_for_update().get_or_create(
            key=key, defaults={"last_failure_at": now}
        )
        if not created and now - row.last_failure_at > window:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        delay = delay_after(row.failures, limit)
        row.delayed_until = now + delay if delay is not None else None
        row.save()
        if row.delayed_until is not None:
            latest = max(latest or row.delayed_until, row.delayed_until)
            audit_record(
                actor=None,
                action=AuditLog.Action.LOGIN,
                object_type="core.LoginThrottle",
                object_id=str(row.pk),
                object_repr=username[:150],
                after={"key": key, "failures": row.failures, "delayed_until": row.delayed_until},
                detail=DETAIL_DELAYED.format(time=_local_time(row.delayed_until), key=key)[:300],
            )
    return latest


def _local_time(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


@transaction.atomic
def login_throttle_clear(*, actor: User | None, user: User) -> int:
    """A system administrator's unlock (actor None: `yuanqu unlock` on the server): the user's name
    counter and browser counters start again. Address counters are cleared one by one in the admin
    (they may hold others' failures)."""
    deleted, _ = LoginThrottle.objects.filter(key=_username_key(user.username)).delete()
    more, _ = LoginThrottle.objects.filter(key__startswith=f"browser:{user.pk}:").delete()
    audit_record(
        actor=actor,
        action=AuditLog.Action.LOGIN,
        obj=user,
        after={"counters_cleared": deleted + more},
        detail=DETAIL_UNLOCKED,
    )
    return deleted + more


# The signed-in users' cache: a request's user (with the district, park, enterprise or unit its header
# names) kept in the read cache beside the data version, and served while the version is the one it
# was read at. Every saved or deleted user and every changed scope object sets a new version
# (core/readcache.py), so a role change, a deactivation or a new password takes effect on the next
# request; the version and the user come in one round trip to the cache, with the user's personal
# values (their unread notice counts, core/readcache.py) and the stamp those are kept under.
SIGNED_IN_PREFIX = "yuanqu:signed-in"


@dataclass(frozen=True)
class SignedInUser:
    version: str
    user: User


def _signed_in_user_load(user_id: Any) -> User | None:
    """The user from the database, with its scope object; the big fields of that object (a park's
    boundary) are left out."""
    try:
        user = User._default_manager.get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        return None
    for name in SCOPE_FIELD_LABELS:
        related_id = getattr(user, f"{name}_id")
        if related_id is None:
            continue
        model = User._meta.get_field(name).related_model
        assert isinstance(model, type) and issubclass(model, models.Model)
        heavy = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.JSONField | models.TextField | models.BinaryField)
        ]
        related = model._default_manager.defer(*heavy).filter(pk=related_id).first()
        if related is not None:
            setattr(user, name, related)
    return user


def _signed_in_user_kept(user: User) -> User:
    """The copy that is cached: without the password (the session hash it gives instead) and without
    the time of the last sign-in (which changes without a new data version): both are read from the
    database if anything asks for them, and a save leaves them as they are."""
    kept = copy.copy(user)
    kept.__dict__[SESSION_HASH_KEPT] = user.get_session_auth_hash()
    kept.__dict__.pop("password", None)
    kept.__dict__.pop("last_login", None)
    return kept


class ThrottledModelBackend(ModelBackend):
    """Django's model backend behind the sign-in throttle; audits each outcome (never the password)."""

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in user of a request: from the signed-in users' cache when the data version is
        the one it was cached at, else from the database (and cached)."""
        if not settings.READ_CACHE_ENABLED:
            found_user = super().get_user(user_id)
            return found_user if isinstance(found_user, User) else None
        key = f"{SIGNED_IN_PREFIX}:{user_id}"
        personal = personal_keys(user_id) if isinstance(user_id, int) else ()
        version, found = data_version_with([key, *personal])
        if personal:
            personal_found(user_id, found)
        entry = found.get(key)
        user: User | None
        if isinstance(entry, SignedInUser) and entry.version == version:
            user = entry.user
        else:
            user = _signed_in_user_load(user_id)
            if user is not None:
                kept = SignedInUser(version=version, user=_signed_in_user_kept(user))
                read_cache().set(key, kept, timeout=settings.READ_CACHE_SECONDS)
                setattr(transaction.get_connection(), CACHED_SINCE_BUMP, True)
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:  # type: ignore[override]
        username: str | None = kwargs.pop("username", None)
        password: str | None = kwargs.pop("password", None)
        if request is None or username is None:
            # Not a sign-in (a command or a test calling authenticate directly): nothing to throttle.
            found = super().authenticate(request, username=username, password=password, **kwargs)
            return found if isinstance(found, User) else None
        counters = _counters(request, username)
        now = timezone.now()
        until = login_delayed_until(keys=[key for key, _ in counters], now=now)
        if until is not None:
            request.login_delayed_until = until  # type: ignore[attr-defined]
            raise PermissionDenied(ERR_LOGIN_DELAYED.format(time=_local_time(until)))
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            until = login_failure_record(counters=counters, username=username, now=now)
            audit_record(
                actor=None,
                action=AuditLog.Action.LOGIN,
                object_type="core.User",
                object_repr=username[:150],
                detail=DETAIL_FAILED,
            )
            if until is not None:
                request.login_delayed_until = until  # type: ignore[attr-defined]
            return None
        # The right password clears the name and browser counters, never the address's: a guesser
        # must not reset his address by signing in to an account of his own.
        LoginThrottle.objects.filter(key__in=[key for key, _ in counters if not key.startswith("addr:")]).delete()
        assert isinstance(user, User)
        audit_record(actor=user, action=AuditLog.Action.LOGIN, obj=user, detail=DETAIL_SUCCEEDED)
        return user


class DelayAwareFormMixin:
    """Says when to try again instead of "wrong password" while a wait is on."""

    request: HttpRequest | None
    get_invalid_login_error: Any

    @property
    def delayed_until(self) -> dt.datetime | None:
        return getattr(self.request, "login_delayed_until", None)

    def delayed_error(self) -> ValidationError | None:
        until = self.delayed_until
        if until is None:
            return None
        return ValidationError(gettext(ERR_LOGIN_DELAYED).format(time=_local_time(until)), code="delayed")


class SignInForm(DelayAwareFormMixin, AuthenticationForm):
    def get_invalid_login_error(self) -> ValidationError:
        return self.delayed_error() or super().get_invalid_login_error()


class SignInView(LoginView):
    """The login page: 429 while a wait is on; a known-browser cookie after a successful sign-in."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(form, "delayed_until", None) is not None:
            response.status_code = 429
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        response.set_cookie(
            KNOWN_BROWSER_COOKIE,
            known_browser_cookie(user),
            max_age=KNOWN_BROWSER_DAYS * 86400,
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )
        return response
