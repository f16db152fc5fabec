"""The district pages: a user scoped below the city lists only the districts it has parks in, and a
district's page leads to its 园区档案 in the cockpit."""

from __future__ import annotations

import re

from conftest import World


def _listed(world: World, persona: str) -> list[str]:
    html = world.client(persona).get("/registry/districts/").content.decode()
    return re.findall(r'href="/registry/districts/(\w+)/"', html)


def test_it_lists_a_district_user_only_its_own_district(world: World) -> None:
    assert _listed(world, "district_jiangxia") == ["420115"]
    assert _listed(world, "park_operator") == ["420115"]
    assert len(_listed(world, "city_admin")) > 10  # the city sees every district and zone


def test_it_links_the_district_page_to_its_cockpit_page(world: World) -> None:
    html = world.client("district_jiangxia").get("/registry/districts/420115/").content.decode()
    assert 'href="/cockpit/districts/420115/" data-testid="district-cockpit"' in html
    enterprise = world.client("enterprise").get("/registry/districts/420115/").content.decode()
    assert 'data-testid="district-cockpit"' not in enterprise
