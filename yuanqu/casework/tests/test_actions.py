"""One specification per casework action drives both doors: every action of the table has its page
route, its API route (whose body is the action's schema) and its rule; and the page and the API refuse
the same bad input with the same Chinese message and change nothing."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import resolve, reverse

from yuanqu.casework import actions, clock, forms, services, views
from yuanqu.casework.models import Case

from .conftest import CaseWorld, at

API = "/api/v1/casework"


def _client(cw: CaseWorld, persona: str) -> Client:
    client = Client()
    client.force_login(cw.user(persona))
    return client


def _page_errors(response: Any) -> list[str]:
    return [unescape(text) for text in re.findall(r'<li class="error">(.*?)</li>', response.content.decode(), re.S)]


def _posted(data: dict[str, Any]) -> dict[str, Any]:
    """The API's JSON body as the page's form posts it: lists as repeated fields, a ticked box as 1."""
    post: dict[str, Any] = {"confirm": "1"}
    for key, value in data.items():
        if isinstance(value, bool):
            if value:
                post[key] = "1"
        elif value is not None:
            post[key] = value
    return post


def test_every_action_has_a_page_route_an_api_route_and_a_rule(cw: CaseWorld) -> None:
    assert set(actions.ACTIONS) == set(services.ACTIONS)
    document = _client(cw, "city_admin").get("/api/v1/openapi.json").json()
    for name, action in actions.ACTIONS.items():
        assert resolve(reverse("casework:case_action", args=["ZMN-2025-000001", name])).func.__name__ == "case_action"
        operation = document["paths"][f"{API}/cases/{{number}}/{action.path}"]["post"]
        assert operation["summary"] == action.summary
        assert operation["operationId"].endswith(action.operation)
        body = operation["requestBody"]["content"]
        if action.multipart:
            assert "multipart/form-data" in body
        else:
            assert body["application/json"]["schema"]["$ref"].endswith(f"/{action.schema.__name__}")
        assert action.rule is services.ACTIONS[name]
    assert views.case_action.__name__ == "case_action"


# (status of the case, who acts, action, the API's body without the version, the message both give)
REFUSALS = [
    pytest.param(
        Case.Status.ACCEPTED,
        "handler",
        "assign",
        {"lead_unit": "no-such-unit"},
        "责任单位“no-such-unit”不存在",
        id="unknown-lead-unit",
    ),
    pytest.param(
        Case.Status.ACCEPTED,
        "handler",
        "assign",
        {"lead_unit": "jxj-test", "co_units": ["zjj-test", "no-such-unit"]},
        "责任单位“no-such-unit”不存在",
        id="unknown-co-unit",
    ),
    pytest.param(
        Case.Status.IN_PROGRESS,
        "handler",
        "transfer",
        {"to_unit": "no-such-unit", "reason": "职能不符"},
        "责任单位“no-such-unit”不存在",
        id="unknown-transfer-unit",
    ),
    pytest.param(
        Case.Status.SUBMITTED,
        "handler",
        "reject",
        {"reason": "理" * 2001},
        "长度不能超过 2000 个字符",
        id="reason-too-long",
    ),
    pytest.param(
        Case.Status.IN_PROGRESS,
        "handler",
        "reply",
        {"text": "答" * 5001},
        "长度不能超过 5000 个字符",
        id="reply-too-long",
    ),
    pytest.param(
        Case.Status.ACCEPTED,
        "handler",
        "accept",
        {"note": ""},
        "诉求当前状态为“已受理”，不能受理",
        id="illegal-transition",
    ),
    pytest.param(
        Case.Status.SUBMITTED,
        "enterprise",
        "accept",
        {"note": ""},
        "您无权对该诉求执行“受理”",
        id="no-right",
    ),
    pytest.param(
        Case.Status.REPLIED,
        "enterprise",
        "rate",
        {"level": "superb", "resolved": True},
        "未知的评价等级“superb”",
        id="unknown-level",
    ),
    pytest.param(
        Case.Status.REPLIED,
        "enterprise",
        "rate",
        {"level": "satisfied"},
        "请选择问题是否已解决",
        id="resolved-unanswered",
    ),
    pytest.param(
        Case.Status.IN_PROGRESS,
        "handler",
        "request_extension",
        {"days": 40, "reason": "等待方案"},
        "延期天数应为1至30个工作日",
        id="extension-too-long",
    ),
    pytest.param(
        Case.Status.ACCEPTED,
        "handler",
        "handover",
        {"to_user": "nobody-here", "reason": "调岗"},
        services.HANDOVER_TARGET,
        id="unknown-handover-target",
    ),
]


@pytest.mark.parametrize(("status", "persona", "name", "body", "message"), REFUSALS)
def test_the_page_and_the_api_refuse_the_same_input_with_the_same_message(
    cw: CaseWorld, status: str, persona: str, name: str, body: dict[str, Any], message: str
) -> None:
    case = cw.to_status(status)
    action = actions.ACTIONS[name]
    client = _client(cw, persona)
    with clock.frozen(at(2025, 3, 5)):
        versioned = {"version": case.version, **body} if "version" in action.schema.model_fields else body
        answer = client.post(
            f"{API}/cases/{case.number}/{action.path}", json.dumps(versioned), content_type="application/json"
        )
        page = client.post(f"/casework/{case.number}/do/{name}/", _posted(versioned), follow=True)
    assert answer.status_code in {403, 409, 422}, answer.content
    api_message = answer.json()["errors"][0]["msg"] if answer.status_code == 422 else answer.json()["detail"]
    assert api_message == message
    shown = _page_errors(page)
    assert len(shown) == 1 and (shown[0] == message or shown[0].endswith(f"：{message}")), shown
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version) == (case.status, case.version)


def test_an_unknown_park_is_refused_on_the_entry_page_as_in_the_api(cw: CaseWorld) -> None:
    """The page used to drop an unknown park silently and file the case without it."""
    body = {"category": "t_energy", "title": "停电", "description": "园区频繁停电", "park": "NO-SUCH-PARK"}
    client = _client(cw, "district_jiangxia")
    with clock.frozen(at(2025, 3, 3)):
        answer = client.post(f"{API}/cases", json.dumps(body), content_type="application/json")
        page = client.post("/casework/new/", body)
    message = forms.PARK_UNKNOWN % {"code": "NO-SUCH-PARK"}
    assert answer.status_code == 422 and answer.json()["errors"][0]["msg"] == message
    assert message in unescape(page.content.decode())
    assert not Case.objects.exists()


def test_the_page_refuses_a_text_with_a_nul_as_the_api_does(cw: CaseWorld) -> None:
    """The schema's refusal of unstorable text now covers the page's posts too."""
    case = cw.to_status(Case.Status.SUBMITTED)
    client = _client(cw, "handler")
    with clock.frozen(at(2025, 3, 3, 11)):
        body = {"version": case.version, "note": "a\x00b"}
        answer = client.post(f"{API}/cases/{case.number}/accept", json.dumps(body), content_type="application/json")
        page = client.post(f"/casework/{case.number}/do/accept/", body, follow=True)
    assert answer.status_code == 422 and answer.json()["errors"][0]["msg"] == "不能包含空字符或控制字符"
    assert _page_errors(page) == ["不能包含空字符或控制字符"]
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUBMITTED


def test_a_hand_over_on_the_page_names_the_colleague_as_the_api_does(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.ACCEPTED)
    client = _client(cw, "handler")
    page = client.get(f"/casework/{case.number}/").content.decode()
    colleague = cw.user("handler_2")
    assert f'<option value="{colleague.username}">' in page
    with clock.frozen(at(2025, 3, 4)):
        client.post(
            f"/casework/{case.number}/do/handover/",
            {"version": case.version, "to_user": colleague.username, "reason": "调岗"},
        )
    assert Case.objects.get(pk=case.pk).first_responder == colleague


def test_the_page_sends_a_notice_one_item_per_line_as_the_api_sends_a_list(cw: CaseWorld) -> None:
    by_page, by_api = cw.to_status(Case.Status.ACCEPTED), cw.to_status(Case.Status.ACCEPTED)
    client = _client(cw, "handler")
    with clock.frozen(at(2025, 3, 4)):
        client.post(
            f"/casework/{by_page.number}/do/notice/",
            {"version": by_page.version, "items": "营业执照副本；\r\n\r\n  用电申请表\n", "text": ""},
        )
        client.post(
            f"{API}/cases/{by_api.number}/notice",
            json.dumps({"version": by_api.version, "items": ["营业执照副本", "用电申请表"]}),
            content_type="application/json",
        )
    assert Case.objects.get(pk=by_page.pk).notice_items == Case.objects.get(pk=by_api.pk).notice_items
    assert Case.objects.get(pk=by_page.pk).notice_items == ["营业执照副本", "用电申请表"]


def test_a_malformed_notification_id_marks_nothing_read(cw: CaseWorld) -> None:
    """The page used to drop ids that are not numbers and then mark every notification read."""
    from yuanqu.casework.models import Notification

    cw.to_status(Case.Status.ACCEPTED)
    client = _client(cw, "enterprise")
    client.post("/casework/notifications/", {"id": "abc"})
    assert Notification.objects.filter(recipient=cw.user("enterprise"), read_at__isnull=True).count() == 1
