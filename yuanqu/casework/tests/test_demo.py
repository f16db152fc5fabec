"""The demo: a few hundred realistic cases over 2025–2026 in every state, consistent with the
services' rules, deterministic for a seed, and removable."""

from __future__ import annotations

from collections import Counter

from yuanqu.casework import clock
from yuanqu.casework.demo import casework_demo_clear, casework_demo_generate
from yuanqu.casework.models import Case, CaseEvent, Transfer, Visit
from yuanqu.core.models import User

from .conftest import CaseWorld, at


def test_it_generates_cases_in_every_state(cw: CaseWorld) -> None:
    with clock.frozen(at(2026, 6, 30, 18)):
        made = casework_demo_generate(seed=7, count=300)
    assert made >= 280
    cases = Case.objects.all()
    assert cases.count() == made and not cases.filter(synthetic=False).exists()
    statuses = Counter(cases.values_list("status", flat=True))
    assert set(statuses) == set(Case.Status.values), statuses
    assert statuses[Case.Status.CLOSED] > made // 2
    years = {number[4:8] for number in cases.values_list("number", flat=True)}
    assert years == {"2025", "2026"}
    assert cases.filter(kind="park_problem").exists() and cases.filter(repeat_of__isnull=False).exists()
    assert cases.overdue(at(2026, 6, 30).date()).exists()
    assert cases.filter(reopen_count__gt=0).exists() and Transfer.objects.exists()
    assert cases.filter(satisfied=False).exists() and cases.filter(finished_on_time=False).exists()
    assert Visit.objects.filter(synthetic=True, cases__isnull=False).exists()
    # Every timeline starts with the submission and never runs past "now".
    first_events = [case.events.order_by("at", "id").first() for case in cases[:50]]
    first_actions = {event.action if event is not None else None for event in first_events}
    assert first_actions == {CaseEvent.Action.SUBMIT}
    assert not CaseEvent.objects.filter(at__gt=at(2026, 6, 30, 18)).exists()
    # The world's enterprise account now has cases of its own to look at.
    assert Case.objects.visible_to(cw.user("enterprise")).exists()


def test_it_is_deterministic_and_removable(cw: CaseWorld) -> None:
    with clock.frozen(at(2025, 12, 31, 18)):
        casework_demo_generate(seed=3, count=40)
        first = list(Case.objects.order_by("number").values_list("number", "title", "status"))
        casework_demo_clear()
        assert not Case.objects.exists()
        assert not User.objects.filter(username__startswith="cw-demo-").exists()
        casework_demo_generate(seed=3, count=40)
    assert list(Case.objects.order_by("number").values_list("number", "title", "status")) == first
