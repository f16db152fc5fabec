"""A person's own profile: what they say about themselves and who may find them. Audited by the names
of the fields changed, never their values (personal data stays out of the audit log)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.audit import audit_record
from yuanqu.core.models import AuditLog, User
from yuanqu.registry.models import IndustryChain, Park
from yuanqu.talent.attributes import SkillGrade, TitleGrade
from yuanqu.talent.config import config
from yuanqu.talent.models import Profile
from yuanqu.talent.services.common import (
    clean_education,
    clean_salary,
    clean_tags,
    clean_text,
    own_profile,
)

CHAINS_REQUIRED = gettext_noop("选择“所选产业链的企业”可见时，请至少选择一条产业链")
GRADE_UNKNOWN = gettext_noop("%(field)s“%(value)s”不是可选项")
DETAIL_SAVED = "人才档案更新（字段：{fields}）"


@dataclass(frozen=True, slots=True)
class ProfileData:
    """What a person may write on their profile (the page's form and the API's body both give it)."""

    name: str
    education: str = ""
    experience_years: int = 0
    skills_text: str = ""
    skill_tags: list[str] = field(default_factory=list)
    title_grade: str = ""
    skill_grade: str = ""
    certificates: str = ""
    desired_roles: str = ""
    salary_min: int = 0
    salary_max: int = 0
    park_codes: list[str] = field(default_factory=list)
    visibility: str = Profile.Visibility.NOBODY
    chain_codes: list[str] = field(default_factory=list)


def _grade(value: str, choices: type[TitleGrade] | type[SkillGrade], name: str, key: str) -> str:
    if value not in choices.values:
        raise ValidationError({key: _(GRADE_UNKNOWN) % {"field": name, "value": value[:30]}})
    return value


@transaction.atomic
def profile_update(*, actor: User, data: ProfileData, now: dt.datetime) -> Profile:
    profile = own_profile(actor, lock=True)
    pack = config()
    if data.visibility not in Profile.Visibility.values:
        raise ValidationError({"visibility": _(GRADE_UNKNOWN) % {"field": "可见范围", "value": data.visibility[:20]}})
    if not 0 <= data.experience_years <= 60:
        raise ValidationError({"experience_years": _("工作年限应在0至60年之间")})
    clean_salary(data.salary_min, data.salary_max)
    parks = list(Park.objects.filter(code__in=data.park_codes))
    chains = list(IndustryChain.objects.filter(code__in=data.chain_codes))
    if data.visibility == Profile.Visibility.CHAINS and not chains:
        raise ValidationError({"chain_codes": _(CHAINS_REQUIRED)})
    values = {
        "name": clean_text(data.name, field="name", label="姓名", limit=40),
        "education": clean_education(data.education, levels=pack.education_levels),
        "experience_years": data.experience_years,
        "skills_text": clean_text(
            data.skills_text, field="skills_text", label="技能与经历", limit=2000, required=False
        ),
        "skill_tags": clean_tags(data.skill_tags, allowed=pack.all_tags()),
        "title_grade": _grade(data.title_grade, TitleGrade, "职称", "title_grade"),
        "skill_grade": _grade(data.skill_grade, SkillGrade, "职业技能等级", "skill_grade"),
        "certificates": clean_text(data.certificates, field="certificates", label="证书", limit=300, required=False),
        "desired_roles": clean_text(
            data.desired_roles, field="desired_roles", label="期望岗位", limit=200, required=False
        ),
        "salary_min": data.salary_min,
        "salary_max": data.salary_max,
        "visibility": data.visibility,
    }
    changed = [key for key, value in values.items() if getattr(profile, key) != value]
    for key, value in values.items():
        setattr(profile, key, value)
    if {park.pk for park in profile.parks.all()} != {park.pk for park in parks}:
        changed.append("parks")
    if {chain.pk for chain in profile.visible_chains.all()} != {chain.pk for chain in chains}:
        changed.append("visible_chains")
    profile.updated_at = now
    profile.full_clean(exclude=["user", "contact_cipher", "contact_digest"])
    profile.save()
    profile.parks.set(parks)
    profile.visible_chains.set(chains)
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=profile,
        after={"fields": sorted(changed)},
        detail=DETAIL_SAVED.format(fields="、".join(sorted(changed)) or "无变化"),
    )
    return profile
