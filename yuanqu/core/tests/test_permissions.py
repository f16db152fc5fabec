"""The permission module's getters and messages: 404 for what a user may not see, 403 for what it
sees but may not write, and a refusal that names the fields and who owns them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from conftest import World
from yuanqu.core.permissions import (
    ERR_OUT_OF_SCOPE,
    check_fields,
    check_place,
    get_writable_or_403,
    may_place,
    role_of,
)
from yuanqu.core.roles import Role
from yuanqu.registry.models import Park


def test_the_write_getter_answers_404_outside_the_scope_and_403_inside_it(world: World) -> None:
    enterprise = world.users["enterprise"]
    with pytest.raises(Http404):
        get_writable_or_403(Park.objects.all(), enterprise, code="PC")  # not its park: as if it did not exist
    with pytest.raises(PermissionDenied, match="无权修改园区"):
        get_writable_or_403(Park.objects.all(), enterprise, code="PA")  # its park: seen, not written
    operator = world.users["park_operator"]
    assert get_writable_or_403(Park.objects.all(), operator, code="PA") == world.parks["PA"]
    with pytest.raises(PermissionDenied, match="园区类型"):
        get_writable_or_403(Park.objects.all(), operator, field="park_type", code="PA")


def test_a_refusal_names_the_fields_their_owner_and_the_way_to_ask(world: World) -> None:
    with pytest.raises(PermissionDenied) as refused:
        check_fields(world.users["park_operator"], Park, ["green_level", "district_id", "operator_name"])
    assert str(refused.value) == (
        "您的角色（园区运营）不能修改园区的“所属区”（district）、“绿色园区等级”（green_level）："
        "由市级管理员负责；如需变更，可提交变更申请，由市级管理员审核"
    )
    assert refused.value.fields == ("district", "green_level")  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied) as district:
        check_fields(world.users["enterprise"], "registry.Enterprise", ["name"])
    assert "由市级管理员、区级用户、园区运营、系统管理员负责" in str(district.value)


def test_the_one_write_scope_rule(world: World) -> None:
    jiangxia, caidian = world.districts["jiangxia"].pk, world.districts["caidian"].pk
    pa, pc = world.parks["PA"].pk, world.parks["PC"].pk
    cases: dict[str, list[tuple[int, int | None, bool]]] = {
        "city_admin": [(caidian, pc, True)],
        "district_jiangxia": [(jiangxia, None, True), (jiangxia, pa, True), (caidian, pc, False)],
        "park_operator": [(jiangxia, pa, True), (jiangxia, None, False), (caidian, pc, False)],
        "enterprise": [(jiangxia, pa, False)],
        "handler": [(jiangxia, pa, False)],
    }
    for persona, rows in cases.items():
        for district_id, park_id, expected in rows:
            assert may_place(world.users[persona], district_id=district_id, park_id=park_id) is expected, persona
    with pytest.raises(PermissionDenied, match=ERR_OUT_OF_SCOPE):
        check_place(world.users["park_operator"], district_id=caidian, park_id=pc)


def test_a_superuser_acts_as_system_administrator_and_the_inactive_as_no_one(world: World) -> None:
    viewer = world.users["city_viewer"]
    viewer.is_superuser = True
    assert role_of(viewer) == Role.SYSADMIN
    viewer.is_active = False
    assert role_of(viewer) is None
    assert role_of(None) is None
