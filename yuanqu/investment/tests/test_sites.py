"""智慧选址 on a fixture with known answers: which sites are feasible for a project and why, and
reservation (one project per site at a time, with expiry)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from yuanqu.core.permissions import WriteDenied
from yuanqu.investment import selectors, services
from yuanqu.investment.matching import Needs, SiteFacts, site_verdict
from yuanqu.investment.tests.conftest import DAY, InvestWorld, site


def _facts(**fields: object) -> SiteFacts:
    base: dict[str, object] = {
        "id": 1,
        "kind": "floor",
        "district_id": 1,
        "area_mu": None,
        "floor_area_m2": 5000,
        "floor_load_kn": Decimal("8.0"),
        "clear_height_m": Decimal("6.0"),
        "power_kva": 800,
        "lead_chains": frozenset({"optical"}),
        "held": False,
        "stale": False,
    }
    base.update(fields)
    return SiteFacts(**base)  # type: ignore[arg-type]


NEEDS = Needs(
    floor_m2=3000, floor_load_kn=Decimal("7.5"), clear_height_m=Decimal("5.0"), power_kva=630, chain_code="optical"
)


def test_a_floor_that_meets_every_need_is_feasible_with_its_reasons() -> None:
    verdict = site_verdict(NEEDS, _facts())
    assert verdict.feasible
    assert verdict.fails == []
    assert verdict.fits == [
        "建筑面积满足：5000㎡ ≥ 3000㎡",
        "楼面荷载满足：8kN/㎡ ≥ 7.5kN/㎡",
        "层高满足：6米 ≥ 5米",
        "供电容量满足：800kVA ≥ 630kVA",
        "项目所属产业链是园区主导产业链",
    ]
    assert verdict.score == 2


def test_each_unmet_need_is_named() -> None:
    verdict = site_verdict(NEEDS, _facts(floor_load_kn=Decimal("5.0"), power_kva=None, held=True))
    assert not verdict.feasible
    assert verdict.fails == [
        "楼面荷载不足：5kN/㎡ < 需要 7.5kN/㎡",
        "供电容量未登记（项目需要 630kVA）",
        "已为其他项目预留",
    ]


def test_land_does_not_serve_a_floor_need() -> None:
    verdict = site_verdict(NEEDS, _facts(kind="land", area_mu=Decimal("80"), floor_area_m2=None))
    assert not verdict.feasible
    assert "项目需要厂房，该载体为土地" in verdict.fails


def test_the_ranking_on_the_database_fixture(inv: InvestWorld) -> None:
    world = inv.world
    project = inv.project(land_need_mu=Decimal("50"))
    site("A", world, kind="land", area_mu=Decimal("80"), power_kva=2000)  # feasible, lead chain
    site("B", world, kind="land", area_mu=Decimal("30"), power_kva=2000)  # too small
    site("C", world, kind="floor", floor_area_m2=20000, power_kva=2000)  # not land
    site(
        "D", world, kind="land", park="PC", district="caidian", area_mu=Decimal("60"), power_kva=2000
    )  # feasible, other chain
    needs = selectors.project_needs(project, power_kva=1000)
    matches = selectors.site_matches(inv.user("city_admin"), project, needs, today=DAY)
    assert [(m.site.code, m.verdict.feasible) for m in matches] == [
        ("A", True),
        ("D", True),
        ("B", False),
        ("C", False),
    ]
    assert matches[2].verdict.fails == ["土地面积不足：30亩 < 需要 50亩"]
    # A district only matches against its own sites.
    mine = selectors.site_matches(inv.user("district_jiangxia"), project, needs, today=DAY)
    assert [m.site.code for m in mine] == ["A", "B", "C"]


def test_a_site_is_held_for_one_project_at_a_time_until_it_expires(inv: InvestWorld) -> None:
    world = inv.world
    spot = site("A", world, kind="land", area_mu=Decimal("80"))
    first = inv.project(name="一号项目", investor="甲公司")
    second = inv.project(name="二号项目", investor="乙公司")
    actor = inv.user("district_jiangxia")
    held = services.site_reserve(actor=actor, site=spot, project=first, on=DAY)
    assert held.expires_on == DAY + dt.timedelta(days=30)
    with pytest.raises(ValidationError) as refused:
        services.site_reserve(actor=actor, site=spot, project=second, on=DAY + dt.timedelta(days=10))
    assert refused.value.message_dict["site"] == ["载体“载体A”已为其他项目预留至2026-04-01"]
    later = services.site_reserve(actor=actor, site=spot, project=second, on=DAY + dt.timedelta(days=31))
    assert later.project == second
    held.refresh_from_db()
    assert held.released_at is not None


def test_a_district_cannot_reserve_another_districts_site(inv: InvestWorld) -> None:
    spot = site("D", inv.world, kind="land", park="PC", district="caidian", area_mu=Decimal("60"))
    project = inv.project()
    with pytest.raises(WriteDenied):
        services.site_reserve(actor=inv.user("district_jiangxia"), site=spot, project=project, on=DAY)
    response = inv.world.client("district_jiangxia").post(
        "/api/v1/investment/sites/D/reservation", {"project": project.number}, content_type="application/json"
    )
    assert response.status_code == 404


def test_releasing_a_hold_for_another_districts_project_does_not_name_it(inv: InvestWorld) -> None:
    """The city holds a 蔡甸 site for a 江夏 project; 蔡甸 may release it, and learns the site is
    free, not the 江夏 project's number."""
    spot = site("X", inv.world, kind="land", park="PC", district="caidian", area_mu=Decimal("60"))
    project = inv.project()
    services.site_reserve(actor=inv.user("city_admin"), site=spot, project=project)
    response = inv.world.client("district_caidian").delete("/api/v1/investment/sites/X/reservation")
    assert response.status_code == 200
    assert response.json()["project"] == ""
    assert project.number not in response.content.decode()
    services.site_reserve(actor=inv.user("city_admin"), site=spot, project=project)
    response = inv.world.client("city_admin").delete("/api/v1/investment/sites/X/reservation")
    assert response.json()["project"] == project.number


def test_a_stale_site_is_flagged(inv: InvestWorld) -> None:
    site("OLD", inv.world, kind="land", area_mu=Decimal("10"), confirmed_on=dt.date(2025, 1, 1))
    rows = inv.world.client("park_operator").get("/api/v1/investment/sites").json()["items"]
    assert [(row["code"], row["stale"]) for row in rows] == [("OLD", True)]
    assert "待更新" in inv.world.client("park_operator").get("/investment/sites/").content.decode()


def _page_messages(response: object) -> list[str]:
    from django.contrib.messages import get_messages

    return [str(message) for message in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_the_site_page_names_a_missing_or_unknown_site_instead_of_answering_404(inv: InvestWorld) -> None:
    site("A", inv.world, kind="land", area_mu=Decimal("60"))
    project = inv.project()
    page = f"/investment/projects/{project.number}/sites/"
    # A client per post: each sees only the messages of its own post.
    missing = inv.world.client("district_jiangxia").post(page, {})
    assert missing.status_code == 302
    assert _page_messages(missing) == ["请填写载体编号"]
    unknown = inv.world.client("district_jiangxia").post(page, {"site": "NOPE"})
    assert unknown.status_code == 302
    assert _page_messages(unknown) == ["载体“NOPE”不存在或不在您的权限范围内"]
    assert not project.reservations.exists()
    reserved = inv.world.client("district_jiangxia").post(page, {"site": "A"})
    assert _page_messages(reserved) == ["已为项目预留载体 载体A"]


def test_the_match_map_draws_each_site_at_its_point_and_the_rest_at_their_parks_centre(inv: InvestWorld) -> None:
    import json

    project = inv.project(land_need_mu=Decimal("50"))
    site("MAP-1", inv.world, kind="land", area_mu=Decimal("80"))  # feasible, in PA, no coordinates
    site("MAP-2", inv.world, kind="land", area_mu=Decimal("10"))  # too small, in PA, no coordinates
    site("MAP-3", inv.world, kind="land", area_mu=Decimal("90"), park=None)  # outside any park, no coordinates
    site("MAP-4", inv.world, kind="land", area_mu=Decimal("60"), lon=114.31, lat=30.52)  # feasible, its own point
    page = inv.world.client("district_jiangxia").get(f"/investment/projects/{project.number}/sites/").content.decode()
    data = json.loads(page.split('id="site-map-data" type="application/json">')[1].split("</script>")[0])
    park = inv.world.parks["PA"]
    assert data == [
        {"name": "MAP-4 载体MAP-4", "value": [114.31, 30.52, 1], "feasible": ["MAP-4"], "infeasible": 0, "own": True},
        {
            "name": park.name,
            "value": [park.centroid_lon, park.centroid_lat, 1],
            "feasible": ["MAP-1"],
            "infeasible": 1,
            "own": False,
        },
    ]
    assert "1 处载体按其坐标画出" in page
    assert "2 处载体没有坐标，画在所在园区的中心（方块，不是载体本身的位置" in page
    assert "另有 1 处载体不在园区内或所在园区没有边界" in page
    assert "investment/site_map.js" in page


def test_a_sites_coordinates_are_a_pair_inside_the_region(inv: InvestWorld) -> None:
    with pytest.raises(ValidationError) as alone:
        site("XY-1", inv.world, kind="land", area_mu=Decimal("10"), lon=114.31)
    assert alone.value.message_dict["lon"] == ["经度和纬度须同时填写"]
    with pytest.raises(ValidationError) as outside:
        site("XY-2", inv.world, kind="land", area_mu=Decimal("10"), lon=121.47, lat=31.23)  # 上海
    assert outside.value.message_dict["lon"] == ["坐标（121.47, 31.23）不在武汉市范围内"]
