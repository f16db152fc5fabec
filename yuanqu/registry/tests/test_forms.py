"""The park change request page reads what is posted through forms: a bad value is refused with a
message naming the field and the rule, nothing is filed or decided, and the page says what the API
says for the same text."""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING

from conftest import World
from yuanqu.registry import change_requests
from yuanqu.registry.forms import ChangeRequestDecisionForm, ChangeRequestFileForm
from yuanqu.registry.models import Park, ParkChangeRequest

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as HttpResponse

PAGE = "/registry/parks/PA/change-requests/"


def _text(response: HttpResponse) -> str:
    return html.unescape(response.content.decode())


def test_a_reason_over_1000_characters_gets_the_same_rule_on_the_page_and_the_api(world: World) -> None:
    operator = world.client("park_operator")
    reason = "长" * 1001
    page = operator.post(PAGE, {"action": "file", "change_green_level": "provincial", "reason": reason})
    assert page.status_code == 200 and "申请理由：长度不能超过 1000 个字符" in _text(page)
    api = operator.post(
        "/api/v1/registry/change-requests",
        json.dumps({"park": "PA", "changes": {"green_level": "provincial"}, "reason": reason}),
        content_type="application/json",
    )
    assert api.status_code == 422 and api.json()["errors"][0]["msg"] == "长度不能超过 1000 个字符"
    assert not ParkChangeRequest.objects.exists()


def test_a_decision_naming_a_request_that_is_not_a_number_is_refused(world: World) -> None:
    filed = change_requests.park_change_request_file(
        actor=world.users["park_operator"], park=world.parks["PA"], changes={"green_level": "provincial"}, reason="认定"
    )
    response = world.client("city_admin").post(PAGE, {"action": "approve", "request": "第一件", "confirm": "yes"})
    assert response.status_code == 200 and "变更申请应为整数" in _text(response)
    filed.refresh_from_db()
    assert filed.status == ParkChangeRequest.Status.PROPOSED
    assert Park.objects.get(code="PA").green_level == ""


def test_an_unknown_action_is_refused(world: World) -> None:
    response = world.client("city_admin").post(PAGE, {"action": "erase"})
    assert response.status_code == 200 and "未知操作" in _text(response)


def test_the_forms_name_the_field_of_each_refusal(world: World) -> None:
    park = world.parks["PA"]
    filed = ChangeRequestFileForm({"change_name": "新名", "reason": "更名"}, park=park)
    assert filed.is_valid() and filed.changes() == {"name": "新名"}
    assert ChangeRequestFileForm({"change_smart_platform": "1", "reason": "x"}, park=park).is_valid()
    unticked = ChangeRequestDecisionForm({"action": "reject", "request": "3", "note": "不符"})
    assert unticked.error_messages() == ["此操作不能撤销：请勾选确认框后再提交"]
    assert ChangeRequestDecisionForm({"action": "withdraw"}).error_messages() == ["请填写变更申请"]
    long_note = ChangeRequestDecisionForm({"action": "reject", "request": "3", "confirm": "yes", "note": "长" * 1001})
    assert long_note.error_messages() == ["审核意见：长度不能超过 1000 个字符"]


def test_the_decision_takes_the_platforms_one_confirmation_box(world: World) -> None:
    """The page's box is the one every irreversible action has (core.confirm, posting 1); the form
    used to accept only the word yes and refused it."""
    filed = change_requests.park_change_request_file(
        actor=world.users["park_operator"], park=world.parks["PA"], changes={"green_level": "provincial"}, reason="认定"
    )
    page = world.client("city_admin").get(PAGE)
    assert 'name="confirm" value="1"' in _text(page)
    response = world.client("city_admin").post(PAGE, {"action": "approve", "request": filed.pk, "confirm": "1"})
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == ParkChangeRequest.Status.APPROVED
    for value in ("", "no", "0"):
        refused = ChangeRequestDecisionForm({"action": "approve", "request": "3", "confirm": value})
        assert refused.error_messages() == ["此操作不能撤销：请勾选确认框后再提交"]


def test_a_request_id_beyond_what_a_row_id_can_be_is_refused_by_name(world: World) -> None:
    response = world.client("city_admin").post(PAGE, {"action": "withdraw", "request": str(2**63)})
    assert response.status_code == 200 and "变更申请不能大于9223372036854775807" in _text(response)
