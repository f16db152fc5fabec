"""The persona matrix, generated from the one table in `matrix.py`: every row is a test that makes
its request as each persona.

It also proves that the table is complete (every URL pattern of the site and every operation of the
API has a row, found by walking Django's resolver and the API's routers), that a refusal on the API
has one JSON shape in every app and that the site refuses with the Chinese 403 page."""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from tests.persona.conftest import Sessions
from tests.persona.matrix import DENIED, EXEMPT, ROWS, SCOPE, Answer, Row
from tests.persona.world import PDF, PERSONAS, PersonaWorld
from yuanqu.core.models import AuditLog

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as HttpResponse

RECORD = os.environ.get("PERSONA_MATRIX_RECORD", "")


# ── completeness ──────────────────────────────────────────────────────────────────────────────


def _site_routes(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            yield from _site_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or str(pattern.pattern)
            yield f"{namespace}:{name}" if namespace else name


def _api_routes() -> Iterator[str]:
    from yuanqu.api import api

    api.urls  # noqa: B018 - binds the routers, as Django's URL loading does
    root = "/api/v1"
    for prefix, router in api._routers:
        base = "/" + prefix.strip("/") if prefix.strip("/") else ""
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    yield f"{method} {root}{base}{path if path.startswith('/') else '/' + path}"


def routes() -> set[str]:
    """Every route of the platform: pages by URL name, API operations by method and path."""
    site = {
        route
        for route in _site_routes(get_resolver().url_patterns)
        if not route.startswith("api-1.0.0:")
        or route in {"api-1.0.0:openapi-json", "api-1.0.0:openapi-view", "api-1.0.0:api-root"}
    }
    site = {route for route in site if not any(route.startswith(exempt.prefix) for exempt in EXEMPT)}
    return site | set(_api_routes())


def test_every_route_has_a_row_in_the_matrix() -> None:
    listed = {row.route for row in ROWS}
    missing = sorted(routes() - listed)
    assert not missing, (
        "These routes have no row in the persona matrix (tests/persona/matrix.py). Add one row per route "
        "(and per object in and out of the persona's scope) to ROWS, in the block of its app, e.g.\n"
        + "\n".join(
            f'    R("{route}", "<what it asks>", "<METHOD>", "<path with {{refs}}>", access(...)),' for route in missing
        )
    )


def test_every_row_names_a_route_that_exists() -> None:
    stale = sorted({row.route for row in ROWS} - routes())
    assert not stale, f"Rows of the persona matrix name routes that no longer exist: {stale}"


# ── the matrix ────────────────────────────────────────────────────────────────────────────────


def _rows() -> Iterator[Any]:
    for row in ROWS:
        yield pytest.param(row, id=f"{row.method} {row.route} [{row.case}]")


def _request(client: Client, row: Row, world: PersonaWorld) -> HttpResponse:
    url = row.url(world.refs)
    data = row.data(world.refs)
    if row.files:
        upload = SimpleUploadedFile("说明.pdf", PDF, content_type="application/pdf")
        return client.post(url, {**(data or {}), row.files: upload})
    if row.method == "GET":
        return client.get(url)
    if row.api:
        body = json.dumps(data if data is not None else {}, ensure_ascii=False)
        return client.generic(row.method, url, body, content_type="application/json")
    return client.generic(
        row.method,
        url,
        _form(data or {}),
        content_type="application/x-www-form-urlencoded",
    )


def _form(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode({key: str(value) for key, value in data.items()})


def _is_login(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/login/")


def assert_api_refusal(response: HttpResponse) -> None:
    """The one JSON shape of a refusal: {"detail": Chinese text, "code": "<code>"}."""
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "code"}, body
    assert isinstance(body["code"], str) and body["code"]
    assert any("\u4e00" <= char <= "\u9fff" for char in body["detail"]), body


def assert_site_refusal(response: HttpResponse) -> None:
    """The site's refusal: the Chinese 403 page with a way back."""
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert 'data-testid="error-403"' in html and "无权访问" in html and "返回首页" in html


@pytest.mark.parametrize("row", list(_rows()))
def test_persona_matrix(row: Row, pw: PersonaWorld, sessions: Sessions) -> None:
    """One row, every persona: each persona's request in a savepoint of its own, rolled back after it,
    so that every persona meets the same world (a write of one is undone before the next). Every
    persona is checked even when one fails, and the failures of the row are reported together, each
    naming the persona and what it got."""
    failures: list[str] = []
    for persona in PERSONAS:
        try:
            with transaction.atomic():
                check(row, persona, pw, sessions)
                transaction.set_rollback(True)
        except AssertionError as failure:
            failures.append(f"as {persona}: {_said(failure)}")
        except Exception as error:  # an error of one persona must not hide the others'
            failures.append(f"as {persona}: raised {_where(error)}")
        finally:
            # What the autouse `_language_reset` does between tests: a persona that asked for an
            # English page leaves the next persona in the platform's language.
            translation.deactivate()
    if failures:
        pytest.fail(
            f"{row.id}: {len(failures)} of {len(PERSONAS)} personas failed\n" + "\n".join(failures), pytrace=False
        )


def _said(failure: AssertionError) -> str:
    """An assertion's own message where it has one (pytest appends its comparison of the operands,
    which says the same again); otherwise pytest's account of the expression, which is all there is."""
    lines = str(failure).splitlines() or ["assert failed"]
    if not lines[0].startswith("assert "):
        return lines[0]
    return "\n    ".join(lines[:8])


def _where(error: Exception) -> str:
    """The error and the line that raised it, e.g. `KeyError: 'park' (yuanqu/registry/views.py:88)`."""
    frames = traceback.extract_tb(error.__traceback__)
    place = f" ({frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    return "".join(traceback.format_exception_only(error)).strip() + place


def check(row: Row, persona: str, pw: PersonaWorld, sessions: Sessions) -> None:
    """The row's request as the persona, and every assertion the matrix makes of its answer."""
    user = pw.user(persona)
    before = row.write(pw) if row.write is not None else None
    last_audit = AuditLog.objects.aggregate(last=Max("id"))["last"] or 0
    response = _request(sessions.client(persona), row, pw)
    after = row.write(pw) if row.write is not None else None
    wrote = row.write is not None and after != before
    if RECORD:
        _record(row, persona, response, wrote)
        return
    expected = row.answer(persona)
    got = Answer(response.status_code, wrote=wrote, login=_is_login(response))
    assert got == expected, f"expected {expected}, got {got} ({_excerpt(response)})"
    if expected == DENIED:
        (assert_api_refusal if row.api else assert_site_refusal)(response)
    new_entries = AuditLog.objects.filter(id__gt=last_audit).exclude(action=AuditLog.Action.READ)
    if row.write is not None and expected.wrote and row.audited:
        assert new_entries.filter(actor=user).exists(), "the write left no audit entry"
    if row.write is not None and not expected.wrote:
        assert not new_entries.exists(), f"a refused write left {list(new_entries.values())}"
    if row.lists and response.status_code == 200:
        assert_lists_scope(row.lists, persona, pw, _text(response))
    if row.export and response.status_code == 200:
        assert new_entries.filter(actor=user, action__in=(AuditLog.Action.EXPORT, AuditLog.Action.DOWNLOAD)).exists(), (
            "the download is not in the audit log"
        )


def _markers(kind: str, world: PersonaWorld) -> dict[str, str]:
    """How each of the shared world's objects shows in a list: a park by its name, an enterprise by its
    credit code, a parcel by its code."""
    base = world.base
    if kind == "parks":
        return {code: park.name for code, park in base.parks.items()}
    if kind == "enterprises":
        return {name: firm.uscc for name, firm in base.enterprises.items()}
    return {code: code for code in ("L-PA-1", "L-PC-1", "L-OUT-1")}


def assert_lists_scope(kind: str, persona: str, world: PersonaWorld, text: str) -> None:
    shown = {name for name, marker in _markers(kind, world).items() if marker in text}
    assert shown == SCOPE[persona][kind], f"{persona} sees {sorted(shown)} of the {kind}"


def _text(response: HttpResponse) -> str:
    """What a list answer shows, as text: a page or JSON as it is, a spreadsheet cell by cell."""
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        import io

        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        return "\n".join(
            "\t".join(str(cell) for cell in line)
            for name in book.sheet_names
            for line in book.get_sheet_by_name(name).to_python()
        )
    if kind.startswith("application/json") or kind.startswith("application/geo+json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return b"".join(cast("Iterable[bytes]", response)).decode()


def test_it_shows_role_and_scope_in_the_header(pw: PersonaWorld, sessions: Sessions) -> None:
    html = sessions.client("district_jiangxia").get("/registry/parks/").content.decode()
    assert "区级用户" in html and "江夏区" in html
    html = sessions.client("park_operator").get("/registry/parks/").content.decode()
    assert "园区运营" in html and "江夏现代产业园" in html


# Apps whose API writes every signed-in user may make: no write of theirs is ever refused with 403.
WRITES_OPEN_TO_ALL = {"notifications": "marking one's own notifications read"}


def test_a_refusal_has_one_json_shape_in_every_app(pw: PersonaWorld, sessions: Sessions) -> None:
    """A forbidden write answers 403 with the same two keys in every app whose API writes."""
    refused = [row for row in ROWS if row.api and row.method != "GET" and DENIED in row.expect.values()]
    apps = {row.route.split("/")[3] for row in refused}
    writing = {route.split(" ")[1].split("/")[3] for route in _api_routes() if not route.startswith("GET ")}
    assert apps == writing - set(WRITES_OPEN_TO_ALL), (sorted(apps), sorted(writing))
    assert {"registry", "casework", "intake", "indicators", "targets", "evaluation"} <= apps
    for app in sorted(apps):
        row = next(row for row in refused if row.route.split("/")[3] == app)
        persona = next(persona for persona, answer in row.expect.items() if answer == DENIED)
        response = _request(sessions.client(persona), row, pw)
        assert response.status_code == 403, (row.id, persona)
        assert_api_refusal(response)


def test_the_site_refuses_with_the_chinese_403_page(pw: PersonaWorld, sessions: Sessions) -> None:
    response = sessions.client("city_viewer").post("/evaluation/runs/start/", {"year": "2025"})
    assert response.status_code == 403
    assert_site_refusal(response)
    assert 'lang="zh-hans"' in response.content.decode()


def _excerpt(response: HttpResponse) -> str:
    if response.status_code in (301, 302):
        return f"Location: {response['Location']}"
    if response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode(errors="replace")
        start = max(html.find('role="alert"'), html.find('class="error'))
        return html[start : start + 300] if start >= 0 else html[:300]
    if response.get("Content-Type", "").startswith(("application/json", "text/")):
        return response.content.decode(errors="replace")[:300]
    return response.get("Content-Type", "")


def _record(row: Row, persona: str, response: HttpResponse, wrote: bool) -> None:
    entry = {
        "id": row.id,
        "persona": persona,
        "status": response.status_code,
        "login": _is_login(response),
        "wrote": wrote,
        "excerpt": _excerpt(response)[:160],
    }
    with open(RECORD, "a", encoding="utf-8") as out:
        out.write(json.dumps(entry, ensure_ascii=False) + "\n")
