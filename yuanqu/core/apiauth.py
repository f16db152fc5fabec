"""API authentication: the browser session (with CSRF) for pages' own calls, bearer tokens for systems.
Once the user is known, the app gate (`core/appgate.py`) refuses an operation of an app the user's
role does not open: 403 in the one JSON shape, before the operation runs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from yuanqu.core.appgate import ERR_AUDITOR, check_api
from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.core.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
            check_api(request, user)
        return user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if user.is_authenticated and user.is_active:
            check_api(request, user)
            return user
        return None


API_AUTH = [TokenAuth(), ActiveSessionAuth()]


def api_user(request: HttpRequest, *, auditors: bool = True) -> User:
    """The user the API's authentication returned. With `auditors=False` an auditor (who reads the
    audit log only) is refused with 403."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    if not auditors and user.role == Role.AUDITOR and not user.is_superuser:
        raise PermissionDenied(ERR_AUDITOR)
    return user
