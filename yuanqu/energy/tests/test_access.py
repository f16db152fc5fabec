"""Who reads which carbon account: a firm its own, a park operator its park's firms and the park, a
district its district's firms, parks and the district; the city everything; a handler and an
auditor nothing. The API's list answers exactly that."""

from __future__ import annotations

import pytest

from conftest import World
from yuanqu.energy.models import CarbonAccount
from yuanqu.energy.tests.conftest import Importer
from yuanqu.energy.tests.test_import_and_accounts import import_fixture


def seen(world: World, persona: str) -> set[tuple[str, str]]:
    firms = {firm.pk: key for key, firm in world.enterprises.items()}
    parks = {park.pk: key for key, park in world.parks.items()}
    found = set()
    rows = CarbonAccount.objects.visible_to(world.users[persona]).filter(month=0).select_related("district")
    for row in rows:
        if row.level == "enterprise" and row.enterprise_id is not None:
            found.add(("enterprise", firms[row.enterprise_id]))
        elif row.level == "park" and row.park_id is not None:
            found.add(("park", parks[row.park_id]))
        elif row.level == "district" and row.district is not None:
            found.add(("district", row.district.name))
        else:
            found.add((row.level, ""))
    return found


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "city_viewer",
            {
                ("enterprise", "E1"),
                ("enterprise", "E2"),
                ("park", "PA"),
                ("park", "PB"),
                ("district", "江夏区"),
                ("city", ""),
            },
        ),
        (
            "district_jiangxia",
            {("enterprise", "E1"), ("enterprise", "E2"), ("park", "PA"), ("park", "PB"), ("district", "江夏区")},
        ),
        ("district_caidian", set()),
        ("park_operator", {("enterprise", "E1"), ("park", "PA")}),
        ("enterprise", {("enterprise", "E1")}),
        ("handler", set()),
        ("auditor", set()),
    ],
)
def test_each_role_reads_exactly_its_accounts(
    world: World, imported: Importer, persona: str, expected: set[tuple[str, str]]
) -> None:
    import_fixture(world, imported)
    assert seen(world, persona) == expected


def test_the_api_lists_a_park_operator_only_its_park(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    body = world.client("park_operator").get("/api/v1/energy/accounts?year=2025").json()
    assert {(item["level"], item["park"]) for item in body["items"]} == {("enterprise", "PA"), ("park", "PA")}
    assert world.client("park_operator").get("/api/v1/energy/parks/PB/zero-carbon").status_code == 404
