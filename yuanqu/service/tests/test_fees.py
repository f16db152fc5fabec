"""涉企收费: the park's operator registers a fee (one without a basis is flagged), a firm of the park
reports it and a 啄木鸟 case naming the charging body is made and linked, the city sees the totals,
and a firm of another park or a staff member cannot report."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from yuanqu.casework.models import Case
from yuanqu.core.models import AuditLog
from yuanqu.core.permissions import WriteDenied
from yuanqu.service import services
from yuanqu.service.models import FeeReport, ParkFee
from yuanqu.service.tests.conftest import ServiceWorld


def _fee(sv: ServiceWorld, **changes: Any) -> ParkFee:
    values: dict[str, Any] = {
        "item": "园区管理费",
        "charged_by": "江夏园区运营公司",
        "basis": "",
        "amount": "2元/平方米·月",
        "approval": "",
    }
    values.update(changes)
    return services.park_fee_add(actor=sv.user("park_operator"), park=sv.world.parks["PA"], **values)


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
            amount="1元",
            approval="",
        )
    client = Client()
    client.force_login(sv.user("city_admin"))
    page = client.get("/service/fees/").content.decode()
    assert '<tr data-park="PA"><td>江夏现代产业园</td><td>2</td><td>1</td><td>0</td></tr>' in page


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
