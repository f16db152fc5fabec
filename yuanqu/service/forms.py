"""What the 陪跑 pages accept when posted, checked with the API's schemas for the same input
(`service/schemas.py`), so the page and the API refuse the same values with the same message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.forms import ChooserForm, PageForm, choice_field, date_field, integer_field, text_field
from yuanqu.service import schemas
from yuanqu.service.models import FeePeriod, FeeReview, FeeUnit
from yuanqu.service.pack import Survey


class AssignmentActionForm(ChooserForm):
    """Which of the specialists page's forms was posted (its hidden `form` field; the first form,
    指派, has none)."""

    chosen_by = "form"
    default_choice = "assign"

    ACTIONS = (
        ("assign", _("指派")),
        ("bulk", _("批量指派")),
        ("handover", _("移交")),
        ("rule", _("保存为指派规则")),
        ("apply", _("应用指派规则")),
    )

    form = choice_field(_("操作"), ACTIONS, required=False)


class AssignForm(PageForm):
    schema = schemas.SpecialistAssignIn

    enterprise = text_field(_("企业统一社会信用代码"), max_length=18)
    specialist = text_field(_("服务专员"), max_length=64)
    reason = text_field(_("说明"), required=False, max_length=200)


class BulkAssignForm(PageForm):
    schema = schemas.BulkAssignIn

    specialist = text_field(_("服务专员"), max_length=64)
    park = text_field(_("园区"), required=False, max_length=64)
    chain = text_field(_("产业链"), required=False, max_length=64)
    tier = text_field(_("走访分档"), required=False, max_length=64)
    skip_assigned = forms.BooleanField(label=_("跳过已有服务专员的企业"), required=False)
    reason = text_field(_("说明"), required=False, max_length=200)

    sent_if_filled = ("park", "chain", "tier")


class HandoverForm(PageForm):
    schema = schemas.HandoverIn

    from_specialist = text_field(_("移交人"), max_length=64)
    to_specialist = text_field(_("接收人"), max_length=64)
    reason = text_field(_("移交原因"), required=False, max_length=200)


class PlanForm(PageForm):
    schema = schemas.PlanIn

    enterprise = text_field(_("企业统一社会信用代码"), max_length=18)
    planned_on = date_field(_("计划日期"))
    purpose = text_field(_("走访事项"), required=False, max_length=200)


class VisitForm(PageForm):
    schema = schemas.ServiceVisitIn

    enterprise = text_field(_("企业统一社会信用代码"), max_length=18)
    visited_on = date_field(_("走访日期"))
    people = text_field(_("参加人员"), required=False, max_length=200)
    topics = text_field(_("走访主题"), required=False, max_length=200)
    situation = text_field(_("企业生产经营情况"), required=False, max_length=3000)
    # One need per line; each becomes a 啄木鸟 case.
    needs = text_field(_("企业需求（每行一项）"), required=False, max_length=5000)
    plan = integer_field(_("走访计划"), required=False, min_value=1)

    def schema_data(self) -> dict[str, Any]:
        data = super().schema_data()
        data["needs"] = [line.strip() for line in (self.cleaned_data.get("needs") or "").splitlines() if line.strip()]
        return data


class ConfirmForm(PageForm):
    schema = schemas.ConfirmIn

    policy = text_field(_("政策"), max_length=64)
    enterprises = forms.MultipleChoiceField(label=_("企业"), required=False)
    note = text_field(_("说明"), required=False, max_length=200)

    def __init__(self, *args: Any, firms: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprises"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = firms


class PayForm(PageForm):
    schema = schemas.PayIn

    paid_on = date_field(_("拨付日期"))
    amount_wan_yuan = forms.DecimalField(label=_("拨付金额（万元）"), required=False, max_digits=12, decimal_places=2)


class WaveForm(PageForm):
    schema = schemas.WaveIn

    code = text_field(_("期次代码"), max_length=32)
    name = text_field(_("期次名称"), max_length=100)
    opens_on = date_field(_("开始日期"))
    closes_on = date_field(_("结束日期"))


class AnswerForm(PageForm):
    """The questionnaire of the pack, one field per item: a score for a Likert item, a choice
    otherwise. Every item must be answered (the service says which one is missing)."""

    schema = schemas.SurveyAnswerIn

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        labels = survey.scale_labels or tuple(str(n) for n in range(1, survey.scale + 1))
        for number, item in enumerate(survey.items, start=1):
            label = f"{number}. {item.text}"
            if item.kind == "likert":
                options = [(str(n), labels[n - 1]) for n in range(1, survey.scale + 1)]
            else:
                options = [(choice, choice) for choice in item.choices]
            self.fields[f"q_{item.code}"] = choice_field(label, options, required=True)
            self.fields[f"q_{item.code}"].widget = forms.RadioSelect(choices=options)

    def schema_data(self) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for item in self.survey.items:
            value = self.cleaned_data.get(f"q_{item.code}") or ""
            answers[item.code] = int(value) if item.kind == "likert" and str(value).isdigit() else value
        return {"answers": answers}


class ParkServiceForm(PageForm):
    schema = schemas.ParkServiceIn

    service_type = text_field(_("服务类型"), max_length=64)
    provider = text_field(_("服务提供方"), max_length=100)
    promise = text_field(_("服务内容与标准"), max_length=300)
    time_limit_days = integer_field(_("承诺时限（工作日）"), min_value=1, max_value=365)
    fee = text_field(_("收费"), max_length=100)
    contact = text_field(_("联系方式"), max_length=100)


class FeeForm(PageForm):
    schema = schemas.FeeIn

    park = text_field(_("园区"), max_length=64)
    item = text_field(_("收费项目"), max_length=100)
    charged_by = text_field(_("收费主体"), max_length=100)
    basis = text_field(_("收费依据"), required=False, max_length=200)
    amount_yuan = text_field(_("收费金额（元）"), max_length=20)
    unit = choice_field(_("计费单位"), FeeUnit.choices)
    period = choice_field(_("计费周期"), FeePeriod.choices)
    amount = text_field(_("收费标准"), required=False, max_length=100)
    approval = text_field(_("批准或备案文号"), required=False, max_length=100)


class FeeReviewForm(PageForm):
    schema = schemas.FeeReviewIn

    decision = choice_field(_("核查结论"), FeeReview.choices)
    reason = text_field(_("核查说明"), max_length=200)


class RetireForm(PageForm):
    schema = schemas.RetireIn

    reason = text_field(_("原因"), max_length=200)


class FeeReportForm(PageForm):
    schema = schemas.FeeReportIn

    occurred_on = text_field(_("发生时间"), max_length=50)
    description = text_field(_("情况说明"), max_length=2000)


class ApplyRulesForm(PageForm):
    schema = schemas.ApplyRulesIn


class CompanionForm(PageForm):
    schema = schemas.CompanionIn

    name = text_field(_("项目名称"), max_length=120)
    park = text_field(_("园区"), max_length=64)
    specialist = text_field(_("服务专员"), max_length=64)
    investment_project = text_field(_("招商项目编号"), required=False, max_length=64)

    sent_if_filled = ("investment_project",)


class CompanionNoteForm(PageForm):
    schema = schemas.CompanionNoteIn

    stage = text_field(_("陪跑阶段"), max_length=64)
    text = text_field(_("陪跑记录"), max_length=1000)


class ServiceRequestForm(PageForm):
    schema = schemas.ServiceRequestIn

    description = text_field(_("申请事项"), max_length=500)


class ServiceRequestDoneForm(PageForm):
    schema = schemas.ServiceRequestDoneIn

    outcome = text_field(_("办理结果"), max_length=500)
