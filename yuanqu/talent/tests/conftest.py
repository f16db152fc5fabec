"""The talent test world: the shared world, the pack's chains in the registry, and a way to register a
person through the real registration services (code read from the service's answer)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from conftest import World
from yuanqu.core.models import User
from yuanqu.registry.models import ChainNode, IndustryChain
from yuanqu.talent.config import config
from yuanqu.talent.models import Opening, Profile
from yuanqu.talent.services.openings import OpeningData, opening_create
from yuanqu.talent.services.profiles import ProfileData, profile_update
from yuanqu.talent.services.registration import registration_confirm, registration_start

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
PASSWORD = "Rencai-2026-pass!"


@dataclass
class TalentWorld:
    world: World
    laser: IndustryChain
    ic: IndustryChain

    def register(self, contact: str, name: str = "测试甲", address: str = "10.0.0.1") -> User:
        started = registration_start(contact=contact, address=address, now=NOW)
        return registration_confirm(
            verification_id=started.verification.pk,
            code=started.code,
            name=name,
            password=PASSWORD,
            consent_version=config().consent.version,
            consented=True,
            now=NOW,
        )

    def profile(self, user: User, **fields: object) -> Profile:
        data = ProfileData(**{"name": "测试甲", "visibility": Profile.Visibility.ALL, **fields})  # type: ignore[arg-type]
        return profile_update(actor=user, data=data, now=NOW)

    def opening(self, **fields: object) -> Opening:
        values: dict[str, object] = {
            "title": "岗位",
            "chain": "laser",
            "salary_min": 8000,
            "salary_max": 15000,
            "valid_from": TODAY,
            "valid_to": TODAY + dt.timedelta(days=90),
            "park": "PA",
            **fields,
        }
        return opening_create(actor=self.world.users["enterprise"], data=OpeningData(**values), now=NOW)  # type: ignore[arg-type]


@pytest.fixture
def tw(world: World) -> TalentWorld:
    chains = {}
    for code, name in (("laser", "激光"), ("integrated_circuit", "集成电路")):
        chains[code], _ = IndustryChain.objects.get_or_create(
            code=code, defaults={"name": name, "kind": IndustryChain.Kind.KEY_CHAIN}
        )
    ChainNode.objects.get_or_create(
        chain=chains["laser"], name="激光加工与增材制造装备", defaults={"stage": ChainNode.Stage.MIDSTREAM}
    )
    return TalentWorld(world=world, laser=chains["laser"], ic=chains["integrated_circuit"])


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now()
