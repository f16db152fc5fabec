"""The pieces every page shares: the signed-in user (auditors refused where a page says so), a page's
role check, a list's chosen filters and the refusal of an unticked confirmation box."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.test import RequestFactory

from yuanqu.core.access import filtered
from yuanqu.core.confirm import NOT_CONFIRMED, unconfirmed
from yuanqu.core.forms import TokenCreateForm, take_post
from yuanqu.core.models import User
from yuanqu.core.pageauth import page_user
from yuanqu.core.permissions import require_role
from yuanqu.core.roles import Role


def _request(user: User, data: dict[str, str] | None = None) -> HttpRequest:
    request = RequestFactory().post("/", data or {})
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_it_refuses_an_auditor_only_where_the_page_says_so() -> None:
    auditor = User(username="a", role=Role.AUDITOR)
    assert page_user(_request(auditor)) is auditor
    with pytest.raises(PermissionDenied, match="审计员只能查看审计日志"):
        page_user(_request(auditor), auditors=False)
    superuser = User(username="s", role=Role.AUDITOR, is_superuser=True)
    assert page_user(_request(superuser), auditors=False) is superuser


def test_it_refuses_a_role_outside_the_readers_with_the_pages_message() -> None:
    readers = {Role.CITY_ADMIN, Role.DISTRICT}
    require_role(User(username="d", role=Role.DISTRICT), readers, "无权查看")
    require_role(User(username="s", role=Role.ENTERPRISE, is_superuser=True), readers, "无权查看")
    with pytest.raises(PermissionDenied, match=r"^无权查看$"):
        require_role(User(username="e", role=Role.ENTERPRISE), readers, "无权查看")


def test_an_unset_filter_is_no_filter() -> None:
    users = User.objects.all()
    assert filtered(users, {"username": "", "role": None, "is_active": False}) is users
    chosen = str(filtered(users, {"username": "x", "role": ""}).query)
    assert '"username" = x' in chosen.replace("'", "")
    assert '"role"' not in chosen.split("WHERE", 1)[1]


def test_an_unticked_confirmation_is_refused_with_its_message() -> None:
    user = User(username="c", role=Role.CITY_ADMIN)
    refused = _request(user)
    assert unconfirmed(refused)
    assert [str(message) for message in get_messages(refused)] == [NOT_CONFIRMED]
    ticked = _request(user, {"confirm": "on"})
    assert not unconfirmed(ticked)
    assert list(get_messages(ticked)) == []


def test_a_post_whose_page_shows_the_outcome_itself_adds_no_empty_message() -> None:
    request = _request(User(username="c", role=Role.CITY_ADMIN), {"name": "对接"})
    assert take_post(request, TokenCreateForm(request.POST), lambda data: "")
    assert list(get_messages(request)) == []
    said = _request(User(username="c", role=Role.CITY_ADMIN), {"name": "对接"})
    assert take_post(said, TokenCreateForm(said.POST), lambda data: f"已创建{data['name']}")
    assert [str(message) for message in get_messages(said)] == ["已创建对接"]
