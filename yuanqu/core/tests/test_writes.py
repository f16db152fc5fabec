"""A new row goes through its model's rules, is saved and leaves one audit entry with its fields; a
row the rules refuse is neither saved nor audited. A change is audited from the row before to the row
now."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from conftest import World
from yuanqu.core.audit import snapshot
from yuanqu.core.models import AuditLog
from yuanqu.core.writes import audit_change, create_audited
from yuanqu.registry.models import ParkFacility

pytestmark = pytest.mark.django_db


def test_it_saves_the_row_and_audits_its_creation_with_its_fields(world: World) -> None:
    actor = world.users["park_operator"]
    row = ParkFacility(park=world.parks["PA"], kind=ParkFacility.Kind.PILOT, name="中试基地")

    assert create_audited(actor=actor, row=row, detail="园区设施：登记") is row

    assert ParkFacility.objects.filter(pk=row.pk, name="中试基地").exists()
    entry = AuditLog.objects.get(object_type="registry.ParkFacility", object_id=str(row.pk))
    assert (entry.actor, entry.action, entry.detail) == (actor, AuditLog.Action.CREATE, "园区设施：登记")
    assert entry.before is None
    assert entry.after is not None and (entry.after["name"], entry.after["kind"]) == ("中试基地", "pilot")


def test_it_saves_and_audits_nothing_when_the_rules_refuse_the_row(world: World) -> None:
    facilities, entries = ParkFacility.objects.count(), AuditLog.objects.count()
    row = ParkFacility(park=world.parks["PA"], kind="no_such_kind", name="")

    with pytest.raises(ValidationError) as refused:
        create_audited(actor=world.users["park_operator"], row=row)

    assert set(refused.value.message_dict) == {"kind", "name"}
    assert (ParkFacility.objects.count(), AuditLog.objects.count()) == (facilities, entries)


def test_it_audits_a_change_from_the_snapshot_before_to_the_row_now(world: World) -> None:
    actor = world.users["park_operator"]
    row = create_audited(actor=actor, row=ParkFacility(park=world.parks["PA"], kind="pilot", name="中试基地"))
    before = snapshot(row)
    row.name = "中试基地二期"
    row.save(update_fields=["name"])

    entry = audit_change(actor=actor, row=row, before=before, detail="园区设施：更名")

    assert (entry.action, entry.object_id, entry.detail) == (AuditLog.Action.UPDATE, str(row.pk), "园区设施：更名")
    assert entry.before is not None and entry.after is not None
    assert (entry.before["name"], entry.after["name"]) == ("中试基地", "中试基地二期")
