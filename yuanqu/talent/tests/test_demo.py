"""The demo's 人才直通车 data: openings of synthetic firms, plainly synthetic people with encrypted
contacts and consents, deterministic for a seed, and removed by the demo's clear."""

from __future__ import annotations

from django.db.models import Model
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from yuanqu.core.models import User
from yuanqu.demo.talent import talent_demo_clear, talent_demo_generate
from yuanqu.registry.models import Enterprise, Park
from yuanqu.talent import queries
from yuanqu.talent.models import Challenge, Consent, Opening, Profile, RecruitmentEvent, TalentHonour
from yuanqu.talent.services.events import EventData, event_create
from yuanqu.talent.services.honours import HonourData, honour_create
from yuanqu.talent.services.registration import consent_build
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


def _talent_rows_protecting(*objects: Model) -> list[str]:
    """The talent rows that would stop these objects' deletion (RecruitmentEvent.park and
    TalentHonour.enterprise/park are PROTECT)."""
    found: list[str] = []
    for obj in objects:
        collector = Collector(using="default")
        try:
            collector.collect([obj])
        except (ProtectedError, RestrictedError) as exc:
            blocking = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
            found += [f"{row._meta.label}:{row.pk}" for row in blocking if row._meta.app_label == "talent"]
    return found


def test_it_makes_events_challenges_and_register_entries_and_the_clear_is_not_blocked(tw: TalentWorld) -> None:
    world = tw.world
    park, firm, real_firm = world.parks["PA"], world.enterprises["E1"], world.enterprises["E2"]
    Park.objects.filter(pk=park.pk).update(synthetic=True)
    Enterprise.objects.filter(pk__in=[firm.pk, world.enterprises["E3"].pk]).update(synthetic=True)
    park.refresh_from_db()
    firm.refresh_from_db()
    assert talent_demo_generate(seed=7, scale=0.01) == (30, 100)
    assert RecruitmentEvent.objects.filter(synthetic=True, park=park).exists()
    assert Challenge.objects.filter(synthetic=True).count() == 6
    assert TalentHonour.objects.filter(enterprise=firm).exists()
    # Rows entered through the services on the demo's park and firm (not synthetic themselves).
    now = timezone.now()
    event_create(
        actor=world.users["park_operator"],
        data=EventData(title="真实活动", park="PA", starts_on=timezone.localdate(now), ends_on=timezone.localdate(now)),
        now=now,
    )
    honour_create(
        actor=world.users["city_admin"],
        data=HonourData(kind="craftsman", name="某工匠", uscc=firm.uscc, awarded_on=timezone.localdate(now)),
        now=now,
    )
    opening = tw.opening(park="PA")
    assert real_firm.pk != firm.pk and _talent_rows_protecting(park, firm)
    talent_demo_clear()
    assert _talent_rows_protecting(park, firm) == []
    opening.refresh_from_db()
    assert opening.park is None  # the real firm's opening stays, without the demo park
    assert not RecruitmentEvent.objects.exists() and not Challenge.objects.exists()


def test_the_demo_consent_is_the_registrations(tw: TalentWorld) -> None:
    Enterprise.objects.filter(pk=tw.world.enterprises["E1"].pk).update(synthetic=True)
    talent_demo_generate(seed=7, scale=0.01)
    person = tw.register("consent.check@example.com")
    given = Consent.objects.get(user=person)
    demo = Consent.objects.exclude(user=person).first()
    assert demo is not None
    fields = ("version", "purpose", "recipients", "retention")
    assert [getattr(demo, name) for name in fields] == [getattr(given, name) for name in fields]
    built = consent_build(user=person, now=timezone.now())
    assert [getattr(built, name) for name in fields] == [getattr(given, name) for name in fields]
