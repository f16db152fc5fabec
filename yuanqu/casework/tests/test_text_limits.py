"""Casework texts longer than their columns are refused with the limit named, never cut."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from yuanqu.casework import services
from yuanqu.casework.models import Case

from .conftest import CaseWorld


def test_the_api_refuses_an_overlong_title_or_contact_and_stores_nothing(cw: CaseWorld) -> None:
    client = cw.world.client("enterprise")
    base = {"category": "t_consult", "title": "咨询", "description": "请问政策"}
    for field, value in (("title", "题" * 101), ("contact_name", "张" * 41), ("description", "字" * 5001)):
        response = client.post("/api/v1/casework/cases", {**base, field: value}, content_type="application/json")
        assert response.status_code == 422, response.content
        assert response.json()["errors"][0]["loc"][-1] == field
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "limit"),
    [("contact_name", "张" * 41, 40), ("contact_phone", "1" * 31, 30), ("title", "题" * 101, 100)],
)
def test_the_service_refuses_overlong_text_instead_of_cutting_it(
    cw: CaseWorld, field: str, value: str, limit: int
) -> None:
    from yuanqu.casework.models import Category

    kwargs: dict[str, Any] = {
        "actor": cw.user("enterprise"),
        "category": Category.objects.get(code="t_consult"),
        "title": "咨询",
        "description": "请问政策",
        "contact_name": "",
        "contact_phone": "",
    }
    kwargs[field] = value
    with pytest.raises(ValidationError) as caught:
        services.case_submit(**kwargs)
    assert caught.value.message_dict[field] == [f"内容过长：至多 {limit} 字，现为 {len(value)} 字"]
    assert not Case.objects.exists()
