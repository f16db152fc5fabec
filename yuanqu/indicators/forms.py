"""The input of the city's entry of a reported indicator value, in one place: the API's body schema
and the page form that checks its cleaned values with the same schema (`core.forms.PageForm`), so the
page and the API refuse the same input with the same Chinese message.

A value keeps six decimals and, as every number a user writes, at most `core.numbers.EXACT_DIGITS`
significant digits: what is accepted reads back as written on SQLite and PostgreSQL alike."""

# No `from __future__ import annotations` here: Django Ninja and pydantic read the annotations at runtime.
from decimal import Decimal
from typing import Annotated

from django import forms
from django.utils.translation import gettext_lazy
from ninja import Field

from yuanqu.core.contract.schemas import FIRST_YEAR, LAST_YEAR, Code, InputSchema, Year, decimal_schema
from yuanqu.core.forms import PageForm, integer_field, text_field
from yuanqu.core.numbers import EXACT_DIGITS
from yuanqu.indicators.models import VALUE_PLACES

NOTE_LENGTH = 300

ReportedValue = Annotated[
    Decimal, Field(max_digits=EXACT_DIGITS, decimal_places=VALUE_PLACES), decimal_schema(EXACT_DIGITS, VALUE_PLACES)
]


class ReportedIn(InputSchema):
    year: Year
    value: ReportedValue
    scope: Code = "city"
    note: str = Field("", max_length=NOTE_LENGTH)


class ReportForm(PageForm):
    """The 填报年度值 form of an indicator's page (the city's scope)."""

    schema = ReportedIn

    year = integer_field(gettext_lazy("年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    value = forms.DecimalField(
        label=gettext_lazy("数值"),
        error_messages={
            "required": gettext_lazy("请填写数值"),
            "invalid": gettext_lazy("数值应为数字"),
        },
    )
    note = text_field(gettext_lazy("说明"), required=False, max_length=NOTE_LENGTH)
