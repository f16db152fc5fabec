"""时点口径: the indicators of a period read the registry's state of that period. Moving a firm from
one park to another from a day leaves every value of the periods that ended before unchanged; a
corrected date, a park's new type and a 注销 recompute exactly what they touched, and the
incremental recompute equals a full one, cell by cell.

The fixture is `factories.add_stats` (hand-sized numbers): E1 in PA (modern) reports revenue 90万,
120万 and 150万 (×1万元) in 2023–2025; E2 in PB (urban) 4万, 5万 and 6万."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import World
from yuanqu.core.periods import year_period
from yuanqu.indicators.models import ComputeRun, IndicatorValue
from yuanqu.indicators.selectors import Scope, children
from yuanqu.indicators.services import indicators_compute_all
from yuanqu.indicators.tests.factories import snapshot, year_value
from yuanqu.registry.history import (
    ERR_FIRST_VERSION,
    ERR_FUTURE,
    ERR_NOT_AFTER_LAST,
    enterprise_state_change,
    enterprise_version_correct,
    park_state_change,
)
from yuanqu.registry.models import EnterpriseVersion, RegistrationStatus
from yuanqu.registry.selectors import membership_at
from yuanqu.registry.services import enterprise_update

Y2023, Y2024, Y2025 = dt.date(2023, 12, 31), dt.date(2024, 12, 31), dt.date(2025, 12, 31)
MOVE = dt.date(2025, 7, 1)

Capture = Callable[..., AbstractContextManager[Any]]


def stamps() -> dict[tuple[str, str, str, str, dt.date], dt.datetime]:
    return {
        (row.indicator, row.scope_kind, row.scope_code, row.frequency, row.period): row.computed_at
        for row in IndicatorValue.objects.all()
    }


def move_e1(world: World, capture: Capture, day: dt.date = MOVE) -> EnterpriseVersion:
    with capture(execute=True):
        return enterprise_state_change(
            actor=world.users["city_admin"],
            enterprise=world.enterprises["E1"],
            valid_from=day,
            park_id=world.parks["PB"].pk,
        )


def test_it_leaves_every_value_before_the_move_unchanged(
    computed: World, django_capture_on_commit_callbacks: Capture
) -> None:
    before = snapshot()
    before_stamps = stamps()
    move_e1(computed, django_capture_on_commit_callbacks)
    after = snapshot()
    earlier = {key: found for key, found in before.items() if key[4] < MOVE}
    assert earlier, "the fixture has periods before the move"
    assert {key: after.get(key) for key in earlier} == earlier
    # Not only equal: the periods before the move were not computed again.
    now = stamps()
    assert all(now[key] == before_stamps[key] for key in earlier)
    # Hand-computed: 2024 stays where E1 was (PA 120万, PB 5万); 2025 follows E1 to PB (150万 + 6万).
    assert year_value("revenue", "park", "PA", Y2024) == Decimal(1_200_000)
    assert year_value("revenue", "park", "PB", Y2024) == Decimal(50_000)
    assert year_value("revenue", "park", "PB", Y2025) == Decimal(1_560_000)
    assert year_value("revenue", "park", "PA", Y2025) is None
    # The park types follow the park E1 was in at the year's end: PA is modern, PB urban.
    assert year_value("revenue", "park_type", "modern", Y2024) == Decimal(1_200_000)
    assert year_value("revenue", "park_type", "urban", Y2025) == Decimal(1_560_000)
    # The city's total is the same, wherever E1 is.
    assert year_value("revenue", "city", "city", Y2025) == before[("revenue", "city", "city", "year", Y2025)]


def test_it_gives_the_same_values_as_a_full_recompute_after_a_move(
    computed: World, django_capture_on_commit_callbacks: Capture
) -> None:
    move_e1(computed, django_capture_on_commit_callbacks)
    incremental = snapshot()
    indicators_compute_all()
    assert incremental == snapshot()


def test_a_corrected_date_recomputes_the_periods_between_the_two_dates(
    computed: World, django_capture_on_commit_callbacks: Capture
) -> None:
    version = move_e1(computed, django_capture_on_commit_callbacks)
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        enterprise_version_correct(actor=computed.users["city_admin"], version=version, valid_from=dt.date(2024, 6, 1))
    # E1 was in PB from June 2024: its 2024 revenue counts there, 2023 stays in PA.
    assert year_value("revenue", "park", "PB", Y2024) == Decimal(1_250_000)
    assert year_value("revenue", "park", "PA", Y2023) == Decimal(900_000)
    after = snapshot()
    assert {key: after.get(key) for key in before if key[4] < dt.date(2024, 6, 1)} == {
        key: found for key, found in before.items() if key[4] < dt.date(2024, 6, 1)
    }
    incremental = after
    indicators_compute_all()
    assert incremental == snapshot()
    assert membership_at(computed.enterprises["E1"], dt.date(2024, 5, 31)).park_id == computed.parks["PA"].pk
    assert membership_at(computed.enterprises["E1"], dt.date(2024, 6, 1)).park_id == computed.parks["PB"].pk


def test_a_park_type_counts_in_its_type_of_each_period(
    computed: World, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        park_state_change(
            actor=computed.users["city_admin"],
            park=computed.parks["PB"],
            valid_from=dt.date(2025, 1, 1),
            park_type="modern",
        )
    # PB is urban in 2024 and modern in 2025: modern 2025 is PA (150万) + PB (6万).
    assert year_value("revenue", "park_type", "urban", Y2024) == Decimal(50_000)
    assert year_value("revenue", "park_type", "modern", Y2025) == Decimal(1_560_000)
    assert year_value("revenue", "park_type", "urban", Y2025) is None

    # The type's page lists the parks of that type at the period's end.
    def listed(code: str, year: int) -> list[str]:
        found = children(computed.users["city_admin"], "revenue", Scope.parse(f"park_type:{code}"), year_period(year))
        return [row.scope_code for row in found["park"]]

    assert listed("urban", 2024) == ["PB"]
    assert listed("modern", 2024) == ["PA"]
    assert listed("modern", 2025) == ["PA", "PB"]
    incremental = snapshot()
    indicators_compute_all()
    assert incremental == snapshot()


def test_a_cancelled_firm_leaves_the_counts_from_its_date(
    computed: World, django_capture_on_commit_callbacks: Capture
) -> None:
    before = year_value("above_scale_enterprises", "park", "PC", Y2025)
    with django_capture_on_commit_callbacks(execute=True):
        enterprise_state_change(
            actor=computed.users["city_admin"],
            enterprise=computed.enterprises["E3"],
            valid_from=dt.date(2025, 3, 1),
            registration_status=RegistrationStatus.CANCELLED,
        )
    # E3 (规上 since 2019) is PC's one 规上 firm: counted in 2024, not at the end of 2025; its
    # reported 2025 revenue stays in PC.
    assert before == Decimal(1)
    assert year_value("above_scale_enterprises", "park", "PC", Y2024) == Decimal(1)
    assert year_value("above_scale_enterprises", "park", "PC", Y2025) in (None, Decimal(0))
    assert year_value("revenue", "park", "PC", Y2025) == Decimal(220_000)
    incremental = snapshot()
    indicators_compute_all()
    assert incremental == snapshot()


def test_it_refuses_a_change_before_the_state_in_force_and_a_future_date(
    computed: World, django_capture_on_commit_callbacks: Capture
) -> None:
    version = move_e1(computed, django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError) as refused:
        enterprise_state_change(
            actor=computed.users["city_admin"],
            enterprise=computed.enterprises["E1"],
            valid_from=dt.date(2025, 1, 1),
            park_id=computed.parks["PA"].pk,
        )
    assert ERR_NOT_AFTER_LAST.format(day="2025-01-01", start=MOVE.isoformat()) in str(refused.value)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        enterprise_version_correct(actor=computed.users["city_admin"], version=version, valid_from=tomorrow)
    assert ERR_FUTURE.format(day=tomorrow.isoformat()) in str(refused.value)
    first = EnterpriseVersion.objects.filter(enterprise=computed.enterprises["E1"], valid_from__isnull=True).get()
    with pytest.raises(ValidationError) as refused:
        enterprise_version_correct(actor=computed.users["city_admin"], version=first, valid_from=dt.date(2020, 1, 1))
    assert ERR_FIRST_VERSION in str(refused.value)
    # Nothing changed: two versions, the second from the move.
    assert list(
        EnterpriseVersion.objects.filter(enterprise=computed.enterprises["E1"]).values_list("valid_from", "valid_to")
    ) == [(None, MOVE - dt.timedelta(days=1)), (MOVE, None)]


def test_a_move_entered_without_a_date_rewrites_no_computed_period(
    computed: World, django_capture_on_commit_callbacks: Capture
) -> None:
    before = snapshot()
    runs = ComputeRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        enterprise_update(
            actor=computed.users["city_admin"], enterprise=computed.enterprises["E1"], park_id=computed.parks["PB"].pk
        )
    # The move holds from today: no computed period changes, so nothing is recomputed, and a full
    # recompute agrees (before dated history it moved E1's 2023–2025 figures to PB).
    assert ComputeRun.objects.count() == runs
    indicators_compute_all()
    assert snapshot() == before
    assert year_value("revenue", "park", "PA", Y2024) == Decimal(1_200_000)
