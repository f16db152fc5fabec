"""The demo's 人才直通车 data: openings of synthetic firms, plainly synthetic people with encrypted
contacts and consents, deterministic for a seed, and removed by the demo's clear."""

from __future__ import annotations

from yuanqu.core.models import User
from yuanqu.demo.talent import talent_demo_clear, talent_demo_generate
from yuanqu.registry.models import Enterprise
from yuanqu.talent import queries
from yuanqu.talent.models import Consent, Opening, Profile
from yuanqu.talent.tests.conftest import TalentWorld


def test_it_makes_openings_and_synthetic_people_and_clears_them(tw: TalentWorld) -> None:
    Enterprise.objects.filter(pk__in=[tw.world.enterprises["E1"].pk, tw.world.enterprises["E3"].pk]).update(
        synthetic=True
    )
    assert talent_demo_generate(seed=7, scale=0.01) == (30, 100)
    first = Profile.objects.order_by("pk").first()
    assert first is not None
    assert first.name == "示例人才00001" and first.contact == "demo00001@example.invalid"
    assert Consent.objects.count() == 100
    assert set(Opening.objects.values_list("chain__code", flat=True)) <= {"laser", "integrated_circuit"}
    opening = Opening.objects.order_by("pk").first()
    assert opening is not None
    queries.candidates_for(opening)  # the matching runs over the synthetic people
    talent_demo_clear()
    assert not Opening.objects.exists()
    assert not Profile.objects.exists() and not User.objects.filter(role="talent").exists()
