"""The grades a profile records (职称, 职业技能等级) and the profile attributes a talent policy's rule
may name, with their Chinese names, kinds and allowed values.

Who calls this: `talent/pack.py` (to check rules at load), the models (the grades' choices) and
`talent/policies.py` (each profile's snapshot)."""

from __future__ import annotations

from django.db import models

from yuanqu.core.rules import Attribute, AttributeKind

EDUCATION = "education"
EXPERIENCE_YEARS = "experience_years"
TITLE_GRADE = "title_grade"
SKILL_GRADE = "skill_grade"


class TitleGrade(models.TextChoices):
    """职称."""

    NONE = "", "无"
    JUNIOR = "junior", "初级职称"
    INTERMEDIATE = "intermediate", "中级职称"
    DEPUTY_SENIOR = "deputy_senior", "副高级职称"
    SENIOR = "senior", "正高级职称"


class SkillGrade(models.TextChoices):
    """职业技能等级 (五级至一级)."""

    NONE = "", "无"
    JUNIOR_WORKER = "junior_worker", "初级工（五级）"
    MIDDLE_WORKER = "middle_worker", "中级工（四级）"
    SENIOR_WORKER = "senior_worker", "高级工（三级）"
    TECHNICIAN = "technician", "技师（二级）"
    SENIOR_TECHNICIAN = "senior_technician", "高级技师（一级）"


def attribute_catalogue(education_levels: dict[str, str]) -> dict[str, Attribute]:
    """The attributes a talent policy may name; `education_levels` from the pack (code → name)."""
    return {
        EDUCATION: Attribute(EDUCATION, "学历", AttributeKind.TEXT, choices=dict(education_levels)),
        EXPERIENCE_YEARS: Attribute(EXPERIENCE_YEARS, "工作年限", AttributeKind.NUMBER, unit="年"),
        TITLE_GRADE: Attribute(
            TITLE_GRADE, "职称", AttributeKind.TEXT, choices={c.value: str(c.label) for c in TitleGrade if c.value}
        ),
        SKILL_GRADE: Attribute(
            SKILL_GRADE,
            "职业技能等级",
            AttributeKind.TEXT,
            choices={c.value: str(c.label) for c in SkillGrade if c.value},
        ),
    }
