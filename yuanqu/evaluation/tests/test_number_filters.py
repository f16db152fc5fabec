"""The evaluation pages' number filters show a dash for anything that is not a finite number (a
stored run's parameter that arrives as text, a missing value) instead of failing the page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template


def _shown(source: str, value: Any) -> str:
    return Template("{% load evaluation_tags %}" + source).render(Context({"value": value}))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.25, "25.0%"),
        (Decimal("0.125"), "12.5%"),
        ("0.5", "50.0%"),
        ("abc", "—"),
        ("", "—"),
        (None, "—"),
        (float("nan"), "—"),
        ("1e999", "—"),
        ([1, 2], "—"),
        (True, "—"),
    ],
)
def test_it_shows_a_share_as_a_percentage_or_a_dash(value: Any, shown: str) -> None:
    assert _shown("{{ value|percent }}", value) == shown


def test_it_ignores_digits_that_are_not_a_small_whole_number() -> None:
    assert _shown('{{ value|percent:"x" }}', 0.5) == "50.0%"
    assert _shown("{{ value|percent:0 }}", 0.5) == "50%"
    assert _shown('{{ value|score:"99" }}', 2) == "2.00"


@pytest.mark.parametrize(
    ("source", "value", "shown"),
    [
        ("{{ value|score }}", "12.3456", "12.35"),
        ("{{ value|score }}", "n/a", "—"),
        ("{{ value|signed }}", "n/a", "—"),
        ("{{ value|signed }}", 3, "+3"),
        ("{{ value|signed }}", -1.5, "-1.50"),
        ("{{ value|signed }}", 0, "0"),
    ],
)
def test_the_other_number_filters_show_a_dash_for_text(source: str, value: Any, shown: str) -> None:
    assert _shown(source, value) == shown
