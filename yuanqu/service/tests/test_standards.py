"""服务标准清单: a park's operator publishes its lines within the pack's standard, the gaps against
the required types show city-wide, an enterprise reads its park's list, and a write outside the
actor's parks or longer than the standard changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from yuanqu.core.models import AuditLog
from yuanqu.core.permissions import WriteDenied
from yuanqu.service import services
from yuanqu.service.config import config
from yuanqu.service.models import ParkService
from yuanqu.service.standards import coverage
from yuanqu.service.tests.conftest import ServiceWorld


def _line(sv: ServiceWorld, persona: str = "park_operator", park: str = "PA", **changes: Any) -> ParkService:
    values: dict[str, Any] = {
        "service_type": "agency",
        "provider": "园区服务中心",
        "promise": "企业开办、项目审批全程代办",
        "time_limit_days": 3,
        "fee": "免费",
        "contact": "027-88880000",
    }
    values.update(changes)
    return services.park_service_set(actor=sv.user(persona), park=sv.world.parks[park], **values)


def test_it_publishes_a_line_and_shows_the_remaining_gaps(sv: ServiceWorld) -> None:
    _line(sv)
    _line(sv, promise="全程代办，一次办结")  # a change of the same line
    assert ParkService.objects.count() == 1 and ParkService.objects.get().promise == "全程代办，一次办结"
    required = [kind.code for kind in config().service_types if kind.required]
    rows = {row.park.code: row for row in coverage(sv.user("city_admin"))}
    assert [kind.code for kind in rows["PA"].gaps] == [code for code in required if code != "agency"]
    assert [kind.code for kind in rows["PC"].gaps] == required
    assert AuditLog.objects.filter(detail__startswith="服务清单").count() == 2


def test_it_refuses_a_promise_longer_than_the_standard_and_another_park(sv: ServiceWorld) -> None:
    with pytest.raises(ValidationError) as longer:
        _line(sv, time_limit_days=6)
    assert longer.value.messages == ["“政务代办”的承诺时限为6个工作日，不得长于标准时限5个工作日"]
    with pytest.raises(WriteDenied):
        _line(sv, park="PC")
    with pytest.raises(ValidationError) as unknown:
        _line(sv, service_type="rockets")
    assert unknown.value.messages[0].startswith("未知的服务类型“rockets”")
    assert not ParkService.objects.exists()


def test_an_enterprise_reads_its_parks_list_and_cannot_write(sv: ServiceWorld) -> None:
    _line(sv)
    client = Client()
    client.force_login(sv.user("enterprise"))
    assert client.get("/service/standards/")["Location"] == "/service/standards/PA/"
    page = client.get("/service/standards/PA/").content.decode()
    assert "企业开办、项目审批全程代办" in page and 'data-testid="park-service-form"' not in page
    assert client.post("/service/standards/PA/", {"service_type": "talent"}).status_code == 403
    api = client.get("/api/v1/service/parks/PA/services").json()["items"]
    assert [row["service_type"] for row in api] == ["agency"] and api[0]["standard_days"] == 5


def test_a_line_taken_off_the_list_is_kept_and_the_type_may_be_listed_again(sv: ServiceWorld) -> None:
    from yuanqu.service.services import standards
    from yuanqu.service.standards import retired_lines

    _line(sv)
    with pytest.raises(WriteDenied):
        services.park_service_retire(
            actor=sv.user("park_operator"), park=sv.world.parks["PC"], service_type="agency", reason="x"
        )
    line = services.park_service_retire(
        actor=sv.user("park_operator"),
        park=sv.world.parks["PA"],
        service_type="agency",
        reason="代办窗口并入区政务中心",
    )
    assert line.retired_at is not None
    after = AuditLog.objects.get(detail="服务清单：撤下").after
    assert after is not None and after["retire_reason"] == "代办窗口并入区政务中心"
    rows = {row.park.code: row for row in coverage(sv.user("city_admin"))}
    assert "agency" not in rows["PA"].lines and "agency" in [kind.code for kind in rows["PA"].gaps]
    with pytest.raises(ValidationError) as caught:
        services.park_service_retire(
            actor=sv.user("park_operator"), park=sv.world.parks["PA"], service_type="agency", reason="再撤"
        )
    name = config().service_type("agency").name
    assert caught.value.message_dict == {
        "service_type": [standards.LINE_NOT_LISTED % {"park": sv.world.parks["PA"].name, "name": name}]
    }
    _line(sv, provider="区政务服务中心")  # listed again: a new line beside the retired one
    assert ParkService.objects.count() == 2
    assert [row.provider for row in retired_lines(sv.user("enterprise"), sv.world.parks["PA"])] == ["园区服务中心"]
    client = Client()
    client.force_login(sv.user("park_operator"))
    page = client.get("/service/standards/PA/").content.decode()
    assert 'data-testid="retired-services"' in page and "代办窗口并入区政务中心" in page
    answer = client.post(
        "/api/v1/service/parks/PA/services/agency/retire", {"reason": "停止提供"}, content_type="application/json"
    )
    assert answer.status_code == 201 and not coverage(sv.user("city_admin"))[0].lines
