"""The 市财政局 (finance role): it reads the whole award and subsidy ledger (with the reconciliation
to a confirmed selection), the 产业基金 register and the overview, writes nothing, and is refused the
land, the land plan and the 联席会议. The shared persona world has no finance persona, so its scope is
checked here, page by page and operation by operation."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from conftest import World, make_user
from yuanqu.core.models import AuditLog
from yuanqu.core.roles import Role
from yuanqu.factors.services import funds, ledger
from yuanqu.navigation import navigation_for

pytestmark = pytest.mark.django_db
GRANT = {
    "kind": "planning_grant",
    "amount_wan_yuan": "50",
    "basis": "园区规划编制",
    "decision_number": "武财〔2026〕3号",
    "approved_on": "2026-01-15",
    "park": "PA",
}
FUND = {
    "code": "F-2",
    "name": "成果转化基金",
    "kind": "transfer",
    "manager": "武汉成果转化基金管理有限公司",
    "established_on": "2025-01-01",
    "size_wan_yuan": "5000",
}


@pytest.fixture
def finance(world: World, selection: Any) -> dict[str, Any]:
    run = selection()
    ledger.award_ledger_generate(
        actor=world.users["city_admin"], run=run, decision_number="武财〔2026〕1号", approved_on=dt.date(2026, 1, 15)
    )
    ledger.ledger_entry_record(
        actor=world.users["district_caidian"],
        kind="planning_grant",
        amount_wan_yuan=Decimal("30"),
        basis="园区规划编制",
        decision_number="蔡财〔2026〕2号",
        approved_on=dt.date(2026, 1, 20),
        park=world.parks["PC"],
    )
    fund = funds.fund_record(
        actor=world.users["city_admin"],
        code="F-1",
        name="武汉市天使投资基金",
        kind="angel",
        manager="武汉天使投资管理有限公司",
        established_on=dt.date(2024, 1, 1),
        size_wan_yuan=Decimal("10000"),
    )
    funds.fund_investment_record(
        actor=world.users["city_admin"],
        fund=fund,
        enterprise=world.enterprises["E3"],
        amount_wan_yuan=Decimal("200"),
        invested_on=dt.date(2025, 5, 1),
        stage="seed",
    )
    user = make_user("t-finance", Role.FINANCE)
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {"client": client, "run": run, "fund": fund, "user": user}


def test_it_reads_the_whole_ledger_and_the_reconciliation(finance: dict[str, Any]) -> None:
    client = finance["client"]
    listed = client.get("/api/v1/factors/ledger").json()
    assert sorted(item["payee_name"] for item in listed["items"]) == [
        "江夏现代产业园",
        "蔡甸特色产业园",
        "蔡甸特色产业园",
    ]
    assert client.get("/factors/ledger/").status_code == 200
    export = client.get(f"/factors/ledger/export/?run={finance['run'].pk}")
    book = CalamineWorkbook.from_filelike(io.BytesIO(export.content))
    rows = book.get_sheet_by_name("名单核对").to_python()[1:]
    assert [(row[0], row[3], row[4]) for row in rows] == [("PC", 1600.0, 1600.0), ("PA", 4000.0, 4000.0)]


def test_it_reads_the_funds_and_every_investment(finance: dict[str, Any]) -> None:
    client = finance["client"]
    fund = finance["fund"]
    assert client.get(f"/factors/funds/{fund.pk}/").status_code == 200
    items = client.get(f"/api/v1/factors/funds/{fund.pk}/investments").json()["items"]
    assert [item["investee_name"] for item in items] == ["武汉丙生物医药有限公司"]
    assert client.get("/api/v1/factors/overview").status_code == 200


def test_it_exports_the_funds_register_and_a_portfolio(finance: dict[str, Any]) -> None:
    client = finance["client"]
    register = CalamineWorkbook.from_filelike(io.BytesIO(client.get("/factors/funds/export/").content))
    assert [row[2] for row in register.get_sheet_by_name("基金投资").to_python()[1:]] == ["武汉丙生物医药有限公司"]
    portfolio = client.get(f"/factors/funds/{finance['fund'].pk}/export/")
    assert portfolio.status_code == 200
    assert AuditLog.objects.filter(action="export", actor=finance["user"]).count() == 2


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/factors/land/"),
        ("get", "/factors/land-plan/"),
        ("get", "/factors/meetings/"),
        ("get", "/api/v1/factors/land"),
        ("get", "/api/v1/factors/meetings"),
        ("post", "/api/v1/factors/ledger"),  # with a valid grant
        ("post", "/api/v1/factors/funds"),  # with a valid fund
        ("post", "/factors/ledger/grant/"),
        ("post", "/factors/funds/"),
    ],
)
def test_it_writes_nothing_and_reads_no_land_or_conference(finance: dict[str, Any], method: str, path: str) -> None:
    client = finance["client"]
    body = FUND if "funds" in path else GRANT
    answer = client.get(path) if method == "get" else client.post(path, body, content_type="application/json")
    assert answer.status_code == 403


def test_its_menu_holds_the_ledger_and_the_funds_and_every_entry_opens(finance: dict[str, Any]) -> None:
    urls = [url for _section, links in navigation_for(Role.FINANCE) for _label, url in links]
    assert "/factors/ledger/" in urls and "/factors/funds/" in urls
    assert "/factors/land/" not in urls
    assert {url: finance["client"].get(url).status_code for url in urls} == dict.fromkeys(urls, 200)


def test_the_finance_check_lives_in_the_permission_module(world: World) -> None:
    from yuanqu.core.permissions import is_finance_reader

    user = make_user("finance_check", Role.FINANCE)
    assert is_finance_reader(user)
    assert not is_finance_reader(world.users["city_admin"])
    assert not is_finance_reader(world.users["district_jiangxia"])
    user.is_active = False
    assert not is_finance_reader(user)
