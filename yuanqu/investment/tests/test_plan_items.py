"""A park's 招商方案 beyond the ranked targets: events, visits and promotions with their dates, the
staff member who carries each (someone whose scope covers the park) and, once held, the outcome;
kept in the park's scope, audited, and printed in the .docx 招商方案."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from conftest import make_user
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied
from yuanqu.core.roles import Role
from yuanqu.investment import services
from yuanqu.investment.models import PlanItem
from yuanqu.investment.tests.conftest import InvestWorld

DAY = dt.date(2026, 3, 2)


def _item(inv: InvestWorld, persona: str = "district_jiangxia", park: str = "PA", **extra: object) -> PlanItem:
    return services.plan_item_create(
        actor=inv.user(persona),
        park=inv.world.parks[park],
        kind=str(extra.pop("kind", "visit")),
        title=str(extra.pop("title", "拜访星河光电总部")),
        planned_on=DAY,
        **extra,  # type: ignore[arg-type]
    )


def test_a_plan_item_is_carried_by_someone_whose_scope_covers_the_park(inv: InvestWorld) -> None:
    item = _item(inv, staff=inv.user("park_operator"))
    assert item.staff == inv.user("park_operator")
    assert AuditLog.objects.filter(action="create", object_type="investment.PlanItem").count() == 1
    # The operator of another park, a district user of another district or a firm cannot carry it.
    other_park = make_user("t-park-pb", Role.PARK_OPERATOR, park=inv.world.parks["PB"])
    for outsider in (other_park, inv.user("district_caidian"), inv.user("enterprise")):
        with pytest.raises(ValidationError) as refused:
            _item(inv, staff=outsider)
        name = outsider.display_name
        assert refused.value.message_dict["staff"] == [f"负责人“{name}”须为本园区、园区所在区或市级的在用账号"]


def test_only_writers_of_the_parks_place_add_items(inv: InvestWorld) -> None:
    _item(inv, "park_operator")
    _item(inv, "city_admin")
    make_user("t-park-pb", Role.PARK_OPERATOR, park=inv.world.parks["PB"])
    for actor in ("district_caidian", "city_viewer"):
        with pytest.raises(WriteDenied):
            _item(inv, actor)
    with pytest.raises(WriteDenied):
        services.plan_item_create(
            actor=User.objects.get(username="t-park-pb"),
            park=inv.world.parks["PA"],
            kind="visit",
            title="越界",
            planned_on=DAY,
        )
    assert PlanItem.objects.count() == 2


def test_the_outcome_is_recorded_once_and_a_held_item_stays(inv: InvestWorld) -> None:
    item = _item(inv)
    with pytest.raises(ValidationError) as refused:
        services.plan_item_record(actor=inv.user("district_jiangxia"), item=item, held_on=DAY, outcome="  ")
    assert refused.value.message_dict["outcome"] == ["请填写事项结果"]
    services.plan_item_record(actor=inv.user("district_jiangxia"), item=item, held_on=DAY, outcome="对方有意向")
    with pytest.raises(ValidationError) as again:
        services.plan_item_record(actor=inv.user("district_jiangxia"), item=item, held_on=DAY, outcome="再次")
    assert again.value.message_dict["held_on"] == ["该事项已于2026-03-02完成，不能再修改或删除"]
    with pytest.raises(ValidationError):
        services.plan_item_delete(actor=inv.user("district_jiangxia"), item=item)
    item.refresh_from_db()
    assert (item.held_on, item.outcome) == (DAY, "对方有意向")
    pending = _item(inv, title="参加光博会推介")
    services.plan_item_delete(actor=inv.user("park_operator"), item=pending)
    assert list(PlanItem.objects.values_list("title", flat=True)) == ["拜访星河光电总部"]
    assert AuditLog.objects.filter(action="delete", object_type="investment.PlanItem").count() == 1


def test_the_page_adds_records_and_keeps_items_in_the_parks_scope(inv: InvestWorld) -> None:
    client = inv.world.client("district_jiangxia")
    answer = client.post(
        "/investment/parks/PA/path/items/",
        {
            "kind": "event",
            "title": "光电子产业对接会",
            "planned_on": "2026-04-10",
            "staff": inv.user("park_operator").pk,
        },
    )
    assert answer.status_code == 302 and answer["Location"] == "/investment/parks/PA/path/"
    item = PlanItem.objects.get()
    page = client.get("/investment/parks/PA/path/").content.decode()
    assert "光电子产业对接会" in page and f'data-testid="plan-item-{item.pk}"' in page
    refused = client.post(
        "/investment/parks/PA/path/items/", {"kind": "tour", "title": "x", "planned_on": "2026-04-10"}, follow=True
    )
    assert "类型" in refused.content.decode() and PlanItem.objects.count() == 1
    # Another district's users see neither the park's plan nor its items.
    other = inv.world.client("district_caidian")
    assert other.get("/investment/parks/PA/path/").status_code == 404
    outcome = {"held_on": "2026-04-10", "outcome": "x"}
    assert other.post(f"/investment/plan-items/{item.pk}/outcome/", outcome).status_code == 404
    assert other.post(f"/investment/plan-items/{item.pk}/delete/").status_code == 404
    done = client.post(
        f"/investment/plan-items/{item.pk}/outcome/", {"held_on": "2026-04-10", "outcome": "签约意向3个"}
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.outcome == "签约意向3个"


def test_the_docx_plan_lists_the_staff_and_the_items(inv: InvestWorld) -> None:
    _item(inv, staff=inv.user("park_operator"), title="拜访星河光电总部")
    content = inv.world.client("district_jiangxia").get("/investment/parks/PA/path/?format=docx").content
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    cells = [cell.text for table in Document(io.BytesIO(content)).tables for row in table.rows for cell in row.cells]
    assert "三、工作安排" in text and f"责任人员：{inv.user('park_operator').display_name}。" in text
    assert "拜访星河光电总部" in cells and "拜访" in cells


def test_the_api_lists_adds_records_and_deletes_items_in_the_parks_scope(inv: InvestWorld) -> None:
    client = inv.world.client("district_jiangxia")
    base = "/api/v1/investment/parks/PA/plan-items"
    staff = inv.user("park_operator")
    created = client.post(
        base,
        {"kind": "promotion", "title": "光谷推介会", "planned_on": "2026-04-10", "staff": staff.pk},
        content_type="application/json",
    )
    assert created.status_code == 201
    item = created.json()
    assert (item["kind_label"], item["staff"], item["staff_name"], item["held_on"]) == (
        "推介",
        staff.pk,
        str(staff),
        None,
    )
    assert AuditLog.objects.filter(action="create", object_type="investment.PlanItem").count() == 1
    # Someone whose scope does not cover the park is refused by name, and nothing is written.
    outsider = inv.user("district_caidian")
    refused = client.post(
        base,
        {"kind": "visit", "title": "拜访", "planned_on": "2026-04-10", "staff": outsider.pk},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert (
        refused.json()["errors"][0]["msg"] == f"负责人“{outsider.display_name}”须为本园区、园区所在区或市级的在用账号"
    )
    assert PlanItem.objects.count() == 1
    listed = client.get(base).json()
    assert [row["title"] for row in listed["items"]] == ["光谷推介会"]
    # Another district finds neither the park's plan nor its items.
    other = inv.world.client("district_caidian")
    assert other.get(base).status_code == 404
    assert other.delete(f"/api/v1/investment/plan-items/{item['id']}").status_code == 404
    # The outcome is recorded once; a held item can no longer be deleted.
    outcome = f"/api/v1/investment/plan-items/{item['id']}/outcome"
    held = client.post(outcome, {"held_on": "2026-03-02", "outcome": "签约意向"}, content_type="application/json")
    assert held.status_code == 200 and held.json()["outcome"] == "签约意向"
    again = client.post(outcome, {"held_on": "2026-03-03", "outcome": "改"}, content_type="application/json")
    assert again.status_code == 422
    assert again.json()["errors"][0]["msg"] == "该事项已于2026-03-02完成，不能再修改或删除"
    assert client.delete(f"/api/v1/investment/plan-items/{item['id']}").status_code == 422
    # One not yet held is deleted (204), audited.
    fresh = client.post(
        base, {"kind": "visit", "title": "拜访", "planned_on": "2026-05-01"}, content_type="application/json"
    )
    assert client.delete(f"/api/v1/investment/plan-items/{fresh.json()['id']}").status_code == 204
    assert PlanItem.objects.count() == 1
    assert AuditLog.objects.filter(action="delete", object_type="investment.PlanItem").count() == 1
