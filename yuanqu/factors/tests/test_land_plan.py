"""用地计划: a district's plan of the year and the city's top-up against the year's land supply and
the unmet land needs of its 招商 projects signed or later; the shortfall and the projects beyond the
plan shown before they wait; only the city sets plans; each role reads its own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.factors import selectors
from yuanqu.factors.models import LandQuota
from yuanqu.factors.services import plan
from yuanqu.investment import services as investment
from yuanqu.investment.models import Project

pytestmark = pytest.mark.django_db
YEAR = 2025


def project(world: World, name: str, need: str, signed: dt.date, stage: str = "signed") -> Project:
    row = investment.project_create(
        actor=world.users["district_jiangxia"],
        name=name,
        investor_name=f"{name}投资有限公司",
        district=world.districts["jiangxia"],
        park=world.parks["PA"],
        source="capital",
        land_need_mu=Decimal(need),
        registered_on=dt.date(2025, 1, 5),
    )
    # The pipeline's own moves (with their evidence) are tested in investment; here only the stage counts.
    Project.objects.filter(pk=row.pk).update(stage=stage, signed_on=signed)
    row.refresh_from_db()
    return row


def quota(world: World, mu: str = "100", persona: str = "city_admin") -> LandQuota:
    return plan.land_quota_set(
        actor=world.users[persona],
        district=world.districts["jiangxia"],
        year=YEAR,
        quota_mu=Decimal(mu),
        basis="武资规〔2025〕5号",
    )


@pytest.fixture
def pipeline(world: World, sell: Any) -> dict[str, Project]:
    """江夏 in 2025: a plan of 100 亩, 40 亩 supplied, two signed projects needing 30 and 50 亩, one
    still in talks (not counted) and one at 开工 whose 20 亩 need is met by its own supply."""
    quota(world)
    sell(area=Decimal("20"), on=dt.date(2025, 4, 1))
    rows = {
        "P1": project(world, "光模块基地", "30", dt.date(2025, 2, 1)),
        "P2": project(world, "传感器产线", "50", dt.date(2025, 3, 1)),
        "P3": project(world, "洽谈中的项目", "70", dt.date(2025, 3, 5), stage="negotiating"),
        "P4": project(world, "已开工项目", "20", dt.date(2025, 1, 10), stage="started"),
    }
    sell(area=Decimal("20"), on=dt.date(2025, 5, 1), project=rows["P4"])
    return rows


def test_the_shortfall_and_the_projects_beyond_the_plan_show_before_they_wait(
    world: World, pipeline: dict[str, Project]
) -> None:
    (line,) = selectors.land_plan(world.users["city_admin"], YEAR)
    assert (line.quota_mu, line.supplied_mu, line.left_mu, line.waiting_mu, line.shortfall_mu) == (
        Decimal("100"),
        Decimal("40"),
        Decimal("60"),
        Decimal("80"),
        Decimal("20"),
    )
    assert [(p.number, p.need_mu, p.cumulative_mu, p.beyond_plan) for p in line.projects] == [
        (pipeline["P1"].number, Decimal("30"), Decimal("30"), False),
        (pipeline["P2"].number, Decimal("50"), Decimal("80"), True),
    ]


def test_the_citys_top_up_covers_the_shortfall_and_is_audited(world: World, pipeline: dict[str, Project]) -> None:
    row = plan.land_topup_add(
        actor=world.users["city_admin"],
        district=world.districts["jiangxia"],
        year=YEAR,
        topup_mu=Decimal("20"),
        basis="武资规〔2025〕9号",
    )
    assert (row.topup_mu, row.topup_basis) == (Decimal("20"), "武资规〔2025〕9号")
    (line,) = selectors.land_plan(world.users["district_jiangxia"], YEAR)
    assert (line.available_mu, line.shortfall_mu) == (Decimal("120"), Decimal("0"))
    assert not any(p.beyond_plan for p in line.projects)
    assert AuditLog.objects.filter(object_type="factors.LandQuota").count() == 2


def test_a_district_without_a_plan_shows_its_need_as_shortfall(world: World, pipeline: dict[str, Project]) -> None:
    LandQuota.objects.all().delete()
    (line,) = selectors.land_plan(world.users["city_admin"], YEAR)
    assert (line.quota_mu, line.shortfall_mu) == (None, Decimal("80"))


def test_only_the_city_sets_plans_and_a_top_up_needs_a_plan(world: World) -> None:
    with pytest.raises(PermissionDenied) as caught:
        quota(world, persona="district_jiangxia")
    assert str(caught.value) == plan.PLAN_CITY_ONLY
    with pytest.raises(ValidationError) as refused:
        plan.land_topup_add(
            actor=world.users["city_admin"],
            district=world.districts["jiangxia"],
            year=YEAR,
            topup_mu=Decimal("10"),
            basis="武资规〔2025〕9号",
        )
    assert refused.value.message_dict["year"] == [plan.NO_QUOTA % {"district": "江夏区", "year": YEAR}]
    assert not LandQuota.objects.exists()


def test_each_role_reads_its_own_plan(world: World, pipeline: dict[str, Project]) -> None:
    assert [line.district_code for line in selectors.land_plan(world.users["district_caidian"], YEAR)] == ["420114"]
    assert selectors.land_plan(world.users["district_caidian"], YEAR)[0].waiting_mu == Decimal(0)
    assert selectors.land_plan(world.users["park_operator"], YEAR) == []


def test_the_page_sets_a_plan_and_the_api_answers_the_shortfall(world: World, pipeline: dict[str, Project]) -> None:
    client = world.client("city_admin")
    posted = client.post(
        "/factors/land-plan/quota/",
        {"district": "420115", "year": str(YEAR), "quota_mu": "150", "basis": "武资规〔2025〕12号"},
    )
    assert posted.status_code == 302
    assert LandQuota.objects.get().quota_mu == Decimal("150")
    refused = client.post(
        "/factors/land-plan/topup/",
        {"district": "420115", "year": str(YEAR), "topup_mu": "0", "basis": "x"},
        follow=True,
    )
    assert any("市级统筹保障（亩）" in str(m) for m in refused.context["messages"])
    page = client.get(f"/factors/land-plan/?year={YEAR}")
    assert pipeline["P2"].number in page.content.decode()
    answer = client.get(f"/api/v1/factors/land-plan?year={YEAR}").json()
    (item,) = answer["items"]
    assert (item["district"], item["shortfall_mu"], item["left_mu"]) == ("420115", "0.00", "110.00")


def test_the_workbench_card_names_the_district_short_of_land(world: World, pipeline: dict[str, Project]) -> None:
    from yuanqu.factors import cards

    (card,) = cards.cards(world.users["district_jiangxia"], dt.date(YEAR, 6, 30))
    assert card.figures[0].value == 1
    assert [(item.label, item.note) for item in card.items] == [("江夏区", "2025年用地计划缺口20.00亩")]
    (caidian,) = cards.cards(world.users["district_caidian"], dt.date(YEAR, 6, 30))
    assert caidian.figures[0].value == 0 and not caidian.items
    assert cards.cards(world.users["park_operator"], dt.date(YEAR, 6, 30)) == []
    page = world.client("district_jiangxia").get("/")
    assert page.status_code in (200, 302)


def test_the_years_plans_export_with_the_projects_beyond_the_plan(world: World, pipeline: dict[str, Project]) -> None:
    import io

    from python_calamine import CalamineWorkbook

    client = world.client("district_jiangxia")
    assert 'data-testid="land-plan-export"' in client.get(f"/factors/land-plan/?year={YEAR}").content.decode()
    response = client.get(f"/factors/land-plan/export/?year={YEAR}")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["用地计划", "待供地项目"]
    assert book.get_sheet_by_name("用地计划").to_python()[1][1:] == [100.0, 0.0, 40.0, 60.0, 80.0, 20.0]
    waiting = book.get_sheet_by_name("待供地项目").to_python()[1:]
    assert [(row[1], row[6], row[7]) for row in waiting] == [
        (pipeline["P1"].number, 30.0, ""),
        (pipeline["P2"].number, 80.0, "超出计划余量"),
    ]
    entry = AuditLog.objects.get(action="export", object_type="factors.LandQuota")
    assert (entry.actor, entry.detail) == (world.users["district_jiangxia"], f"导出{YEAR}年度用地计划")
    # 蔡甸 reads only its own line (no plan recorded), not 江夏's
    other = CalamineWorkbook.from_filelike(
        io.BytesIO(world.client("district_caidian").get(f"/factors/land-plan/export/?year={YEAR}").content)
    )
    assert [row[:2] for row in other.get_sheet_by_name("用地计划").to_python()[1:]] == [["蔡甸区", "未登记"]]
