"""What the 要素保障 pages accept when posted, checked with the API's schemas for the same input
(`factors/schemas.py`), so the page and the API refuse the same values with the same message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.forms import PageForm, choice_field, date_field, integer_field, text_field
from yuanqu.factors import schemas
from yuanqu.factors.models import FundKind, Instrument, InvestmentStage, LedgerKind, SupplyMethod


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

    sent_if_filled = ("project", "enterprise", "fee_waiver_wan_yuan")


class AwardsForm(PageForm):
    schema = schemas.AwardsIn

    run = integer_field(_("产业名园遴选（评价运行）"), min_value=1)
    decision_number = text_field(_("决定文号"), max_length=100)
    approved_on = date_field(_("核定日期"))


class GrantForm(PageForm):
    """A grant or policy payment on the ledger page (规划编制, 标准制订, 惠企, 人才)."""

    schema = schemas.GrantIn

    kind = choice_field(_("类别"), [(k, label) for k, label in LedgerKind.choices if k != LedgerKind.FAMOUS_PARK_AWARD])
    amount_wan_yuan = text_field(_("金额（万元）"), max_length=16)
    basis = text_field(_("依据（政策）"), max_length=200)
    decision_number = text_field(_("决定文号"), max_length=100)
    approved_on = date_field(_("核定日期"))
    park = text_field(_("收款园区编码"), required=False, max_length=40)
    enterprise = text_field(_("收款企业统一社会信用代码"), required=False, max_length=18)
    payee_uscc = text_field(_("收款方统一社会信用代码"), required=False, max_length=18)

    sent_if_filled = ("park", "enterprise", "payee_uscc")


class PayForm(PageForm):
    schema = schemas.PayLedgerIn

    paid_on = date_field(_("拨付日期"))


class ClawBackForm(PageForm):
    schema = schemas.ClawBackIn

    on = date_field(_("追回日期"))
    reason = text_field(_("追回原因"), max_length=300)


class FundForm(PageForm):
    schema = schemas.FundIn

    code = text_field(_("基金编号"), max_length=20)
    name = text_field(_("基金名称"), max_length=120)
    kind = choice_field(_("基金类别"), FundKind.choices)
    manager = text_field(_("基金管理人"), max_length=120)
    manager_uscc = text_field(_("管理人统一社会信用代码"), required=False, max_length=18)
    established_on = date_field(_("设立日期"))
    size_wan_yuan = text_field(_("认缴规模（万元）"), max_length=16)
    city_committed_wan_yuan = text_field(_("市级财政认缴（万元）"), required=False, max_length=16)
    district_committed_wan_yuan = text_field(_("区级财政认缴（万元）"), required=False, max_length=16)
    social_committed_wan_yuan = text_field(_("社会资本认缴（万元）"), required=False, max_length=16)
    city_paid_wan_yuan = text_field(_("市级财政实缴（万元）"), required=False, max_length=16)
    district_paid_wan_yuan = text_field(_("区级财政实缴（万元）"), required=False, max_length=16)
    social_paid_wan_yuan = text_field(_("社会资本实缴（万元）"), required=False, max_length=16)
    chains = text_field(_("重点投向产业链（代码，逗号分隔）"), required=False, max_length=600)
    concessions = text_field(_("让利条款"), required=False, max_length=300)

    sent_if_filled = (
        "manager_uscc",
        "city_paid_wan_yuan",
        "district_paid_wan_yuan",
        "social_paid_wan_yuan",
        "city_committed_wan_yuan",
        "district_committed_wan_yuan",
        "social_committed_wan_yuan",
    )

    def schema_data(self) -> dict[str, Any]:
        data = super().schema_data()
        raw = data.pop("chains", "") or ""
        data["chains"] = [part.strip() for part in raw.replace("，", ",").split(",") if part.strip()]
        return data


class InvestmentForm(PageForm):
    schema = schemas.InvestmentIn

    enterprise = text_field(_("被投企业统一社会信用代码"), required=False, max_length=18)
    project = text_field(_("招商项目编号"), required=False, max_length=20)
    chain = text_field(_("产业链代码"), required=False, max_length=40)
    stage = choice_field(_("投资阶段"), InvestmentStage.choices)
    instrument = choice_field(_("投资方式"), Instrument.choices)
    invested_on = date_field(_("投资日期"))
    amount_wan_yuan = text_field(_("投资金额（万元）"), max_length=16)

    sent_if_filled = ("enterprise", "project", "chain")


class ExitForm(PageForm):
    schema = schemas.ExitIn

    on = date_field(_("退出日期"))
    recovered_wan_yuan = text_field(_("退出回收（万元）"), max_length=16)
    note = text_field(_("退出方式"), required=False, max_length=100)


class _DistrictYearForm(PageForm):
    """The district and year a land-plan figure is for (the plan and the city's top-up alike)."""

    district = text_field(_("区划代码"), max_length=12)
    year = integer_field(_("年度"), min_value=2000, max_value=2100)


class QuotaForm(_DistrictYearForm):
    schema = schemas.QuotaIn

    quota_mu = text_field(_("新增工业建设用地计划（亩）"), max_length=16)
    basis = text_field(_("计划下达文号"), max_length=100)


class TopUpForm(_DistrictYearForm):
    schema = schemas.TopUpIn

    topup_mu = text_field(_("市级统筹保障（亩）"), max_length=16)
    basis = text_field(_("市级统筹文号"), max_length=100)
