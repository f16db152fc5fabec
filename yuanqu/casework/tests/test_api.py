"""The API: the whole lifecycle as JSON, errors as 422 (broken rule), 403 (no right), 409 (conflict),
attachments up and down, statistics, notifications and visits; bearer tokens work like sessions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from yuanqu.casework import clock, services
from yuanqu.casework.models import Case
from yuanqu.core.services import api_token_create

from .conftest import PDF, CaseWorld, at, pdf

BASE = "/api/v1/casework"


def _client(cw: CaseWorld, persona: str) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(cw.user(persona))
    return client


def _post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(f"{BASE}{path}", json.dumps(data), content_type="application/json")


def test_the_lifecycle_runs_through_the_api(cw: CaseWorld) -> None:
    firm, handler = _client(cw, "enterprise"), _client(cw, "handler")
    with clock.frozen(at(2025, 9, 26, 9)):
        created = _post(
            firm,
            "/cases",
            {"category": "t_assist", "title": "用电增容", "description": "需要增容", "answers": {"urgency": "紧急"}},
        )
        assert created.status_code == 201, created.content
        number = created.json()["number"]
        assert created.json()["status"] == "submitted" and "withdraw" in created.json()["actions"]
        accepted = _post(handler, f"/cases/{number}/accept", {"version": created.json()["version"]}).json()
        assert accepted["deadline"] == "2025-10-16" and accepted["first_responder"].endswith("t-handler")
        version = accepted["version"]
        notice = _post(handler, f"/cases/{number}/notice", {"version": version, "items": ["用电申请表"]}).json()
        assert notice["status"] == "awaiting_supplement" and notice["paused"] is True
    with clock.frozen(at(2025, 9, 29, 9)):
        supplemented = _post(firm, f"/cases/{number}/supplement", {"version": notice["version"], "text": "已补"})
        version = supplemented.json()["version"]
        version = _post(
            handler, f"/cases/{number}/assign", {"version": version, "lead_unit": "jxj-test", "co_units": ["zjj-test"]}
        ).json()["version"]
        version = _post(handler, f"/cases/{number}/start", {"version": version}).json()["version"]
        extension = _post(handler, f"/cases/{number}/extension", {"days": 3, "reason": "等待电网方案"})
        assert extension.status_code == 201
        approved = _post(
            _client(cw, "city_admin"),
            f"/cases/{number}/approvals/{extension.json()['id']}/decision",
            {"version": version, "approve": True},
        ).json()
        assert approved["extension_days"] == 3
        replied = _post(handler, f"/cases/{number}/reply", {"version": approved["version"], "text": "已解决"}).json()
        rated = _post(
            firm, f"/cases/{number}/rate", {"version": replied["version"], "level": "satisfied", "resolved": True}
        ).json()
    assert rated["status"] == "closed" and rated["satisfied"] is True
    assert [e["action"] for e in rated["events"]] == [
        "submit",
        "accept",
        "notice",
        "supplement",
        "assign",
        "start",
        "extension_request",
        "extension_decision",
        "reply",
        "rate",
        "close",
    ]
    listed = firm.get(f"{BASE}/cases").json()
    assert listed["count"] == 1 and listed["items"][0]["number"] == number


def test_errors_answer_422_403_409(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.SUBMITTED)
    handler = _client(cw, "handler")
    missing = _post(_client(cw, "enterprise"), "/cases", {"category": "t_assist", "title": "x", "description": "y"})
    assert missing.status_code == 422
    assert missing.json()["errors"] == [{"loc": ["body", "answers"], "msg": "请回答“紧急程度”"}]
    assert missing.json()["detail"] == "answers：请回答“紧急程度”" and missing.json()["code"] == "validation_error"
    forbidden = _post(_client(cw, "enterprise"), f"/cases/{case.number}/accept", {"version": case.version})
    assert forbidden.status_code == 403 and forbidden.json()["detail"] == "您无权对该诉求执行“受理”"
    with clock.frozen(at(2025, 3, 3)):
        assert _post(handler, f"/cases/{case.number}/accept", {"version": case.version}).status_code == 200
        conflict = _post(handler, f"/cases/{case.number}/reject", {"version": case.version, "reason": "重复"})
    assert conflict.status_code == 409 and conflict.json()["detail"] == services.CONFLICT
    illegal = _post(handler, f"/cases/{case.number}/start", {"version": case.version + 1})
    assert illegal.status_code == 403  # not yet the lead unit's case: the right comes first
    # A step the case's status does not fit is a conflict with the case as it is (409), not 422.
    wrong_state = _post(handler, f"/cases/{case.number}/accept", {"version": case.version + 1})
    assert wrong_state.status_code == 409
    assert wrong_state.json() == {"detail": "诉求当前状态为“已受理”，不能受理", "code": "conflict"}
    assert _post(handler, "/cases/ZMN-2099-000001/accept", {"version": 1}).status_code == 404


def test_attachments_go_up_and_come_down(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.IN_PROGRESS)
    firm = _client(cw, "enterprise")
    with clock.frozen(at(2025, 3, 4)):
        uploaded = firm.post(f"{BASE}/cases/{case.number}/attachments", {"files": [pdf("执照.pdf")]})
    assert uploaded.status_code == 201, uploaded.content
    item = uploaded.json()[0]
    assert item["name"] == "执照.pdf" and item["content_type"] == "application/pdf"
    download = _client(cw, "handler").get(item["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    # The API hands a file out as the page does (core.downloads): private, never cached.
    assert download["Cache-Control"] == "private, no-store"
    assert download["X-Content-Type-Options"] == "nosniff"
    with clock.frozen(at(2025, 3, 4)):
        bad = firm.post(f"{BASE}/cases/{case.number}/attachments", {"files": [pdf("x.exe", b"MZ")]})
    assert bad.status_code == 422


def test_statistics_and_notifications(cw: CaseWorld) -> None:
    cw.to_status(Case.Status.CLOSED)
    stats = _client(cw, "city_admin").get(f"{BASE}/stats?by=category").json()
    assert stats["by"] == "category" and stats["total"]["submitted"] == 1
    assert stats["rows"][0]["label"] == "求助" and stats["rows"][0]["satisfaction_rate"] == 1.0
    assert _client(cw, "enterprise").get(f"{BASE}/stats").status_code == 403
    firm = _client(cw, "enterprise")
    notes = firm.get(f"{BASE}/notifications").json()
    assert notes["count"] == 2 and all(not n["read"] for n in notes["items"])
    assert _post(firm, "/notifications/read", {}).json() == {"updated": 2}


def test_a_bearer_token_works_and_categories_are_listed(cw: CaseWorld) -> None:
    from django.test import Client

    _, raw = api_token_create(user=cw.user("handler"), name="对接")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    categories = client.get(f"{BASE}/categories").json()["items"]
    codes = {c["code"] for c in categories}
    assert {"t_assist", "consultation", "multi_department"} <= codes
    assert next(c for c in categories if c["code"] == "multi_department")["time_limit_days"] == 25
    assert Client().get(f"{BASE}/categories").status_code == 401


@pytest.mark.parametrize("persona", ["district_jiangxia", "park_operator"])
def test_visits_through_the_api(cw: CaseWorld, persona: str) -> None:
    client = _client(cw, persona)
    with clock.frozen(at(2025, 3, 3)):
        created = _post(
            client,
            "/visits",
            {"enterprise": cw.world.enterprises["E1"].uscc, "visited_on": "2025-03-03", "summary": "走访"},
        )
    assert created.status_code == 201
    assert client.get(f"{BASE}/visits").json()["count"] == 1


def test_a_handler_cannot_enter_cases_or_visits_for_enterprises(cw: CaseWorld) -> None:
    client = _client(cw, "handler")
    uscc = cw.world.enterprises["E3"].uscc
    with clock.frozen(at(2025, 3, 3)):
        case = _post(
            client,
            "/cases",
            {
                "category": "t_assist",
                "title": "代录",
                "description": "x",
                "enterprise": uscc,
                "answers": {"urgency": "一般"},
            },
        )
        visit = _post(client, "/visits", {"enterprise": uscc, "visited_on": "2025-03-03", "summary": "走访"})
    assert case.status_code == 403 and "您的角色不能提交或代录诉求" in case.json()["detail"]
    assert visit.status_code == 403 and "您的角色不能录入走访记录" in visit.json()["detail"]
    assert not Case.objects.exists()


def test_unknown_and_out_of_scope_enterprises_get_one_answer(cw: CaseWorld) -> None:
    client = _client(cw, "park_operator")
    answers = []
    for uscc in ("91420100MA4K99990X", cw.world.enterprises["E3"].uscc):
        with clock.frozen(at(2025, 3, 3)):
            response = _post(client, "/visits", {"enterprise": uscc, "visited_on": "2025-03-03", "summary": "走访"})
        answers.append((response.status_code, response.json()["errors"][0]["msg"].replace(uscc, "…")))
    assert answers[0] == answers[1] == (422, "未找到统一社会信用代码为“…”的企业，或该企业不在您的权限范围内")


def test_a_malformed_credit_code_gets_the_same_answer(cw: CaseWorld) -> None:
    client = _client(cw, "park_operator")
    with clock.frozen(at(2025, 3, 3)):
        response = _post(client, "/visits", {"enterprise": "9142-XYZ", "visited_on": "2025-03-03", "summary": "走访"})
    assert response.status_code == 422
    assert "或该企业不在您的权限范围内" in response.json()["errors"][0]["msg"]
