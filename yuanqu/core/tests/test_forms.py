"""The page forms: each refusal names the field and the rule, in the request's language; a form with
the API's schema refuses what the schema refuses, with the schema's rule under the field's label."""

from __future__ import annotations

from typing import Annotated

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation
from ninja import Field

from yuanqu.core.contract import errors, pages
from yuanqu.core.contract.schemas import InputSchema
from yuanqu.core.forms import PageForm, date_field, integer_field, take_post, text_field


class _In(InputSchema):
    year: Annotated[int, Field(ge=2000, le=2100)]
    note: Annotated[str, Field(max_length=5)] = ""


class _Form(PageForm):
    schema = _In

    year = integer_field("评价年度")
    day = date_field("报送期", required=False)
    note = text_field("说明", required=False)


def test_it_names_the_field_and_the_rule_of_each_refusal() -> None:
    assert _Form({}).error_messages() == ["请填写评价年度"]
    assert _Form({"year": "明年"}).error_messages() == ["评价年度应为整数"]
    assert _Form({"year": "2025", "day": "2025-02-30"}).error_messages() == ["报送期应为日期（YYYY-MM-DD）"]
    assert _Form({"year": "2025", "note": "a\x00b"}).error_messages() == ["说明不能包含空字符"]


def test_it_refuses_what_the_api_schema_refuses_under_the_fields_label() -> None:
    assert _Form({"year": "1999"}).error_messages() == ["评价年度：不能小于 2000"]
    assert _Form({"year": "2025", "note": "六个字的说明"}).error_messages() == ["说明：长度不能超过 5 个字符"]
    form = _Form({"year": "2025", "note": "好"})
    assert form.is_valid() and form.cleaned_data["year"] == 2025


def test_it_speaks_english_on_an_english_page() -> None:
    with translation.override("en"):
        assert _Form({"year": "x"}).error_messages() == ["评价年度 must be a whole number"]
        assert _Form({}).error_messages() == ["评价年度 is required"]


def _refused_step(language: str) -> list[str]:
    request = RequestFactory().post("/")
    request.session = SessionBase()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]

    def act(values: object) -> str:
        raise PermissionDenied

    with translation.override(language):
        assert not take_post(request, _Form({"year": "2025"}), act, denied=True)
    return [str(message) for message in get_messages(request)]


def test_a_refused_step_says_no_in_the_apis_one_wording_in_both_languages() -> None:
    assert _refused_step("zh-hans") == ["无权进行此操作"]
    assert errors.error_body(403) == {"detail": "无权进行此操作", "code": "permission_denied"}
    with translation.override("en"):
        assert errors.error_body(403)["detail"] == "You are not authorised to perform this action"
        api_403 = pages.permission_denied(RequestFactory().get("/api/v1/registry/parks"), PermissionDenied())
    assert _refused_step("en") == ["You are not authorised to perform this action"]
    assert api_403.status_code == 403 and b"You are not authorised to perform this action" in api_403.content


class _OptionalIn(InputSchema):
    year: int
    park: Annotated[str, Field(max_length=5)] = "ALL"
    note: Annotated[str, Field(max_length=5)] = ""


class _OptionalForm(PageForm):
    schema = _OptionalIn
    sent_if_filled = ("park",)

    year = integer_field("评价年度")
    park = text_field("园区", required=False)
    note = text_field("说明", required=False)


def test_a_blank_field_sent_only_when_filled_is_left_to_the_schemas_default() -> None:
    blank = _OptionalForm({"year": "2025", "park": "", "note": ""})
    assert blank.is_valid()
    assert blank.schema_data() == {"year": 2025, "note": ""}
    assert _OptionalIn.model_validate(blank.schema_data()).park == "ALL"
    filled = _OptionalForm({"year": "2025", "park": "PA", "note": ""})
    assert filled.is_valid()
    assert filled.schema_data() == {"year": 2025, "park": "PA", "note": ""}
