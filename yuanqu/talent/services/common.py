"""What the talent writes share: their refusal messages (constants the tests assert on), who may act,
and text checks. A refused write raises `WriteDenied` (403); a broken rule `ValidationError` naming
the field (422 on the API, a message on the page)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.models import User
from yuanqu.core.permissions import WriteDenied, is_talent_handler, write_gate
from yuanqu.core.roles import Role
from yuanqu.core.texts import clean_text as clean_text  # the services of this app import it from here
from yuanqu.registry.models import Enterprise
from yuanqu.talent.models import Profile

NOT_TALENT = gettext_noop("只有人才用户可以维护人才档案")
NO_PROFILE = gettext_noop("该账户没有人才档案：人才档案须由本人注册并同意个人信息处理规则后建立")
NOT_FIRM = gettext_noop("只有企业用户可以发布岗位和发起用人意向")
NOT_STAFF = gettext_noop("只有市级管理员（人才局、人社局经办人）可以查看个人信息明文")
TAG_UNKNOWN = gettext_noop("技能标签“%(tag)s”不在技能词表中")
TAGS_TOO_MANY = gettext_noop("技能标签至多%(limit)s个")
EDUCATION_UNKNOWN = gettext_noop("学历“%(value)s”不是可选的学历")
SALARY_ORDER = gettext_noop("月薪上限（%(high)s元）不能低于下限（%(low)s元）")
SALARY_RANGE = gettext_noop("月薪应在0至1000000元之间")
FIRM_UNKNOWN = gettext_noop("统一社会信用代码“%(value)s”不是已登记的企业")

MAX_TAGS = 12


check_talent = write_gate(lambda actor: actor.role == Role.TALENT and actor.is_active, NOT_TALENT, "talent_only")


def own_profile(actor: User, *, lock: bool = False) -> Profile:
    """The 人才档案 of a 人才用户. An account without one (made outside self-registration, so nobody
    consented to a profile) is refused with 403 rather than failing."""
    check_talent(actor)
    rows = Profile.objects.select_for_update() if lock else Profile.objects.all()
    profile = rows.filter(user=actor).first()
    if profile is None:
        raise WriteDenied(_(NO_PROFILE), code="talent_no_profile")
    return profile


check_firm = write_gate(
    lambda actor: actor.role == Role.ENTERPRISE and actor.enterprise_id is not None and actor.is_active,
    NOT_FIRM,
    "firm_only",
)
check_staff = write_gate(is_talent_handler, NOT_STAFF, "talent_staff_only")


def clean_tags(tags: list[str], *, allowed: tuple[str, ...], field: str = "skill_tags") -> list[str]:
    known = set(allowed)
    result: list[str] = []
    for tag in tags:
        tag = (tag or "").strip()
        if not tag or tag in result:
            continue
        if tag not in known:
            raise ValidationError({field: _(TAG_UNKNOWN) % {"tag": tag[:30]}})
        result.append(tag)
    if len(result) > MAX_TAGS:
        raise ValidationError({field: _(TAGS_TOO_MANY) % {"limit": MAX_TAGS}})
    return result


def clean_education(value: str, *, levels: tuple[tuple[str, str], ...], field: str = "education") -> str:
    if value and value not in dict(levels):
        raise ValidationError({field: _(EDUCATION_UNKNOWN) % {"value": value[:30]}})
    return value


def clean_salary(low: int, high: int) -> None:
    if not (0 <= low <= 1_000_000 and 0 <= high <= 1_000_000):
        raise ValidationError({"salary_min": _(SALARY_RANGE)})
    if high < low:
        raise ValidationError({"salary_max": _(SALARY_ORDER) % {"low": low, "high": high}})


def registered_firm(uscc: str | None) -> Enterprise:
    """The registered firm a credit code names (any firm: an event, a grant or a 名录 entry may name a
    firm outside the actor's scope), or a refusal on `uscc`."""
    code = (uscc or "").strip().upper()
    firm = Enterprise.objects.filter(uscc=code).first()
    if firm is None:
        raise ValidationError({"uscc": _(FIRM_UNKNOWN) % {"value": code[:18]}})
    return firm
