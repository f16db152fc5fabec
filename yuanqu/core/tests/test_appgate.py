"""The one table of which roles open which app (core/appgate.py): the pages and the API refuse every
other signed-in role with 403 before the view runs, the menu shows no app the table refuses, and every
app of the site and of the API is in the table. API tokens per role (core.permissions)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver, resolve, reverse

from conftest import World, make_user
from yuanqu.core.appgate import API_PATHS, APP_ROLES, ERR_APP_CLOSED, ERR_AUDITOR, AppGateMiddleware, role_may_open
from yuanqu.core.models import ApiToken, User
from yuanqu.core.permissions import may_hold_api_token
from yuanqu.core.roles import Role
from yuanqu.core.services import ERR_TOKEN_ROLE, api_token_create
from yuanqu.navigation import NAVIGATION, navigation_for

TALENT_CLOSED = ERR_APP_CLOSED.format(role="人才用户", app="园区与企业名录")
FINANCE_CLOSED = ERR_APP_CLOSED.format(role="市财政局", app="目标体系")


def test_every_app_of_the_site_and_of_the_api_says_which_roles_open_it() -> None:
    from yuanqu.api import api

    namespaces = {p.namespace for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace}
    routers = {API_PATHS.get(name, name) for prefix, _router in api._routers if (name := prefix.strip("/"))}
    assert namespaces - set(APP_ROLES) == set()
    assert routers - set(APP_ROLES) == set()


def test_an_app_missing_from_the_table_admits_only_the_system_administrator() -> None:
    assert not role_may_open(Role.CITY_ADMIN, "nowhere")
    assert role_may_open(Role.SYSADMIN, "nowhere")
    assert not role_may_open(None, "core")


def test_the_menu_shows_no_entry_of_an_app_the_role_does_not_open() -> None:
    for role in Role:
        shown = {url for _section, links in navigation_for(role) for _label, url in links}
        for section in NAVIGATION:
            for entry in section.entries:
                url = reverse(entry.url_name)
                if url in shown:
                    assert role_may_open(role, entry.app), (role, entry.url_name)


def test_the_finance_bureau_and_the_talent_person_see_only_their_apps_in_the_menu() -> None:
    finance = {url for _section, links in navigation_for(Role.FINANCE) for _label, url in links}
    assert reverse("factors:ledger") in finance and reverse("core:workbench") in finance
    assert reverse("targets:board") not in finance and reverse("casework:case_list") not in finance
    talent = {url for _section, links in navigation_for(Role.TALENT) for _label, url in links}
    assert talent and all(url.startswith(("/talent/", "/api/", "/notifications/", "/core/")) for url in talent)


def _gated(path: str, user: User) -> bool:
    """Whether the middleware lets `path` through (it raises when it refuses); the view itself fails
    the test if it runs."""

    def view(request: HttpRequest) -> HttpResponse:
        raise AssertionError("the view ran")

    request = RequestFactory().get(path)
    request.user = user
    request.resolver_match = resolve(path)
    AppGateMiddleware(view).process_view(request, view, (), {})
    return True


def test_a_page_of_an_app_the_role_does_not_open_is_refused_before_its_view_runs() -> None:
    with pytest.raises(PermissionDenied, match=TALENT_CLOSED):
        _gated("/registry/parks/", User(username="t", role=Role.TALENT))
    with pytest.raises(PermissionDenied, match=FINANCE_CLOSED):
        _gated("/targets/", User(username="f", role=Role.FINANCE))
    assert _gated("/registry/parks/", User(username="e", role=Role.ENTERPRISE))
    assert _gated("/factors/ledger/", User(username="f", role=Role.FINANCE))


def test_an_auditor_refused_by_the_gate_reads_the_auditors_message() -> None:
    with pytest.raises(PermissionDenied, match=ERR_AUDITOR):
        _gated("/targets/", User(username="a", role=Role.AUDITOR))


@pytest.mark.django_db
def test_the_site_refuses_with_the_chinese_403_page_and_the_api_with_the_one_json_shape(world: World) -> None:
    talent = Client()
    talent.force_login(make_user("gate-talent", Role.TALENT))
    page = talent.get("/registry/parks/")
    assert page.status_code == 403 and TALENT_CLOSED in page.content.decode()
    api = talent.get("/api/v1/registry/parks")
    assert api.status_code == 403
    assert api.json() == {"detail": TALENT_CLOSED, "code": "permission_denied"}
    assert talent.get("/notifications/").status_code == 200
    # Anonymous visitors are still sent to sign in.
    assert Client().get("/registry/parks/").status_code == 302
    assert Client().get("/api/v1/registry/parks").status_code == 401


@pytest.mark.django_db
def test_a_token_opens_only_the_apps_its_role_opens(world: World) -> None:
    finance = make_user("gate-finance", Role.FINANCE)
    _token, raw = api_token_create(user=finance, name="财政对账")
    bearer = f"Bearer {raw}"
    assert Client().get("/api/v1/factors/ledger", HTTP_AUTHORIZATION=bearer).status_code == 200
    refused = Client().get("/api/v1/targets/", HTTP_AUTHORIZATION=bearer)
    assert refused.status_code == 403 and refused.json()["detail"] == FINANCE_CLOSED


def test_every_role_but_the_talent_person_may_hold_an_api_token() -> None:
    assert {role for role in Role if may_hold_api_token(User(username="x", role=role))} == set(Role) - {Role.TALENT}


@pytest.mark.django_db
def test_a_talent_person_can_create_no_token_and_an_old_one_authenticates_nobody(world: World) -> None:
    person = make_user("gate-person", Role.TALENT)
    with pytest.raises(PermissionDenied, match=ERR_TOKEN_ROLE.format(role="人才用户")):
        api_token_create(user=person, name="自用")
    client = Client()
    client.force_login(person)
    assert "创建令牌" not in client.get("/core/me/").content.decode()
    assert client.post("/core/me/", {"name": "自用"}).status_code == 403
    assert not ApiToken.objects.filter(user=person).exists()
    # A token made while the account had another role stops working.
    person.role = Role.CITY_VIEWER
    _token, raw = api_token_create(user=person, name="旧令牌")
    person.role = Role.TALENT
    person.save(update_fields=["role"])
    assert Client().get("/api/v1/talent/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
