"""A firm's request for a service on its park's list, checked against the list's promise: the due day
is the promised working days after the request, an open request past it is overdue on the park's and
the specialist's 工作台, and the outcome records whether it was on time. Only a firm of the park asks;
only the park's side closes it, once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import make_user
from yuanqu.core.models import AuditLog
from yuanqu.core.permissions import WriteDenied
from yuanqu.core.roles import Role
from yuanqu.service import cards, selectors, services
from yuanqu.service.models import ParkService, ServiceRequest
from yuanqu.service.services import requests
from yuanqu.service.tests.conftest import ServiceWorld

MONDAY = dt.date(2026, 3, 2)
FRIDAY = dt.date(2026, 3, 6)


def _line(sv: ServiceWorld, days: int = 3) -> ParkService:
    return services.park_service_set(
        actor=sv.user("park_operator"),
        park=sv.world.parks["PA"],
        service_type="agency",
        provider="园区服务中心",
        promise="企业开办全程代办",
        time_limit_days=days,
        fee="免费",
        contact="027-88880000",
    )


def test_a_request_is_due_the_promised_working_days_later_and_overdue_after(sv: ServiceWorld, on_day: Any) -> None:
    line = _line(sv)
    operator = sv.user("park_operator")
    with on_day(FRIDAY):
        row = services.service_request_submit(actor=sv.user("enterprise"), line=line, description="办理排污许可")
    # Friday + 3 working days: Monday, Tuesday, Wednesday.
    assert (row.due_on, row.time_limit_days, row.status) == (dt.date(2026, 3, 11), 3, ServiceRequest.Status.OPEN)
    assert AuditLog.objects.filter(detail="服务申请：提交").count() == 1
    services.assignment_set(actor=sv.user("city_admin"), enterprise=sv.world.enterprises["E1"], specialist=operator)
    assert not selectors.overdue_requests(operator, on=dt.date(2026, 3, 11)).exists()
    late = dt.date(2026, 3, 12)
    assert list(selectors.overdue_requests(operator, on=late)) == [row]
    assert not selectors.overdue_requests(sv.user("district_caidian"), on=late).exists()
    # The park's 工作台 card and the specialist's own 工作台.
    with on_day(late):
        keys = {card.key: card for card in cards.cards(operator, late)}
        assert keys["service-requests"].items[0].label == sv.world.enterprises["E1"].name
        assert selectors.workbench(operator, on=late).overdue_requests == [row]
        client = Client()
        client.force_login(operator)
        assert "办理排污许可" in client.get("/service/").content.decode()
        assert 'data-state="overdue"' in client.get("/service/requests/").content.decode()
        done = services.service_request_complete(actor=operator, request=row, outcome="已办结，许可证已送达")
    assert (done.status, done.on_time) == (ServiceRequest.Status.DONE, False)
    with pytest.raises(ValidationError) as caught:
        services.service_request_complete(actor=operator, request=row, outcome="再办结")
    assert caught.value.message_dict == {"request": [requests.REQUEST_DONE]}
    assert not selectors.overdue_requests(operator, on=late).exists()


def test_only_a_firm_of_the_park_asks_and_only_the_parks_side_closes(sv: ServiceWorld, on_day: Any) -> None:
    line = _line(sv)
    other_firm = make_user("t-ent-e3", Role.ENTERPRISE, enterprise=sv.world.enterprises["E3"])
    for actor in (other_firm, sv.user("park_operator")):
        with pytest.raises(WriteDenied):
            services.service_request_submit(actor=actor, line=line, description="x")
    with on_day(MONDAY):
        row = services.service_request_submit(actor=sv.user("enterprise"), line=line, description="人才公寓申请")
        assert row.due_on == dt.date(2026, 3, 5)
        with pytest.raises(WriteDenied):
            services.service_request_complete(actor=sv.user("district_caidian"), request=row, outcome="x")
        on_time = services.service_request_complete(actor=sv.user("district_jiangxia"), request=row, outcome="已安排")
    assert on_time.on_time is True
    services.park_service_retire(
        actor=sv.user("park_operator"), park=sv.world.parks["PA"], service_type="agency", reason="停办"
    )
    with pytest.raises(ValidationError) as caught:
        services.service_request_submit(actor=sv.user("enterprise"), line=line, description="x")
    assert caught.value.message_dict == {"service_type": [requests.LINE_RETIRED]}


def test_a_firm_asks_on_the_list_page_and_through_the_api(sv: ServiceWorld, on_day: Any) -> None:
    _line(sv, days=2)
    firm = Client()
    firm.force_login(sv.user("enterprise"))
    with on_day(MONDAY):
        page = firm.get("/service/standards/PA/").content.decode()
        assert 'data-testid="request-service"' in page
        assert firm.post("/service/standards/PA/agency/request/", {"description": "代办工商变更"}).status_code == 302
        answer = firm.post(
            "/api/v1/service/parks/PA/services/agency/requests",
            {"description": "代办税务登记"},
            content_type="application/json",
        )
        assert answer.status_code == 201 and answer.json()["due_on"] == "2026-03-04"
        assert firm.post("/service/standards/PA/legal/request/", {"description": "x"}).status_code == 404
    assert ServiceRequest.objects.count() == 2
    assert "代办工商变更" in firm.get("/service/requests/").content.decode()
    operator = Client()
    operator.force_login(sv.user("park_operator"))
    done = operator.post(
        f"/api/v1/service/requests/{answer.json()['id']}/done", {"outcome": "已办结"}, content_type="application/json"
    )
    assert done.status_code == 201 and done.json()["status"] == "done"
    listing = operator.get("/api/v1/service/requests").json()
    assert len(listing["items"]) == 2
