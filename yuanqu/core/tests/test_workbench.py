"""The 工作台: the first page after sign-in, one per role, built from every app's cards (core.workbench)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import World
from yuanqu.core import workbench


@pytest.mark.parametrize(
    "persona",
    ["city_admin", "city_viewer", "district_jiangxia", "park_operator", "enterprise", "handler", "sysadmin"],
)
def test_it_lands_every_role_but_the_auditor_on_the_workbench(world: World, persona: str) -> None:
    client = world.client(persona)
    landing = client.get("/")
    assert landing.status_code == 302
    assert landing["Location"] == reverse("core:workbench")
    page = client.get(landing["Location"])
    assert page.status_code == 200
    assert 'data-testid="workbench"' in page.content.decode()


def test_it_sends_the_auditor_to_the_audit_log(world: World) -> None:
    landing = world.client("auditor").get("/")
    assert landing["Location"] == reverse("core:audit_log")


def test_it_finds_each_apps_card_module(world: World) -> None:
    labels = [label for label, _provider in workbench.providers()]
    assert {"casework", "dashboard", "service"} <= set(labels)


def test_it_shows_each_role_its_own_cards(world: World) -> None:
    def keys(persona: str) -> set[str]:
        body = world.client(persona).get(reverse("core:workbench")).content.decode()
        return {
            key
            for key in (
                "casework-queue",
                "casework-asked",
                "casework-mine",
                "casework-scope",
                "casework-week",
                "data-due",
                "late-parks",
                "targets",
                "rank",
                "plan",
                "service-policies",
            )
            if f'data-card="{key}"' in body
        }

    assert keys("handler") == {"casework-queue"}
    assert keys("enterprise") == {"casework-asked", "casework-mine", "service-policies"}
    assert keys("park_operator") == {"casework-scope", "data-due", "targets", "rank"}
    assert keys("district_jiangxia") == {"casework-scope", "late-parks", "targets"}
    assert keys("city_admin") == {"casework-week", "plan"}
