"""The carbon API at /api/v1/carbon/ (the path the issue names, in the OpenAPI document) and the first
release's /api/v1/energy/ (kept for its clients, out of the document): the same answers at both; one
owner's year against the year before and the base year, worked by hand; the factors with the
provincial grid factors the pack carries (none in the Wuhan pack)."""

from __future__ import annotations

from conftest import World
from yuanqu.api import api
from yuanqu.energy.tests.conftest import ANNUAL_HEADER, Importer, texts, xlsx
from yuanqu.energy.tests.test_import_and_accounts import import_fixture


def test_the_carbon_path_is_documented_and_the_first_releases_path_answers_the_same(
    world: World, imported: Importer
) -> None:
    import_fixture(world, imported)
    paths = api.get_openapi_schema()["paths"]
    assert {"/api/v1/carbon/accounts", "/api/v1/carbon/changes", "/api/v1/carbon/factors"} <= set(paths)
    assert not [path for path in paths if path.startswith("/api/v1/energy/")]
    client = world.client("district_jiangxia")
    for tail in ("accounts?year=2025", "factors", "chains", "parks/PA/zero-carbon"):
        carbon, energy = client.get(f"/api/v1/carbon/{tail}"), client.get(f"/api/v1/energy/{tail}")
        assert carbon.status_code == 200 and carbon.json() == energy.json()
    # Scoped as the pages: 江夏's user does not see 蔡甸's park; the auditor reads no account.
    assert client.get("/api/v1/carbon/parks/PC/zero-carbon").status_code == 404
    assert world.client("auditor").get("/api/v1/carbon/accounts").status_code == 403
    factors = client.get("/api/v1/carbon/factors").json()
    assert (factors["grid_region"], factors["provincial_region"], factors["provincial_grid"]) == ("全国", "", [])


def test_changes_give_the_year_against_the_year_before_and_the_base_year(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    e1 = world.enterprises["E1"]
    earlier = xlsx([ANNUAL_HEADER, [e1.uscc, 2024, 100, None, None, None, None, None, None, None]])
    outcome = imported("city_admin", "energy_annual", earlier)
    assert outcome.status == "applied", texts(outcome)
    body = world.client("park_operator").get("/api/v1/carbon/changes?level=park&code=PA").json()
    assert (body["year"], body["base_year"]) == (2025, 2024)
    co2 = next(change for change in body["changes"] if change["name"] == "二氧化碳排放总量")
    # 2024: 1,000,000 kWh × 0.5366 kg ÷ 1000 = 536.6 t; 2025: 702.2222 t; 702.2222 ÷ 536.6 − 1 = 30.87 %.
    assert (co2["value"], co2["previous"], co2["year_on_year"], co2["against_base"]) == (
        702.2222,
        536.6,
        30.87,
        30.87,
    )
    # The firm's own user reads its firm's changes, not the park's.
    firm = world.client("enterprise")
    assert firm.get(f"/api/v1/carbon/changes?level=enterprise&code={e1.uscc}").status_code == 200
    assert firm.get("/api/v1/carbon/changes?level=park&code=PA").status_code == 404
    assert firm.get("/api/v1/carbon/changes?level=county").status_code == 422
