"""涉企收费: the park's operator registers a fee in 元 per unit and period (one without a basis is
flagged), a firm of the park reports it and a 啄木鸟 case naming the charging body is made and
linked, the city sees the totals by park and district, reviews a flagged fee, and a fee no longer
charged is retired with its history kept; a firm of another park or a staff member cannot report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from yuanqu.casework.models import Case
from yuanqu.core.models import AuditLog
from yuanqu.core.permissions import WriteDenied
from yuanqu.core.texts import TEXT_REQUIRED
from yuanqu.service import services
from yuanqu.service.fee_totals import fee_totals
from yuanqu.service.models import FeeReport, FeeReview, ParkFee
from yuanqu.service.services import fees
from yuanqu.service.tests.conftest import ServiceWorld


def _fee(sv: ServiceWorld, **changes: Any) -> ParkFee:
    values: dict[str, Any] = {
        "item": "园区管理费",
        "charged_by": "江夏园区运营公司",
        "basis": "",
        "amount_yuan": Decimal("2"),
        "unit": "m2",
        "period": "month",
        "amount": "2元/平方米·月",
        "approval": "",
    }
    values.update(changes)
    persona = values.pop("persona", "park_operator")
    park = values.pop("park", "PA")
    return services.park_fee_add(actor=sv.user(persona), park=sv.world.parks[park], **values)


def test_it_registers_a_fee_and_flags_one_without_a_basis(sv: ServiceWorld) -> None:
    fee = _fee(sv)
    assert fee.without_basis
    assert not _fee(sv, item="停车费", basis="武汉市机动车停放服务收费管理办法").without_basis
    with pytest.raises(WriteDenied):
        services.park_fee_add(
            actor=sv.user("park_operator"),
            park=sv.world.parks["PC"],
            item="x",
            charged_by="x",
            basis="",
            amount_yuan=Decimal("1"),
            unit="m2",
            period="month",
            approval="",
        )
    client = Client()
    client.force_login(sv.user("city_admin"))
    page = client.get("/service/fees/").content.decode()
    # The totals row: two fees, one awaiting review, none confirmed, no report, 2×12 + 2×12 元 a year.
    assert (
        '<tr data-group="PA"><td>江夏现代产业园</td><td>2</td><td>1</td><td>0</td><td>0</td>'
        "<td>48.00 元/平方米·年</td><td>—</td><td>0</td></tr>"
    ) in page


def test_a_firm_of_the_park_reports_a_fee_and_it_becomes_a_linked_case(sv: ServiceWorld) -> None:
    fee = _fee(sv)
    report = services.fee_report(
        actor=sv.user("enterprise"), fee=fee, occurred_on="2026年11月", description="未见任何收费依据"
    )
    case = Case.objects.get(pk=report.case_id)
    assert case.category.code == "complaint" and case.enterprise == sv.world.enterprises["E1"]
    assert case.answers["respondent"] == "江夏园区运营公司"
    assert FeeReport.objects.get().fee == fee
    assert AuditLog.objects.filter(detail="涉企收费：举报").count() == 1
    with pytest.raises(WriteDenied):
        services.fee_report(actor=sv.user("park_operator"), fee=fee, occurred_on="x", description="x")
    client = Client()
    client.force_login(sv.user("enterprise"))
    answer = client.post(
        f"/api/v1/service/fees/{fee.pk}/reports",
        {"occurred_on": "昨天", "description": "重复收费"},
        content_type="application/json",
    )
    assert answer.status_code == 201 and FeeReport.objects.count() == 2


def test_it_adds_up_the_amounts_per_unit_by_park_and_by_district(sv: ServiceWorld) -> None:
    _fee(sv, basis="依据A")  # 2 元/平方米·月 → 24 a year
    _fee(sv, item="入驻服务费", basis="依据B", amount_yuan=Decimal("100"), unit="firm", period="year")
    _fee(sv, item="检测服务费", basis="依据C", amount_yuan=Decimal("50.50"), unit="item", period="once")
    _fee(
        sv,
        item="公共设施费",
        basis="依据D",
        amount_yuan=Decimal("1"),
        period="quarter",
        persona="district_jiangxia",
        park="PB",
    )
    _fee(sv, item="旧登记", basis="依据E", amount_yuan=Decimal("7"), persona="city_admin", park="PC")
    admin = sv.user("city_admin")
    by_park = {row.key: row for row in fee_totals(admin, by="park")}
    assert by_park["PA"].yearly_yuan == {"m2": Decimal("24"), "firm": Decimal("100")}
    assert by_park["PA"].per_time_yuan == {"item": Decimal("50.50")}
    assert by_park["PB"].yearly_yuan == {"m2": Decimal("4")}
    by_district = {row.key: row for row in fee_totals(admin, by="district")}
    jiangxia = by_district[sv.world.districts["jiangxia"].code]
    assert (jiangxia.fees, jiangxia.yearly_yuan) == (4, {"m2": Decimal("28"), "firm": Decimal("100")})
    assert jiangxia.yearly_label == "100.00 元/户·年；28.00 元/平方米·年"
    # A district sees only its own parks; so does the API.
    assert [row.key for row in fee_totals(sv.user("district_jiangxia"), by="park")] == ["PA", "PB"]
    client = Client()
    client.force_login(sv.user("district_jiangxia"))
    answer = client.get("/api/v1/service/fees/totals?by=district").json()
    assert [(row["key"], row["fees"], row["yearly_yuan"]) for row in answer["items"]] == [
        (sv.world.districts["jiangxia"].code, 4, {"firm": "100.00", "m2": "28.00"})
    ]


def test_it_refuses_a_bad_amount_unit_or_period_naming_the_field(sv: ServiceWorld) -> None:
    with pytest.raises(ValidationError) as caught:
        _fee(sv, amount_yuan=Decimal("-1"))
    assert caught.value.message_dict == {"amount_yuan": [fees.AMOUNT_NEGATIVE]}
    with pytest.raises(ValidationError) as caught:
        _fee(sv, unit="acre")
    assert caught.value.message_dict["unit"][0].startswith("计费单位“acre”不可用，可选：m2（平方米）")
    with pytest.raises(ValidationError) as caught:
        _fee(sv, period="daily")
    assert caught.value.message_dict["period"][0].startswith("计费周期“daily”不可用，可选：month（月）")
    client = Client()
    client.force_login(sv.user("park_operator"))
    form = {
        "park": "PA",
        "item": "管理费",
        "charged_by": "运营公司",
        "amount_yuan": "两元",
        "unit": "m2",
        "period": "month",
    }
    page = client.post("/service/fees/", form, follow=True).content.decode()
    assert "收费金额（元）" in page
    answer = client.post("/api/v1/service/fees", {**form, "amount_yuan": "1e99"}, content_type="application/json")
    assert answer.status_code == 422
    assert not ParkFee.objects.exists()


def test_the_city_reviews_a_flagged_fee_once_with_a_reason(sv: ServiceWorld) -> None:
    flagged = _fee(sv)
    based = _fee(sv, item="停车费", basis="停放服务收费管理办法")
    with pytest.raises(WriteDenied):
        services.park_fee_review(actor=sv.user("park_operator"), fee=flagged, decision="dismissed", reason="有依据")
    with pytest.raises(ValidationError) as caught:
        services.park_fee_review(actor=sv.user("city_admin"), fee=flagged, decision="confirmed", reason=" ")
    assert caught.value.message_dict == {"reason": [TEXT_REQUIRED % {"field": "核查说明"}]}
    fee = services.park_fee_review(
        actor=sv.user("city_admin"), fee=flagged, decision="confirmed", reason="运营公司未能提供收费依据"
    )
    assert (fee.review, fee.review_reason, fee.awaiting_review) == (
        FeeReview.CONFIRMED,
        "运营公司未能提供收费依据",
        False,
    )
    log = AuditLog.objects.get(detail="涉企收费：核查")
    assert log.after is not None
    assert sorted(log.after) == ["review", "review_reason", "reviewed_at", "reviewed_by_id"]
    assert (log.after["review"], log.after["reviewed_by_id"]) == ("confirmed", sv.user("city_admin").pk)
    for target in (flagged, based):
        with pytest.raises(ValidationError) as caught:
            services.park_fee_review(actor=sv.user("city_admin"), fee=target, decision="dismissed", reason="再核")
        assert caught.value.message_dict == {"fee": [fees.NOT_AWAITING_REVIEW % {"item": target.item}]}
    totals = fee_totals(sv.user("city_admin"))[0]
    assert (totals.awaiting_review, totals.confirmed_without_basis) == (0, 1)
    # The page and the API: the city dismisses another flag; a district is refused.
    other = _fee(sv, item="卫生费")
    city = Client()
    city.force_login(sv.user("city_admin"))
    city.post(f"/service/fees/{other.pk}/review/", {"decision": "dismissed", "reason": "依据为园区物业合同"})
    assert ParkFee.objects.get(pk=other.pk).review == FeeReview.DISMISSED
    district = Client()
    district.force_login(sv.user("district_jiangxia"))
    answer = district.post(
        f"/api/v1/service/fees/{other.pk}/review",
        {"decision": "confirmed", "reason": "x"},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert "核查属实：无收费依据" in city.get("/service/fees/").content.decode()


def test_a_fee_no_longer_charged_is_retired_and_kept(sv: ServiceWorld) -> None:
    fee = _fee(sv, basis="依据")
    _fee(sv, item="停车费", basis="依据", amount_yuan=Decimal("5"))
    other_park = _fee(sv, item="蔡甸管理费", basis="依据", persona="city_admin", park="PC")
    with pytest.raises(WriteDenied):
        services.park_fee_retire(actor=sv.user("park_operator"), fee=other_park, reason="x")
    retired = services.park_fee_retire(actor=sv.user("park_operator"), fee=fee, reason="自2027年起停止收取")
    assert retired.retired_at is not None and retired.retired_by == sv.user("park_operator")
    assert ParkFee.objects.filter(pk=fee.pk).exists()
    after = AuditLog.objects.get(detail="涉企收费：撤销").after
    assert after is not None and after["retire_reason"] == "自2027年起停止收取"
    with pytest.raises(ValidationError) as caught:
        services.park_fee_retire(actor=sv.user("city_admin"), fee=retired, reason="再撤")
    assert caught.value.message_dict == {"fee": [fees.FEE_RETIRED % {"item": fee.item}]}
    with pytest.raises(ValidationError):
        services.fee_report(actor=sv.user("enterprise"), fee=retired, occurred_on="昨天", description="x")
    totals = {row.key: row for row in fee_totals(sv.user("city_admin"))}
    assert totals["PA"].fees == 1 and totals["PA"].yearly_yuan == {"m2": Decimal("60")}
    client = Client()
    client.force_login(sv.user("park_operator"))
    page = client.get("/service/fees/").content.decode()
    assert 'data-testid="retired-fees"' in page and "自2027年起停止收取" in page
    answer = client.post(
        "/api/v1/service/fees/{}/retire".format(ParkFee.objects.get(item="停车费").pk),
        {"reason": "并入物业费"},
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["retired"] is True
