"""一园一档 and the district page: what a park's file shows, to whom, and how many queries it takes."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World
from yuanqu.dashboard import selectors
from yuanqu.dashboard.tests import builders


def profile_url(code: str) -> str:
    return f"/cockpit/parks/{code}/"


def test_it_shows_the_parks_identity_indicators_and_rank_within_its_type(
    evaluated: builders.Evaluated, dash: World
) -> None:
    profile = selectors.park_profile(dash.users["city_admin"], dash.parks["PA"])
    revenue = next(line for line in profile.lines if line.code == "revenue")
    assert revenue.years == [(2024, 450000.0), (2025, 500000.0)]
    assert revenue.change == pytest.approx(500000 / 450000 - 1)
    # PA has the highest 2025 revenue of the four modern parks (M2–M4 are generated at most 500,000 × 0.8 × 1.15).
    assert (revenue.rank, revenue.ranked) == (1, 4)
    assert revenue.type_value == 2_000_000.0


def test_it_gives_a_district_user_the_rank_but_not_other_parks_values(
    evaluated: builders.Evaluated, dash: World, html: Any
) -> None:
    page = html(dash.client("district_jiangxia").get(profile_url("PA")))
    assert "江夏现代产业园" in page
    assert "1/4" in page
    assert "测试M3园区" not in page  # M3 is in 蔡甸区: neither its name nor its value shows


def test_it_answers_404_for_a_park_outside_the_users_scope(dash: World) -> None:
    assert dash.client("district_caidian").get(profile_url("PA")).status_code == 404
    assert dash.client("park_operator").get(profile_url("PB")).status_code == 404
    assert dash.client("park_operator").get(profile_url("PA")).status_code == 200
    assert dash.client("city_admin").get(profile_url("NOPE")).status_code == 404


def test_it_says_there_is_no_evaluation_result_before_any_run(dash: World, html: Any) -> None:
    page = html(dash.client("city_admin").get(profile_url("PA")))
    assert "尚无评价结果" in page


def test_it_shows_the_evaluation_result_with_its_rank_interval(
    evaluated: builders.Evaluated, dash: World, html: Any
) -> None:
    from yuanqu.evaluation.models import ParkResult

    result = ParkResult.objects.get(run=evaluated.run, park__code="PA")
    summary = selectors.evaluation_summary(dash.users["district_jiangxia"], dash.parks["PA"])
    assert summary is not None
    assert summary.result.pk == result.pk
    assert summary.type_size == 4
    assert summary.interval == f"{result.rank_p05}–{result.rank_p95}"
    assert [name for name, _, _ in summary.dimensions]  # the index system's dimensions, by name
    page = html(dash.client("district_jiangxia").get(profile_url("PA")))
    assert f"/evaluation/runs/{evaluated.run.pk}/parks/PA/" in page
    assert summary.interval in page


def test_it_shows_which_chain_nodes_the_parks_enterprises_cover(dash: World) -> None:
    from yuanqu.registry.models import ChainNode, IndustryChain, IndustryClass

    chain = IndustryChain.objects.create(code="t-optics", name="光电子信息", kind=IndustryChain.Kind.KEY_CHAIN)
    lasers = ChainNode.objects.create(chain=chain, name="光器件", stage=ChainNode.Stage.MIDSTREAM, position=1)
    lasers.industry_classes.add(IndustryClass.objects.get(code="C3976"))  # E1's class
    ChainNode.objects.create(chain=chain, name="光纤光缆", stage=ChainNode.Stage.UPSTREAM, position=0)
    dash.parks["PA"].lead_chains.add(chain)
    [coverage] = selectors.park_profile(dash.users["city_admin"], dash.parks["PA"]).chains
    assert [(node.name, node.enterprises) for node in coverage.nodes] == [("光纤光缆", 0), ("光器件", 1)]
    assert coverage.covered == 1 and coverage.share == 0.5


def test_it_lists_only_the_enterprises_the_user_may_see(dash: World) -> None:
    from yuanqu.core.models import User
    from yuanqu.core.roles import Role

    admin = selectors.park_profile(dash.users["city_admin"], dash.parks["PA"])
    assert [e.name for e in admin.top_enterprises] == ["武汉甲光电科技有限公司"]
    assert admin.labels[1] == ("高新技术企业", 1)
    assert isinstance(dash.users["district_jiangxia"], User) and dash.users["district_jiangxia"].role == Role.DISTRICT
    assert selectors.park_profile(dash.users["district_jiangxia"], dash.parks["PA"]).enterprise_count == 1


def test_it_summarises_land_facilities_and_completeness(dash: World) -> None:
    profile = selectors.park_profile(dash.users["city_admin"], dash.parks["PA"])
    assert profile.land.rows == [("一类工业用地", 1, 150.0)]
    assert [f.name for f in profile.facilities] == ["光电共享实验室"]
    items = {what: (ok, detail) for what, ok, detail in profile.completeness.items}
    assert items["园区边界"] == (True, "已登记")
    assert items["主导产业链"] == (False, "未设定")
    assert items["企业年度数据"] == (False, "0/1 家")
    assert 0 < profile.completeness.score < 1


def test_it_shows_the_parks_casework(dash: World) -> None:
    builders.case_for(dash)
    assert selectors.park_profile(dash.users["city_admin"], dash.parks["PA"]).cases.total.submitted == 1
    assert selectors.park_profile(dash.users["city_admin"], dash.parks["PB"]).cases.total.submitted == 0


def _add_chain(park: Any) -> None:
    from yuanqu.registry.models import ChainNode, IndustryChain, IndustryClass

    chain = IndustryChain.objects.create(code="t-optics", name="光电子信息", kind=IndustryChain.Kind.KEY_CHAIN)
    node = ChainNode.objects.create(chain=chain, name="光器件", stage=ChainNode.Stage.MIDSTREAM, position=1)
    node.industry_classes.add(IndustryClass.objects.get(code="C3976"))
    park.lead_chains.add(chain)


def test_it_pins_the_profile_query_count(evaluated: builders.Evaluated, dash: World) -> None:
    _add_chain(dash.parks["PA"])
    builders.case_for(dash)
    client = dash.client("city_admin")
    client.get(profile_url("PA"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(profile_url("PA")).status_code == 200
    # 26 for the page (with the report rates that decide which months have a 同比; the session is read,
    # not saved: it is not due for renewal, core/sessions.py), 7 for the talent section (open openings,
    # register, outcome rows, first hires, 紧缺人才, events, 人才引进 per policy), 1 for the 能碳 card (the
    # park's latest account; its resources only when it has one), and the header's count of unread notifications.
    # The holiday years of the administrator's warning are read once a session (the first request
    # above), no longer on every page.
    assert len(queries.captured_queries) == 35, [q["sql"][:80] for q in queries.captured_queries]


def test_it_keeps_the_profile_query_count_flat_as_enterprises_and_chains_grow(dash: World) -> None:
    from yuanqu.core.uscc import make as make_uscc
    from yuanqu.registry.models import Enterprise

    _add_chain(dash.parks["PA"])
    client = dash.client("city_admin")
    client.get(profile_url("PA"))
    with CaptureQueriesContext(connection) as before:
        client.get(profile_url("PA"))
    for number in range(30):
        Enterprise.objects.create(
            uscc=make_uscc(f"91420100MA4L{number:05d}"),
            name=f"新增企业{number}",
            industry_id="C3976",
            district=dash.districts["jiangxia"],
            park=dash.parks["PA"],
            park_assignment="manual",
        )
    with CaptureQueriesContext(connection) as after:
        client.get(profile_url("PA"))
    assert len(after.captured_queries) == len(before.captured_queries)


def test_it_shows_the_district_page_across_its_parks(dash: World, html: Any) -> None:
    page = selectors.district_page(dash.users["city_admin"], dash.districts["jiangxia"])
    assert [row.park.code for row in page.rows] == ["PA", "PB"]
    assert page.year == 2025
    assert page.rows[0].values["revenue"] == 500000.0
    text = html(dash.client("district_jiangxia").get("/cockpit/districts/420115/"))
    assert "江夏现代产业园" in text and "蔡甸特色产业园" not in text


def test_it_answers_404_for_another_districts_page(dash: World) -> None:
    assert dash.client("district_caidian").get("/cockpit/districts/420115/").status_code == 404
    assert dash.client("park_operator").get("/cockpit/districts/420114/").status_code == 404
    assert dash.client("park_operator").get("/cockpit/districts/420115/").status_code == 200


def test_it_exports_the_profile_and_audits_it(dash: World) -> None:
    from python_calamine import CalamineWorkbook

    from yuanqu.core.models import AuditLog

    response = dash.client("park_operator").get("/cockpit/parks/PA/export.xlsx")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names[:2] == ["园区概况", "指标"]
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, actor=dash.users["park_operator"]).count() == 1
    assert dash.client("district_caidian").get("/cockpit/parks/PA/export.xlsx").status_code == 404
