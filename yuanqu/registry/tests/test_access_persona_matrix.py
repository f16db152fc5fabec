"""The persona matrix: exactly what each role sees of parks, enterprises and land, on pages, API and
exports, and that anything outside its scope answers 404."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from conftest import World
from yuanqu.core.models import AuditLog

# persona → (visible parks, visible enterprises, visible land parcels)
EXPECTED: dict[str, tuple[set[str], set[str], set[str]]] = {
    "city_admin": ({"PA", "PB", "PC"}, {"E1", "E2", "E3", "E4"}, {"L-PA-1", "L-PC-1", "L-OUT-1"}),
    "city_viewer": ({"PA", "PB", "PC"}, {"E1", "E2", "E3", "E4"}, {"L-PA-1", "L-PC-1", "L-OUT-1"}),
    "sysadmin": ({"PA", "PB", "PC"}, {"E1", "E2", "E3", "E4"}, {"L-PA-1", "L-PC-1", "L-OUT-1"}),
    "district_jiangxia": ({"PA", "PB"}, {"E1", "E2", "E4"}, {"L-PA-1", "L-OUT-1"}),
    "district_caidian": ({"PC"}, {"E3"}, {"L-PC-1"}),
    "park_operator": ({"PA"}, {"E1"}, {"L-PA-1"}),
    "enterprise": ({"PA"}, {"E1"}, {"L-PA-1"}),
    "handler": (set(), set(), set()),
    "auditor": (set(), set(), set()),
    "anonymous": (set(), set(), set()),
}
PERSONAS = sorted(EXPECTED)


def _codes(world: World, names: set[str], kind: str) -> set[str]:
    if kind == "park":
        return {world.parks[name].code for name in names}
    return {world.enterprises[name].uscc for name in names}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_scopes_querysets(world: World, persona: str) -> None:
    from yuanqu.registry.models import Enterprise, LandParcel, Park

    user = world.users.get(persona)
    parks, firms, land = EXPECTED[persona]
    assert set(Park.objects.visible_to(user).values_list("code", flat=True)) == parks
    assert set(Enterprise.objects.visible_to(user).values_list("uscc", flat=True)) == _codes(world, firms, "ent")
    assert set(LandParcel.objects.visible_to(user).values_list("code", flat=True)) == land


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_scopes_detail_pages(world: World, persona: str) -> None:
    client = world.client(persona)
    parks, firms, _ = EXPECTED[persona]
    for name, park in world.parks.items():
        response = client.get(f"/registry/parks/{park.code}/")
        if persona == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if name in parks else 404), (name, response.status_code)
    for name, firm in world.enterprises.items():
        response = client.get(f"/registry/enterprises/{firm.uscc}/")
        if persona == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if name in firms else 404), name


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_scopes_list_pages(world: World, persona: str) -> None:
    client = world.client(persona)
    parks, firms, _ = EXPECTED[persona]
    park_page = client.get("/registry/parks/")
    firm_page = client.get("/registry/enterprises/")
    if persona == "anonymous":
        assert park_page.status_code == 302 and park_page["Location"].startswith("/login/")
        return
    park_html = park_page.content.decode()
    firm_html = firm_page.content.decode()
    for name, park in world.parks.items():
        assert (park.name in park_html) == (name in parks), name
    for name, firm in world.enterprises.items():
        assert (firm.uscc in firm_html) == (name in firms), name


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_scopes_the_api(world: World, persona: str) -> None:
    client = world.client(persona)
    parks, firms, _ = EXPECTED[persona]
    response = client.get("/api/v1/registry/parks")
    if persona == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    assert {item["code"] for item in response.json()["items"]} == parks
    listed = {item["uscc"] for item in client.get("/api/v1/registry/enterprises").json()["items"]}
    assert listed == _codes(world, firms, "ent")
    for name, firm in world.enterprises.items():
        status = client.get(f"/api/v1/registry/enterprises/{firm.uscc}").status_code
        assert status == (200 if name in firms else 404), name


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_scopes_exports_and_audits_them(world: World, persona: str) -> None:
    client = world.client(persona)
    parks, firms, _ = EXPECTED[persona]
    response = client.get("/registry/enterprises/", {"export": "xlsx"})
    if persona == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "统一社会信用代码"
    assert {row[0] for row in sheet[1:]} == _codes(world, firms, "ent")
    entry = AuditLog.objects.filter(action="export", object_type="registry.Enterprise").latest("id")
    assert entry.actor == world.users[persona]
    assert entry.after == {"rows": len(firms)}
    park_export = client.get("/registry/parks/", {"export": "xlsx"})
    park_sheet = CalamineWorkbook.from_filelike(io.BytesIO(park_export.content)).get_sheet_by_index(0).to_python()
    assert {row[0] for row in park_sheet[1:]} == parks


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_auditors_read_the_audit_log(world: World, persona: str) -> None:
    response = world.client(persona).get("/core/audit/")
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if persona in {"auditor", "sysadmin"} else 403)


def test_it_shows_role_and_scope_in_the_header(world: World) -> None:
    html = world.client("district_jiangxia").get("/registry/parks/").content.decode()
    assert "区级用户" in html and "江夏区" in html
    html = world.client("park_operator").get("/registry/parks/").content.decode()
    assert "园区运营" in html and "江夏现代产业园" in html
