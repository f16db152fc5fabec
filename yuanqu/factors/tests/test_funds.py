"""The 产业基金 register: a fund with its capital by source (paid-in never above the size), its
investments in the registry's firms or a 招商 project's (never above the fund's size, a second exit
refused), the capital invested by chain, park and stage, the scope of each role, and the page forms
and API that record them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from conftest import World
from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog
from yuanqu.factors import selectors
from yuanqu.factors.models import Fund, FundInvestment
from yuanqu.factors.services import funds
from yuanqu.registry.models import ChainNode, IndustryChain

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 1)
BODY = {"stage": "seed", "invested_on": "2025-03-01", "amount_wan_yuan": "1"}


def make_fund(world: World, persona: str = "city_admin", **extra: Any) -> Fund:
    values: dict[str, Any] = {
        "code": "F-ANGEL-1",
        "name": "武汉市天使投资基金",
        "kind": "angel",
        "manager": "武汉天使投资管理有限公司",
        "established_on": dt.date(2024, 1, 10),
        "size_wan_yuan": Decimal("10000"),
        "city_paid_wan_yuan": Decimal("3000"),
        "social_paid_wan_yuan": Decimal("2000"),
    }
    values.update(extra)
    return funds.fund_record(actor=world.users[persona], **values)


def invest(world: World, fund: Fund, persona: str = "city_admin", **extra: Any) -> FundInvestment:
    values: dict[str, Any] = {
        "enterprise": world.enterprises["E1"],
        "amount_wan_yuan": Decimal("1000"),
        "invested_on": DAY,
        "stage": "seed",
    }
    values.update(extra)
    return funds.fund_investment_record(actor=world.users[persona], fund=fund, **values)


@pytest.fixture
def chain(world: World) -> IndustryChain:
    if not ChainNode.objects.exists():
        from yuanqu.registry.services import policy_pack_apply

        policy_pack_apply()
    node = ChainNode.objects.select_related("chain").order_by("chain__sort_order", "position").first()
    assert node is not None
    return node.chain


def test_a_fund_is_recorded_with_its_capital_by_source_and_audited(world: World, chain: IndustryChain) -> None:
    fund = make_fund(world, chains=[chain], concessions="超额收益50%让利")
    assert fund.paid_in_wan_yuan == Decimal("5000")
    assert fund.district is None
    assert list(fund.chains.all()) == [chain]
    assert AuditLog.objects.filter(object_type="factors.Fund", action=AuditLog.Action.CREATE).count() == 1


def test_paid_in_capital_above_the_size_is_refused_by_the_service_and_the_database(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        make_fund(world, size_wan_yuan=Decimal("4000"))
    assert caught.value.message_dict["size_wan_yuan"] == [funds.PAID_OVER_SIZE % {"paid": "5000", "size": "4000"}]
    assert not Fund.objects.exists()
    fund = make_fund(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=fund.pk).update(social_paid_wan_yuan=Decimal("8000"))


def test_a_fund_code_is_recorded_once(world: World) -> None:
    make_fund(world)
    with pytest.raises(Conflict) as caught:
        make_fund(world, name="另一只基金")
    assert caught.value.messages == [funds.FUND_CODE_TAKEN % {"code": "F-ANGEL-1"}]


def test_a_district_records_its_own_fund_and_other_roles_are_refused(world: World) -> None:
    fund = make_fund(world, "district_jiangxia", district=world.districts["caidian"])
    assert fund.district == world.districts["jiangxia"]
    with pytest.raises(PermissionDenied) as caught:
        make_fund(world, "park_operator", code="F-2")
    assert str(caught.value) == funds.FUND_NOT_ALLOWED


def test_an_investment_takes_the_firm_park_and_district_from_the_registry(world: World) -> None:
    row = invest(world, make_fund(world))
    assert (row.investee_name, row.district, row.park) == (
        "武汉甲光电科技有限公司",
        world.districts["jiangxia"],
        world.parks["PA"],
    )
    assert AuditLog.objects.filter(object_type="factors.FundInvestment").count() == 1


def test_investments_past_the_fund_size_are_refused_and_nothing_is_written(world: World) -> None:
    fund = make_fund(world)
    invest(world, fund, amount_wan_yuan=Decimal("9000"))
    with pytest.raises(ValidationError) as caught:
        invest(world, fund, amount_wan_yuan=Decimal("1000.01"))
    assert caught.value.message_dict["amount_wan_yuan"] == [
        funds.OVER_SIZE % {"fund": "武汉市天使投资基金", "invested": "9000.00", "amount": "1000.01", "size": "10000.00"}
    ]
    invest(world, fund, amount_wan_yuan=Decimal("1000"))  # exactly at the size
    assert FundInvestment.objects.count() == 2


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"invested_on": dt.date(2023, 12, 31)}, "invested_on", funds.BEFORE_FUND % {"day": "2024-01-10"}),
        ({"stage": "pre_ipo"}, "stage", funds.STAGE_UNKNOWN % {"value": "pre_ipo"}),
        ({"enterprise": None}, "enterprise", funds.INVESTEE_MISSING),
        ({"amount_wan_yuan": Decimal(0)}, "amount_wan_yuan", funds.AMOUNT_NOT_POSITIVE),
    ],
)
def test_an_investment_breaking_a_rule_is_refused_by_name(
    world: World, extra: dict[str, Any], field: str, message: str
) -> None:
    fund = make_fund(world)
    with pytest.raises(ValidationError) as caught:
        invest(world, fund, **extra)
    assert caught.value.message_dict[field] == [message]
    assert not FundInvestment.objects.exists()


def test_a_district_invests_its_own_funds_in_its_own_firms_only(world: World) -> None:
    city_fund = make_fund(world)
    with pytest.raises(PermissionDenied) as caught:
        invest(world, city_fund, "district_jiangxia")
    assert str(caught.value) == funds.FUND_OTHER_DISTRICT
    own = make_fund(world, "district_jiangxia", code="F-JX-1", kind="park")
    invest(world, own, "district_jiangxia")
    with pytest.raises(PermissionDenied) as caught:
        invest(world, own, "district_jiangxia", enterprise=world.enterprises["E3"])
    assert str(caught.value) == funds.INVESTEE_OUT_OF_SCOPE % {"name": "武汉丙生物医药有限公司"}


def test_an_exit_is_recorded_once_and_not_before_the_investment(world: World) -> None:
    row = invest(world, make_fund(world))
    actor = world.users["city_admin"]
    with pytest.raises(ValidationError) as caught:
        funds.fund_investment_exit(
            actor=actor, investment=row, on=DAY - dt.timedelta(days=1), recovered_wan_yuan=Decimal(1)
        )
    assert caught.value.message_dict["on"] == [funds.EXIT_BEFORE % {"day": "2025-03-01"}]
    funds.fund_investment_exit(actor=actor, investment=row, on=dt.date(2025, 9, 1), recovered_wan_yuan=Decimal(1500))
    with pytest.raises(Conflict) as conflict:
        funds.fund_investment_exit(actor=actor, investment=row, on=dt.date(2025, 9, 2), recovered_wan_yuan=Decimal(1))
    assert conflict.value.messages == [funds.ALREADY_EXITED % {"day": dt.date(2025, 9, 1)}]
    row.refresh_from_db()
    assert row.exit_wan_yuan == Decimal(1500)


def test_an_investment_in_a_project_takes_its_investor_and_chain(world: World, chain: IndustryChain) -> None:
    from yuanqu.investment import services as investment

    node = ChainNode.objects.filter(chain=chain).first()
    project = investment.project_create(
        actor=world.users["district_jiangxia"],
        name="光模块生产基地",
        investor_name="深圳市光谷科技有限公司",
        district=world.districts["jiangxia"],
        park=world.parks["PA"],
        chain_node=node,
        source="capital",
        registered_on=DAY,
    )
    row = invest(world, make_fund(world), enterprise=None, project=project)
    assert (row.investee_name, row.project, row.chain, row.park) == (
        "深圳市光谷科技有限公司",
        project,
        chain,
        world.parks["PA"],
    )


def test_the_capital_invested_by_chain_park_and_stage_in_each_scope(world: World, chain: IndustryChain) -> None:
    fund = make_fund(world)
    invest(world, fund, chain=chain)
    invest(world, fund, enterprise=world.enterprises["E3"], stage="growth", amount_wan_yuan=Decimal("2500"))
    invest(world, fund, enterprise=world.enterprises["E1"], stage="growth", amount_wan_yuan=Decimal("500"))
    city = world.users["city_admin"]
    by_stage = [(t.label, t.invested_wan_yuan, t.investments, t.firms) for t in selectors.fund_totals(city, "stage")]
    assert by_stage == [("成长期", Decimal("3000"), 2, 2), ("种子期", Decimal("1000"), 1, 1)]
    by_park = [(t.key, t.invested_wan_yuan, t.firms) for t in selectors.fund_totals(city, "park")]
    assert by_park == [("PA", Decimal("1500"), 1), ("PC", Decimal("2500"), 1)]
    by_chain = {t.key: t.invested_wan_yuan for t in selectors.fund_totals(city, "chain")}
    assert by_chain == {chain.code: Decimal("1000"), "": Decimal("3000")}
    caidian = world.users["district_caidian"]
    assert [(t.key, t.invested_wan_yuan) for t in selectors.fund_totals(caidian, "park")] == [("PC", Decimal("2500"))]
    listed = selectors.funds(caidian).get().__dict__
    assert (listed["invested"], listed["firms"]) == (Decimal("2500"), 1)
    assert not selectors.funds(world.users["enterprise"]).exists()
    # The API publishes the same totals, field by field (amounts as decimal text; their places vary by database).
    answer = world.client("city_admin").get("/api/v1/factors/funds/totals?by=stage").json()
    amounts = ("invested_wan_yuan", "exited_wan_yuan")
    published = [
        {key: Decimal(value) if key in amounts else value for key, value in row.items()} for row in answer["items"]
    ]
    assert published == [
        {
            "key": "growth",
            "label": "成长期",
            "invested_wan_yuan": 3000,
            "investments": 2,
            "firms": 2,
            "exited_wan_yuan": 0,
        },
        {
            "key": "seed",
            "label": "种子期",
            "invested_wan_yuan": 1000,
            "investments": 1,
            "firms": 1,
            "exited_wan_yuan": 0,
        },
    ]


def test_the_pages_record_a_fund_an_investment_and_an_exit(world: World) -> None:
    client = world.client("city_admin")
    posted = client.post(
        "/factors/funds/",
        {
            "code": "F-T-1",
            "name": "武汉人才基金",
            "kind": "talent",
            "manager": "武汉人才基金管理有限公司",
            "established_on": "2024-06-01",
            "size_wan_yuan": "5000",
            "city_paid_wan_yuan": "1000",
        },
    )
    assert posted.status_code == 302
    fund = Fund.objects.get(code="F-T-1")
    assert fund.paid_in_wan_yuan == Decimal("1000")
    posted = client.post(
        f"/factors/funds/{fund.pk}/invest/",
        {
            "enterprise": world.enterprises["E1"].uscc,
            "stage": "start_up",
            "instrument": "equity",
            "invested_on": "2025-01-02",
            "amount_wan_yuan": "6000",
        },
        follow=True,
    )
    assert funds.OVER_SIZE % {
        "fund": "武汉人才基金",
        "invested": "0.00",
        "amount": "6000",
        "size": "5000.00",
    } in [str(m) for m in posted.context["messages"]]
    assert not FundInvestment.objects.exists()
    client.post(
        f"/factors/funds/{fund.pk}/invest/",
        {
            "enterprise": world.enterprises["E1"].uscc,
            "stage": "start_up",
            "instrument": "equity",
            "invested_on": "2025-01-02",
            "amount_wan_yuan": "600",
        },
    )
    row = FundInvestment.objects.get()
    page = client.get(f"/factors/funds/{fund.pk}/")
    assert "武汉甲光电科技有限公司" in page.content.decode()
    client.post(f"/factors/investments/{row.pk}/exit/", {"on": "2025-12-01", "recovered_wan_yuan": "900"})
    row.refresh_from_db()
    assert row.exit_wan_yuan == Decimal("900")
    assert world.client("district_caidian").post(f"/factors/investments/{row.pk}/exit/", {}).status_code == 404


def test_the_api_lists_a_districts_investments_only(world: World) -> None:
    fund = make_fund(world)
    invest(world, fund)
    invest(world, fund, enterprise=world.enterprises["E3"])
    client = world.client("district_caidian")
    listed = client.get(f"/api/v1/factors/funds/{fund.pk}/investments").json()
    assert [item["investee_name"] for item in listed["items"]] == ["武汉丙生物医药有限公司"]
    answer = client.post(
        f"/api/v1/factors/funds/{fund.pk}/investments",
        {**BODY, "enterprise": world.enterprises["E3"].uscc},
        content_type="application/json",
    )
    assert answer.status_code == 403


def test_the_cockpit_shows_the_factors_section_in_the_readers_scope(world: World) -> None:
    fund = make_fund(world)
    invest(world, fund)
    invest(world, fund, enterprise=world.enterprises["E3"], amount_wan_yuan=Decimal("2500"))
    city = selectors.cockpit_section(world.users["city_admin"], DAY)
    assert city is not None and city.invested_wan_yuan == Decimal("3500")
    caidian = selectors.cockpit_section(world.users["district_caidian"], DAY)
    assert caidian is not None and caidian.invested_wan_yuan == Decimal("2500")
    assert selectors.cockpit_section(world.users["enterprise"], DAY) is None
    page = world.client("district_caidian").get("/cockpit/")
    assert page.status_code == 200
    assert 'data-testid="cockpit-factors"' in page.content.decode()


def test_the_size_by_source_must_add_up_and_each_source_pays_in_within_its_commitment(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        make_fund(world, city_committed_wan_yuan=Decimal("4000"), social_committed_wan_yuan=Decimal("5000"))
    assert caught.value.message_dict["size_wan_yuan"] == [
        funds.COMMITTED_NOT_SIZE % {"committed": "9000", "size": "10000"}
    ]
    with pytest.raises(ValidationError) as caught:
        make_fund(world, city_committed_wan_yuan=Decimal("2000"), social_committed_wan_yuan=Decimal("8000"))
    assert caught.value.message_dict["city_paid_wan_yuan"] == ["市级财政实缴3000万元超过其认缴2000万元"]
    assert not Fund.objects.exists()
    fund = make_fund(world, city_committed_wan_yuan=Decimal("4000"), social_committed_wan_yuan=Decimal("6000"))
    assert fund.committed_by_source
    assert not make_fund(world, code="F-PLAIN").committed_by_source  # not broken down: the size alone


def test_the_page_and_the_api_record_and_show_the_size_by_source(world: World) -> None:
    client = world.client("city_admin")
    body = {
        "code": "F-SRC-1",
        "name": "武汉市成果转化基金",
        "kind": "transfer",
        "manager": "武汉科创投资管理有限公司",
        "established_on": "2025-01-01",
        "size_wan_yuan": "20000",
        "city_committed_wan_yuan": "6000",
        "social_committed_wan_yuan": "14000",
        "city_paid_wan_yuan": "3000",
    }
    assert client.post("/factors/funds/", body).status_code == 302
    fund = Fund.objects.get(code="F-SRC-1")
    assert (fund.city_committed_wan_yuan, fund.social_committed_wan_yuan) == (Decimal("6000"), Decimal("14000"))
    page = client.get(f"/factors/funds/{fund.pk}/").content.decode()
    assert "市级财政 6000.00，区级财政 0.00，社会资本 14000.00" in page
    item = client.get(f"/api/v1/factors/funds/{fund.pk}").json()
    assert (item["city_committed_wan_yuan"], item["social_committed_wan_yuan"]) == ("6000.00", "14000.00")
    refused = client.post(
        "/api/v1/factors/funds",
        {**body, "code": "F-SRC-2", "city_committed_wan_yuan": "1000"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert "分来源认缴合计15000万元与认缴规模20000万元不一致" in refused.json()["detail"]
