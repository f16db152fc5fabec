"""Synthetic 人才直通车 data for the demo: openings of the synthetic firms (skills from the pack's
vocabulary of their chain, some 揭榜挂帅 or 候鸟式) and profiles of plainly synthetic people
(示例人才00001, demo00001@example.invalid) with their consent and a few answered interests.
Deterministic for a seed; written in bulk, since the rows are made up and the services' checks and
audit entries say nothing about them. The contacts are encrypted like real ones.

Who calls this: the `demo` management command, after the registry demo data; `demo_clear`."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.registry.models import Enterprise, IndustryChain, Park
from yuanqu.talent import crypto
from yuanqu.talent.attributes import SkillGrade, TitleGrade
from yuanqu.talent.config import config
from yuanqu.talent.models import (
    Challenge,
    ChallengeMember,
    ChallengeTeam,
    Consent,
    Interest,
    Opening,
    Profile,
    RecruitmentEvent,
    TalentGrant,
    TalentHonour,
)
from yuanqu.talent.services.registration import consent_build

USERNAME_PREFIX = "demo-rc"
_ROLES = ("工程师", "技术员", "工艺员", "研发工程师", "质量工程师", "设备工程师", "操作工", "项目经理")
_VERBS = ("负责", "参与", "熟悉", "有经验于")


@transaction.atomic
def talent_demo_clear() -> int:
    """Remove the synthetic openings, people and their consents and interest, the synthetic events and
    challenges, and what stands on the demo's parks and firms (which `demo_clear` deletes next, and
    which events and register entries protect): events held at a synthetic park, register entries of
    a synthetic firm or park, talent policy grants naming a synthetic employer; an opening of a real
    firm placed at a synthetic park loses its place. Returns how many rows."""
    removed = Opening.objects.filter(synthetic=True).delete()[0]
    removed += RecruitmentEvent.objects.filter(Q(synthetic=True) | Q(park__synthetic=True)).delete()[0]
    removed += Challenge.objects.filter(synthetic=True).delete()[0]
    removed += TalentHonour.objects.filter(Q(enterprise__synthetic=True) | Q(park__synthetic=True)).delete()[0]
    removed += TalentGrant.objects.filter(enterprise__synthetic=True).delete()[0]
    Opening.objects.filter(park__synthetic=True).update(park=None)
    removed += User.objects.filter(role=Role.TALENT, username__startswith=USERNAME_PREFIX).delete()[0]
    return removed


@transaction.atomic
def talent_demo_generate(*, seed: int, scale: float) -> tuple[int, int]:
    """About 3,000 openings and 10,000 profiles at scale 1; returns (openings, profiles)."""
    rng = random.Random(seed + 16)
    pack = config()
    now = timezone.now()
    today = timezone.localdate()
    chains = {chain.code: chain for chain in IndustryChain.objects.filter(code__in=list(pack.skills))}
    if not chains:
        return 0, 0
    firms = list(Enterprise.objects.filter(synthetic=True).select_related("park").order_by("pk"))
    parks = list(Park.objects.order_by("code"))
    if not firms or not parks:
        return 0, 0
    levels = [code for code, _name in pack.education_levels]
    codes = sorted(chains)

    openings: list[Opening] = []
    for _ in range(round(3000 * scale)):
        firm = rng.choice(firms)
        chain = chains[rng.choice(codes)]
        tags = rng.sample(pack.skills[chain.code], k=min(len(pack.skills[chain.code]), rng.randint(1, 3)))
        low = rng.randrange(5000, 20000, 500)
        start = today - dt.timedelta(days=rng.randint(0, 120))
        openings.append(
            Opening(
                enterprise=firm,
                title=f"{chain.name}{rng.choice(_ROLES)}",
                chain=chain,
                skills_text=f"{rng.choice(_VERBS)}{'、'.join(tags)}相关工作",
                skill_tags=tags,
                education=rng.choice(["", *levels[:4]]),
                experience_years=rng.choice((0, 1, 2, 3, 5)),
                salary_min=low,
                salary_max=low + rng.randrange(2000, 15000, 500),
                headcount=rng.randint(1, 10),
                park=firm.park,
                challenge=rng.random() < 0.02,
                migratory=rng.random() < 0.05,
                valid_from=start,
                valid_to=start + dt.timedelta(days=180),
                created_at=now,
                synthetic=True,
            )
        )
    Opening.objects.bulk_create(openings, batch_size=1000)

    password = make_password(None)  # unusable: synthetic people never sign in
    count = round(10000 * scale)
    users = User.objects.bulk_create(
        [
            User(username=f"{USERNAME_PREFIX}{index:05d}", role=Role.TALENT, password=password, date_joined=now)
            for index in range(1, count + 1)
        ],
        batch_size=1000,
    )
    profiles = []
    for index, user in enumerate(users, start=1):
        chain = chains[rng.choice(codes)]
        tags = rng.sample(pack.skills[chain.code], k=min(len(pack.skills[chain.code]), rng.randint(1, 4)))
        low = rng.randrange(4000, 20000, 500)
        contact = f"demo{index:05d}@example.invalid"
        profiles.append(
            Profile(
                user=user,
                name=f"示例人才{index:05d}",
                contact_cipher=crypto.encrypt(contact),
                contact_digest=crypto.digest(contact),
                education=rng.choice(levels),
                experience_years=rng.randint(0, 20),
                skills_text=f"{rng.choice(_VERBS)}{'、'.join(tags)}",
                skill_tags=tags,
                title_grade=rng.choice([choice.value for choice in TitleGrade]),
                skill_grade=rng.choice([choice.value for choice in SkillGrade]),
                desired_roles=f"{chain.name}{rng.choice(_ROLES)}",
                salary_min=low,
                salary_max=low + rng.randrange(2000, 10000, 500),
                visibility=rng.choice([Profile.Visibility.ALL, Profile.Visibility.ALL, Profile.Visibility.NOBODY]),
                created_at=now,
                updated_at=now,
                synthetic=True,
            )
        )
    Profile.objects.bulk_create(profiles, batch_size=1000)
    Consent.objects.bulk_create([consent_build(user=user, now=now) for user in users], batch_size=1000)
    stored = list(Profile.objects.filter(synthetic=True).order_by("pk"))
    saved_openings = list(Opening.objects.filter(synthetic=True).order_by("pk"))
    interests: dict[tuple[int, int], Interest] = {}
    for _ in range(min(len(stored), round(500 * scale))):
        opening, profile = rng.choice(saved_openings), rng.choice(stored)
        status = rng.choice(list(Interest.Status))
        interests[(opening.pk, profile.pk)] = Interest(
            opening=opening,
            profile=profile,
            status=status,
            created_at=now,
            decided_at=now if status != Interest.Status.PENDING else None,
            outcome=rng.choice(["", "interviewed", "hired"]) if status == Interest.Status.ACCEPTED else "",
            synthetic=True,
        )
    Interest.objects.bulk_create(interests.values(), batch_size=1000)
    _programmes_generate(rng=rng, firms=firms, parks=parks, chains=chains, people=stored, today=today, now=now)
    return len(openings), len(profiles)


_EVENT_NAMES = ("春季专项招聘会", "高校毕业生专场", "技能人才专场", "产业链专场招聘", "秋季专项招聘会")
_CHALLENGES = (
    ("高功率激光器散热难题", "连续运行条件下泵浦模块温升过高，需提出散热结构与热管理方案"),
    ("晶圆缺陷自动识别", "现有检测漏检率偏高，需基于机器视觉提出缺陷识别算法并完成产线验证"),
    ("动力电池回收拆解工艺", "退役电池包拆解效率低，需提出自动化拆解工艺与装备方案"),
    ("工业软件国产化适配", "关键设计软件需完成国产操作系统与数据库的适配与性能优化"),
    ("精密零部件加工精度提升", "五轴加工件一致性不足，需提出工艺参数优化与在线检测方案"),
    ("生物制药纯化工艺放大", "实验室纯化工艺放大至中试规模时收率下降，需提出放大方案"),
)


def _programmes_generate(
    *,
    rng: random.Random,
    firms: list[Enterprise],
    parks: list[Park],
    chains: dict[str, IndustryChain],
    people: list[Profile],
    today: dt.date,
    now: dt.datetime,
) -> None:
    """专项招聘 events at the demo's parks (past ones with their figures), a few 揭榜挂帅 challenges of
    demo firms with teams of synthetic people, and 工匠 register entries of demo firms."""
    demo_parks = [park for park in parks if park.synthetic] or parks
    firms_by_park: dict[int, list[Enterprise]] = {}
    for firm in firms:
        if firm.park_id is not None:
            firms_by_park.setdefault(firm.park_id, []).append(firm)
    for index, park in enumerate(demo_parks[:12]):
        start = today + dt.timedelta(days=rng.randint(-90, 45))
        event = RecruitmentEvent.objects.create(
            park=park,
            title=f"{park.name}{_EVENT_NAMES[index % len(_EVENT_NAMES)]}",
            starts_on=start,
            ends_on=start + dt.timedelta(days=rng.randint(0, 2)),
            venue=f"{park.name}人才服务中心",
            created_at=now,
            synthetic=True,
        )
        taking_part = rng.sample(firms_by_park.get(park.pk, []), k=min(5, len(firms_by_park.get(park.pk, []))))
        event.firms.add(*taking_part)
        event.openings.add(*Opening.objects.filter(enterprise__in=taking_part, synthetic=True)[:10])
        if start <= today:
            visitors = rng.randint(100, 600)
            offers = rng.randint(10, visitors // 5)
            RecruitmentEvent.objects.filter(pk=event.pk).update(
                visitors=visitors,
                interviews=rng.randint(offers, visitors // 2),
                offers=offers,
                hires=rng.randint(0, offers),
                outcome_at=now,
            )
    codes = sorted(chains)
    visible = [person for person in people if person.visibility != Profile.Visibility.NOBODY]
    for index, (title, text) in enumerate(_CHALLENGES):
        firm = firms[rng.randrange(len(firms))]
        challenge = Challenge.objects.create(
            enterprise=firm,
            title=title,
            description=text,
            reward=rng.choice((50, 100, 200, 300, 500)),
            chain=chains[codes[index % len(codes)]],
            deadline=today + dt.timedelta(days=rng.randint(15, 90)),
            created_at=now,
            synthetic=True,
        )
        for number in range(rng.randint(0, 2) if len(visible) >= 6 else 0):
            members = rng.sample(visible, k=3)
            team = ChallengeTeam.objects.create(
                challenge=challenge,
                name=f"示例攻关团队{index + 1}-{number + 1}",
                proposal="示例方案：分阶段攻关，先完成原理验证，再进行中试",
                leader=members[0],
                status=ChallengeTeam.Status.APPLIED,
                created_at=now,
                applied_at=now,
            )
            ChallengeMember.objects.bulk_create(
                ChallengeMember(
                    team=team, profile=member, status=ChallengeMember.Status.ACCEPTED, invited_at=now, decided_at=now
                )
                for member in members
            )
    kinds = list(TalentHonour.Kind)
    honours = []
    for index, firm in enumerate(rng.sample(firms, k=min(40, len(firms)))):
        kind = kinds[index % len(kinds)]
        awarded = today - dt.timedelta(days=rng.randint(30, 1500))
        honours.append(
            TalentHonour(
                kind=kind,
                name=f"示例{kind.label}{index + 1:03d}",
                enterprise=firm,
                park=firm.park,
                awarded_on=awarded,
                valid_to=awarded + dt.timedelta(days=365 * 3) if kind != TalentHonour.Kind.CRAFTSMAN else None,
                issuer="示例认定单位",
                created_at=now,
            )
        )
    TalentHonour.objects.bulk_create(honours)
