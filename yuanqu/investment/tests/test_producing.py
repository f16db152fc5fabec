"""投产 links a project to the registered enterprise it became, so its statistics flow into the
indicators; a project cannot reach 投产 without one, nor with a firm of another district."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from yuanqu.investment.models import Project, Stage
from yuanqu.investment.tests.conftest import DAY, InvestWorld, pdf


def _started(inv: InvestWorld, project: Project | None = None) -> Project:
    project = inv.to_negotiating(project or inv.project())
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


def _producing_with_promise(inv: InvestWorld) -> Project:
    project = inv.project(expected_output=Decimal("12"), expected_tax=Decimal("1.2"), land_need_mu=Decimal("100"))
    project = _started(inv, project)
    inv.move(
        project, "district_jiangxia", "producing", DAY + dt.timedelta(days=200), enterprise=inv.world.enterprises["E1"]
    )
    project.refresh_from_db()
    return project


def _report(inv: InvestWorld, year: int, output: str, tax: str, land_mu: str) -> None:
    from yuanqu.stats.models import AnnualStat, ImportBatch

    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.ANNUAL, status=ImportBatch.Status.APPLIED)
    AnnualStat.objects.create(
        enterprise=inv.world.enterprises["E1"],
        year=year,
        output=Decimal(output),
        tax=Decimal(tax),
        land_mu=Decimal(land_mu),
        batch=batch,
    )


def test_delivery_compares_the_promise_with_the_first_years_the_firm_reports_after_production(
    inv: InvestWorld,
) -> None:
    from yuanqu.investment import selectors

    project = _producing_with_promise(inv)  # 投产 on 2026-09-18; promised 12 亿元 output, 1.2 亿元 tax, 100 亩
    client = inv.world.client("district_jiangxia")
    waiting = client.get(f"/investment/projects/{project.number}/").content.decode()
    assert "落地企业尚无投产当年及以后的年度数据" in waiting
    _report(inv, 2025, output="500000", tax="50000", land_mu="80")  # before production: not the promise's year
    assert selectors.deliveries([project]) == {}
    _report(inv, 2026, output="90000", tax="6000", land_mu="80")  # 9 亿元, 0.6 亿元
    delivery = selectors.deliveries([project])[project.pk]
    assert delivery.year == 2026
    assert (delivery.output_rate, delivery.tax_rate) == (0.75, 0.5)
    # 亩均: 12 ÷ 100 = 0.12 promised, 9 ÷ 80 = 0.1125 reported.
    assert (delivery.promised_output_per_mu, delivery.reported_output_per_mu) == (
        Decimal("0.1200"),
        Decimal("0.1125"),
    )
    assert delivery.output_per_mu_rate == 0.9375
    page = client.get(f"/investment/projects/{project.number}/").content.decode()
    assert "承诺兑现（2026年报告）" in page and "75%" in page and "50%" in page and "94%" in page
    figures = client.get("/api/v1/investment/figures").json()["total"]
    assert (figures["delivering"], figures["output_delivery_rate"], figures["tax_delivery_rate"]) == (1, 0.75, 0.5)
    assert 'data-testid="output-delivery">75%' in client.get("/investment/figures/").content.decode()
