"""Scoping for every role: who opens the 陪跑 pages and API, who sees which assignments, visits and
plans, and that a firm outside the scope answers 404 and a write by a role without a part 403."""

from __future__ import annotations

import datetime as dt
from typing import Any

from yuanqu.casework.services import NO_SUCH_ENTERPRISE
from yuanqu.service import services
from yuanqu.service.tests.conftest import ServiceWorld

PERSONAS = (
    "city_admin",
    "city_viewer",
    "district_jiangxia",
    "district_caidian",
    "park_operator",
    "enterprise",
    "handler",
    "auditor",
    "sysadmin",
)
READERS = {"city_admin", "city_viewer", "district_jiangxia", "district_caidian", "park_operator", "sysadmin"}


def _world(sv: ServiceWorld, on_day: Any) -> None:
    firms = sv.world.enterprises
    admin = sv.user("city_admin")
    with on_day(dt.date(2026, 3, 2)):
        services.assignment_set(actor=admin, enterprise=firms["E1"], specialist=sv.user("park_operator"))
        services.assignment_set(actor=admin, enterprise=firms["E3"], specialist=sv.user("district_caidian"))
        services.visit_record(
            actor=sv.user("park_operator"),
            enterprise=firms["E1"],
            visited_on=dt.date(2026, 3, 2),
            people="张总",
            topics="用地",
            situation="",
            needs=["用地指标"],
        )
        services.visit_record(
            actor=sv.user("district_caidian"),
            enterprise=firms["E3"],
            visited_on=dt.date(2026, 3, 2),
            people="李总",
            topics="融资",
            situation="",
        )


def test_each_role_opens_the_pages_it_has_a_part_in(sv: ServiceWorld, on_day: Any) -> None:
    _world(sv, on_day)
    e1 = sv.world.enterprises["E1"].uscc
    for persona in PERSONAS:
        client = sv.world.client(persona)
        expected = 200 if persona in READERS else 403
        for url in ("/service/", "/service/specialists/", "/service/visits/", f"/service/enterprises/{e1}/"):
            status = client.get(url).status_code
            if url.startswith("/service/enterprises/") and persona == "district_caidian":
                assert status == 404, (persona, url)
            else:
                assert status == expected, (persona, url, status)
        new = client.get("/service/visits/new/").status_code
        assert new == (200 if persona in READERS - {"city_viewer"} else 403), (persona, new)
        for url in (
            "/api/v1/service/assignments",
            "/api/v1/service/visits",
            "/api/v1/service/plans",
            "/api/v1/service/due",
        ):
            assert client.get(url).status_code == expected, (persona, url)
    assert sv.world.client("anonymous").get("/service/").status_code == 302


def test_each_role_sees_the_rows_of_its_scope(sv: ServiceWorld, on_day: Any) -> None:
    _world(sv, on_day)
    names = {key: firm.name for key, firm in sv.world.enterprises.items()}
    expected = {
        "city_admin": {names["E1"], names["E3"]},
        "city_viewer": {names["E1"], names["E3"]},
        "district_jiangxia": {names["E1"]},
        "district_caidian": {names["E3"]},
        "park_operator": {names["E1"]},
        "sysadmin": {names["E1"], names["E3"]},
    }
    for persona, firms in expected.items():
        client = sv.world.client(persona)
        with on_day(dt.date(2026, 3, 10)):
            for url in ("/api/v1/service/assignments", "/api/v1/service/visits", "/api/v1/service/due"):
                items = client.get(url).json()["items"]
                assert {item["enterprise_name"] for item in items} == firms, (persona, url)


def test_a_role_without_a_part_cannot_write(sv: ServiceWorld) -> None:
    uscc = sv.world.enterprises["E1"].uscc
    for persona in ("city_viewer", "enterprise", "handler", "auditor"):
        client = sv.world.client(persona)
        response = client.post(
            "/api/v1/service/plans", {"enterprise": uscc, "planned_on": "2099-01-01"}, content_type="application/json"
        )
        assert response.status_code == 403, persona
        assert client.post("/service/visits/", {"enterprise": uscc, "planned_on": "2099-01-01"}).status_code == 403
    # A firm outside the scope is not found, the same as one that does not exist.
    response = sv.world.client("district_caidian").post(
        "/api/v1/service/plans", {"enterprise": uscc, "planned_on": "2099-01-01"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert NO_SUCH_ENTERPRISE % {"uscc": uscc} in response.json()["detail"]


def test_the_pages_read_in_english_after_the_switch(sv: ServiceWorld) -> None:
    client = sv.world.client("park_operator")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/service/").content.decode()
    assert "Specialist&#x27;s workbench" in page and "服务专员工作台" not in page
    assert "Policy matching" in client.get("/service/policies/").content.decode()


def test_a_role_that_may_not_confirm_is_refused_before_the_list_is_read(sv: ServiceWorld) -> None:
    """A district confirming a 免申即享 list is refused for its role (403), also when the list names a
    firm outside its scope (which would otherwise answer 422 about the firm)."""
    from yuanqu.service.services.policies import CONFIRM_NOT_ALLOWED

    for uscc in (sv.world.enterprises["E1"].uscc, sv.world.enterprises["E3"].uscc):
        response = sv.world.client("district_caidian").post(
            "/api/v1/service/batches",
            {"policy": "high_tech_first", "enterprises": [uscc]},
            content_type="application/json",
        )
        assert response.status_code == 403, uscc
        assert response.json() == {"detail": CONFIRM_NOT_ALLOWED, "code": "service_not_allowed"}
