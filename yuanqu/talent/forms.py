"""What the talent pages accept when posted, checked with the API's schemas for the same input
(`talent/schemas.py`) where the API takes it too."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from yuanqu.core.forms import PageForm, choice_field, date_field, integer_field, text_field
from yuanqu.talent import schemas
from yuanqu.talent.attributes import SkillGrade, TitleGrade
from yuanqu.talent.models import Challenge, Interest, Profile, TalentHonour


def _words(value: str) -> list[str]:
    """Tags or codes typed in one box, separated by commas, 、 or spaces."""
    for separator in "，、;；":
        value = value.replace(separator, ",")
    return [item.strip() for part in value.split(",") for item in part.split() if item.strip()]


class RegisterStartForm(PageForm):
    contact = text_field(_("手机号或电子邮箱"), max_length=254)


class RegisterConfirmForm(PageForm):
    code = text_field(_("验证码"), max_length=6)
    name = text_field(_("姓名"), max_length=40)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, max_length=128)
    consent = forms.BooleanField(label=_("我已阅读并同意《个人信息处理告知书》"), required=False)
    consent_version = text_field(_("告知书版本"), max_length=20)


class ProfileForm(PageForm):
    schema = schemas.ProfileIn

    name = text_field(_("姓名"), max_length=40)
    education = text_field(_("学历"), required=False, max_length=20)
    experience_years = integer_field(_("工作年限"), required=False, min_value=0, max_value=60)
    skills_text = forms.CharField(label=_("技能与经历"), required=False, max_length=2000, widget=forms.Textarea)
    skill_tags = text_field(_("技能标签"), required=False, max_length=300)
    title_grade = choice_field(_("职称"), TitleGrade.choices, required=False)
    skill_grade = choice_field(_("职业技能等级"), SkillGrade.choices, required=False)
    certificates = text_field(_("证书"), required=False, max_length=300)
    desired_roles = text_field(_("期望岗位"), required=False, max_length=300)
    salary_min = integer_field(_("期望月薪下限（元）"), required=False, min_value=0, max_value=1_000_000)
    salary_max = integer_field(_("期望月薪上限（元）"), required=False, min_value=0, max_value=1_000_000)
    park_codes = text_field(_("意向园区（园区编码）"), required=False, max_length=300)
    visibility = choice_field(_("可见范围"), Profile.Visibility.choices)
    chain_codes = text_field(_("可见的产业链（代码）"), required=False, max_length=600)

    def schema_data(self) -> dict[str, Any]:
        data = super().schema_data()
        for name in ("skill_tags", "park_codes", "chain_codes"):
            data[name] = _words(self.cleaned_data.get(name) or "")
        for name in ("experience_years", "salary_min", "salary_max"):
            data[name] = self.cleaned_data.get(name) or 0
        return data


class OpeningForm(PageForm):
    schema = schemas.OpeningIn

    title = text_field(_("岗位名称"), max_length=60)
    chain = text_field(_("产业链（代码）"), max_length=64)
    node = text_field(_("产业链环节"), required=False, max_length=60)
    skills_text = forms.CharField(label=_("技能要求"), required=False, max_length=1000, widget=forms.Textarea)
    skill_tags = text_field(_("技能标签"), required=False, max_length=300)
    education = text_field(_("最低学历"), required=False, max_length=20)
    experience_years = integer_field(_("最低工作年限"), required=False, min_value=0, max_value=60)
    salary_min = integer_field(_("月薪下限（元）"), min_value=0, max_value=1_000_000)
    salary_max = integer_field(_("月薪上限（元）"), min_value=0, max_value=1_000_000)
    headcount = integer_field(_("招聘人数"), min_value=1, max_value=999)
    park = text_field(_("工作地点（园区编码）"), required=False, max_length=20)
    challenge = forms.BooleanField(label=_("揭榜挂帅"), required=False)
    migratory = forms.BooleanField(label=_("候鸟式聘任（兼职、远程）"), required=False)
    valid_from = date_field(_("有效期起"))
    valid_to = date_field(_("有效期止"))

    def schema_data(self) -> dict[str, Any]:
        data = super().schema_data()
        data["skill_tags"] = _words(self.cleaned_data.get("skill_tags") or "")
        data["experience_years"] = self.cleaned_data.get("experience_years") or 0
        return data


# Who may not open the talent pages (their readers' refusal), and the answer to a post of them that
# the page could not have made.
NO_ACCESS = gettext_noop("您的角色没有人才直通车页面的权限")


class InterestForm(PageForm):
    """表达意向 on an opening's page: both ids are the page's own (a candidate's button), so a post
    that names none is not the page's: 403."""

    schema = schemas.InterestIn
    forbidden = NO_ACCESS

    opening = integer_field(_("岗位"), min_value=1)
    profile = integer_field(_("人才档案"), min_value=1)


class AnswerForm(PageForm):
    accept = choice_field(_("答复"), [("yes", _("接受")), ("no", _("谢绝"))])


class OutcomeForm(PageForm):
    outcome = choice_field(_("结果"), [c for c in Interest.Outcome.choices if c[0]])


class UnmaskForm(PageForm):
    schema = schemas.UnmaskIn

    reason = text_field(_("查看事由"), max_length=100)


class ChallengeForm(PageForm):
    schema = schemas.ChallengeIn

    title = text_field(_("榜单名称"), max_length=60)
    description = forms.CharField(label=_("技术难题"), max_length=2000, widget=forms.Textarea)
    reward = integer_field(_("榜额（万元）"), min_value=1, max_value=100_000)
    chain = text_field(_("产业链（代码）"), required=False, max_length=64)
    deadline = date_field(_("揭榜截止日期"))


class TeamForm(PageForm):
    schema = schemas.TeamIn

    name = text_field(_("团队名称"), max_length=40)
    proposal = forms.CharField(label=_("攻关方案"), required=False, max_length=1000, widget=forms.Textarea)


class InviteForm(PageForm):
    schema = schemas.InviteIn

    username = text_field(_("成员的登录名"), max_length=150)


class ChallengeOutcomeForm(PageForm):
    schema = schemas.ChallengeOutcomeIn

    outcome = choice_field(_("结果"), [c for c in Challenge.Outcome.choices if c[0]])
    note = text_field(_("结果说明"), required=False, max_length=300)


class EventForm(PageForm):
    schema = schemas.EventIn

    title = text_field(_("活动名称"), max_length=60)
    park = text_field(_("主办园区（园区编码）"), required=False, max_length=20)
    starts_on = date_field(_("开始日期"))
    ends_on = date_field(_("结束日期"))
    venue = text_field(_("地点"), required=False, max_length=100)
    description = forms.CharField(label=_("活动说明"), required=False, max_length=1000, widget=forms.Textarea)


class EventFirmForm(PageForm):
    schema = schemas.EventFirmIn

    uscc = text_field(_("参会企业的统一社会信用代码"), max_length=18)


class EventOpeningForm(PageForm):
    schema = schemas.EventOpeningIn

    opening = integer_field(_("岗位"), min_value=1)


class EventOutcomeForm(PageForm):
    schema = schemas.EventFiguresIn

    visitors = integer_field(_("到场人数"), min_value=0, max_value=1_000_000)
    interviews = integer_field(_("面试人次"), min_value=0, max_value=1_000_000)
    offers = integer_field(_("达成意向人数"), min_value=0, max_value=1_000_000)
    hires = integer_field(_("录用人数"), min_value=0, max_value=1_000_000)


class HonourForm(PageForm):
    kind = choice_field(_("类别"), TalentHonour.Kind.choices)
    name = text_field(_("名称（获评人、工作室或联合体）"), max_length=100)
    uscc = text_field(_("企业的统一社会信用代码"), max_length=18)
    awarded_on = date_field(_("认定日期"))
    valid_to = date_field(_("有效期止"), required=False)
    issuer = text_field(_("认定单位"), required=False, max_length=60)


class HonourCorrectForm(HonourForm):
    reason = text_field(_("更正事由"), max_length=200)


class GrantForm(PageForm):
    profile = integer_field(_("人才档案编号"), min_value=1)
    policy = text_field(_("人才政策（代码）"), max_length=40)
    uscc = text_field(_("用人单位的统一社会信用代码"), max_length=18)
    amount_wan_yuan = forms.DecimalField(
        label=_("核定金额（万元，留空按规则核算）"),
        required=False,
        max_digits=12,
        decimal_places=2,
        error_messages={"invalid": _("核定金额（万元）应为数字")},
    )
    decision_number = text_field(_("核定文号"), max_length=100)
    override_reason = text_field(_("调整金额的理由"), required=False, max_length=200)


class GrantPayForm(PageForm):
    paid_on = date_field(_("拨付日期"))
