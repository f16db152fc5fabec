"""The ledger as the finance bureau reaches it: the reconciliation export (a real .xlsx, read back)
holds the ledger and each selected park's award against it, audited; the page generates a confirmed
selection's awards and shows the totals; a district's API list holds only its own payments."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.factors.models import LedgerEntry
from yuanqu.factors.services import ledger

pytestmark = pytest.mark.django_db


def test_the_export_reconciles_the_ledger_to_the_selection(world: World, selection: Any) -> None:
    run = selection()
    client = world.client("city_admin")
    response = client.post(
        "/factors/ledger/", {"run": run.pk, "decision_number": "武财〔2026〕1号", "approved_on": "2026-01-15"}
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(park=world.parks["PC"])
    ledger.ledger_entry_pay(actor=world.users["city_admin"], entry=entry, paid_on=dt.date(2026, 2, 1))
    export = client.get(f"/factors/ledger/export/?run={run.pk}")
    assert export.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(export.content))
    assert book.sheet_names == ["奖补台账", "名单核对"]
    check = book.get_sheet_by_name("名单核对").to_python()
    assert check[0][3:] == ["名单核定奖励（万元）", "台账金额（万元）", "已拨付（万元）", "差额（万元）"]
    assert [(row[0], row[3], row[4], row[5], row[6]) for row in check[1:]] == [
        ("PC", 1600.0, 1600.0, 1600.0, 0.0),
        ("PA", 4000.0, 4000.0, 0.0, 0.0),
    ]
    assert AuditLog.objects.filter(
        action="export", object_type="factors.LedgerEntry", actor=world.users["city_admin"]
    ).exists()
    page = client.get("/factors/ledger/?by=park").content.decode()
    assert "江夏现代产业园" in page and "4000.00" in page


def test_a_district_lists_only_its_own_payments(world: World, selection: Any) -> None:
    ledger.award_ledger_generate(
        actor=world.users["city_admin"],
        run=selection(),
        decision_number="武财〔2026〕1号",
        approved_on=dt.date(2026, 1, 15),
    )
    rows = world.client("district_caidian").get("/api/v1/factors/ledger").json()["items"]
    assert [(row["park"], Decimal(str(row["amount_wan_yuan"]))) for row in rows] == [("PC", Decimal("1600"))]
    totals = world.client("district_jiangxia").get("/api/v1/factors/ledger/totals?by=district").json()["items"]
    assert [(row["key"], Decimal(str(row["approved_wan_yuan"]))) for row in totals] == [("420115", Decimal("4000"))]


def test_the_api_refuses_a_second_award_beyond_the_cap(world: World, selection: Any) -> None:
    client = world.client("city_admin")
    body = {"decision_number": "武财〔2026〕1号", "approved_on": "2026-01-15"}
    first = client.post(
        "/api/v1/factors/ledger/awards", {"run": selection(2025).pk, **body}, content_type="application/json"
    )
    assert first.status_code == 201
    second = client.post(
        "/api/v1/factors/ledger/awards",
        {"run": selection(2026, {"PA": 1200}).pk, **body},
        content_type="application/json",
    )
    assert second.status_code == 422
    assert "将超过上限5000万元" in second.json()["detail"]
    assert LedgerEntry.objects.count() == 2


def test_the_page_records_a_grant_pays_it_and_claws_it_back(world: World) -> None:
    client = world.client("district_jiangxia")
    grant = {
        "kind": "planning_grant",
        "amount_wan_yuan": "80",
        "basis": "保障措施（四）：园区规划编制",
        "decision_number": "江财〔2026〕1号",
        "approved_on": "2026-01-15",
        "park": "PA",
    }
    assert client.post("/factors/ledger/grant/", grant).status_code == 302
    entry = LedgerEntry.objects.get()
    assert (entry.payer, entry.status) == ("江夏区", "approved")
    refused = client.post(f"/factors/ledger/{entry.pk}/pay/", {"paid_on": "2026-01-14"}, follow=True)
    assert ledger.DAY_BEFORE_APPROVAL % {"day": "2026-01-15"} in [str(m) for m in refused.context["messages"]]
    client.post(f"/factors/ledger/{entry.pk}/pay/", {"paid_on": "2026-02-01"})
    entry.refresh_from_db()
    assert (entry.status, entry.paid_on) == ("paid", dt.date(2026, 2, 1))
    blank = client.post(f"/factors/ledger/{entry.pk}/claw-back/", {"on": "2026-03-01", "reason": " "}, follow=True)
    assert ledger.REASON_REQUIRED in [str(m) for m in blank.context["messages"]]
    client.post(f"/factors/ledger/{entry.pk}/claw-back/", {"on": "2026-03-01", "reason": "项目未按期完成"})
    entry.refresh_from_db()
    assert (entry.status, entry.clawback_reason) == ("clawed_back", "项目未按期完成")
    assert AuditLog.objects.filter(object_type="factors.LedgerEntry", action=AuditLog.Action.UPDATE).count() == 2


def test_the_page_refuses_a_grant_to_a_park_out_of_the_districts_scope(world: World) -> None:
    answer = world.client("district_caidian").post(
        "/factors/ledger/grant/",
        {
            "kind": "planning_grant",
            "amount_wan_yuan": "80",
            "basis": "规划编制",
            "decision_number": "蔡财〔2026〕1号",
            "approved_on": "2026-01-15",
            "park": "PA",
        },
        follow=True,
    )
    assert "未找到园区“PA”" in [str(m) for m in answer.context["messages"]]
    assert not LedgerEntry.objects.exists()


def test_the_page_takes_awards_of_a_proposed_selection_back_with_the_refusal(world: World, selection: Any) -> None:
    run = selection(confirmed=False)
    client = world.client("city_admin")
    response = client.post(
        "/factors/ledger/",
        {"run": run.pk, "decision_number": "武财〔2026〕1号", "approved_on": "2026-01-15"},
        follow=True,
    )
    assert response.redirect_chain == [("/factors/ledger/", 302)]
    assert f"{run.year}年度的产业名园名单尚未确认，不能生成奖励" in response.content.decode()
    assert not LedgerEntry.objects.exists()
