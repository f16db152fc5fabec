"""A firm's openings: posted and closed by the firm's own users, checked against the pack (the chain's
skills vocabulary, the education levels) and the registry (chain node of the chain, park)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.models import User
from yuanqu.core.permissions import WriteDenied
from yuanqu.core.transitions import status_move
from yuanqu.core.writes import create_audited
from yuanqu.registry.models import ChainNode, Enterprise, IndustryChain, IndustryClass, Park
from yuanqu.talent.config import config
from yuanqu.talent.models import Opening
from yuanqu.talent.services.common import check_firm, clean_education, clean_salary, clean_tags, clean_text

CHAIN_UNKNOWN = gettext_noop("产业链“%(value)s”不存在")
NODE_UNKNOWN = gettext_noop("“%(value)s”不是该产业链的环节")
INDUSTRY_UNKNOWN = gettext_noop("行业代码“%(value)s”不存在")
PARK_UNKNOWN = gettext_noop("园区“%(value)s”不存在")
VALIDITY_ORDER = gettext_noop("有效期止（%(end)s）不能早于有效期起（%(start)s）")
VALIDITY_TOO_LONG = gettext_noop("岗位有效期至多一年")
HEADCOUNT_RANGE = gettext_noop("招聘人数应在1至999之间")
EXPERIENCE_RANGE = gettext_noop("工作年限应在0至60年之间")
NOT_OWN_OPENING = gettext_noop("只能管理本企业发布的岗位")
ALREADY_CLOSED = gettext_noop("该岗位已关闭")


@dataclass(frozen=True, slots=True)
class OpeningData:
    title: str
    chain: str
    salary_min: int
    salary_max: int
    valid_from: dt.date
    valid_to: dt.date
    node: str = ""
    industry: str = ""
    skills_text: str = ""
    skill_tags: list[str] = field(default_factory=list)
    education: str = ""
    experience_years: int = 0
    headcount: int = 1
    park: str = ""
    challenge: bool = False
    migratory: bool = False


@transaction.atomic
def opening_create(*, actor: User, data: OpeningData, now: dt.datetime) -> Opening:
    """Post an opening for the actor's own firm (its park when none is named)."""
    check_firm(actor)
    assert actor.enterprise_id is not None  # check_firm refused a firm user without a firm
    firm = Enterprise.objects.get(pk=actor.enterprise_id)
    pack = config()
    chain = IndustryChain.objects.filter(code=data.chain).first()
    if chain is None:
        raise ValidationError({"chain": _(CHAIN_UNKNOWN) % {"value": data.chain[:40]}})
    node = None
    if data.node:
        node = ChainNode.objects.filter(chain=chain, name=data.node).first()
        if node is None:
            raise ValidationError({"node": _(NODE_UNKNOWN) % {"value": data.node[:60]}})
    industry = None
    if data.industry:
        industry = IndustryClass.objects.filter(pk=data.industry).first()
        if industry is None:
            raise ValidationError({"industry": _(INDUSTRY_UNKNOWN) % {"value": data.industry[:10]}})
    park = firm.park
    if data.park:
        park = Park.objects.filter(code=data.park).first()
        if park is None:
            raise ValidationError({"park": _(PARK_UNKNOWN) % {"value": data.park[:20]}})
    if data.valid_to < data.valid_from:
        raise ValidationError({"valid_to": _(VALIDITY_ORDER) % {"start": data.valid_from, "end": data.valid_to}})
    if (data.valid_to - data.valid_from).days > 366:
        raise ValidationError({"valid_to": _(VALIDITY_TOO_LONG)})
    if not 1 <= data.headcount <= 999:
        raise ValidationError({"headcount": _(HEADCOUNT_RANGE)})
    if not 0 <= data.experience_years <= 60:
        raise ValidationError({"experience_years": _(EXPERIENCE_RANGE)})
    clean_salary(data.salary_min, data.salary_max)
    opening = Opening(
        enterprise=firm,
        title=clean_text(data.title, field="title", label="岗位名称", limit=60),
        chain=chain,
        node=node,
        industry=industry,
        skills_text=clean_text(data.skills_text, field="skills_text", label="技能要求", limit=1000, required=False),
        skill_tags=clean_tags(data.skill_tags, allowed=pack.skills.get(chain.code, ())),
        education=clean_education(data.education, levels=pack.education_levels),
        experience_years=data.experience_years,
        salary_min=data.salary_min,
        salary_max=data.salary_max,
        headcount=data.headcount,
        park=park,
        challenge=data.challenge,
        migratory=data.migratory,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        created_by=actor,
        created_at=now,
    )
    return create_audited(actor=actor, row=opening)


@transaction.atomic
def opening_close(*, actor: User, opening: Opening) -> Opening:
    check_firm(actor)
    if opening.enterprise_id != actor.enterprise_id:
        raise WriteDenied(_(NOT_OWN_OPENING), code="not_own_opening")
    status_move(
        actor=actor,
        row=opening,
        before=Opening.Status.OPEN,
        after=Opening.Status.CLOSED,
        refused=_(ALREADY_CLOSED),
    )
    opening.refresh_from_db()
    return opening
