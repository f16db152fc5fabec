"""Visit due dates: each firm's tier from its labels (pack: 链主 monthly, 规上 quarterly, others every
six months), the due day counted from the last visit or, never visited, from the day its specialist
took it over, and overdue once that day has passed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from yuanqu.casework.models import Visit
from yuanqu.registry.models import EnterpriseLabel
from yuanqu.service import selectors, services
from yuanqu.service.selectors import add_months
from yuanqu.service.tests.conftest import ServiceWorld


def test_it_adds_months_keeping_the_day_or_the_months_last() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)
    assert add_months(dt.date(2026, 6, 30), 6) == dt.date(2026, 12, 30)


def test_it_counts_due_days_per_tier_from_the_last_visit(sv: ServiceWorld, on_day: Any) -> None:
    firms = sv.world.enterprises
    admin = sv.user("city_admin")
    EnterpriseLabel.objects.create(enterprise=firms["E1"], kind="chain_leader", valid_from=dt.date(2025, 1, 1))
    EnterpriseLabel.objects.create(enterprise=firms["E2"], kind="above_scale", valid_from=dt.date(2025, 1, 1))
    # A 链主 label that ended does not count: E4 is an ordinary firm.
    EnterpriseLabel.objects.create(
        enterprise=firms["E4"], kind="chain_leader", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2025, 12, 31)
    )
    with on_day(dt.date(2026, 1, 5)):
        for key in ("E1", "E2", "E4"):
            services.assignment_set(actor=admin, enterprise=firms[key], specialist=sv.user("district_jiangxia"))
    Visit.objects.create(
        enterprise=firms["E1"],
        visited_by=admin,
        visited_on=dt.date(2026, 2, 20),
        summary="走访",
        created_at=dt.datetime(2026, 2, 20, tzinfo=dt.UTC),
    )
    with on_day(dt.date(2026, 3, 23)):
        rows = {
            row.enterprise.pk: row
            for row in selectors.visit_schedule(admin, firms["E1"].__class__.objects.all(), on=dt.date(2026, 3, 23))
        }
    e1, e2, e4 = rows[firms["E1"].pk], rows[firms["E2"].pk], rows[firms["E4"].pk]
    assert (e1.tier.code, e1.last_visit, e1.next_due, e1.state) == (
        "chain_leader",
        dt.date(2026, 2, 20),
        dt.date(2026, 3, 20),
        "overdue",
    )
    assert (e2.tier.code, e2.last_visit, e2.next_due, e2.state) == ("above_scale", None, dt.date(2026, 4, 5), "ok")
    assert (e4.tier.code, e4.next_due, e4.state) == ("other", dt.date(2026, 7, 5), "ok")
    assert firms["E3"].pk not in rows  # no specialist, no schedule
    with on_day(dt.date(2026, 3, 30)):
        soon = selectors.visit_schedule(
            admin, firms["E1"].__class__.objects.filter(pk=firms["E2"].pk), on=dt.date(2026, 3, 30)
        )
    assert [row.state for row in soon] == ["due_soon"]


def test_it_shows_each_role_only_the_schedule_of_its_scope(sv: ServiceWorld, on_day: Any) -> None:
    firms = sv.world.enterprises
    with on_day(dt.date(2026, 1, 5)):
        services.assignment_set(actor=sv.user("city_admin"), enterprise=firms["E1"], specialist=sv.specialist)
        services.assignment_set(
            actor=sv.user("city_admin"), enterprise=firms["E3"], specialist=sv.user("district_caidian")
        )
    everyone = firms["E1"].__class__.objects.all()
    seen = {
        persona: sorted(
            row.enterprise.name for row in selectors.visit_schedule(sv.user(persona), everyone, on=dt.date(2026, 2, 1))
        )
        for persona in (
            "city_admin",
            "city_viewer",
            "district_jiangxia",
            "district_caidian",
            "park_operator",
            "enterprise",
            "handler",
            "auditor",
        )
    }
    both = sorted([firms["E1"].name, firms["E3"].name])
    assert seen == {
        "city_admin": both,
        "city_viewer": both,
        "district_jiangxia": [firms["E1"].name],
        "district_caidian": [firms["E3"].name],
        "park_operator": [firms["E1"].name],
        "enterprise": [firms["E1"].name],
        "handler": [],
        "auditor": [],
    }
