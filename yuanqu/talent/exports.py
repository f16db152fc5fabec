"""The export of personal data: the profiles with names and contacts in clear, for the city's talent
handlers (市级管理员, 系统管理员: 人才局 and 人社局 handlers) only, who state why; the export is an audit
entry with the reason and the row count, never the values.

It is written at once (`core.exports.xlsx_response`) and never by a background job: a kept file
would outlive the withdrawal of a person in it, and withdrawal deletes every personal field the
platform holds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from yuanqu.core.exports import Sheets
from yuanqu.core.models import User
from yuanqu.talent.models import Profile
from yuanqu.talent.services.common import check_staff, clean_text
from yuanqu.talent.services.personal import REASON_REQUIRED

FILENAME = "人才档案个人信息"
OBJECT_TYPE = "talent.Profile"
DETAIL = "导出人才档案个人信息，事由：{reason}"
HEADERS = (
    "编号",
    "姓名",
    "联系方式",
    "学历",
    "工作年限",
    "技能标签",
    "职称",
    "职业技能等级",
    "期望月薪下限（元）",
    "期望月薪上限（元）",
    "意向园区",
    "可见范围",
    "建档时间",
)


def _rows(profiles: Any) -> Iterator[list[Any]]:
    for profile in profiles.iterator(chunk_size=1000):
        yield [
            profile.pk,
            profile.name,
            profile.contact,
            profile.education,
            profile.experience_years,
            "、".join(profile.skill_tags),
            profile.get_title_grade_display() if profile.title_grade else "",
            profile.get_skill_grade_display() if profile.skill_grade else "",
            profile.salary_min,
            profile.salary_max,
            "、".join(sorted(park.code for park in profile.parks.all())),
            profile.get_visibility_display(),
            profile.created_at.date().isoformat(),
        ]


def profiles_export_sheets(*, actor: User, reason: str) -> tuple[Sheets, str]:
    """The sheets of every profile the actor may see, in clear, and the audit detail; refused to any
    role but the city's talent handlers, and without a reason."""
    check_staff(actor)
    why = clean_text(reason, field="reason", label="事由", limit=100, required=False)
    if not why:
        raise ValidationError({"reason": _(REASON_REQUIRED)})
    profiles = Profile.objects.visible_to(actor).order_by("pk").prefetch_related("parks")
    return [(FILENAME, HEADERS, _rows(profiles))], DETAIL.format(reason=why)
