"""Whole pages from the read cache (core/pagecache.py): a cached page is the page a fresh render gives,
with the requester's own name, CSRF token and badges; readers of different scope never share an
entry; every kind of write the pages show makes the next read fresh; audited reads stay audited."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]
from django.test import Client, RequestFactory
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import make_user
from yuanqu.casework import services
from yuanqu.casework.tests.conftest import CaseWorld, at
from yuanqu.core import pagecache
from yuanqu.core.audit import audit_record
from yuanqu.core.models import AuditLog
from yuanqu.core.pack import installed_pack
from yuanqu.core.roles import Role
from yuanqu.registry.services import park_update

PAGES = ("/cockpit/", "/registry/parks/", "/targets/", "/casework/", "/evaluation/", "/cockpit/parks/PA/")
PERSONAS = ("city_admin", "city_viewer", "district_jiangxia", "park_operator", "enterprise", "handler")
# The templates a cached answer renders: its slots only, never the page's own template.
SLOTS = {"includes/frame_who.html", "includes/frame_holiday.html", "casework/_notifications_link.html"}
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]+)')


def from_cache(response: Any) -> bool:
    names = {template.name for template in response.templates}
    return response.status_code == 200 and names <= SLOTS


def tokens_checked(client: Client, response: Any) -> str:
    """The page with every CSRF token replaced by "TOKEN", each checked to be the client's own."""
    secret = client.cookies[django_settings.CSRF_COOKIE_NAME].value
    text: str = response.content.decode()
    found = TOKEN.findall(text)
    assert found, "the page has no CSRF token"
    for _prefix, token in found:
        assert _unmask_cipher_token(token) == secret
    return TOKEN.sub(r"\1TOKEN", text)


def test_it_serves_each_role_the_page_a_fresh_render_gives(cw: CaseWorld, cache_on: None, settings: Settings) -> None:
    served = 0
    for persona in PERSONAS:
        client = cw.world.client(persona)
        for path in PAGES:
            first = client.get(path)
            if first.status_code != 200:
                continue  # not one of this role's pages
            assert not from_cache(first)
            cached = client.get(path)
            assert from_cache(cached), (persona, path)
            settings.READ_CACHE_ENABLED = False
            fresh = client.get(path)
            settings.READ_CACHE_ENABLED = True
            assert not from_cache(fresh)
            assert tokens_checked(client, cached) == tokens_checked(client, fresh), (persona, path)
            served += 1
    assert served >= 25  # every page of the load mix, for each role that may open it


def test_two_readers_of_one_scope_share_an_entry_each_with_their_own_name_and_token(
    cw: CaseWorld, cache_on: None
) -> None:
    other = make_user("t-district-jx-2", Role.DISTRICT, district=cw.world.districts["jiangxia"])
    other.display_name = "江夏区第二位用户"
    other.save()
    first, second = cw.world.client("district_jiangxia"), Client()
    second.force_login(other)
    for path in ("/cockpit/", "/registry/parks/", "/casework/", "/targets/"):
        assert not from_cache(first.get(path))
        answer = second.get(path)
        assert from_cache(answer), path
        text = tokens_checked(second, answer)
        assert "江夏区第二位用户" in text
        assert ">t-district-jx<" not in text  # the first reader's name, in the header it filled


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("district_jiangxia", "district_caidian"),
        ("city_viewer", "city_admin"),
        ("city_viewer", "district_jiangxia"),
        ("park_operator", "district_jiangxia"),
    ],
)
def test_readers_of_different_scope_never_share_an_entry(
    cw: CaseWorld, cache_on: None, first: str, second: str
) -> None:
    for path in ("/cockpit/", "/registry/parks/", "/casework/", "/targets/"):
        if cw.world.client(first).get(path).status_code != 200:
            continue
        assert not from_cache(cw.world.client(second).get(path)), path


def test_two_handlers_of_one_unit_never_share_an_entry(cw: CaseWorld, cache_on: None) -> None:
    # A handler's queue holds the cases they answered first: the user is part of the key.
    colleague = make_user("t-handler-colleague", Role.HANDLER, unit=cw.world.unit)
    assert cw.world.client("handler").get("/casework/").status_code == 200
    client = Client()
    client.force_login(colleague)
    assert not from_cache(client.get("/casework/"))


def test_the_cache_answers_per_query_and_language(cw: CaseWorld, cache_on: None) -> None:
    client = cw.world.client("city_viewer")
    client.get("/registry/parks/")
    assert not from_cache(client.get("/registry/parks/", {"q": "江夏"}))
    assert from_cache(client.get("/registry/parks/", {"q": "江夏"}))
    client.cookies["django_language"] = "en"
    assert not from_cache(client.get("/registry/parks/", {"q": "江夏"}))


def fills(client: Client, path: str) -> None:
    assert not from_cache(client.get(path))
    assert from_cache(client.get(path))


def test_a_new_case_a_transition_and_a_reminder_each_make_the_case_list_fresh(
    cw: CaseWorld, cache_on: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    board = cw.world.client("city_admin")
    portal = cw.world.client("enterprise")
    fills(board, "/casework/")
    fills(portal, "/casework/")
    with django_capture_on_commit_callbacks(execute=True):
        case = cw.submit(when=at(2026, 3, 2), title="新建厂房用水接入")
    for client in (board, portal):
        answer = client.get("/casework/")
        assert not from_cache(answer)
        assert "新建厂房用水接入" in answer.content.decode()
        assert from_cache(client.get("/casework/"))

    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_accept(actor=cw.user("handler"), case=case, version=case.version)
    answer = board.get("/casework/")
    assert not from_cache(answer)
    assert from_cache(board.get("/casework/"))

    with django_capture_on_commit_callbacks(execute=True):
        services.case_send_reminder(case=case, kind="response", due=dt.date(2026, 3, 3), text="请尽快受理")
    assert not from_cache(board.get("/casework/"))


def test_a_case_update_bumps_the_version_itself(cw: CaseWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    # The version-checked update() sends no signal: the service bumps the version itself.
    from yuanqu.casework.services import common

    case = cw.submit(when=at(2026, 3, 2))
    bumps: list[None] = []
    monkeypatch.setattr(common, "data_version_bump", lambda: bumps.append(None))
    services.case_accept(actor=cw.user("handler"), case=case, version=case.version)
    assert bumps == [None]


def test_a_registry_edit_makes_the_park_list_and_profile_fresh(
    cw: CaseWorld, cache_on: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client = cw.world.client("city_admin")
    for path in ("/registry/parks/", "/cockpit/parks/PA/", "/cockpit/"):
        fills(client, path)
    with django_capture_on_commit_callbacks(execute=True):
        park_update(actor=cw.user("city_admin"), park=cw.world.parks["PA"], name="江夏临空产业园")
    for path in ("/registry/parks/", "/cockpit/parks/PA/", "/cockpit/"):
        answer = client.get(path)
        assert not from_cache(answer), path
        if path != "/cockpit/":  # the cockpit has its park names in its chart data, as JSON escapes
            assert "江夏临空产业园" in answer.content.decode(), path


def test_a_new_policy_pack_makes_the_target_board_fresh(
    cw: CaseWorld, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = cw.world.client("city_viewer")
    fills(client, "/targets/")
    installed = installed_pack()

    class Changed:
        content_hash = installed.content_hash + "-changed"

    monkeypatch.setattr(pagecache, "installed_pack", Changed)
    assert not from_cache(client.get("/targets/"))


def test_a_page_with_messages_waiting_is_rendered_for_its_reader(cw: CaseWorld, cache_on: None) -> None:
    from django.contrib.messages import constants
    from django.contrib.messages.storage.fallback import FallbackStorage

    client = cw.world.client("city_viewer")
    fills(client, "/registry/parks/")
    request = RequestFactory().get("/registry/parks/")
    request.user = cw.user("city_viewer")
    request.session = client.session
    storage = FallbackStorage(request)
    storage.add(constants.SUCCESS, "园区已保存")
    request._messages = storage  # type: ignore[attr-defined]
    from yuanqu.registry.views import park_list

    answer = park_list(request)
    assert "园区已保存" in answer.content.decode()


def test_audited_reads_are_audited_for_every_reader_served_from_the_cache(cw: CaseWorld, cache_on: None) -> None:
    park = cw.world.parks["PA"]

    @pagecache.cached_page("audited")
    def view(request: HttpRequest) -> HttpResponse:
        audit_record(actor=request.user, action=AuditLog.Action.READ, obj=park, detail="查看园区档案")  # type: ignore[arg-type]
        return HttpResponse(f"<p>{park.name}</p>")

    readers = [cw.user("city_viewer"), make_user("t-viewer-2", Role.CITY_VIEWER)]
    answers = []
    for reader in readers:
        request = RequestFactory().get("/audited/")
        request.user = reader
        answers.append(view(request).content)
    assert answers[0] == answers[1]
    entries = AuditLog.objects.filter(action=AuditLog.Action.READ, detail="查看园区档案").order_by("pk")
    assert [(entry.actor, entry.object_id) for entry in entries] == [(reader, str(park.pk)) for reader in readers]


def test_a_page_that_asked_for_the_real_token_is_never_kept(cw: CaseWorld, cache_on: None) -> None:
    from django.middleware.csrf import get_token

    @pagecache.cached_page("own-token")
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(f'<p data-token="{get_token(request)}">{request.user}</p>')

    readers = [cw.user("city_viewer"), make_user("t-viewer-3", Role.CITY_VIEWER)]
    for reader, secret in zip(readers, ("a" * 32, "b" * 32), strict=True):
        request = RequestFactory().get("/own-token/")
        request.user = reader
        request.META["CSRF_COOKIE"] = secret
        assert f">{reader}<" in view(request).content.decode()
