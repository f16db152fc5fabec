"""首谈/首报: the same investor registered by two districts raises a conflict both see without seeing
each other's project; the city decides and the decision is kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from yuanqu.core.permissions import WriteDenied
from yuanqu.core.uscc import make as make_uscc
from yuanqu.investment import selectors, services
from yuanqu.investment.models import ClaimConflict, Project, Stage
from yuanqu.investment.tests.conftest import DAY, InvestWorld, pdf

USCC = make_uscc("91440300MA5F00001")


def _pair(inv: InvestWorld) -> tuple[ClaimConflict, int, int]:
    first = inv.project(investor="光谷科技股份有限公司", uscc=USCC)
    second = inv.project(
        "district_caidian",
        investor="深圳光谷科技有限公司",
        uscc=USCC,
        district="caidian",
        park="PC",
        on=DAY + dt.timedelta(days=3),
    )
    return ClaimConflict.objects.get(), first.pk, second.pk


def test_the_same_credit_code_in_two_districts_is_a_conflict(inv: InvestWorld) -> None:
    conflict, first, second = _pair(inv)
    assert (conflict.first_id, conflict.second_id) == (first, second)
    assert conflict.matched_by == "uscc"
    assert conflict.status == "open"


def test_the_same_normalised_name_without_credit_codes_is_a_conflict(inv: InvestWorld) -> None:
    inv.project(investor="武汉（中国）华星光电有限公司")
    inv.project("district_caidian", investor="华星光电 集团", district="caidian", park="PC")
    assert ClaimConflict.objects.get().matched_by == "name"


def test_a_different_investor_or_the_same_district_raises_no_conflict(inv: InvestWorld) -> None:
    inv.project(investor="甲科技有限公司")
    inv.project("district_caidian", investor="乙科技有限公司", district="caidian", park="PC")
    inv.project(investor="甲科技有限公司", name="二期")
    assert not ClaimConflict.objects.exists()


def test_both_districts_see_the_conflict_but_not_each_others_project(inv: InvestWorld) -> None:
    _conflict, first, second = _pair(inv)
    [mine] = selectors.conflicts_for(inv.user("district_jiangxia"))
    assert mine.mine is not None and mine.mine.pk == first
    assert mine.other is None
    [theirs] = selectors.conflicts_for(inv.user("district_caidian"))
    assert theirs.mine is not None and theirs.mine.pk == second
    assert theirs.other is None
    [city] = selectors.conflicts_for(inv.user("city_viewer"))
    assert city.other is not None and city.other.pk == second


def test_the_api_shows_a_district_that_a_conflict_exists_and_nothing_of_the_other_side(inv: InvestWorld) -> None:
    _pair(inv)
    client = inv.world.client("district_jiangxia")
    rows = client.get("/api/v1/investment/conflicts").json()["items"]
    assert len(rows) == 1
    assert rows[0]["other"] is None and rows[0]["other_district"] is None and rows[0]["second"] is None
    second = client.get("/api/v1/investment/projects/ZS-2026-00002")
    assert second.status_code == 404
    page = client.get("/investment/conflicts/")
    assert "其他区登记的项目（详情不可见）" in page.content.decode()
    assert "ZS-2026-00002" not in page.content.decode()


def test_signing_waits_for_the_decision(inv: InvestWorld) -> None:
    _conflict, first, _second = _pair(inv)
    project = inv.to_negotiating(Project.objects.get(pk=first))
    with pytest.raises(ValidationError) as refused:
        inv.move(project, "district_jiangxia", "signed", DAY + dt.timedelta(days=40), files=[pdf()])
    assert refused.value.message_dict["to_stage"] == [
        "该项目存在待市投促局裁决的首谈首报冲突，裁决前不能签约或推进到签约之后的阶段"
    ]


def test_only_the_city_decides(inv: InvestWorld) -> None:
    conflict, _first, _second = _pair(inv)
    for persona in ("district_jiangxia", "city_viewer", "park_operator"):
        with pytest.raises(WriteDenied) as refused:
            services.conflict_decide(actor=inv.user(persona), conflict=conflict, outcome="first", note="先报")
        assert str(refused.value) == "首谈首报冲突由市投促局（市级管理员）裁决"
    response = inv.world.client("district_jiangxia").post(
        f"/api/v1/investment/conflicts/{conflict.pk}/decision",
        {"outcome": "first", "note": "先报"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_the_decision_is_kept_and_ends_the_other_claim(inv: InvestWorld) -> None:
    conflict, first, second = _pair(inv)
    services.conflict_decide(
        actor=inv.user("city_admin"), conflict=conflict, outcome="first", note="江夏区先接洽并提供洽谈纪要"
    )
    conflict.refresh_from_db()
    assert (conflict.status, conflict.outcome, conflict.decision_note) == (
        "decided",
        "first",
        "江夏区先接洽并提供洽谈纪要",
    )
    assert conflict.decided_by == inv.user("city_admin")
    assert Project.objects.get(pk=first).stage == Stage.LEAD
    loser = Project.objects.get(pk=second)
    assert (loser.stage, loser.terminated_reason) == (Stage.TERMINATED, "首谈首报裁决：项目归另一方登记的项目")
    with pytest.raises(ValidationError) as again:
        services.conflict_decide(actor=inv.user("city_admin"), conflict=conflict, outcome="second", note="改判")
    assert again.value.message_dict["outcome"] == ["该冲突已经裁决，不能重复处理"]


def test_distinct_projects_both_go_on(inv: InvestWorld) -> None:
    conflict, first, second = _pair(inv)
    services.conflict_decide(actor=inv.user("city_admin"), conflict=conflict, outcome="distinct", note="两个不同项目")
    assert {p.stage for p in Project.objects.filter(pk__in=[first, second])} == {Stage.LEAD}
