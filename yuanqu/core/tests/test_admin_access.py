"""The admin site opens by role: the city administrator reaches the platform's data screens, only the
system administrator reaches accounts, and nobody else gets in."""

from __future__ import annotations

import pytest

from conftest import World

DATA_SCREENS = ["/admin/registry/park/", "/admin/registry/enterprise/", "/admin/casework/visit/"]


@pytest.mark.parametrize("path", DATA_SCREENS)
def test_it_opens_the_data_screens_to_the_city_administrator(world: World, path: str) -> None:
    assert world.client("city_admin").get(path).status_code == 200
    assert world.client("sysadmin").get(path).status_code == 200


def test_it_opens_a_parks_change_form_to_the_city_administrator_only(world: World) -> None:
    path = f"/admin/registry/park/{world.parks['PA'].pk}/change/"
    assert world.client("city_admin").get(path).status_code == 200
    assert world.client("park_operator").get(path).status_code == 302


def test_it_keeps_accounts_to_the_system_administrator(world: World) -> None:
    assert world.client("city_admin").get("/admin/core/user/").status_code == 403
    account = world.users["district_jiangxia"].pk
    assert world.client("city_admin").get(f"/admin/core/user/{account}/change/").status_code == 403
    assert world.client("sysadmin").get("/admin/core/user/").status_code == 200


@pytest.mark.parametrize("persona", ["city_viewer", "district_jiangxia", "park_operator", "handler", "auditor"])
def test_it_keeps_everyone_else_out(world: World, persona: str) -> None:
    response = world.client(persona).get("/admin/registry/park/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
