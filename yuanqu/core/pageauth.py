"""The signed-in user of a page, as `core.apiauth.api_user` is the API's: every view takes its user
from `page_user(request)` (behind `login_required`). A page or API operation that only some roles
may read takes its user from a reader made once per app with `role_reader(roles, message)`, which
refuses every other role with 403 (the Chinese 403 page on the site, the one JSON shape on the API)
through `core.permissions.require_role`."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext

from yuanqu.core.apiauth import api_user
from yuanqu.core.appgate import ERR_AUDITOR
from yuanqu.core.models import User
from yuanqu.core.permissions import require_role
from yuanqu.core.roles import Role


def page_user(request: HttpRequest, *, auditors: bool = True) -> User:
    """The signed-in user. With `auditors=False` an auditor (who reads the audit log only) is refused
    with 403."""
    user = request.user
    assert isinstance(user, User)
    if not auditors and user.role == Role.AUDITOR and not user.is_superuser:
        raise PermissionDenied(gettext(ERR_AUDITOR))
    return user


def role_reader(
    roles: Iterable[Role], message: str, *, api: bool = False, superuser: bool = True
) -> Callable[[HttpRequest], User]:
    """A reader for the pages (or, with `api=True`, the API operations) that only `roles` may read:
    it returns the signed-in user, or refuses any other role with 403 and `message` (a msgid,
    translated when it refuses). A Django superuser passes unless `superuser=False` (a person's or a
    firm's own data, which no administrator acts for).

        _reader = role_reader(READER_ROLES, NO_ACCESS)
        ...
        user = _reader(request)
    """
    allowed = frozenset(roles)

    def reader(request: HttpRequest) -> User:
        user = api_user(request) if api else page_user(request)
        require_role(user, allowed, gettext(message), superuser=superuser)
        return user

    return reader


def reader_where(may: Callable[[User], bool], message: str, *, api: bool = False) -> Callable[[HttpRequest], User]:
    """A reader like `role_reader` for pages (or API operations) whose rule is more than a role (a
    handler's unit, say): it returns the signed-in user, or refuses with 403 and `message` (a msgid)
    when `may(user)` is false, before anything is looked up."""

    def reader(request: HttpRequest) -> User:
        user = api_user(request) if api else page_user(request)
        if not may(user):
            raise PermissionDenied(gettext(message))
        return user

    return reader
