"""投产 links a project to the registered enterprise it became, so its statistics flow into the
indicators; a project cannot reach 投产 without one, nor with a firm of another district."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from yuanqu.investment.models import Project, Stage
from yuanqu.investment.tests.conftest import DAY, InvestWorld, pdf


def _started(inv: InvestWorld) -> Project:
    project = inv.to_negotiating(inv.project())
    inv.move(project, "district_jiangxia", "signed", DAY + dt.timedelta(days=40), files=[pdf()])
    inv.move(project, "district_jiangxia", "land", DAY + dt.timedelta(days=60), files=[pdf("营业执照.pdf")])
    inv.move(project, "district_jiangxia", "started", DAY + dt.timedelta(days=90), files=[pdf("施工许可证.pdf")])
    return project


def test_producing_without_an_enterprise_is_refused(inv: InvestWorld) -> None:
    project = _started(inv)
    with pytest.raises(ValidationError) as refused:
        inv.move(project, "district_jiangxia", "producing", DAY + dt.timedelta(days=200))
    assert refused.value.message_dict["enterprise"] == ["项目投产时须关联在库的落地企业（统一社会信用代码）"]


def test_an_enterprise_of_another_district_is_refused(inv: InvestWorld) -> None:
    project = _started(inv)
    with pytest.raises(ValidationError) as refused:
        inv.move(
            project,
            "district_jiangxia",
            "producing",
            DAY + dt.timedelta(days=200),
            enterprise=inv.world.enterprises["E3"],
        )
    assert refused.value.message_dict["enterprise"] == ["落地企业“武汉丙生物医药有限公司”不在项目所在区"]


def test_producing_links_the_enterprise_and_dates_the_cohort(inv: InvestWorld) -> None:
    project = _started(inv)
    inv.move(
        project, "district_jiangxia", "producing", DAY + dt.timedelta(days=200), enterprise=inv.world.enterprises["E1"]
    )
    project.refresh_from_db()
    assert project.stage == Stage.PRODUCING
    assert project.enterprise == inv.world.enterprises["E1"]
    assert project.producing_on == DAY + dt.timedelta(days=200)
    detail = inv.world.client("district_jiangxia").get(f"/api/v1/investment/projects/{project.number}").json()
    assert detail["enterprise"] == inv.world.enterprises["E1"].uscc
