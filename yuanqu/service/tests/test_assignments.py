"""企业服务专员: assigning, handing over with the history kept, bulk assignment by park, chain and
tier, and the refusals (a specialist who cannot see the firm, a firm outside the actor's scope)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from yuanqu.casework import clock
from yuanqu.core.models import AuditLog
from yuanqu.core.permissions import WriteDenied
from yuanqu.registry.models import EnterpriseLabel
from yuanqu.service import actions, schemas, services
from yuanqu.service.models import SpecialistAssignment
from yuanqu.service.services import common
from yuanqu.service.tests.conftest import ServiceWorld


def test_it_hands_over_keeping_the_history(sv: ServiceWorld, on_day: Any) -> None:
    firm = sv.world.enterprises["E1"]
    admin = sv.user("city_admin")
    with on_day(dt.date(2026, 1, 5)):
        services.assignment_set(actor=admin, enterprise=firm, specialist=sv.user("park_operator"))
    with on_day(dt.date(2026, 4, 1)):
        moved = services.assignment_handover(
            actor=sv.user("district_jiangxia"),
            from_specialist=sv.user("park_operator"),
            to_specialist=sv.specialist,
            reason="岗位调整",
        )
    assert [row.enterprise_id for row in moved] == [firm.pk]
    history = list(SpecialistAssignment.objects.filter(enterprise=firm).order_by("started_on"))
    assert [(row.specialist_id, row.started_on, row.ended_on) for row in history] == [
        (sv.user("park_operator").pk, dt.date(2026, 1, 5), dt.date(2026, 4, 1)),
        (sv.specialist.pk, dt.date(2026, 4, 1), None),
    ]
    assert history[1].reason == "岗位调整"
    assert list(
        AuditLog.objects.filter(object_type="service.SpecialistAssignment")
        .order_by("id")
        .values_list("detail", flat=True)
    ) == [
        "服务专员：指派",
        "服务专员：移交",
        "服务专员：指派",
    ]


def test_it_refuses_a_specialist_who_cannot_see_the_firm(sv: ServiceWorld) -> None:
    with pytest.raises(ValidationError) as caught:
        services.assignment_set(
            actor=sv.user("city_admin"), enterprise=sv.world.enterprises["E3"], specialist=sv.user("park_operator")
        )
    assert caught.value.message_dict == {
        "specialist": [common.SPECIALIST_SCOPE % {"name": "t-park-pa", "firm": sv.world.enterprises["E3"].name}]
    }
    with pytest.raises(ValidationError) as caught:
        services.assignment_set(
            actor=sv.user("city_admin"), enterprise=sv.world.enterprises["E1"], specialist=sv.user("handler")
        )
    assert caught.value.message_dict == {"specialist": [common.SPECIALIST_ROLE % {"name": "t-handler"}]}
    with pytest.raises(WriteDenied):
        services.assignment_set(
            actor=sv.user("district_caidian"),
            enterprise=sv.world.enterprises["E1"],
            specialist=sv.user("park_operator"),
        )
    assert not SpecialistAssignment.objects.exists()


def test_the_database_keeps_one_current_specialist_per_firm(sv: ServiceWorld) -> None:
    firm = sv.world.enterprises["E1"]
    services.assignment_set(actor=sv.user("city_admin"), enterprise=firm, specialist=sv.user("park_operator"))
    with pytest.raises(IntegrityError), transaction.atomic():
        SpecialistAssignment.objects.create(
            enterprise=firm, specialist=sv.specialist, started_on=dt.date(2026, 1, 1), created_at=clock.now()
        )


def test_it_assigns_in_bulk_by_park_chain_and_tier(sv: ServiceWorld) -> None:
    firms = sv.world.enterprises
    district = sv.user("district_jiangxia")
    EnterpriseLabel.objects.create(enterprise=firms["E2"], kind="above_scale", valid_from=dt.date(2020, 1, 1))
    made = actions.assign_bulk(
        actor=district, data=schemas.BulkAssignIn(specialist="t-district-jx-2", tier="above_scale")
    )
    assert [row.enterprise_id for row in made] == [firms["E2"].pk]
    made = actions.assign_bulk(actor=district, data=schemas.BulkAssignIn(specialist="t-district-jx-2", park="PA"))
    assert [row.enterprise_id for row in made] == [firms["E1"].pk]
    # The rest of the district: only E4 (outside any park) is left; E1 and E2 keep their specialist.
    made = actions.assign_bulk(actor=district, data=schemas.BulkAssignIn(specialist="t-district-jx"))
    assert [row.enterprise_id for row in made] == [firms["E4"].pk]
    assert SpecialistAssignment.objects.current().count() == 3


def test_bulk_assignment_is_all_or_nothing(sv: ServiceWorld) -> None:
    with pytest.raises(ValidationError):
        actions.assign_bulk(
            actor=sv.user("district_jiangxia"),
            data=schemas.BulkAssignIn(specialist="t-park-pa", skip_assigned=False),
        )
    assert not SpecialistAssignment.objects.exists()


def test_stored_rules_assign_the_firms_without_a_specialist_only(sv: ServiceWorld, on_day: Any) -> None:
    from yuanqu.core.uscc import make as make_uscc
    from yuanqu.registry.models import Enterprise

    firms = sv.world.enterprises
    district = sv.user("district_jiangxia")
    with on_day(dt.date(2026, 3, 2)):
        services.assignment_set(actor=district, enterprise=firms["E2"], specialist=district)
        with pytest.raises(ValidationError) as empty:
            actions.rule_add(actor=district, data=schemas.BulkAssignIn(specialist=sv.district_specialist.username))
        actions.rule_add(
            actor=district, data=schemas.BulkAssignIn(specialist=sv.district_specialist.username, park="PB")
        )
        actions.rule_add(actor=district, data=schemas.BulkAssignIn(specialist=sv.specialist.username, park="PA"))
        new = Enterprise.objects.create(
            uscc=make_uscc("91420100MA4N00001"),
            name="新导入企业",
            industry_id="C3976",
            district=firms["E1"].district,
            park=firms["E1"].park,
            park_assignment="manual",
        )
        made = actions.rules_apply(actor=district)
        again = actions.rules_apply(actor=district)
    assert empty.value.messages == [actions.RULE_EMPTY]
    assert {(row.enterprise.name, row.specialist.username) for row in made} == {
        (firms["E1"].name, sv.specialist.username),
        (new.name, sv.specialist.username),
    }
    # E2 kept its specialist (the PB rule found nobody to assign); nothing is left for a second run.
    assert SpecialistAssignment.objects.current().get(enterprise=firms["E2"]).specialist == district
    assert again == []
    assert AuditLog.objects.filter(detail="服务专员：指派规则").count() == 2
