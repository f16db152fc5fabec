"""The signed-in user of a page, as `core.apiauth.api_user` is the API's: every view takes its user
from `page_user(request)` (behind `login_required`) and refuses a role outside a page's readers with
`core.permissions.require_role`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext

from yuanqu.core.apiauth import ERR_AUDITOR
from yuanqu.core.models import User
from yuanqu.core.roles import Role


def page_user(request: HttpRequest, *, auditors: bool = True) -> User:
    """The signed-in user. With `auditors=False` an auditor (who reads the audit log only) is refused
    with 403."""
    user = request.user
    assert isinstance(user, User)
    if not auditors and user.role == Role.AUDITOR and not user.is_superuser:
        raise PermissionDenied(gettext(ERR_AUDITOR))
    return user
