"""The evaluation pages read posted values through forms: a bad value is refused with a message that
names the field and the rule, nothing is run, and the page says what the API says for the same value."""

from __future__ import annotations

import html
import json

import pytest

from yuanqu.evaluation.forms import GradesComputeForm, RunStartForm
from yuanqu.evaluation.models import EnterpriseGrade, EvaluationRun

from .conftest import EvalWorld


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "请填写评价年度"),
        ({"year": "二〇二五"}, "评价年度应为整数"),
        ({"year": "2025", "runs": "很多"}, "蒙特卡洛次数应为整数"),
        ({"year": "2025", "seed": "1.5"}, "随机种子应为整数"),
        ({"year": "1999"}, "评价年度：不能小于 2000"),
        ({"year": "2025", "runs": str(2**31)}, "蒙特卡洛次数：不能大于 2147483647"),
    ],
)
def test_the_run_form_refuses_a_bad_value_naming_the_field(data: dict[str, str], message: str) -> None:
    form = RunStartForm(data)
    assert not form.is_valid()
    assert form.error_messages() == [message]


def test_the_page_refuses_a_year_the_api_refuses_with_the_same_rule(ew: EvalWorld) -> None:
    client = ew.world.client("city_admin")
    page = client.post("/evaluation/runs/start/", {"year": "1999"}, follow=True)
    assert "评价年度：不能小于 2000" in html.unescape(page.content.decode())
    api = client.post("/api/v1/evaluation/runs", json.dumps({"year": 1999}), content_type="application/json")
    assert api.status_code == 422
    assert api.json()["errors"] == [{"loc": ["body", "payload", "year"], "msg": "不能小于 2000"}]
    assert not EvaluationRun.objects.exists()


def test_the_grading_form_refuses_a_bad_year_naming_the_field(ew: EvalWorld) -> None:
    assert GradesComputeForm({"year": "去年"}).error_messages() == ["年度应为整数"]
    assert GradesComputeForm({"year": "1900"}).error_messages() == ["年度：不能小于 1949"]
    page = ew.world.client("city_admin").post(
        "/evaluation/grades/compute/", {"year": "去年", "confirm": "1"}, follow=True
    )
    assert "年度应为整数" in page.content.decode()
    assert not EnterpriseGrade.objects.exists()
