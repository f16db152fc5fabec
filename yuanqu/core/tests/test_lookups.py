"""A code in a write's input becomes the row it names within the given rows, or a refusal on the
field that carried it naming the code; a list of codes names every code not found."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conftest import World
from yuanqu.core.lookups import all_found_or_invalid, found_or_invalid
from yuanqu.registry.models import Park, ResponsibleUnit

UNKNOWN_PARK = "您的管理范围内没有园区“%(code)s”"  # in the service app's catalogue
UNKNOWN_UNITS = "未知的责任单位：%(codes)s"  # in the factors app's catalogue

pytestmark = pytest.mark.django_db


def test_it_finds_the_row_the_code_names_within_the_rows(world: World) -> None:
    rows = Park.objects.visible_to(world.users["park_operator"])
    assert (
        found_or_invalid(rows, "park", UNKNOWN_PARK, world.parks["PA"].code, code=world.parks["PA"].code)
        == world.parks["PA"]
    )


def test_it_refuses_a_code_outside_the_rows_as_unknown_on_its_field(world: World) -> None:
    rows = Park.objects.visible_to(world.users["park_operator"])
    other = world.parks["PB"].code
    with pytest.raises(ValidationError) as outside:
        found_or_invalid(rows, "park", UNKNOWN_PARK, other, code=other)
    with pytest.raises(ValidationError) as absent:
        found_or_invalid(rows, "park", UNKNOWN_PARK, "NO-SUCH", code="NO-SUCH")
    assert outside.value.message_dict == {"park": [f"您的管理范围内没有园区“{world.parks['PB'].code}”"]}
    assert absent.value.message_dict == {"park": ["您的管理范围内没有园区“NO-SUCH”"]}


def test_it_names_the_code_as_given_and_speaks_the_page_language(world: World) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        found_or_invalid(Park.objects.all(), "park", UNKNOWN_PARK, "ab-1…", code="AB-1")
    assert refused.value.message_dict == {"park": ["No park “ab-1…” within your scope"]}


def test_it_gives_every_code_of_a_list_once_in_the_order_given(world: World) -> None:
    codes = [unit.code for unit in ResponsibleUnit.objects.order_by("-code")[:2]]
    found = all_found_or_invalid(
        ResponsibleUnit.objects.all(), [*codes, codes[0]], field="units", message=UNKNOWN_UNITS
    )
    assert [unit.code for unit in found] == codes


def test_it_names_every_code_of_a_list_not_found(world: World) -> None:
    known = ResponsibleUnit.objects.order_by("code").first()
    assert known is not None
    with pytest.raises(ValidationError) as refused:
        all_found_or_invalid(
            ResponsibleUnit.objects.all(), ["X1", known.code, "X2"], field="co_units", message=UNKNOWN_UNITS
        )
    assert refused.value.message_dict == {"co_units": ["未知的责任单位：X1、X2"]}
