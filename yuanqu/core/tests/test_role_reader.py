"""One reader for pages and API operations that only some roles may read (core.pageauth.role_reader)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import translation

from yuanqu.core.models import User
from yuanqu.core.pageauth import role_reader
from yuanqu.core.roles import Role

NO_ACCESS = "您的角色没有本页面的权限"


def _request(user: User, *, api: bool = False) -> HttpRequest:
    request = RequestFactory().get("/")
    if api:
        request.auth = user  # type: ignore[attr-defined]
    else:
        request.user = user
    return request


def test_it_returns_the_user_of_a_role_that_may_read() -> None:
    user = User(username="d", role=Role.DISTRICT)

    assert role_reader({Role.DISTRICT}, NO_ACCESS)(_request(user)) is user
    assert role_reader({Role.DISTRICT}, NO_ACCESS, api=True)(_request(user, api=True)) is user


@pytest.mark.parametrize("api", [False, True])
def test_it_refuses_any_other_role_with_the_pages_message(api: bool) -> None:
    user = User(username="e", role=Role.ENTERPRISE)

    with pytest.raises(PermissionDenied, match=NO_ACCESS):
        role_reader({Role.DISTRICT}, NO_ACCESS, api=api)(_request(user, api=api))


def test_a_superuser_passes_unless_the_page_is_a_persons_own() -> None:
    admin = User(username="s", role=Role.SYSADMIN, is_superuser=True)

    assert role_reader({Role.TALENT}, NO_ACCESS)(_request(admin)) is admin
    with pytest.raises(PermissionDenied):
        role_reader({Role.TALENT}, NO_ACCESS, superuser=False)(_request(admin))


def test_the_message_is_translated_when_it_refuses() -> None:
    reader = role_reader({Role.DISTRICT}, "Page not found")
    with translation.override("zh-hans"), pytest.raises(PermissionDenied) as refused:
        reader(_request(User(username="e", role=Role.ENTERPRISE)))

    assert str(refused.value) != "Page not found"
