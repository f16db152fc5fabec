"""A free-text value of a service's input is stored stripped and without NUL characters; an empty
required one and one over its limit are refused on the field, naming the field's label, in the page's
language."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from yuanqu.core.texts import clean_text


def test_it_strips_the_text_and_drops_nul_characters() -> None:
    assert clean_text("  会议\x00纪要 ", field="title", label="会议名称", limit=10) == "会议纪要"
    assert clean_text(None, field="reason", label="说明", limit=10, required=False) == ""


def test_it_refuses_an_empty_required_text_naming_the_field() -> None:
    with pytest.raises(ValidationError) as refused:
        clean_text(" \x00 ", field="title", label="会议名称")
    assert refused.value.message_dict == {"title": ["请填写会议名称"]}


def test_it_refuses_a_text_over_its_limit_and_leaves_the_length_to_the_model_without_one() -> None:
    with pytest.raises(ValidationError) as refused:
        clean_text("一二三四", field="text", label="议定事项", limit=3)
    assert refused.value.message_dict == {"text": ["议定事项不能超过3个字符（实际4个）"]}
    assert clean_text("一二三四" * 1000, field="text", label="议定事项") == "一二三四" * 1000


def test_it_speaks_the_page_language() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        clean_text("abcd", field="text", label="Decision", limit=3)
    assert refused.value.message_dict == {"text": ["Decision cannot exceed 3 characters (it has 4)"]}
