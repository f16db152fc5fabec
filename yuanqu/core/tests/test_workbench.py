"""The 工作台: the first page after sign-in, one per role, built from every app's cards (core.workbench)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from conftest import World, make_user
from yuanqu.core import workbench
from yuanqu.core.appgate import role_may_open
from yuanqu.core.models import User
from yuanqu.core.roles import Role


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


def _links(card: workbench.Card) -> list[str]:
    return [
        url
        for url in (card.more_url, *(figure.url for figure in card.figures), *(item.url for item in card.items))
        if url
    ]


def test_it_leads_no_role_to_a_page_the_app_gate_refuses(world: World) -> None:
    """Every role (the world's personas, and a 人才用户 and the 市财政局 made here) opens its 工作台;
    every link of every card it shows opens as that role: none answers 403 or 404, and each card's
    app admits the role."""
    personas = {user.role: name for name, user in reversed(world.users.items())}
    world.users["talent"] = make_user("t-talent", Role.TALENT)
    world.users["finance"] = make_user("t-finance", Role.FINANCE)
    personas |= {Role.TALENT: "talent", Role.FINANCE: "finance"}
    assert set(personas) == set(Role)
    walked: dict[str, list[str]] = {}
    for role, persona in personas.items():
        client = world.client(persona)
        page = client.get(reverse("core:workbench"))
        assert page.status_code == 200, persona
        cards: list[workbench.Card] = page.context["cards"]
        assert all(role_may_open(Role(role), card.app) for card in cards), persona
        for card in cards:
            for url in _links(card):
                answer = client.get(url)
                assert answer.status_code not in (403, 404), (persona, card.key, url, answer.status_code)
                walked.setdefault(persona, []).append(url)
    # The walk is not empty: the roles that work in the older apps each have linked cards.
    assert {"city_admin", "district_jiangxia", "park_operator", "enterprise", "handler"} <= set(walked)


def test_it_shows_a_card_only_to_the_roles_its_app_admits(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A card of the cockpit's app, offered to everyone, reaches the city but not an enterprise,
    whose role the 驾驶舱 does not admit (core.appgate.APP_ROLES)."""

    def cockpit_card(user: User, today: dt.date) -> list[workbench.Card]:
        return [workbench.Card(key="probe", title="probe", app="dashboard", more_url=reverse("dashboard:cockpit"))]

    monkeypatch.setattr(workbench, "providers", lambda: (("probe", cockpit_card),))
    today = dt.date(2026, 3, 2)
    assert [card.key for card in workbench.cards_for(world.users["city_admin"], today)] == ["probe"]
    assert [card.key for card in workbench.cards_for(world.users["district_jiangxia"], today)] == ["probe"]
    assert workbench.cards_for(world.users["enterprise"], today) == []
    assert workbench.cards_for(world.users["handler"], today) == []
