"""Scoping for every role: the city sees every project, a district its own, a park operator its park's;
enterprises, handlers and the auditor do not open 精准招商 (403, core/appgate.py) — on the pages, the
API and the export. Every view of a project's detail is in the audit log."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from yuanqu.core.models import AuditLog
from yuanqu.investment.tests.conftest import InvestWorld

SEES_ALL = ("city_admin", "city_viewer", "sysadmin")
NOTHING = ("enterprise", "handler")


@pytest.fixture
def two(inv: InvestWorld) -> tuple[str, str]:
    jx = inv.project(investor="甲公司", name="江夏项目")
    cd = inv.project("district_caidian", investor="乙公司", name="蔡甸项目", district="caidian", park="PC")
    return jx.number, cd.number


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("city_admin", {"江夏项目", "蔡甸项目"}),
        ("city_viewer", {"江夏项目", "蔡甸项目"}),
        ("sysadmin", {"江夏项目", "蔡甸项目"}),
        ("district_jiangxia", {"江夏项目"}),
        ("district_caidian", {"蔡甸项目"}),
        ("park_operator", {"江夏项目"}),
    ],
)
def test_each_role_lists_exactly_its_projects(
    inv: InvestWorld, two: tuple[str, str], persona: str, expected: set[str]
) -> None:
    client = inv.world.client(persona)
    api = client.get("/api/v1/investment/projects").json()["items"]
    assert {row["name"] for row in api} == expected
    page = client.get("/investment/").content.decode()
    assert {name for name in ("江夏项目", "蔡甸项目") if name in page} == expected
    export = client.get("/investment/?export=xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_name("招商项目").to_python()
    assert rows[0][0] == "项目编号"
    assert {row[1] for row in rows[1:]} == expected


def test_a_district_never_sees_another_districts_project_details(inv: InvestWorld, two: tuple[str, str]) -> None:
    _jx, cd = two
    client = inv.world.client("district_jiangxia")
    for url in (
        f"/investment/projects/{cd}/",
        f"/investment/projects/{cd}/sites/",
        f"/api/v1/investment/projects/{cd}",
        f"/api/v1/investment/projects/{cd}/site-matches",
    ):
        assert client.get(url).status_code == 404, url
    moved = client.post(
        f"/api/v1/investment/projects/{cd}/transitions", {"to_stage": "contact", "on": "2026-03-05", "version": 1}
    )
    assert moved.status_code == 404


@pytest.mark.parametrize("persona", NOTHING)
def test_enterprises_and_handlers_are_refused(inv: InvestWorld, two: tuple[str, str], persona: str) -> None:
    jx, _cd = two
    client = inv.world.client(persona)
    for url in (
        "/investment/",
        f"/investment/projects/{jx}/",
        "/investment/figures/",
        "/investment/sites/",
        "/investment/conflicts/",
        "/api/v1/investment/projects",
        f"/api/v1/investment/projects/{jx}",
        "/api/v1/investment/figures",
        "/api/v1/investment/sites",
    ):
        assert client.get(url).status_code == 403, url


def test_the_auditor_is_refused_on_the_api_and_the_pages(inv: InvestWorld, two: tuple[str, str]) -> None:
    client = inv.world.client("auditor")
    assert client.get("/api/v1/investment/projects").status_code == 403
    assert client.get("/investment/").status_code == 403


def test_anonymous_is_sent_to_sign_in(inv: InvestWorld) -> None:
    client = inv.world.client("anonymous")
    assert client.get("/investment/").status_code == 302
    assert client.get("/api/v1/investment/projects").status_code == 401


def test_every_detail_view_is_audited(inv: InvestWorld, two: tuple[str, str]) -> None:
    jx, _cd = two
    client = inv.world.client("district_jiangxia")
    assert client.get(f"/investment/projects/{jx}/").status_code == 200
    assert client.get(f"/api/v1/investment/projects/{jx}").status_code == 200
    reads = AuditLog.objects.filter(action="read", object_type="investment.Project", detail="查看招商项目详情")
    assert reads.count() == 2
    assert {entry.actor_name for entry in reads} == {"t-district-jx"}


def test_the_export_is_audited(inv: InvestWorld, two: tuple[str, str]) -> None:
    inv.world.client("city_viewer").get("/investment/?export=xlsx")
    assert AuditLog.objects.filter(action="export", object_type="investment.Project").count() == 1


def test_the_navigation_shows_investment_to_its_roles_only(inv: InvestWorld) -> None:
    assert "/investment/" in inv.world.client("district_jiangxia").get("/investment/figures/").content.decode()
    home = inv.world.client("enterprise").get("/").content.decode()
    assert 'href="/investment/"' not in home


def test_a_city_viewer_is_refused_the_write_pages_with_403(inv: InvestWorld, two: tuple[str, str]) -> None:
    jx, _cd = two
    client = inv.world.client("city_viewer")
    assert client.get("/investment/projects/new/").status_code == 403
    moved = client.post(
        f"/investment/projects/{jx}/advance/", {"to_stage": "contact", "on": "2026-03-05", "version": 1}
    )
    assert moved.status_code == 403
