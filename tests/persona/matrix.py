"""THE persona matrix: one row per route and action — every page, API operation, export and write of
every app — with the request it makes and what each persona gets. `test_matrix.py` turns each row ×
persona into one test, and fails when a URL pattern or API operation exists that no row names.

A row:
- `route`: the route's key — a page's URL name (`"registry:park_detail"`), an API operation's
  method and path as the API declares it (`"PATCH /api/v1/registry/parks/{code}"`);
- `case`: what this row asks of the route, in a few words (a route has several rows when its
  answer depends on the object: in scope, out of scope; or on the action posted);
- the request: method, path and body, with the world's objects named in braces (`{park}`, `{case}`;
  see `world.py`, `PersonaWorld.refs`); a site body is posted as a form, an API body as JSON;
- `expect`: per persona, the answer (`access(...)`: a default and the personas that differ);
- `write`: for a write, how to see that it happened (a probe read before and after); the personas
  whose answer is `DONE` must have changed it and left an audit entry, every other persona must
  have changed nothing;
- `export`: a download that must leave an audit entry naming the persona.

Answers: `OK` (200), `DONE`/`DONE_201`/`DONE_302` (the write happened), `REDIRECT` (302 that is not a
sign-in), `LOGIN` (302 to the sign-in page), `NO_AUTH` (401, API), `DENIED` (403: the Chinese page on
the site, `{"detail", "code"}` on the API), `HIDDEN` (404: outside the persona's read scope, exactly as
if it did not exist), `REFUSED` (the page took the post back to where it came from with a message and
changed nothing), `INVALID` (422), `CONFLICT` (409: the object's state forbids it, e.g. a case step in
the wrong status), `GONE` (404 when the object is there but its kept file is not one of theirs).

Adding an app: give each of its URL patterns and API operations at least one row, in a module of its
own (tests/persona/rows_<app>.py, see CAPABILITY_MODULES at the end); the completeness test prints
the missing routes as rows to paste."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.persona.world import PERSONAS, PersonaWorld

# ── answers ───────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Answer:
    status: int
    wrote: bool = False
    login: bool = False

    def __str__(self) -> str:
        return NAMES.get(self, f"{self.status}{'*' if self.wrote else ''}")


OK = Answer(200)
DONE = Answer(200, wrote=True)
DONE_201 = Answer(201, wrote=True)
DONE_202 = Answer(202, wrote=True)
DONE_204 = Answer(204, wrote=True)
DONE_302 = Answer(302, wrote=True)
REDIRECT = Answer(302)
REFUSED = Answer(302)
LOGIN = Answer(302, login=True)
NO_AUTH = Answer(401)
DENIED = Answer(403)
HIDDEN = Answer(404)
NOT_ALLOWED = Answer(405)
CONFLICT = Answer(409)
INVALID = Answer(422)
NAMES = {
    OK: "OK",
    DONE: "DONE",
    DONE_201: "DONE_201",
    DONE_202: "DONE_202",
    DONE_204: "DONE_204",
    DONE_302: "DONE_302",
    REDIRECT: "REDIRECT",
    LOGIN: "LOGIN",
    NO_AUTH: "NO_AUTH",
    DENIED: "DENIED",
    HIDDEN: "HIDDEN",
    NOT_ALLOWED: "NOT_ALLOWED",
    CONFLICT: "CONFLICT",
    INVALID: "INVALID",
}

# Persona groups, as the access rules name them.
CITY = ("city_admin", "city_viewer", "sysadmin")
CITY_ADMINS = ("city_admin", "sysadmin")
DISTRICTS = ("district_jiangxia", "district_caidian")
PARKS = ("park_operator", "park_operator_pc")
FIRMS = ("enterprise", "enterprise_e3")
HANDLERS = ("handler", "handler_other")
SIGNED_IN = tuple(p for p in PERSONAS if p != "anonymous")
# Who is "in scope" of the world's objects in Jiangxia, park PA, enterprise E1 (and who is not).
IN_SCOPE_PA = ("district_jiangxia", "park_operator", "enterprise")
OUT_OF_SCOPE_PA = ("district_caidian", "park_operator_pc", "enterprise_e3")


# The anonymous visitor's answer unless a row says otherwise: LOGIN on the site, NO_AUTH on the API.
ANON = Answer(0)


def access(default: Answer, *groups: tuple[tuple[str, ...] | str, Answer], **personas: Answer) -> dict[str, Answer]:
    """Every persona's answer: `default`, then each (personas, answer) group, then single personas;
    anonymous is ANON unless named."""
    answers = dict.fromkeys(PERSONAS, default)
    answers["anonymous"] = ANON
    for names, answer in groups:
        for name in (names,) if isinstance(names, str) else names:
            answers[name] = answer
    answers.update(personas)
    return answers


# What each persona reads of the shared world's parks, enterprises and land parcels (its read scope).
SCOPE: dict[str, dict[str, frozenset[str]]] = {
    persona: {"parks": frozenset(parks), "enterprises": frozenset(firms), "land": frozenset(land)}
    for persona, (parks, firms, land) in {
        "anonymous": ((), (), ()),
        "city_admin": (("PA", "PB", "PC"), ("E1", "E2", "E3", "E4"), ("L-PA-1", "L-PC-1", "L-OUT-1")),
        "city_viewer": (("PA", "PB", "PC"), ("E1", "E2", "E3", "E4"), ("L-PA-1", "L-PC-1", "L-OUT-1")),
        "sysadmin": (("PA", "PB", "PC"), ("E1", "E2", "E3", "E4"), ("L-PA-1", "L-PC-1", "L-OUT-1")),
        "auditor": ((), (), ()),
        "district_jiangxia": (("PA", "PB"), ("E1", "E2", "E4"), ("L-PA-1", "L-OUT-1")),
        "district_caidian": (("PC",), ("E3",), ("L-PC-1",)),
        "park_operator": (("PA",), ("E1",), ("L-PA-1",)),
        "park_operator_pc": (("PC",), ("E3",), ("L-PC-1",)),
        "enterprise": (("PA",), ("E1",), ("L-PA-1",)),
        "enterprise_e3": (("PC",), ("E3",), ()),  # the parcel in PC is no enterprise's
        "handler": ((), (), ()),
        "handler_other": ((), (), ()),
        "talent_person": ((), (), ()),
        "finance_bureau": ((), (), ()),
    }.items()
}


# ── rows ──────────────────────────────────────────────────────────────────────────────────────

Probe = Callable[[PersonaWorld], Any]


@dataclass(frozen=True)
class Row:
    route: str
    case: str
    method: str
    path: str
    expect: Mapping[str, Answer]
    body: Mapping[str, Any] | Callable[[Mapping[str, str]], Mapping[str, Any]] | None = None
    files: str = ""  # the multipart field a PDF is posted in, where the route takes files
    write: Probe | None = None
    export: bool = False
    audited: bool = True  # False only for marking one's own notifications read and a person's withdrawal
    lists: str = ""  # "parks", "enterprises" or "land": the answer lists exactly the persona's SCOPE

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    def answer(self, persona: str) -> Answer:
        found = self.expect[persona]
        if found == ANON:
            return NO_AUTH if self.api else LOGIN
        return found

    @property
    def id(self) -> str:
        return f"{self.route} [{self.case}]"

    def url(self, refs: Mapping[str, str]) -> str:
        return self.path.format(**refs)

    def data(self, refs: Mapping[str, str]) -> dict[str, Any] | None:
        if self.body is None:
            return None
        raw = self.body(refs) if callable(self.body) else self.body
        return {key: value.format(**refs) if isinstance(value, str) else value for key, value in raw.items()}


@dataclass(frozen=True)
class Exempt:
    """A route the matrix does not request, with the reason (Django's own admin has its own tests)."""

    prefix: str
    reason: str


EXEMPT = (Exempt("admin:", "Django's admin: every model page admits staff only; core/tests/test_admin_access.py"),)


def _lookup(world: PersonaWorld, lookup: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value.format(**world.refs) if isinstance(value, str) else value for key, value in lookup.items()}


def _value(model: str, field_name: str, **lookup: Any) -> Probe:
    """A write's probe: one field of the first row that matches (names in braces from the world)."""

    def probe(world: PersonaWorld) -> Any:
        from django.apps import apps

        rows = apps.get_model(model).objects.filter(**_lookup(world, lookup)).order_by("pk")
        return rows.values_list(field_name, flat=True).first()

    return probe


def _count(model: str, **lookup: Any) -> Probe:
    """A write's probe: how many rows match."""

    def probe(world: PersonaWorld) -> Any:
        from django.apps import apps

        return apps.get_model(model).objects.filter(**_lookup(world, lookup)).count()

    return probe


def _case_state(world: PersonaWorld) -> Any:
    from yuanqu.casework.models import Case

    case = Case.objects.get(number=world.refs["case"])
    return (case.status, case.version, case.events.count(), case.attachments.count(), case.reminders.count())


# 精准招商 and 陪跑 readers: the city, the districts, the park operators.
INVEST = (*CITY, *DISTRICTS, *PARKS)
# The city and whoever holds park PA (or PC) in scope, for the objects there.
IN_PA = (*CITY, "district_jiangxia", "park_operator")
IN_PC = (*CITY, "district_caidian", "park_operator_pc")
_PROJECT = {
    "name": "矩阵新项目",
    "investor_name": "矩阵丁科技有限公司",
    "district": "{district}",
    "park": "{park}",
    "source": "capital",
}
_ADVANCE = {"to_stage": "negotiating", "on": "2026-03-20", "version": "{project_version}"}
_TERMINATE = {"on": "2026-03-20", "version": "{project_version}", "reason": "投资方放弃"}


def _versioned(body: Mapping[str, Any]) -> Callable[[Mapping[str, str]], Mapping[str, Any]]:
    """An API body naming the project's version, as the number the API takes."""
    return lambda refs: {**body, "version": int(refs["project_version"])}


R = Row
ROWS: list[Row] = [
    # ── shell and core ────────────────────────────────────────────────────────────────────────
    R("home", "landing by role", "GET", "/", access(REDIRECT)),
    R("healthz", "health check", "GET", "/healthz", access(OK, anonymous=OK)),
    R("login", "sign-in page", "GET", "/login/", access(REDIRECT, anonymous=OK)),
    R("logout", "sign out", "POST", "/logout/", access(LOGIN)),
    R(
        "set_language",
        "switch to English",
        "POST",
        "/i18n/setlang/",
        access(REDIRECT, anonymous=REDIRECT),
        body={"language": "en", "next": "/"},
    ),
    R("core:profile", "own page", "GET", "/core/me/", access(OK)),
    R(
        "core:profile",
        "create an API token",
        "POST",
        "/core/me/",
        access(DONE),
        body={"name": "矩阵令牌"},
        write=_count("core.ApiToken"),
    ),
    R("core:audit_log", "audit log", "GET", "/core/audit/", access(DENIED, sysadmin=OK, auditor=OK)),
    R("api-1.0.0:openapi-json", "OpenAPI schema", "GET", "/api/v1/openapi.json", access(OK, anonymous=OK)),
    R("api-1.0.0:openapi-view", "API docs", "GET", "/api/v1/docs", access(OK, anonymous=OK)),
    R("api-1.0.0:api-root", "API root", "GET", "/api/v1/", access(HIDDEN, anonymous=HIDDEN)),
    # ── registry pages ────────────────────────────────────────────────────────────────────────
    R("registry:overview", "overview", "GET", "/registry/", access(OK)),
    R("registry:park_list", "list", "GET", "/registry/parks/", access(OK), lists="parks"),
    R(
        "registry:park_list",
        "xlsx export",
        "GET",
        "/registry/parks/?export=xlsx",
        access(OK),
        export=True,
        lists="parks",
    ),
    R(
        "registry:park_detail",
        "PA",
        "GET",
        "/registry/parks/{park}/",
        access(
            OK,
            (OUT_OF_SCOPE_PA, HIDDEN),
            (HANDLERS, HIDDEN),
            auditor=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
    ),
    R(
        "registry:park_detail",
        "PC",
        "GET",
        "/registry/parks/{park_other}/",
        access(
            OK, (IN_SCOPE_PA, HIDDEN), (HANDLERS, HIDDEN), auditor=HIDDEN, talent_person=HIDDEN, finance_bureau=HIDDEN
        ),
    ),
    R(
        "registry:park_change_requests",
        "PA",
        "GET",
        "/registry/parks/{park}/change-requests/",
        access(
            HIDDEN, (CITY_ADMINS, OK), city_viewer=DENIED, district_jiangxia=OK, park_operator=OK, enterprise=DENIED
        ),
    ),
    R(
        "registry:park_change_requests",
        "PC",
        "GET",
        "/registry/parks/{park_other}/change-requests/",
        access(
            HIDDEN,
            (CITY_ADMINS, OK),
            city_viewer=DENIED,
            district_caidian=OK,
            park_operator_pc=OK,
            enterprise_e3=DENIED,
        ),
    ),
    R(
        "registry:park_change_requests",
        "file for PA",
        "POST",
        "/registry/parks/{park}/change-requests/",
        access(
            HIDDEN,
            (CITY_ADMINS, OK),
            city_viewer=DENIED,
            district_jiangxia=DONE_302,
            park_operator=DONE_302,
            enterprise=DENIED,
        ),
        body={"action": "file", "change_park_type": "featured", "reason": "已转型"},
        write=_count("registry.ParkChangeRequest"),
    ),
    R(
        "registry:park_change_requests",
        "approve PA's",
        "POST",
        "/registry/parks/{park}/change-requests/",
        access(
            HIDDEN,
            (CITY_ADMINS, DONE_302),
            city_viewer=DENIED,
            district_jiangxia=OK,
            park_operator=OK,
            enterprise=DENIED,
        ),
        body={"action": "approve", "request": "{change_request}", "note": "同意", "confirm": "yes"},
        write=_value("registry.Park", "name", code="PA"),
    ),
    R(
        "registry:change_request_list",
        "list",
        "GET",
        "/registry/change-requests/",
        access(
            OK,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            city_viewer=DENIED,
            auditor=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
    ),
    R("registry:enterprise_list", "list", "GET", "/registry/enterprises/", access(OK), lists="enterprises"),
    R(
        "registry:enterprise_list",
        "xlsx export",
        "GET",
        "/registry/enterprises/?export=xlsx",
        access(OK),
        export=True,
        lists="enterprises",
    ),
    R(
        "registry:enterprise_detail",
        "E1",
        "GET",
        "/registry/enterprises/{uscc}/",
        access(
            OK,
            (OUT_OF_SCOPE_PA, HIDDEN),
            (HANDLERS, HIDDEN),
            auditor=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
    ),
    R(
        "registry:enterprise_detail",
        "E3",
        "GET",
        "/registry/enterprises/{uscc_other}/",
        access(
            OK, (IN_SCOPE_PA, HIDDEN), (HANDLERS, HIDDEN), auditor=HIDDEN, talent_person=HIDDEN, finance_bureau=HIDDEN
        ),
    ),
    R("registry:district_list", "list", "GET", "/registry/districts/", access(OK)),
    R(
        "registry:district_detail",
        "Jiangxia",
        "GET",
        "/registry/districts/{district}/",
        access(OK, auditor=HIDDEN, talent_person=HIDDEN, finance_bureau=HIDDEN),
    ),
    R(
        "registry:district_detail",
        "Caidian",
        "GET",
        "/registry/districts/{district_other}/",
        access(OK, auditor=HIDDEN, talent_person=HIDDEN, finance_bureau=HIDDEN),
    ),
    R("registry:chain_list", "list", "GET", "/registry/chains/", access(OK)),
    R("registry:land_list", "list", "GET", "/registry/land/", access(OK), lists="land"),
    R("registry:map", "map", "GET", "/registry/map/", access(OK)),
    R("registry:map_parks", "park layer", "GET", "/registry/map/parks.geojson", access(OK), lists="parks"),
    R("registry:basemap", "base map", "GET", "/registry/map/basemap.geojson", access(OK)),
    # ── registry API ──────────────────────────────────────────────────────────────────────────
    R("GET /api/v1/registry/districts", "list", "GET", "/api/v1/registry/districts", access(OK)),
    R("GET /api/v1/registry/chains", "list", "GET", "/api/v1/registry/chains", access(OK)),
    R("GET /api/v1/registry/parks", "list", "GET", "/api/v1/registry/parks", access(OK), lists="parks"),
    R(
        "POST /api/v1/registry/parks",
        "new park in Jiangxia",
        "POST",
        "/api/v1/registry/parks",
        access(DENIED, (CITY_ADMINS, DONE_201)),
        body={"code": "PZ", "name": "江夏新建园区", "district": "{district}", "planned_area_km2": "2.5"},
        write=_count("registry.Park", code="PZ"),
    ),
    R(
        "GET /api/v1/registry/parks/{code}",
        "PA",
        "GET",
        "/api/v1/registry/parks/{park}",
        access(
            OK,
            (OUT_OF_SCOPE_PA, HIDDEN),
            (HANDLERS, HIDDEN),
            auditor=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
    ),
    R(
        "GET /api/v1/registry/parks/{code}",
        "PC",
        "GET",
        "/api/v1/registry/parks/{park_other}",
        access(
            OK, (IN_SCOPE_PA, HIDDEN), (HANDLERS, HIDDEN), auditor=HIDDEN, talent_person=HIDDEN, finance_bureau=HIDDEN
        ),
    ),
    R(
        "PATCH /api/v1/registry/parks/{code}",
        "PA operator's field",
        "PATCH",
        "/api/v1/registry/parks/{park}",
        access(
            HIDDEN,
            (CITY_ADMINS, DONE),
            city_viewer=DENIED,
            district_jiangxia=DONE,
            park_operator=DONE,
            enterprise=DENIED,
        ),
        body={"operator_name": "江夏产投"},
        write=_value("registry.Park", "operator_name", code="PA"),
    ),
    R(
        "PATCH /api/v1/registry/parks/{code}",
        "PA city's field",
        "PATCH",
        "/api/v1/registry/parks/{park}",
        access(HIDDEN, (CITY_ADMINS, DONE), (IN_SCOPE_PA, DENIED), city_viewer=DENIED),
        body={"park_type": "featured"},
        write=_value("registry.Park", "park_type", code="PA"),
    ),
    R(
        "PATCH /api/v1/registry/parks/{code}",
        "PC operator's field",
        "PATCH",
        "/api/v1/registry/parks/{park_other}",
        access(
            HIDDEN,
            (CITY_ADMINS, DONE),
            city_viewer=DENIED,
            district_caidian=DONE,
            park_operator_pc=DONE,
            enterprise_e3=DENIED,
        ),
        body={"operator_name": "蔡甸产投"},
        write=_value("registry.Park", "operator_name", code="PC"),
    ),
    R(
        "GET /api/v1/registry/enterprises",
        "list",
        "GET",
        "/api/v1/registry/enterprises",
        access(OK),
        lists="enterprises",
    ),
    R(
        "POST /api/v1/registry/enterprises",
        "new firm in PA",
        "POST",
        "/api/v1/registry/enterprises",
        access(
            DENIED,
            (CITY_ADMINS, DONE_201),
            (OUT_OF_SCOPE_PA, INVALID),
            district_jiangxia=DONE_201,
            park_operator=DONE_201,
        ),
        body={
            "uscc": "{new_uscc}",
            "name": "武汉戊科技有限公司",
            "industry": "C3976",
            "district": "{district}",
            "park": "{park}",
        },
        write=_count("registry.Enterprise", name="武汉戊科技有限公司"),
    ),
    R(
        "GET /api/v1/registry/enterprises/{uscc}",
        "E1",
        "GET",
        "/api/v1/registry/enterprises/{uscc}",
        access(
            OK,
            (OUT_OF_SCOPE_PA, HIDDEN),
            (HANDLERS, HIDDEN),
            auditor=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
    ),
    R(
        "GET /api/v1/registry/enterprises/{uscc}",
        "E3",
        "GET",
        "/api/v1/registry/enterprises/{uscc_other}",
        access(
            OK, (IN_SCOPE_PA, HIDDEN), (HANDLERS, HIDDEN), auditor=HIDDEN, talent_person=HIDDEN, finance_bureau=HIDDEN
        ),
    ),
    R(
        "PATCH /api/v1/registry/enterprises/{uscc}",
        "E1 address",
        "PATCH",
        "/api/v1/registry/enterprises/{uscc}",
        access(HIDDEN, (CITY_ADMINS, DONE), (IN_SCOPE_PA, DONE), city_viewer=DENIED),
        body={"address": "江夏区光谷大道1号"},
        write=_value("registry.Enterprise", "address", name="武汉甲光电科技有限公司"),
    ),
    R(
        "PATCH /api/v1/registry/enterprises/{uscc}",
        "E3 address",
        "PATCH",
        "/api/v1/registry/enterprises/{uscc_other}",
        access(HIDDEN, (CITY_ADMINS, DONE), (OUT_OF_SCOPE_PA, DONE), city_viewer=DENIED),
        body={"address": "蔡甸区1号"},
        write=_value("registry.Enterprise", "address", name="武汉丙生物医药有限公司"),
    ),
    R("GET /api/v1/registry/change-requests", "list", "GET", "/api/v1/registry/change-requests", access(OK)),
    R(
        "POST /api/v1/registry/change-requests",
        "for PA",
        "POST",
        "/api/v1/registry/change-requests",
        access(HIDDEN, (CITY, DENIED), district_jiangxia=DONE_201, park_operator=DONE_201, enterprise=DENIED),
        body={"park": "{park}", "changes": {"park_type": "featured"}, "reason": "已转型"},
        write=_count("registry.ParkChangeRequest"),
    ),
    R(
        "GET /api/v1/registry/change-requests/{request_id}",
        "PA's",
        "GET",
        "/api/v1/registry/change-requests/{change_request}",
        access(HIDDEN, (CITY, OK), district_jiangxia=OK, park_operator=OK),
    ),
    R(
        "POST /api/v1/registry/change-requests/{request_id}/approve",
        "PA's",
        "POST",
        "/api/v1/registry/change-requests/{change_request}/approve",
        access(HIDDEN, (CITY_ADMINS, DONE), city_viewer=DENIED, district_jiangxia=DENIED, park_operator=DENIED),
        body={"note": "同意"},
        write=_value("registry.Park", "name", code="PA"),
    ),
    R(
        "POST /api/v1/registry/change-requests/{request_id}/reject",
        "PA's",
        "POST",
        "/api/v1/registry/change-requests/{change_request}/reject",
        access(HIDDEN, (CITY_ADMINS, DONE), city_viewer=DENIED, district_jiangxia=DENIED, park_operator=DENIED),
        body={"note": "不同意"},
        write=_value("registry.ParkChangeRequest", "status"),
    ),
    R(
        "POST /api/v1/registry/change-requests/{request_id}/withdraw",
        "PA's",
        "POST",
        "/api/v1/registry/change-requests/{change_request}/withdraw",
        access(HIDDEN, (CITY, DENIED), district_jiangxia=DENIED, park_operator=DONE),
        body={},
        write=_value("registry.ParkChangeRequest", "status"),
    ),
    # ── casework pages ────────────────────────────────────────────────────────────────────────
    R("casework:case_list", "landing", "GET", "/casework/", access(OK, auditor=DENIED)),
    R("casework:portal", "enterprise portal", "GET", "/casework/mine/", access(REDIRECT, (FIRMS, OK))),
    R("casework:queue", "handler queue", "GET", "/casework/queue/", access(OK, auditor=DENIED)),
    R("casework:board", "board", "GET", "/casework/board/", access(OK, (FIRMS, REDIRECT), auditor=DENIED)),
    R(
        "casework:board",
        "xlsx export",
        "GET",
        "/casework/board/?export=xlsx",
        access(OK, (FIRMS, REDIRECT), auditor=DENIED),
        export=True,
    ),
    R(
        "casework:case_new",
        "form",
        "GET",
        "/casework/new/",
        access(OK, (HANDLERS, DENIED), city_viewer=DENIED, auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "casework:case_new",
        "enter a request of E1",
        "POST",
        "/casework/new/",
        access(
            DONE_302,
            (OUT_OF_SCOPE_PA, OK),
            (HANDLERS, DENIED),
            city_viewer=DENIED,
            auditor=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={"category": "t_matrix", "title": "用地咨询", "description": "咨询用地指标。", "enterprise": "{uscc}"},
        write=_count("casework.Case"),
    ),
    R("casework:category_fields", "form part", "GET", "/casework/new/fields/?category=t_matrix", access(OK)),
    R(
        "casework:stats",
        "rates",
        "GET",
        "/casework/stats/",
        access(OK, (FIRMS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "casework:stats",
        "xlsx export",
        "GET",
        "/casework/stats/?export=xlsx",
        access(OK, (FIRMS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
        export=True,
    ),
    R("casework:notifications", "list", "GET", "/casework/notifications/", access(OK)),
    R(
        "casework:notifications",
        "mark all read",
        "POST",
        "/casework/notifications/",
        access(REDIRECT, park_operator=DONE_302, handler=DONE_302),
        body={},
        write=_count("casework.Notification", read_at__isnull=True),
        audited=False,
    ),
    R(
        "casework:visits",
        "list",
        "GET",
        "/casework/visits/",
        access(OK, (FIRMS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "casework:visits",
        "log a visit to E1",
        "POST",
        "/casework/visits/",
        # A role that logs no visits is refused (403); an enterprise out of scope is taken back with a message.
        access(
            REFUSED,
            (CITY_ADMINS, DONE_302),
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            city_viewer=DENIED,
            auditor=DENIED,
            district_jiangxia=DONE_302,
            park_operator=DONE_302,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={"enterprise": "{uscc}", "visited_on": "2025-03-04", "summary": "回访"},
        write=_count("casework.Visit"),
    ),
    R("casework:categories", "list", "GET", "/casework/categories/", access(OK, auditor=DENIED)),
    R(
        "casework:attachment",
        "E1's case file",
        "GET",
        "/casework/attachments/{attachment}/",
        access(
            OK,
            (OUT_OF_SCOPE_PA, HIDDEN),
            auditor=HIDDEN,
            handler_other=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
        export=True,
    ),
    R(
        "casework:case_detail",
        "E1's case",
        "GET",
        "/casework/{case}/",
        access(
            OK,
            (OUT_OF_SCOPE_PA, HIDDEN),
            auditor=HIDDEN,
            handler_other=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
    ),
    R(
        "casework:case_action",
        "accept E1's case",
        "POST",
        "/casework/{case}/do/accept/",
        access(
            DONE_302,
            (OUT_OF_SCOPE_PA, HIDDEN),
            city_viewer=REDIRECT,
            auditor=HIDDEN,
            enterprise=REDIRECT,
            handler_other=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
        body={"version": "{case_version}"},
        write=_case_state,
    ),
    R(
        "casework:case_action",
        "withdraw E1's case",
        "POST",
        "/casework/{case}/do/withdraw/",
        access(
            REDIRECT,
            (OUT_OF_SCOPE_PA, HIDDEN),
            auditor=HIDDEN,
            enterprise=DONE_302,
            handler_other=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
        body={"version": "{case_version}", "reason": "已自行解决", "confirm": "yes"},
        write=_case_state,
    ),
    R(
        "casework:case_action",
        "comment on E1's case",
        "POST",
        "/casework/{case}/do/comment/",
        access(
            DONE_302,
            (OUT_OF_SCOPE_PA, HIDDEN),
            city_viewer=REDIRECT,
            auditor=HIDDEN,
            handler_other=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
        body={"text": "请补充用电负荷。"},
        write=_case_state,
    ),
    # ── casework API ──────────────────────────────────────────────────────────────────────────
    R("GET /api/v1/casework/categories", "list", "GET", "/api/v1/casework/categories", access(OK)),
    R("GET /api/v1/casework/cases", "list", "GET", "/api/v1/casework/cases", access(OK)),
    R(
        "POST /api/v1/casework/cases",
        "enter a request of E1",
        "POST",
        "/api/v1/casework/cases",
        access(
            DONE_201,
            (OUT_OF_SCOPE_PA, INVALID),
            (HANDLERS, DENIED),
            city_viewer=DENIED,
            auditor=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={"category": "t_matrix", "title": "用地咨询", "description": "咨询用地指标。", "enterprise": "{uscc}"},
        write=_count("casework.Case"),
    ),
    R(
        "GET /api/v1/casework/cases/{number}",
        "E1's case",
        "GET",
        "/api/v1/casework/cases/{case}",
        access(
            OK,
            (OUT_OF_SCOPE_PA, HIDDEN),
            auditor=HIDDEN,
            handler_other=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
    ),
    *(
        R(
            f"POST /api/v1/casework/cases/{{number}}/{path}",
            "E1's case",
            "POST",
            f"/api/v1/casework/cases/{{case}}/{path.replace('{approval_id}', '{attachment}')}",
            # The roles without a scope object (人才用户, 市财政局) find no case at all.
            {**expect, "talent_person": HIDDEN, "finance_bureau": HIDDEN},
            body=body,
            write=_case_state,
            files="files" if path == "attachments" else "",
        )
        for path, body, expect in (
            (
                "accept",
                lambda r: {"version": int(r["case_version"])},
                access(
                    DONE,
                    (OUT_OF_SCOPE_PA, HIDDEN),
                    city_viewer=DENIED,
                    auditor=HIDDEN,
                    enterprise=DENIED,
                    handler_other=HIDDEN,
                ),
            ),
            (
                "reject",
                lambda r: {"version": int(r["case_version"]), "reason": "不属于受理范围"},
                access(
                    DONE,
                    (OUT_OF_SCOPE_PA, HIDDEN),
                    city_viewer=DENIED,
                    auditor=HIDDEN,
                    enterprise=DENIED,
                    handler_other=HIDDEN,
                ),
            ),
            (
                "notice",
                lambda r: {"version": int(r["case_version"]), "items": ["营业执照副本"]},
                access(DENIED, (OUT_OF_SCOPE_PA, HIDDEN), auditor=HIDDEN, handler_other=HIDDEN),
            ),
            (
                "supplement",
                lambda r: {"version": int(r["case_version"]), "text": "已补充。"},
                access(
                    CONFLICT,
                    (OUT_OF_SCOPE_PA, HIDDEN),
                    city_viewer=DENIED,
                    auditor=HIDDEN,
                    handler=DENIED,
                    handler_other=HIDDEN,
                ),
            ),
            (
                "assign",
                lambda r: {"version": int(r["case_version"]), "lead_unit": r["unit"]},
                access(
                    HIDDEN,
                    (CITY_ADMINS, CONFLICT),
                    city_viewer=DENIED,
                    district_jiangxia=CONFLICT,
                    park_operator=DENIED,
                    enterprise=DENIED,
                    handler=DENIED,
                ),
            ),
            (
                "start",
                lambda r: {"version": int(r["case_version"])},
                access(DENIED, (OUT_OF_SCOPE_PA, HIDDEN), auditor=HIDDEN, handler_other=HIDDEN),
            ),
            (
                "transfer",
                lambda r: {"version": int(r["case_version"]), "to_unit": r["unit_other"], "reason": "职责"},
                access(
                    HIDDEN,
                    (CITY_ADMINS, CONFLICT),
                    city_viewer=DENIED,
                    district_jiangxia=CONFLICT,
                    park_operator=DENIED,
                    enterprise=DENIED,
                    handler=DENIED,
                ),
            ),
            (
                "reply",
                lambda r: {"version": int(r["case_version"]), "text": "已协调。"},
                access(DENIED, (OUT_OF_SCOPE_PA, HIDDEN), auditor=HIDDEN, handler_other=HIDDEN),
            ),
            (
                "rate",
                lambda r: {"version": int(r["case_version"]), "level": "satisfied", "resolved": True},
                access(
                    CONFLICT,
                    (OUT_OF_SCOPE_PA, HIDDEN),
                    city_viewer=DENIED,
                    auditor=HIDDEN,
                    handler=DENIED,
                    handler_other=HIDDEN,
                ),
            ),
            (
                "appeal-decision",
                lambda r: {"version": int(r["case_version"]), "upheld": True, "text": "维持。"},
                access(
                    HIDDEN,
                    (CITY_ADMINS, CONFLICT),
                    city_viewer=DENIED,
                    district_jiangxia=CONFLICT,
                    park_operator=DENIED,
                    enterprise=DENIED,
                    handler=DENIED,
                ),
            ),
            (
                "close",
                lambda r: {"version": int(r["case_version"])},
                access(
                    HIDDEN,
                    (CITY_ADMINS, CONFLICT),
                    city_viewer=DENIED,
                    district_jiangxia=CONFLICT,
                    park_operator=DENIED,
                    enterprise=DENIED,
                    handler=DENIED,
                ),
            ),
            (
                "withdraw",
                lambda r: {"version": int(r["case_version"]), "reason": "已自行解决"},
                access(DENIED, (OUT_OF_SCOPE_PA, HIDDEN), auditor=HIDDEN, enterprise=DONE, handler_other=HIDDEN),
            ),
            (
                "handover",
                lambda r: {"version": int(r["case_version"]), "to_user": "t-admin", "reason": "调岗"},
                access(
                    HIDDEN,
                    (CITY_ADMINS, DONE),
                    city_viewer=DENIED,
                    district_jiangxia=DONE,
                    park_operator=DENIED,
                    enterprise=DENIED,
                    handler=DENIED,
                ),
            ),
            (
                "extension",
                lambda r: {"days": 5, "reason": "需现场核实"},
                access(DENIED, (OUT_OF_SCOPE_PA, HIDDEN), auditor=HIDDEN, handler_other=HIDDEN),
            ),
            (
                "clarification",
                lambda r: {"items": ["用电负荷表"], "reason": "材料不全"},
                access(DENIED, (OUT_OF_SCOPE_PA, HIDDEN), auditor=HIDDEN, handler_other=HIDDEN),
            ),
            (
                "approvals/{approval_id}/decision",
                lambda r: {"version": int(r["case_version"]), "approve": True},
                access(HIDDEN),
            ),
            (
                "remind",
                lambda r: {"note": "请尽快受理"},
                access(
                    HIDDEN,
                    (CITY_ADMINS, DONE_201),
                    city_viewer=DENIED,
                    district_jiangxia=DONE_201,
                    park_operator=DENIED,
                    enterprise=DENIED,
                    handler=DENIED,
                ),
            ),
            (
                "comments",
                lambda r: {"text": "请补充用电负荷。"},
                access(DONE_201, (OUT_OF_SCOPE_PA, HIDDEN), city_viewer=DENIED, auditor=HIDDEN, handler_other=HIDDEN),
            ),
            (
                "follow-up",
                lambda r: {"note": "已电话回访"},
                access(
                    HIDDEN,
                    (CITY_ADMINS, INVALID),
                    city_viewer=DENIED,
                    district_jiangxia=INVALID,
                    park_operator=DENIED,
                    enterprise=DENIED,
                    handler=DENIED,
                ),
            ),
            (
                "attachments",
                lambda r: {"visible_to_enterprise": True},
                access(DONE_201, (OUT_OF_SCOPE_PA, HIDDEN), city_viewer=DENIED, auditor=HIDDEN, handler_other=HIDDEN),
            ),
        )
    ),
    R(
        "GET /api/v1/casework/attachments/{attachment_id}",
        "E1's case file",
        "GET",
        "/api/v1/casework/attachments/{attachment}",
        access(
            OK,
            (OUT_OF_SCOPE_PA, HIDDEN),
            auditor=HIDDEN,
            handler_other=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
        export=True,
    ),
    R(
        "GET /api/v1/casework/stats",
        "rates",
        "GET",
        "/api/v1/casework/stats",
        access(OK, (FIRMS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R("GET /api/v1/casework/notifications", "list", "GET", "/api/v1/casework/notifications", access(OK)),
    R(
        "POST /api/v1/casework/notifications/read",
        "mark all read",
        "POST",
        "/api/v1/casework/notifications/read",
        access(OK, park_operator=DONE, handler=DONE),
        body={},
        write=_count("casework.Notification", read_at__isnull=True),
        audited=False,
    ),
    R("GET /api/v1/casework/visits", "list", "GET", "/api/v1/casework/visits", access(OK)),
    R(
        "POST /api/v1/casework/visits",
        "log a visit to E1",
        "POST",
        "/api/v1/casework/visits",
        access(
            DENIED,
            (CITY_ADMINS, DONE_201),
            district_jiangxia=DONE_201,
            district_caidian=INVALID,
            park_operator=DONE_201,
            park_operator_pc=INVALID,
        ),
        body={"enterprise": "{uscc}", "visited_on": "2025-03-04", "summary": "回访"},
        write=_count("casework.Visit"),
    ),
    # ── intake ────────────────────────────────────────────────────────────────────────────────
    R("intake:batch_list", "list", "GET", "/intake/", access(OK)),
    R(
        "intake:upload",
        "form",
        "GET",
        "/intake/upload/",
        access(
            OK,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            city_viewer=DENIED,
            auditor=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
    ),
    R(
        "intake:upload",
        "post without a file",
        "POST",
        "/intake/upload/",
        access(
            OK,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            city_viewer=DENIED,
            auditor=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={"kind": "monthly"},
        write=_count("stats.ImportBatch"),
    ),
    R(
        "intake:batch_detail",
        "Jiangxia's batch",
        "GET",
        "/intake/batches/{batch}/",
        access(HIDDEN, (CITY, OK), district_jiangxia=OK),
    ),
    R(
        "intake:batch_report",
        "Jiangxia's batch",
        "GET",
        "/intake/batches/{batch}/report.xlsx",
        access(HIDDEN, (CITY, OK), district_jiangxia=OK),
        export=True,
    ),
    R(
        "intake:batch_rollback",
        "Jiangxia's batch",
        "POST",
        "/intake/batches/{batch}/rollback/",
        access(HIDDEN, (CITY_ADMINS, DONE_302), city_viewer=DENIED, district_jiangxia=DONE_302),
        body={"confirm": "yes"},
        write=_value("stats.ImportBatch", "status", file_name="月报.xlsx"),
    ),
    # A blank template carries no data: a download, not an audited export.
    R("intake:template", "monthly template", "GET", "/intake/templates/monthly.xlsx", access(OK)),
    R("GET /api/v1/intake/kinds", "list", "GET", "/api/v1/intake/kinds", access(OK)),
    R(
        "POST /api/v1/intake/batches",
        "a file that is no spreadsheet",
        "POST",
        "/api/v1/intake/batches",
        access(DENIED, (CITY_ADMINS, INVALID), (DISTRICTS, INVALID), (PARKS, INVALID)),
        body={"kind": "monthly"},
        files="file",
        write=_count("stats.ImportBatch"),
    ),
    R("GET /api/v1/intake/batches", "list", "GET", "/api/v1/intake/batches", access(OK)),
    R(
        "GET /api/v1/intake/batches/{batch_id}",
        "Jiangxia's batch",
        "GET",
        "/api/v1/intake/batches/{batch}",
        access(HIDDEN, (CITY, OK), district_jiangxia=OK),
    ),
    R(
        "GET /api/v1/intake/batches/{batch_id}/report",
        "Jiangxia's batch",
        "GET",
        "/api/v1/intake/batches/{batch}/report",
        access(HIDDEN, (CITY, OK), district_jiangxia=OK),
        export=True,
    ),
    R(
        "POST /api/v1/intake/batches/{batch_id}/rollback",
        "Jiangxia's batch",
        "POST",
        "/api/v1/intake/batches/{batch}/rollback",
        access(HIDDEN, (CITY_ADMINS, DONE), city_viewer=DENIED, district_jiangxia=DONE),
        body={},
        write=_value("stats.ImportBatch", "status", file_name="月报.xlsx"),
    ),
    R(
        "GET /api/v1/intake/templates/{kind}",
        "monthly",
        "GET",
        "/api/v1/intake/templates/monthly",
        access(OK),
    ),
    # ── jobs ──────────────────────────────────────────────────────────────────────────────────
    R("jobs:list", "own jobs", "GET", "/jobs/", access(OK)),
    R("jobs:detail", "Jiangxia's job", "GET", "/jobs/{report_job}/", access(HIDDEN, (CITY, OK), district_jiangxia=OK)),
    R(
        "jobs:progress",
        "Jiangxia's job",
        "GET",
        "/jobs/{report_job}/progress/",
        access(HIDDEN, (CITY, OK), district_jiangxia=OK),
    ),
    R(
        "jobs:cancel",
        "Jiangxia's running job",
        "POST",
        "/jobs/{running_job}/cancel/",
        access(HIDDEN, (CITY_ADMINS, DONE_302), city_viewer=DENIED, district_jiangxia=DONE_302),
        body={},
        write=_value("jobs.Job", "cancel_requested", status="running"),
    ),
    R(
        "jobs:retry",
        "Jiangxia's failed job",
        "POST",
        "/jobs/{failed_job}/retry/",
        access(HIDDEN, (CITY_ADMINS, DONE_302), city_viewer=DENIED, district_jiangxia=DONE_302),
        body={},
        write=_count("jobs.Job", status="failed"),
    ),
    R(
        "jobs:file",
        "Jiangxia's kept export",
        "GET",
        "/jobs/{export_job}/file/",
        access(HIDDEN, (CITY, OK), district_jiangxia=OK),
        export=True,
    ),
    R(
        "GET /api/v1/jobs/{job_id}",
        "Jiangxia's job",
        "GET",
        "/api/v1/jobs/{report_job}",
        access(HIDDEN, (CITY, OK), district_jiangxia=OK),
    ),
    # ── indicators ────────────────────────────────────────────────────────────────────────────
    R("indicators:catalogue", "catalogue", "GET", "/indicators/", access(OK, auditor=DENIED)),
    R(
        "indicators:detail",
        "revenue of PA",
        "GET",
        "/indicators/revenue/?scope=park:{park}",
        access(HIDDEN, (CITY, OK), auditor=DENIED, district_jiangxia=OK, park_operator=OK),
    ),
    R(
        "indicators:detail",
        "revenue of PC",
        "GET",
        "/indicators/revenue/?scope=park:{park_other}",
        access(HIDDEN, (CITY, OK), auditor=DENIED, district_caidian=OK, park_operator_pc=OK),
    ),
    R(
        "indicators:units",
        "revenue of PA",
        "GET",
        "/indicators/revenue/units/?scope=park:{park}&period=2025",
        access(HIDDEN, (CITY, OK), auditor=DENIED, district_jiangxia=OK, park_operator=OK),
    ),
    R(
        "indicators:units",
        "revenue of PC",
        "GET",
        "/indicators/revenue/units/?scope=park:{park_other}&period=2025",
        access(HIDDEN, (CITY, OK), auditor=DENIED, district_caidian=OK, park_operator_pc=OK),
    ),
    R(
        "indicators:units",
        "xlsx export of PA",
        "GET",
        "/indicators/revenue/units/?scope=park:{park}&period=2025&export=xlsx",
        access(HIDDEN, (CITY, OK), auditor=DENIED, district_jiangxia=OK, park_operator=OK),
        export=True,
    ),
    R(
        "indicators:report",
        "enter a year value",
        "POST",
        "/indicators/{indicator}/report/",
        access(DENIED, (CITY_ADMINS, DONE_302)),
        body={"year": "2025", "value": "12.5"},
        write=_count("indicators.IndicatorValue"),
    ),
    R("GET /api/v1/indicators/", "list", "GET", "/api/v1/indicators/", access(OK)),
    R("GET /api/v1/indicators/{code}", "a reported indicator", "GET", "/api/v1/indicators/{indicator}", access(OK)),
    R(
        "GET /api/v1/indicators/{code}/values",
        "revenue of PA",
        "GET",
        "/api/v1/indicators/revenue/values?scope=park:{park}",
        access(HIDDEN, (CITY, OK), auditor=DENIED, district_jiangxia=OK, park_operator=OK),
    ),
    R(
        "GET /api/v1/indicators/{code}/values",
        "revenue of PC",
        "GET",
        "/api/v1/indicators/revenue/values?scope=park:{park_other}",
        access(HIDDEN, (CITY, OK), auditor=DENIED, district_caidian=OK, park_operator_pc=OK),
    ),
    R(
        "GET /api/v1/indicators/{code}/units",
        "revenue of PA",
        "GET",
        "/api/v1/indicators/revenue/units?scope=park:{park}&period=2025",
        access(HIDDEN, (CITY, OK), auditor=DENIED, district_jiangxia=OK, park_operator=OK),
    ),
    R(
        "GET /api/v1/indicators/{code}/units",
        "revenue of PC",
        "GET",
        "/api/v1/indicators/revenue/units?scope=park:{park_other}&period=2025",
        access(HIDDEN, (CITY, OK), auditor=DENIED, district_caidian=OK, park_operator_pc=OK),
    ),
    R(
        "POST /api/v1/indicators/{code}/reported",
        "enter a year value",
        "POST",
        "/api/v1/indicators/{indicator}/reported",
        access(DENIED, (CITY_ADMINS, DONE_201)),
        body={"year": 2025, "value": "12.5"},
        write=_count("indicators.IndicatorValue"),
    ),
    # ── targets ───────────────────────────────────────────────────────────────────────────────
    R("targets:board", "board", "GET", "/targets/", access(OK, auditor=DENIED)),
    R("targets:board", "xlsx export", "GET", "/targets/?export=xlsx", access(OK, auditor=DENIED), export=True),
    R("targets:tasks", "tasks", "GET", "/targets/tasks/", access(OK, auditor=DENIED)),
    R("targets:tasks", "xlsx export", "GET", "/targets/tasks/?export=xlsx", access(OK, auditor=DENIED), export=True),
    R(
        "targets:task",
        "a task led by jxj",
        "GET",
        "/targets/tasks/{task}/",
        access(
            OK,
            (PARKS, HIDDEN),
            (FIRMS, HIDDEN),
            auditor=DENIED,
            handler_other=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
    ),
    R(
        "targets:task_report",
        "report progress",
        "POST",
        "/targets/tasks/{task}/report/",
        access(HIDDEN, (CITY, DENIED), (DISTRICTS, DONE_302), auditor=DENIED, handler=DONE_302),
        body={"period": "2025-01-01", "percent_done": "40", "text": "推进中。"},
        write=_count("targets.TaskReport"),
    ),
    R(
        "targets:task_comment",
        "comment",
        "POST",
        "/targets/tasks/{task}/comment/",
        access(
            DENIED,
            (CITY_ADMINS, DONE_302),
            (PARKS, HIDDEN),
            (FIRMS, HIDDEN),
            handler_other=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
        body={"text": "抓紧推进。"},
        write=_count("targets.TaskComment"),
    ),
    R(
        "targets:task_press",
        "press jxj",
        "POST",
        "/targets/tasks/{task}/press/",
        access(
            DENIED,
            (CITY_ADMINS, DONE_302),
            (PARKS, HIDDEN),
            (FIRMS, HIDDEN),
            handler_other=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
        body={"unit": "{unit}", "text": "请按期报送。"},
        write=_count("targets.TaskComment"),
    ),
    R(
        "targets:task_status",
        "complete",
        "POST",
        "/targets/tasks/{task}/status/",
        access(
            DENIED,
            (CITY_ADMINS, DONE_302),
            (PARKS, HIDDEN),
            (FIRMS, HIDDEN),
            handler_other=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
        body={"action": "complete", "confirm": "yes"},
        write=_value("targets.SupervisedTask", "status", code="{task}"),
    ),
    R(
        "targets:attachment",
        "a report's file",
        "GET",
        "/targets/attachments/{task_attachment}/",
        access(
            OK,
            (PARKS, HIDDEN),
            (FIRMS, HIDDEN),
            auditor=DENIED,
            handler_other=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
        export=True,
    ),
    R("targets:detail", "a target", "GET", "/targets/{target}/", access(OK, auditor=DENIED)),
    R("GET /api/v1/targets/tasks", "list", "GET", "/api/v1/targets/tasks", access(OK, auditor=DENIED)),
    R(
        "GET /api/v1/targets/tasks/{code}",
        "a task led by jxj",
        "GET",
        "/api/v1/targets/tasks/{task}",
        access(
            OK,
            (PARKS, HIDDEN),
            (FIRMS, HIDDEN),
            auditor=DENIED,
            handler_other=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
    ),
    R(
        "POST /api/v1/targets/tasks/{code}/reports",
        "report progress",
        "POST",
        "/api/v1/targets/tasks/{task}/reports",
        access(HIDDEN, (CITY, DENIED), (DISTRICTS, DONE_201), auditor=DENIED, handler=DONE_201),
        body={"period": "2025-01-01", "text": "推进中。", "percent_done": 40},
        write=_count("targets.TaskReport"),
    ),
    R(
        "POST /api/v1/targets/tasks/{code}/comments",
        "comment",
        "POST",
        "/api/v1/targets/tasks/{task}/comments",
        access(
            DENIED,
            (CITY_ADMINS, DONE_201),
            (PARKS, HIDDEN),
            (FIRMS, HIDDEN),
            handler_other=HIDDEN,
            talent_person=HIDDEN,
            finance_bureau=HIDDEN,
        ),
        body={"kind": "comment", "text": "抓紧推进。"},
        write=_count("targets.TaskComment"),
    ),
    R("GET /api/v1/targets/", "list", "GET", "/api/v1/targets/", access(OK, auditor=DENIED)),
    R("GET /api/v1/targets/{code}", "a target", "GET", "/api/v1/targets/{target}", access(OK, auditor=DENIED)),
    # ── evaluation ────────────────────────────────────────────────────────────────────────────
    R(
        "evaluation:run_list",
        "runs",
        "GET",
        "/evaluation/",
        access(OK, (FIRMS, REDIRECT), (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "evaluation:run_start",
        "start 2025",
        "POST",
        "/evaluation/runs/start/",
        access(DENIED, (CITY_ADMINS, DONE_302)),
        body={"year": "2025"},
        write=_count("jobs.Job"),
    ),
    R(
        "evaluation:compare",
        "compare",
        "GET",
        "/evaluation/runs/compare/?a={run}&b={run}",
        access(OK, (FIRMS, DENIED), (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "evaluation:run_detail",
        "the run",
        "GET",
        "/evaluation/runs/{run}/",
        access(OK, (FIRMS, DENIED), (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "evaluation:run_delete",
        "the run",
        "POST",
        "/evaluation/runs/{run}/delete/",
        access(DENIED, (CITY_ADMINS, DONE_302)),
        body={"confirm": "yes"},
        write=_count("evaluation.EvaluationRun"),
    ),
    R(
        "evaluation:run_export",
        "ranking xlsx",
        "GET",
        "/evaluation/runs/{run}/ranking.xlsx",
        access(OK, (FIRMS, DENIED), (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
        export=True,
    ),
    R(
        "evaluation:selection",
        "selection",
        "GET",
        "/evaluation/runs/{run}/selection/",
        access(OK, (FIRMS, DENIED), (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "evaluation:selection_confirm",
        "confirm",
        "POST",
        "/evaluation/runs/{run}/selection/confirm/",
        access(DENIED, (CITY_ADMINS, DONE_302)),
        body={"confirm": "yes"},
        write=_value("evaluation.EvaluationRun", "selection_status"),
    ),
    R(
        "evaluation:diagnosis",
        "PA",
        "GET",
        "/evaluation/runs/{run}/parks/{park}/",
        access(
            OK,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            auditor=DENIED,
            district_caidian=HIDDEN,
            park_operator_pc=HIDDEN,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
    ),
    R(
        "evaluation:diagnosis",
        "PC",
        "GET",
        "/evaluation/runs/{run}/parks/{park_other}/",
        access(
            OK,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            auditor=DENIED,
            district_jiangxia=HIDDEN,
            park_operator=HIDDEN,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
    ),
    R(
        "evaluation:diagnosis_docx",
        "PA: the page with the button",
        "GET",
        "/evaluation/runs/{run}/parks/{park}/report.docx",
        access(
            OK,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            auditor=DENIED,
            district_caidian=HIDDEN,
            park_operator_pc=HIDDEN,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        write=_count("jobs.Job"),
    ),
    R(
        "evaluation:diagnosis_docx",
        "PA: start the report",
        "POST",
        "/evaluation/runs/{run}/parks/{park}/report.docx",
        access(
            DONE_302,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            auditor=DENIED,
            district_caidian=HIDDEN,
            park_operator_pc=HIDDEN,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={},
        write=_count("jobs.Job"),
    ),
    R(
        "evaluation:diagnosis_file",
        "PA's kept report",
        "GET",
        "/evaluation/diagnosis-files/{diagnosis_job}/",
        access(DENIED, (CITY, OK), (DISTRICTS, HIDDEN), (PARKS, HIDDEN)),
        export=True,
    ),
    R(
        "evaluation:index_systems",
        "index systems",
        "GET",
        "/evaluation/index-systems/",
        access(OK, (FIRMS, DENIED), (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "evaluation:grades",
        "mujun grades",
        "GET",
        "/evaluation/grades/",
        access(OK, (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "evaluation:grades_compute",
        "grade 2025",
        "POST",
        "/evaluation/grades/compute/",
        access(DENIED, (CITY_ADMINS, DONE_302)),
        body={"year": "2025", "confirm": "yes"},
        write=_count("jobs.Job"),
    ),
    R(
        "evaluation:grades_export",
        "xlsx",
        "GET",
        "/evaluation/grades/export.xlsx?year=2025",
        access(OK, (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
        export=True,
    ),
    R(
        "GET /api/v1/evaluation/runs",
        "list",
        "GET",
        "/api/v1/evaluation/runs",
        access(OK, (FIRMS, DENIED), (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "POST /api/v1/evaluation/runs",
        "start 2025",
        "POST",
        "/api/v1/evaluation/runs",
        access(DENIED, (CITY_ADMINS, DONE_202)),
        body={"year": 2025},
        write=_count("jobs.Job"),
    ),
    R(
        "GET /api/v1/evaluation/runs/compare",
        "compare",
        "GET",
        "/api/v1/evaluation/runs/compare?a={run}&b={run}",
        access(OK, (FIRMS, DENIED), (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "GET /api/v1/evaluation/runs/{run_id}",
        "the run",
        "GET",
        "/api/v1/evaluation/runs/{run}",
        access(OK, (FIRMS, DENIED), (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "GET /api/v1/evaluation/runs/{run_id}/results",
        "results",
        "GET",
        "/api/v1/evaluation/runs/{run}/results",
        access(OK, (FIRMS, DENIED), (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "GET /api/v1/evaluation/runs/{run_id}/selection",
        "selection",
        "GET",
        "/api/v1/evaluation/runs/{run}/selection",
        access(OK, (FIRMS, DENIED), (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "POST /api/v1/evaluation/runs/{run_id}/selection/confirm",
        "confirm",
        "POST",
        "/api/v1/evaluation/runs/{run}/selection/confirm",
        access(DENIED, (CITY_ADMINS, DONE)),
        body={},
        write=_value("evaluation.EvaluationRun", "selection_status"),
    ),
    R(
        "GET /api/v1/evaluation/runs/{run_id}/parks/{park}/diagnosis",
        "PA",
        "GET",
        "/api/v1/evaluation/runs/{run}/parks/{park}/diagnosis",
        access(
            OK,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            auditor=DENIED,
            district_caidian=HIDDEN,
            park_operator_pc=HIDDEN,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
    ),
    R(
        "GET /api/v1/evaluation/runs/{run_id}/parks/{park}/diagnosis",
        "PC",
        "GET",
        "/api/v1/evaluation/runs/{run}/parks/{park_other}/diagnosis",
        access(
            OK,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            auditor=DENIED,
            district_jiangxia=HIDDEN,
            park_operator=HIDDEN,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
    ),
    R(
        "GET /api/v1/evaluation/grades",
        "list",
        "GET",
        "/api/v1/evaluation/grades?year=2025",
        access(OK, (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "POST /api/v1/evaluation/grades",
        "grade 2025",
        "POST",
        "/api/v1/evaluation/grades",
        access(DENIED, (CITY_ADMINS, DONE_202)),
        body={"year": 2025},
        write=_count("jobs.Job"),
    ),
    # ── dashboard and reports ─────────────────────────────────────────────────────────────────
    R(
        "dashboard:cockpit",
        "cockpit",
        "GET",
        "/cockpit/",
        access(OK, (FIRMS, DENIED), (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
    ),
    R(
        "dashboard:cockpit_export",
        "xlsx",
        "GET",
        "/cockpit/export.xlsx",
        access(OK, (FIRMS, DENIED), (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
        export=True,
    ),
    R(
        "dashboard:park_profile",
        "PA",
        "GET",
        "/cockpit/parks/{park}/",
        access(
            OK,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            auditor=DENIED,
            district_caidian=HIDDEN,
            park_operator_pc=HIDDEN,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
    ),
    R(
        "dashboard:park_profile",
        "PC",
        "GET",
        "/cockpit/parks/{park_other}/",
        access(
            OK,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            auditor=DENIED,
            district_jiangxia=HIDDEN,
            park_operator=HIDDEN,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
    ),
    R(
        "dashboard:park_export",
        "PA xlsx",
        "GET",
        "/cockpit/parks/{park}/export.xlsx",
        access(
            OK,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            auditor=DENIED,
            district_caidian=HIDDEN,
            park_operator_pc=HIDDEN,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        export=True,
    ),
    R(
        "dashboard:district_profile",
        "Jiangxia",
        "GET",
        "/cockpit/districts/{district}/",
        access(
            OK,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            auditor=DENIED,
            district_caidian=HIDDEN,
            park_operator_pc=HIDDEN,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
    ),
    R(
        "dashboard:district_profile",
        "Caidian",
        "GET",
        "/cockpit/districts/{district_other}/",
        access(
            OK,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            auditor=DENIED,
            district_jiangxia=HIDDEN,
            park_operator=HIDDEN,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
    ),
    R(
        "dashboard:district_export",
        "Jiangxia xlsx",
        "GET",
        "/cockpit/districts/{district}/export.xlsx",
        access(
            OK,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            auditor=DENIED,
            district_caidian=HIDDEN,
            park_operator_pc=HIDDEN,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        export=True,
    ),
    R(
        "reports:city_quarterly",
        "the page with the button",
        "GET",
        "/reports/city-quarterly.docx?quarter=2025Q1",
        access(OK, (FIRMS, DENIED), (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED),
        write=_count("jobs.Job"),
    ),
    R(
        "reports:city_quarterly",
        "start the quarter's report",
        "POST",
        "/reports/city-quarterly.docx?quarter=2025Q1",
        access(
            DONE_302, (FIRMS, DENIED), (HANDLERS, DENIED), auditor=DENIED, talent_person=DENIED, finance_bureau=DENIED
        ),
        body={"quarter": "2025Q1"},
        write=_count("jobs.Job"),
    ),
    R(
        "reports:park_report",
        "the page with the button",
        "GET",
        "/reports/parks/{park}/diagnosis.docx",
        access(
            OK,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            auditor=DENIED,
            district_caidian=HIDDEN,
            park_operator_pc=HIDDEN,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        write=_count("jobs.Job"),
    ),
    R(
        "reports:park_report",
        "start PA's report",
        "POST",
        "/reports/parks/{park}/diagnosis.docx",
        access(
            DONE_302,
            (FIRMS, DENIED),
            (HANDLERS, DENIED),
            auditor=DENIED,
            district_caidian=HIDDEN,
            park_operator_pc=HIDDEN,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={},
        write=_count("jobs.Job"),
    ),
    R(
        "reports:file",
        "Jiangxia's kept report of PA",
        "GET",
        "/reports/files/{report_job}/",
        access(DENIED, (CITY, OK), (PARKS, HIDDEN), district_jiangxia=OK, district_caidian=HIDDEN),
        export=True,
    ),
    # ── notifications ─────────────────────────────────────────────────────────────────────────
    R("notifications:inbox", "inbox", "GET", "/notifications/", access(OK)),
    R(
        "notifications:inbox",
        "mark Jiangxia's notice read",
        "POST",
        "/notifications/",
        access(REDIRECT, district_jiangxia=DONE_302),
        body={"id": "{notice}"},
        write=_count("notifications.Notification", read_at__isnull=True),
        audited=False,
    ),
    R("notifications:preferences", "settings", "GET", "/notifications/settings/", access(OK)),
    R(
        "notifications:preferences",
        "e-mail for a kind",
        "POST",
        "/notifications/settings/",
        access(DONE_302),
        body={"kind": "{notice_kind}", "email": "on"},
        write=_count("notifications.ChannelPreference"),
    ),
    R(
        "notifications:dead_letters",
        "failed deliveries",
        "GET",
        "/notifications/failed/",
        access(DENIED, (CITY_ADMINS, OK)),
    ),
    R(
        "notifications:dead_letters",
        "resend none",
        "POST",
        "/notifications/failed/",
        access(DENIED, (CITY_ADMINS, REDIRECT)),
        body={"ids": ""},
        write=_count("notifications.Delivery"),
    ),
    R("GET /api/v1/notifications/", "list", "GET", "/api/v1/notifications/", access(OK)),
    R("GET /api/v1/notifications/unread", "count", "GET", "/api/v1/notifications/unread", access(OK)),
    R(
        "POST /api/v1/notifications/read",
        "mark all read",
        "POST",
        "/api/v1/notifications/read",
        # The city admin has the 首谈首报 conflict's notice of the world's investment projects; the
        # enterprise has a notice of a capability's objects made by tests/persona/rows_*.py.
        access(OK, city_admin=DONE, district_jiangxia=DONE, park_operator=DONE, handler=DONE, enterprise=DONE),
        body={},
        write=_count("notifications.Notification", read_at__isnull=True),
        audited=False,
    ),
    # ── investment (精准招商) ──────────────────────────────────────────────────────────────────
    # Readers: the city, a district (its own), a park operator (its park's); enterprises and handlers
    # find nothing (404), the auditor finds no page (404) and is refused on the API (403).
    R("investment:projects", "list", "GET", "/investment/", access(HIDDEN, (INVEST, OK))),
    R(
        "investment:projects",
        "xlsx export",
        "GET",
        "/investment/?export=xlsx",
        access(HIDDEN, (INVEST, OK)),
        export=True,
    ),
    R(
        "investment:project_new",
        "form",
        "GET",
        "/investment/projects/new/",
        access(HIDDEN, (INVEST, OK), city_viewer=DENIED),
    ),
    R(
        "investment:project_new",
        "register a Jiangxia project in PA",
        "POST",
        "/investment/projects/new/",
        access(HIDDEN, (INVEST, DONE_302), city_viewer=DENIED, district_caidian=OK, park_operator_pc=OK),
        body=_PROJECT,
        write=_count("investment.Project"),
    ),
    R(
        "investment:project_detail",
        "Jiangxia's project in PA",
        "GET",
        "/investment/projects/{project}/",
        access(HIDDEN, (IN_PA, OK)),
    ),
    R(
        "investment:project_detail",
        "Caidian's project in PC",
        "GET",
        "/investment/projects/{project_other}/",
        access(HIDDEN, (IN_PC, OK)),
    ),
    R(
        "investment:project_advance",
        "to 洽谈, in PA",
        "POST",
        "/investment/projects/{project}/advance/",
        access(HIDDEN, (IN_PA, DONE_302), city_viewer=DENIED),
        body=_ADVANCE,
        write=_value("investment.Project", "stage", number="{project}"),
    ),
    R(
        "investment:project_terminate",
        "end the project in PA",
        "POST",
        "/investment/projects/{project}/terminate/",
        access(HIDDEN, (IN_PA, DONE_302), city_viewer=DENIED),
        body=_TERMINATE,
        write=_value("investment.Project", "stage", number="{project}"),
    ),
    R(
        "investment:project_sites",
        "site matches of the project in PA",
        "GET",
        "/investment/projects/{project}/sites/",
        access(HIDDEN, (IN_PA, OK)),
    ),
    R(
        "investment:project_sites",
        "reserve PA's site",
        "POST",
        "/investment/projects/{project}/sites/",
        access(HIDDEN, (IN_PA, DONE_302), city_viewer=DENIED),
        body={"site": "{site}"},
        write=_count("investment.SiteReservation"),
    ),
    R(
        "investment:evidence",
        "proof of the project in PA",
        "GET",
        "/investment/evidence/{evidence}/",
        access(HIDDEN, (IN_PA, OK)),
        export=True,
    ),
    R("investment:conflicts", "list", "GET", "/investment/conflicts/", access(HIDDEN, (INVEST, OK))),
    R(
        "investment:conflict_decide",
        "first claim wins",
        "POST",
        "/investment/conflicts/{conflict}/decide/",
        access(HIDDEN, (INVEST, DENIED), (CITY_ADMINS, DONE_302)),
        body={"outcome": "first", "note": "江夏区先行接洽"},
        write=_value("investment.ClaimConflict", "outcome", pk="{conflict}"),
    ),
    R("investment:chains", "list", "GET", "/investment/chains/", access(HIDDEN, (INVEST, OK))),
    R("investment:chain_detail", "a chain", "GET", "/investment/chains/{chain}/", access(HIDDEN, (INVEST, OK))),
    R("investment:park_path", "PA's path", "GET", "/investment/parks/{park}/path/", access(HIDDEN, (IN_PA, OK))),
    R(
        "investment:park_path",
        "PA's path as docx",
        "GET",
        "/investment/parks/{park}/path/?format=docx",
        access(HIDDEN, (IN_PA, OK)),
        export=True,
    ),
    R("investment:park_path", "PC's path", "GET", "/investment/parks/{park_other}/path/", access(HIDDEN, (IN_PC, OK))),
    R("investment:figures", "figures", "GET", "/investment/figures/", access(HIDDEN, (INVEST, OK))),
    R("investment:sites", "list", "GET", "/investment/sites/", access(HIDDEN, (INVEST, OK))),
    R(
        "investment:site_confirm",
        "PA's site is current",
        "POST",
        "/investment/sites/{site}/confirm/",
        access(HIDDEN, (IN_PA, DONE_302), city_viewer=DENIED),
        body={},
        write=_value("investment.Site", "confirmed_on", code="{site}"),
    ),
    R(
        "GET /api/v1/investment/projects",
        "list",
        "GET",
        "/api/v1/investment/projects",
        access(HIDDEN, (INVEST, OK), auditor=DENIED),
    ),
    R(
        "POST /api/v1/investment/projects",
        "register a Jiangxia project in PA",
        "POST",
        "/api/v1/investment/projects",
        access(
            HIDDEN,
            (INVEST, DONE_201),
            city_viewer=DENIED,
            auditor=DENIED,
            district_caidian=INVALID,
            park_operator_pc=INVALID,
        ),
        body=_PROJECT,
        write=_count("investment.Project"),
    ),
    R(
        "GET /api/v1/investment/projects/{number}",
        "Jiangxia's project in PA",
        "GET",
        "/api/v1/investment/projects/{project}",
        access(HIDDEN, (IN_PA, OK), auditor=DENIED),
    ),
    R(
        "GET /api/v1/investment/projects/{number}",
        "Caidian's project in PC",
        "GET",
        "/api/v1/investment/projects/{project_other}",
        access(HIDDEN, (IN_PC, OK), auditor=DENIED),
    ),
    R(
        "GET /api/v1/investment/projects/{number}/site-matches",
        "the project in PA",
        "GET",
        "/api/v1/investment/projects/{project}/site-matches",
        access(HIDDEN, (IN_PA, OK), auditor=DENIED),
    ),
    R(
        "POST /api/v1/investment/projects/{number}/transitions",
        "to 洽谈, in PA",
        "POST",
        "/api/v1/investment/projects/{project}/transitions",
        access(HIDDEN, (IN_PA, DONE_201), city_viewer=DENIED, auditor=DENIED),
        body=_ADVANCE,
        files="files",
        write=_value("investment.Project", "stage", number="{project}"),
    ),
    R(
        "POST /api/v1/investment/projects/{number}/termination",
        "end the project in PA",
        "POST",
        "/api/v1/investment/projects/{project}/termination",
        access(HIDDEN, (IN_PA, DONE_201), city_viewer=DENIED, auditor=DENIED),
        body=_versioned(_TERMINATE),
        write=_value("investment.Project", "stage", number="{project}"),
    ),
    R(
        "GET /api/v1/investment/conflicts",
        "list",
        "GET",
        "/api/v1/investment/conflicts",
        access(HIDDEN, (INVEST, OK), auditor=DENIED),
    ),
    R(
        "POST /api/v1/investment/conflicts/{conflict_id}/decision",
        "first claim wins",
        "POST",
        "/api/v1/investment/conflicts/{conflict}/decision",
        access(HIDDEN, (INVEST, DENIED), (CITY_ADMINS, DONE), auditor=DENIED),
        body={"outcome": "first", "note": "江夏区先行接洽"},
        write=_value("investment.ClaimConflict", "outcome", pk="{conflict}"),
    ),
    R(
        "GET /api/v1/investment/figures",
        "figures",
        "GET",
        "/api/v1/investment/figures",
        access(HIDDEN, (INVEST, OK), auditor=DENIED),
    ),
    R(
        "GET /api/v1/investment/sites",
        "list",
        "GET",
        "/api/v1/investment/sites",
        access(HIDDEN, (INVEST, OK), auditor=DENIED),
    ),
    R(
        "POST /api/v1/investment/sites/{code}/reservation",
        "reserve PA's site for the project in PA",
        "POST",
        "/api/v1/investment/sites/{site}/reservation",
        access(HIDDEN, (IN_PA, DONE_201), city_viewer=DENIED, auditor=DENIED),
        body={"project": "{project}"},
        write=_count("investment.SiteReservation"),
    ),
    R(
        "DELETE /api/v1/investment/sites/{code}/reservation",
        "release PC's reserved site",
        "DELETE",
        "/api/v1/investment/sites/{site_other}/reservation",
        access(HIDDEN, (IN_PC, DONE), city_viewer=DENIED, auditor=DENIED),
        write=_count("investment.SiteReservation", released_at__isnull=True),
    ),
    R(
        "GET /api/v1/investment/chains/{code}/map",
        "a chain's map",
        "GET",
        "/api/v1/investment/chains/{chain}/map",
        access(HIDDEN, (INVEST, OK), auditor=DENIED),
    ),
    R(
        "GET /api/v1/investment/candidates",
        "list",
        "GET",
        "/api/v1/investment/candidates",
        access(HIDDEN, (INVEST, OK), auditor=DENIED),
    ),
    R(
        "POST /api/v1/investment/candidates",
        "add a target firm",
        "POST",
        "/api/v1/investment/candidates",
        access(HIDDEN, (INVEST, DONE_201), city_viewer=DENIED, auditor=DENIED),
        body={"name": "矩阵新目标有限公司", "size_band": "large"},
        write=_count("investment.Candidate"),
    ),
    R(
        "GET /api/v1/investment/parks/{code}/path",
        "PA's path",
        "GET",
        "/api/v1/investment/parks/{park}/path",
        access(HIDDEN, (IN_PA, OK), auditor=DENIED),
    ),
    R(
        "GET /api/v1/investment/parks/{code}/path",
        "PC's path",
        "GET",
        "/api/v1/investment/parks/{park_other}/path",
        access(HIDDEN, (IN_PC, OK), auditor=DENIED),
    ),
    # ── service (陪跑, 惠企) ─────────────────────────────────────────────────────────────────────
    # Readers: the city, a district, a park operator (their firms); writers the same but the city
    # viewer. An enterprise reads its own policies only; confirming a 免申即享 list and paying are the
    # city admin's.
    R("service:workbench", "workbench", "GET", "/service/", access(DENIED, (INVEST, OK))),
    R("service:assignments", "specialists", "GET", "/service/specialists/", access(DENIED, (INVEST, OK))),
    R(
        "service:assignments",
        "make PA's second operator E1's specialist",
        "POST",
        "/service/specialists/",
        access(DENIED, (INVEST, DONE_302), city_viewer=DENIED, district_caidian=OK, park_operator_pc=OK),
        body={"form": "assign", "enterprise": "{uscc}", "specialist": "{specialist_pa}"},
        write=_count("service.SpecialistAssignment"),
    ),
    R("service:visits", "visits", "GET", "/service/visits/", access(DENIED, (INVEST, OK))),
    R(
        "service:visits",
        "plan a visit to E1",
        "POST",
        "/service/visits/",
        access(DENIED, (INVEST, DONE_302), city_viewer=DENIED, district_caidian=OK, park_operator_pc=OK),
        body={"enterprise": "{uscc}", "planned_on": "2030-01-15", "purpose": "了解用工"},
        write=_count("service.PlannedVisit"),
    ),
    R("service:visit_new", "form", "GET", "/service/visits/new/", access(DENIED, (INVEST, OK), city_viewer=DENIED)),
    R(
        "service:visit_new",
        "record a visit to E1",
        "POST",
        "/service/visits/new/",
        access(DENIED, (INVEST, DONE_302), city_viewer=DENIED, district_caidian=OK, park_operator_pc=OK),
        body={"enterprise": "{uscc}", "visited_on": "2026-03-03", "people": "园区", "topics": "用电"},
        write=_count("service.VisitDetail"),
    ),
    R("service:enterprise", "E1", "GET", "/service/enterprises/{uscc}/", access(DENIED, (INVEST, HIDDEN), (IN_PA, OK))),
    R(
        "service:enterprise",
        "E3",
        "GET",
        "/service/enterprises/{uscc_other}/",
        access(DENIED, (INVEST, HIDDEN), (IN_PC, OK)),
    ),
    R("service:policies", "policies", "GET", "/service/policies/", access(DENIED, (INVEST, OK), (FIRMS, REDIRECT))),
    R("service:policy", "a policy", "GET", "/service/policies/{policy}/", access(DENIED, (INVEST, OK))),
    R(
        "service:policy",
        "confirm a 免申即享 list",
        "POST",
        "/service/policies/{policy}/",
        access(DENIED, (CITY_ADMINS, OK)),
        body={"policy": "{policy}", "enterprises": "{uscc}"},
        write=_count("service.PolicyBatch"),
    ),
    R(
        "service:disbursement_pay",
        "pay E1",
        "POST",
        "/service/disbursements/{disbursement}/pay/",
        access(DENIED, (CITY_ADMINS, DONE_302), district_caidian=HIDDEN, park_operator_pc=HIDDEN),
        body={"paid_on": "2026-03-10"},
        write=_value("service.Disbursement", "paid_on", pk="{disbursement}"),
    ),
    R("service:my_policies", "own firm's policies", "GET", "/service/my-policies/", access(DENIED, (FIRMS, OK))),
    R("GET /api/v1/service/assignments", "list", "GET", "/api/v1/service/assignments", access(DENIED, (INVEST, OK))),
    R(
        "GET /api/v1/service/enterprises/{uscc}/assignments",
        "E1",
        "GET",
        "/api/v1/service/enterprises/{uscc}/assignments",
        access(DENIED, (INVEST, HIDDEN), (IN_PA, OK)),
    ),
    R(
        "POST /api/v1/service/assignments",
        "make PA's second operator E1's specialist",
        "POST",
        "/api/v1/service/assignments",
        access(DENIED, (INVEST, DONE_201), city_viewer=DENIED, district_caidian=INVALID, park_operator_pc=INVALID),
        body={"enterprise": "{uscc}", "specialist": "{specialist_pa}"},
        write=_count("service.SpecialistAssignment"),
    ),
    R(
        "POST /api/v1/service/assignments/bulk",
        "PA's firms to PA's second operator",
        "POST",
        "/api/v1/service/assignments/bulk",
        access(DENIED, (INVEST, DONE_201), city_viewer=DENIED, district_caidian=INVALID, park_operator_pc=INVALID),
        body={"specialist": "{specialist_pa}", "park": "{park}", "skip_assigned": False},
        write=_count("service.SpecialistAssignment"),
    ),
    R(
        "POST /api/v1/service/assignments/handover",
        "PA's operator hands over to PA's second operator",
        "POST",
        "/api/v1/service/assignments/handover",
        access(DENIED, (INVEST, DONE_201), city_viewer=DENIED, district_caidian=INVALID, park_operator_pc=INVALID),
        body={"from_specialist": "{specialist}", "to_specialist": "{specialist_pa}", "reason": "岗位调整"},
        write=_count("service.SpecialistAssignment"),
    ),
    R("GET /api/v1/service/plans", "list", "GET", "/api/v1/service/plans", access(DENIED, (INVEST, OK))),
    R(
        "POST /api/v1/service/plans",
        "plan a visit to E1",
        "POST",
        "/api/v1/service/plans",
        access(DENIED, (INVEST, DONE_201), city_viewer=DENIED, district_caidian=INVALID, park_operator_pc=INVALID),
        body={"enterprise": "{uscc}", "planned_on": "2030-01-15", "purpose": "了解用工"},
        write=_count("service.PlannedVisit"),
    ),
    R("GET /api/v1/service/due", "due visits", "GET", "/api/v1/service/due", access(DENIED, (INVEST, OK))),
    R("GET /api/v1/service/visits", "list", "GET", "/api/v1/service/visits", access(DENIED, (INVEST, OK))),
    R(
        "POST /api/v1/service/visits",
        "record a visit to E1",
        "POST",
        "/api/v1/service/visits",
        access(DENIED, (INVEST, DONE_201), city_viewer=DENIED, district_caidian=INVALID, park_operator_pc=INVALID),
        body={"enterprise": "{uscc}", "visited_on": "2026-03-03", "people": "园区", "topics": "用电"},
        write=_count("service.VisitDetail"),
    ),
    R("GET /api/v1/service/policies", "list", "GET", "/api/v1/service/policies", access(DENIED, (INVEST, OK))),
    R(
        "GET /api/v1/service/policies/{code}/eligibility",
        "who qualifies",
        "GET",
        "/api/v1/service/policies/{policy}/eligibility",
        access(DENIED, (INVEST, OK)),
    ),
    R(
        "GET /api/v1/service/enterprises/{uscc}/policies",
        "E1",
        "GET",
        "/api/v1/service/enterprises/{uscc}/policies",
        access(
            HIDDEN,
            (IN_PA, OK),
            enterprise=OK,
            handler=DENIED,
            handler_other=DENIED,
            auditor=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
    ),
    R(
        "GET /api/v1/service/enterprises/{uscc}/policies",
        "E3",
        "GET",
        "/api/v1/service/enterprises/{uscc_other}/policies",
        access(
            HIDDEN,
            (IN_PC, OK),
            enterprise_e3=OK,
            handler=DENIED,
            handler_other=DENIED,
            auditor=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
    ),
    R("GET /api/v1/service/batches", "list", "GET", "/api/v1/service/batches", access(DENIED, (INVEST, OK))),
    R(
        "POST /api/v1/service/batches",
        "confirm a 免申即享 list",
        "POST",
        "/api/v1/service/batches",
        access(DENIED, (CITY_ADMINS, INVALID)),
        body=lambda refs: {"policy": refs["policy"], "enterprises": [refs["uscc"]]},
        write=_count("service.PolicyBatch"),
    ),
    R(
        "GET /api/v1/service/disbursements",
        "list",
        "GET",
        "/api/v1/service/disbursements",
        access(DENIED, (INVEST, OK), (FIRMS, OK)),
    ),
    R(
        "POST /api/v1/service/disbursements/{disbursement_id}/pay",
        "pay E1",
        "POST",
        "/api/v1/service/disbursements/{disbursement}/pay",
        access(DENIED, (CITY_ADMINS, DONE), district_caidian=HIDDEN, park_operator_pc=HIDDEN),
        body={"paid_on": "2026-03-10"},
        write=_value("service.Disbursement", "paid_on", pk="{disbursement}"),
    ),
]

# A capability keeps its rows in a module of its own, tests/persona/rows_<app>.py, with `ROWS` (built
# from this module's vocabulary) and, when its paths name objects of its own, `refs(world)` that makes
# them and answers their names (called by tests/persona/world.build). Found here, so that adding one
# never edits this table.
CAPABILITY_MODULES = tuple(
    importlib.import_module(f"tests.persona.{info.name}")
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda info: info.name)
    if info.name.startswith("rows_")
)
for _module in CAPABILITY_MODULES:
    ROWS.extend(_module.ROWS)
