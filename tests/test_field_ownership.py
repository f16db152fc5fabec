"""The field-ownership table (core.permissions.FIELD_OWNERS), cell by cell: for every model, role
and field, the permission module answers what the table says on an object in the role's scope, and
for parks and enterprises the write itself succeeds or is refused accordingly. The table printed in
docs/architecture.md is the one in the code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from pytest_django.fixtures import Settings

from conftest import World, square
from yuanqu.core.permissions import (
    FIELD_OWNERS,
    MODEL_FIELDS,
    may_write,
    owned_fields,
    ownership_markdown,
)
from yuanqu.core.roles import Role

PERSONA = {
    Role.CITY_ADMIN: "city_admin",
    Role.CITY_VIEWER: "city_viewer",
    Role.DISTRICT: "district_jiangxia",
    Role.PARK_OPERATOR: "park_operator",
    Role.ENTERPRISE: "enterprise",
    Role.HANDLER: "handler",
    Role.AUDITOR: "auditor",
    Role.SYSADMIN: "sysadmin",
}


def _persona(world: World, role: Role) -> Any:
    """The shared world's persona of the role; a role the shared world has no persona for (人才用户,
    who carries no scope object) gets a user of its own here."""
    if role in PERSONA:
        return world.users[PERSONA[role]]
    from yuanqu.core.models import User

    user, _ = User.objects.get_or_create(username=f"t-{role.value}", defaults={"role": role})
    return user


def _in_scope_objects(world: World) -> dict[str, Any]:
    """One object per model that lies in every scoped persona's scope: park PA (the operator's park,
    in the district user's district), its enterprise E1 (the enterprise user's own), E1's label,
    PA's parcel and facility, a case and a visit at E1, and a task assigned to the handler's unit
    and to the district's government."""
    from yuanqu.casework import services as casework
    from yuanqu.casework.models import CaseKind, Category
    from yuanqu.registry.models import EnterpriseLabel, LandParcel, ParkFacility, ResponsibleUnit
    from yuanqu.targets.models import SupervisedTask, TaskAssignment

    category = Category.objects.create(
        code="t_cell", name="求助", kind=CaseKind.REQUEST, time_limit_days=10, default_unit=world.unit
    )
    case = casework.case_submit(
        actor=world.users["enterprise"], category=category, title="用电增容", description="新增产线需要增容。"
    )
    visit = casework.visit_log(
        actor=world.users["park_operator"],
        enterprise=world.enterprises["E1"],
        visited_on=timezone.localdate() - dt.timedelta(days=1),
        summary="走访",
    )
    task = SupervisedTask.objects.create(
        code="t_cell", kind=SupervisedTask.Kind.TASK, number=1, title="任务", summary="要点", units_text="市经信局"
    )
    government = ResponsibleUnit.objects.create(
        code="gqzf-420115",
        name="江夏区人民政府",
        kind=ResponsibleUnit.Kind.DISTRICT_GOVERNMENT,
        district=world.districts["jiangxia"],
    )
    TaskAssignment.objects.create(task=task, unit=world.unit, role=TaskAssignment.Role.LEAD, via="jxj")
    TaskAssignment.objects.create(task=task, unit=government, role=TaskAssignment.Role.CO, via="gqzf")
    return {
        "registry.Park": world.parks["PA"],
        "registry.Enterprise": world.enterprises["E1"],
        "registry.EnterpriseLabel": EnterpriseLabel.objects.get(enterprise=world.enterprises["E1"]),
        "registry.LandParcel": LandParcel.objects.get(code="L-PA-1"),
        "registry.ParkFacility": ParkFacility.objects.get(park=world.parks["PA"]),
        "casework.Case": case,
        "casework.Visit": visit,
        "targets.SupervisedTask": task,
    }


def test_the_table_covers_every_model_it_names() -> None:
    assert set(FIELD_OWNERS) == set(MODEL_FIELDS)
    for label, owners in FIELD_OWNERS.items():
        for role in owners:
            assert owned_fields(role, label) <= set(MODEL_FIELDS[label]), (label, role)


@pytest.mark.parametrize("label", list(MODEL_FIELDS))
def test_every_cell_of_the_table_holds(world: World, settings: Settings, tmp_path: Path, label: str) -> None:
    settings.MEDIA_ROOT = tmp_path
    obj = _in_scope_objects(world)[label]
    wrong = []
    for role in Role:
        user = _persona(world, role)
        for field in MODEL_FIELDS[label]:
            expected = field in owned_fields(role, label)
            if may_write(user, obj, field) is not expected:
                wrong.append((role.value, field, expected))
    assert wrong == []


def test_out_of_scope_objects_are_never_writable(world: World) -> None:
    """The same cells on another district's park and enterprise: only the city writes them."""
    for obj in (world.parks["PC"], world.enterprises["E3"]):
        for role in Role:
            writable = any(may_write(_persona(world, role), obj, field) for field in MODEL_FIELDS[obj._meta.label])
            assert writable is (role in {Role.CITY_ADMIN, Role.SYSADMIN}), (obj, role)


# A new value for each park field (with the companion a valid row needs), written through the service.
PARK_WRITES: dict[str, dict[str, Any]] = {
    "code": {"code": "PA9"},
    "name": {"name": "江夏现代产业园（新）"},
    "district": {"district_id": "caidian"},
    "park_type": {"park_type": "featured"},
    "status": {"status": "recognised", "recognised_on": dt.date(2024, 3, 1)},
    "status_since": {"status_since": dt.date(2024, 3, 1)},
    "recognised_on": {"recognised_on": dt.date(2024, 3, 1)},
    "planned_area_km2": {"planned_area_km2": Decimal("5.5")},
    "boundary": {"boundary": square(114.30, 30.35, 0.03)},
    "lead_chains": {},
    "smart_platform": {"smart_platform": True},
    "smart_subsystems": {"smart_platform": True, "smart_subsystems": 5},
    "green_level": {"green_level": "provincial"},
    "synthetic": {"synthetic": True},
    "operator_name": {"operator_name": "江夏产投运营有限公司"},
    "operator_uscc": {"operator_uscc": "made below"},
    "management_model": {"management_model": "state_company"},
}


def _writes(service: Any, **arguments: Any) -> str:
    """'ok' if the write went through, 'refused' if it was refused for want of a right; the write is
    rolled back either way."""
    try:
        with transaction.atomic():
            service(**arguments)
            transaction.set_rollback(True)
    except (PermissionDenied, Http404):
        return "refused"
    return "ok"


@pytest.mark.parametrize("role", list(Role))
def test_every_park_cell_holds_through_the_service(world: World, role: Role) -> None:
    from yuanqu.core.uscc import make as make_uscc
    from yuanqu.registry.models import IndustryChain
    from yuanqu.registry.services import park_update

    chain = IndustryChain.objects.create(code="t-chain", name="光电子信息", kind=IndustryChain.Kind.KEY_CHAIN)
    user = _persona(world, role)
    wrong = []
    for field in MODEL_FIELDS["registry.Park"]:
        changes = dict(PARK_WRITES[field])
        if changes.get("district_id") == "caidian":
            changes["district_id"] = world.districts["caidian"].pk
        if "operator_uscc" in changes:
            changes["operator_uscc"] = make_uscc("91420100MA4K00099")
        chains = [chain.pk] if field == "lead_chains" else None
        needs = {field, *(name.removesuffix("_id") for name in changes)}
        expected = "ok" if needs <= owned_fields(role, "registry.Park") else "refused"
        got = _writes(park_update, actor=user, park=world.parks["PA"], lead_chain_ids=chains, **changes)
        if got != expected:
            wrong.append((field, expected, got))
    assert wrong == []


ENTERPRISE_WRITES: dict[str, dict[str, Any]] = {
    "name": {"name": "武汉甲光电科技股份有限公司"},
    "industry": {"industry_id": "C3974"},
    "address": {"address": "江夏区光谷大道1号"},
    "lon": {"lon": 114.31, "lat": 30.36},
    "lat": {"lon": 114.311, "lat": 30.361},
    "park_assignment": {"park_assignment": "auto", "lon": 114.31, "lat": 30.36},
    "founded_on": {"founded_on": dt.date(2010, 5, 4)},
    "synthetic": {"synthetic": True},
}


@pytest.mark.parametrize("role", list(Role))
def test_every_enterprise_cell_holds_through_the_service(world: World, role: Role) -> None:
    """Each field of E1 written in place (the credit code is never changed after registration, and
    moving the firm to another district or park is the placement rule's, tested in registry)."""
    from yuanqu.registry.services import enterprise_update

    user = _persona(world, role)
    wrong = []
    for field, changes in ENTERPRISE_WRITES.items():
        needs = {field, *(name.removesuffix("_id") for name in changes)}
        expected = "ok" if needs <= owned_fields(role, "registry.Enterprise") else "refused"
        got = _writes(enterprise_update, actor=user, enterprise=world.enterprises["E1"], **changes)
        if got != expected:
            wrong.append((field, expected, got))
    assert wrong == []


def test_the_documented_table_is_the_table_in_the_code() -> None:
    doc = (Path(settings.BASE_DIR) / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert ownership_markdown() in doc
