"""What the 要素保障 pages accept when posted, checked with the API's schemas for the same input
(`factors/schemas.py`), so the page and the API refuse the same values with the same message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.forms import PageForm, choice_field, date_field, integer_field, text_field
from yuanqu.factors import schemas
from yuanqu.factors.models import SupplyMethod


class LandSupplyForm(PageForm):
    schema = schemas.LandSupplyIn

    parcel = text_field(_("地块编号"), max_length=40)
    method = choice_field(_("供地方式"), SupplyMethod.choices)
    term_years = integer_field(_("年期（年）"), min_value=1, max_value=99)
    area_mu = text_field(_("面积（亩）"), max_length=16)
    land_grade = integer_field(_("土地等别"), min_value=1, max_value=99)
    start_price = text_field(_("起始价（元/平方米）"), max_length=14)
    final_price = text_field(_("成交价（元/平方米）"), max_length=14)
    supplied_on = date_field(_("供地日期"))
    project = text_field(_("招商项目编号"), required=False, max_length=20)
    enterprise = text_field(_("用地企业统一社会信用代码"), required=False, max_length=18)
    with_plan = forms.BooleanField(label=_("带方案出让"), required=False)
    fee_waiver_wan_yuan = text_field(_("免收城市基础设施配套费（万元）"), required=False, max_length=16)
    exception_reason = text_field(_("低于下限的原因"), required=False, max_length=300)
    exception_approval = text_field(_("批准文号"), required=False, max_length=100)

    def schema_data(self) -> dict[str, Any]:
        data = super().schema_data()
        for name in ("project", "enterprise", "fee_waiver_wan_yuan"):
            if not data.get(name):
                data.pop(name, None)
        return data


class AwardsForm(PageForm):
    schema = schemas.AwardsIn

    run = integer_field(_("产业名园遴选（评价运行）"), min_value=1)
    decision_number = text_field(_("决定文号"), max_length=100)
    approved_on = date_field(_("核定日期"))
