"""The audit log page speaks to people: an object by its model's name and its own name, a change as
"field: before → after" with readable values, a bulk read as its row count, and a filter that lists
the object types by name (no `casework.Case #`, `{'rows': 0}`, `None`, or "如 registry.Park")."""

from __future__ import annotations

import re

from conftest import World
from yuanqu.core.audit import audit_bulk_read, audit_record
from yuanqu.core.models import AuditLog


def _cells(html: str, testid: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(rf'data-testid="{testid}">(.*?)</td>', html, re.S)
    ]


def test_it_names_objects_and_changes_in_words(world: World) -> None:
    park = world.parks["PA"]
    audit_record(
        actor=world.users["city_admin"],
        action=AuditLog.Action.UPDATE,
        obj=park,
        before={"name": "江夏现代产业园", "park_type": "modern", "boundary_checked": None},
        after={"name": "江夏现代产业园（一期）", "park_type": "urban", "boundary_checked": True},
    )
    audit_bulk_read(actor=world.users["city_admin"], resource="/api/v1/registry/parks", rows=0)
    html = world.client("auditor").get("/core/audit/").content.decode()
    objects = _cells(html, "audit-object")
    changes = _cells(html, "audit-changes")
    assert objects[1] == "园区 江夏现代产业园"
    assert "园区名称：江夏现代产业园 → 江夏现代产业园（一期）" in changes[1]
    assert "都市工业园" in changes[1] and "urban" not in changes[1]
    assert "（空） → 是" in changes[1]
    assert objects[0] == "/api/v1/registry/parks"
    assert changes[0].startswith("行数：0")
    for developer_text in ("registry.Park #", "{'rows'", "None", "如 registry.Park"):
        assert developer_text not in html


def test_it_filters_by_object_type_chosen_by_name(world: World) -> None:
    audit_record(
        actor=world.users["city_admin"], action=AuditLog.Action.UPDATE, obj=world.parks["PA"], after={"name": "甲"}
    )
    audit_record(
        actor=world.users["city_admin"],
        action=AuditLog.Action.UPDATE,
        obj=world.enterprises["E1"],
        after={"name": "乙"},
    )
    client = world.client("auditor")
    html = client.get("/core/audit/").content.decode()
    assert '<option value="registry.Park">园区</option>' in html
    filtered = client.get("/core/audit/?object_type=registry.Park").content.decode()
    assert _cells(filtered, "audit-object") == ["园区 江夏现代产业园"]
