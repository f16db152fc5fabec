"""The task pages read posted values through forms: a bad value is refused with a message naming the
field and the rule, nothing is stored, and where the API takes the same input it says the same."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import World
from yuanqu.targets.forms import TaskCommentForm, TaskPressForm, TaskReportForm, TaskStatusForm
from yuanqu.targets.models import TaskComment, TaskReport


def _messages(response: Any) -> str:
    body: bytes = response.content
    return html.unescape(body.decode())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"percent_done": "35", "text": "x"}, "请选择报送期"),
        ({"period": "2025-13-01", "percent_done": "35", "text": "x"}, "报送期应为日期（YYYY-MM-DD）"),
        ({"period": "2025-07-01", "percent_done": "三成", "text": "x"}, "完成进度（%）应为整数"),
        ({"period": "2025-07-01", "text": "x"}, "请填写完成进度（%）"),
        ({"period": "2025-07-01", "percent_done": "150", "text": "x"}, "完成进度（%）：不能大于 100"),
        ({"period": "2025-07-01", "percent_done": "35", "text": "长" * 5001}, "进展情况：长度不能超过 5000 个字符"),
    ],
)
def test_the_report_form_refuses_a_bad_value_naming_the_field(data: dict[str, str], message: str) -> None:
    assert TaskReportForm(data).error_messages() == [message]


def test_a_report_over_100_percent_gets_the_same_rule_on_the_page_and_the_api(
    world: World, tasks: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(tasks["jxj"])
    quarter = timezone.localdate().replace(day=1).isoformat()
    page = client.post(
        "/targets/tasks/task_14/report/", {"period": quarter, "text": "进展", "percent_done": "150"}, follow=True
    )
    assert "完成进度（%）：不能大于 100" in _messages(page)
    api = client.post(
        "/api/v1/targets/tasks/task_14/reports",
        {"period": quarter, "text": "进展", "percent_done": 150},
        content_type="application/json",
    )
    assert api.status_code == 422 and api.json()["errors"][0]["msg"] == "不能大于 100"
    assert not TaskReport.objects.exists()


def test_a_comment_naming_a_report_that_is_not_a_number_is_refused(world: World, tasks: dict[str, Any]) -> None:
    response = world.client("city_admin").post(
        "/targets/tasks/task_14/comment/", {"text": "请加快进度", "report": "第一份"}, follow=True
    )
    assert response.status_code == 200 and "进展报告应为整数" in _messages(response)
    assert not TaskComment.objects.exists()
    assert TaskCommentForm({"text": "好", "report": ""}).is_valid()


def test_a_reminder_to_an_unknown_unit_is_refused(world: World, tasks: dict[str, Any]) -> None:
    assert TaskPressForm({"unit": "nobody", "text": "请报送"}).error_messages() == ["请选择被催办单位"]
    assert TaskPressForm({"unit": "jxj", "text": "长" * 2001}).error_messages() == [
        "催办内容：长度不能超过 2000 个字符"
    ]
    response = world.client("city_admin").post("/targets/tasks/task_14/press/", {"unit": "", "text": "x"}, follow=True)
    assert "请选择被催办单位" in _messages(response)
    assert not TaskComment.objects.exists()


def test_an_unknown_status_action_is_refused_by_name() -> None:
    assert TaskStatusForm({"action": "delete"}).error_messages() == ["操作不是可选的值"]
    assert TaskStatusForm({}).error_messages() == ["请选择操作"]


def test_a_report_id_beyond_what_a_row_id_can_be_is_refused_by_name() -> None:
    assert TaskCommentForm({"text": "好", "report": str(2**63)}).error_messages() == [
        "进展报告不能大于9223372036854775807"
    ]


def test_a_reminder_to_an_unknown_unit_gets_the_same_answer_on_the_page_and_the_api(
    world: World, tasks: dict[str, Any]
) -> None:
    admin = world.client("city_admin")
    page = admin.post("/targets/tasks/task_14/press/", {"unit": "nobody", "text": "请报送"}, follow=True)
    api = admin.post(
        "/api/v1/targets/tasks/task_14/comments",
        {"kind": "press", "unit": "nobody", "text": "请报送"},
        content_type="application/json",
    )
    assert "请选择被催办单位" in _messages(page)
    assert api.status_code == 422 and api.json()["errors"] == [{"loc": ["body", "unit"], "msg": "请选择被催办单位"}]
    assert not TaskComment.objects.exists()
