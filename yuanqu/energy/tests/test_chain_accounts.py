"""Carbon by industry chain: the firms whose GB/T 4754 class is one of a chain's nodes' classes, within
the reader's scope, summed; a firm in two chains counts in both."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conftest import World
from yuanqu.energy import selectors
from yuanqu.energy.models import CarbonAccount
from yuanqu.energy.tests.conftest import Importer
from yuanqu.energy.tests.test_import_and_accounts import import_fixture
from yuanqu.registry.models import ChainNode, IndustryChain, IndustryClass


def chain(code: str, name: str, classes: list[str]) -> IndustryChain:
    made = IndustryChain.objects.create(code=code, name=name, kind=IndustryChain.Kind.KEY_CHAIN)
    node = ChainNode.objects.create(chain=made, name=f"{name}制造", stage="midstream")
    node.industry_classes.set(IndustryClass.objects.filter(pk__in=classes))
    return made


def test_a_chain_sums_its_firms_within_the_readers_scope(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    chain("optics", "光电子信息", ["C3976"])  # E1 and E2 are C3976
    chain("auto", "汽车", ["C3611"])  # no firm
    (optics,) = selectors.chain_accounts(world.users["city_admin"], 2025)
    assert (optics.chain.code, optics.firms, optics.energy_tce, optics.co2_t) == (
        "optics",
        2,
        Decimal("294.0422"),
        Decimal("970.5222"),
    )
    # 970.5222 t / 1500 万元.
    assert optics.co2_per_value_added == Decimal("0.6470")
    # The scope split and the renewable energy are the sums of the two firms' accounts.
    firms = CarbonAccount.objects.filter(level="enterprise", year=2025, month=0)
    assert (optics.scope1_t, optics.scope2_t, optics.renewable_tce) == tuple(
        sum((getattr(firm, name) for firm in firms), Decimal(0)) for name in ("scope1_t", "scope2_t", "renewable_tce")
    )
    assert optics.scope1_t > 0 and optics.scope2_t > 0 and optics.renewable_tce > 0
    share = (optics.renewable_tce / optics.energy_tce * 100).quantize(Decimal("0.01"))
    assert optics.renewable_share == share
    (own,) = selectors.chain_accounts(world.users["park_operator"], 2025)
    assert (own.firms, own.co2_t) == (1, Decimal("702.2222"))  # PA's E1 only
    html = world.client("city_admin").get("/energy/?year=2025").content.decode()
    assert 'data-testid="chain-accounts"' in html and "光电子信息" in html


def test_the_api_gives_the_chain_accounts_within_the_callers_scope(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    chain("optics", "光电子信息", ["C3976"])
    body = world.client("city_admin").get("/api/v1/energy/chains").json()
    assert body["year"] == 2025
    assert [(c["chain"], c["firms"], c["co2_t"], c["co2_per_value_added"]) for c in body["chains"]] == [
        ("optics", 2, 970.5222, 0.647)
    ]
    own = world.client("park_operator").get("/api/v1/energy/chains?year=2025").json()
    assert [(c["firms"], c["co2_t"]) for c in own["chains"]] == [(1, 702.2222)]
    assert world.client("auditor").get("/api/v1/energy/chains").status_code == 403
    assert world.client("city_admin").get("/api/v1/energy/chains?year=2024").json()["chains"] == []


def test_a_months_chain_accounts_are_the_year_to_date(world: World, imported: Importer) -> None:
    """`month` gives the months 1 to that one (1–本月累计), as the catalogue's monthly figures; before,
    it gave the month alone."""
    from yuanqu.energy.tests.conftest import MONTHLY_HEADER, xlsx

    chain("optics", "光电子信息", ["C3976"])
    e1 = world.enterprises["E1"]
    rows: list[list[Any]] = [MONTHLY_HEADER, [e1.uscc, "2025-02", 50000, None], [e1.uscc, "2025-03", 100000, None]]
    assert imported("city_admin", "energy_monthly", xlsx(rows)).status == "applied"
    client = world.client("city_admin")
    body = client.get("/api/v1/energy/chains?year=2025&month=3").json()
    # (50,000 + 100,000) kWh × 0.5366 kgCO₂ ÷ 1000 = 80.49 t (the 2022 factor); one firm, counted once.
    assert (body["month"], [(c["chain"], c["firms"], c["co2_t"]) for c in body["chains"]]) == (
        3,
        [("optics", 1, 80.49)],
    )
    (optics,) = body["chains"]
    # Purchased electricity only: all of it scope 2; 150,000 kWh × 0.1229 ÷ 1000 = 18.435 tce, none renewable.
    assert (optics["scope1_t"], optics["scope2_t"], optics["energy_tce"], optics["renewable_share"]) == (
        0.0,
        80.49,
        18.435,
        0.0,
    )
    assert optics["method"]["period"] == "1-3" and optics["method"]["industry_classes"] == ["C3976"]
    assert optics["method"]["grid"]["year"] == 2022 and optics["method"]["grid"]["stand_in"]
    # 50,000 kWh × 0.5366 ÷ 1000 = 26.83 t: February alone; January has none.
    february = client.get("/api/v1/carbon/chains?year=2025&month=2").json()["chains"]
    assert [(c["firms"], c["co2_t"]) for c in february] == [(1, 26.83)]
    assert client.get("/api/v1/carbon/chains?year=2025&month=1").json()["chains"] == []
    assert client.get("/api/v1/energy/chains?year=2025&month=13").status_code == 422
    html = client.get("/energy/?year=2025&month=3").content.decode()
    assert "1–3月累计" in html and "80.49" in html
    assert 'data-testid="chain-accounts-empty"' in client.get("/energy/?year=2025&month=1").content.decode()


def test_the_changes_give_a_chains_year_against_the_year_before_and_the_base_year(
    world: World, imported: Importer
) -> None:
    from yuanqu.energy.tests.conftest import ANNUAL_HEADER, texts, xlsx

    import_fixture(world, imported)  # 2025: E1 and E2
    chain("optics", "光电子信息", ["C3976"])
    e2 = world.enterprises["E2"]
    earlier = xlsx([ANNUAL_HEADER, [e2.uscc, 2024, 40, None, None, None, None, None, None, None]])
    outcome = imported("city_admin", "energy_annual", earlier)
    assert outcome.status == "applied", texts(outcome)
    client = world.client("city_admin")
    body = client.get("/api/v1/carbon/changes?level=chain&code=optics&year=2025").json()
    assert (body["level"], body["code"], body["year"], body["base_year"]) == ("chain", "optics", 2025, 2024)
    by_name = {c["name"]: c for c in body["changes"]}
    # 2024: E2 alone, 400,000 kWh × 0.1229 ÷ 1000 = 49.16 tce and × 0.5366 ÷ 1000 = 214.64 t.
    # 2025: 294.0422 tce and 970.5222 t (E1 and E2); 294.0422 / 49.16 − 1 = +498.13 %,
    # 970.5222 / 214.64 − 1 = +352.16 %; the base year is the year before.
    energy, co2 = by_name["综合能耗"], by_name["二氧化碳排放总量"]
    assert (energy["value"], energy["previous"], energy["year_on_year"], energy["against_base"]) == (
        294.0422,
        49.16,
        498.13,
        498.13,
    )
    assert (co2["value"], co2["previous"], co2["year_on_year"]) == (970.5222, 214.64, 352.16)
    # 2024 has no value added: the intensity has no comparison.
    assert by_name["单位增加值碳排放"]["previous"] is None
    method = co2["method"]
    assert (method["level"], method["chain"], method["firms"], method["period"]) == ("chain", "optics", 2, "year")
    assert method["grid"]["year"] == 2022
    # Within the caller's scope: PA's operator sees E1 only, which has no 2024 account.
    own = world.client("park_operator").get("/api/v1/carbon/changes?level=chain&code=optics").json()
    assert [(c["value"], c["previous"]) for c in own["changes"] if c["name"] == "二氧化碳排放总量"] == [
        (702.2222, None)
    ]
    assert client.get("/api/v1/carbon/changes?level=chain&code=nochain").status_code == 404
    # A firm's changes carry its account's method too.
    firm = client.get(f"/api/v1/carbon/changes?level=enterprise&code={e2.uscc}&year=2025").json()
    assert firm["changes"][0]["method"]["grid"]["year"] == 2022
