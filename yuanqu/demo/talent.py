"""Synthetic 人才直通车 data for the demo: openings of the synthetic firms (skills from the pack's
vocabulary of their chain, some 揭榜挂帅 or 候鸟式) and profiles of plainly synthetic people
(示例人才00001, demo00001@example.invalid) with their consent and a few answered interests.
Deterministic for a seed; written in bulk, since the rows are made up and the services' checks and
audit entries say nothing about them. The contacts are encrypted like real ones.

Who calls this: the `demo` management command, after the registry demo data; `demo_clear`."""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.registry.models import Enterprise, IndustryChain, Park
from yuanqu.talent import crypto
from yuanqu.talent.attributes import SkillGrade, TitleGrade
from yuanqu.talent.config import config
from yuanqu.talent.models import Consent, Interest, Opening, Profile

USERNAME_PREFIX = "demo-rc"
_ROLES = ("工程师", "技术员", "工艺员", "研发工程师", "质量工程师", "设备工程师", "操作工", "项目经理")
_VERBS = ("负责", "参与", "熟悉", "有经验于")


@transaction.atomic
def talent_demo_clear() -> int:
    """Remove the synthetic openings, people and their consents and interest; returns how many rows."""
    removed = Opening.objects.filter(synthetic=True).delete()[0]
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
    notice = pack.consent
    Consent.objects.bulk_create(
        [
            Consent(
                user=user,
                version=notice.version,
                purpose=notice.purpose,
                recipients=notice.recipients,
                retention=notice.retention.format(days=settings.TALENT_RETENTION_DAYS),
                given_at=now,
            )
            for user in users
        ],
        batch_size=1000,
    )
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
    return len(openings), len(profiles)
