"""Carbon by industry chain: the firms whose GB/T 4754 class is one of a chain's nodes' classes, within
the reader's scope, summed; a firm in two chains counts in both."""

from __future__ import annotations

from decimal import Decimal

from conftest import World
from yuanqu.energy import selectors
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


def test_the_api_gives_a_months_chain_accounts(world: World, imported: Importer) -> None:
    from yuanqu.energy.tests.conftest import MONTHLY_HEADER, xlsx

    chain("optics", "光电子信息", ["C3976"])
    e1 = world.enterprises["E1"]
    assert (
        imported("city_admin", "energy_monthly", xlsx([MONTHLY_HEADER, [e1.uscc, "2025-03", 100000, None]])).status
        == "applied"
    )
    body = world.client("city_admin").get("/api/v1/energy/chains?year=2025&month=3").json()
    # 100,000 kWh × 0.5366 kgCO₂ ÷ 1000 = 53.66 t (the 2022 factor).
    assert (body["month"], [(c["chain"], c["firms"], c["co2_t"]) for c in body["chains"]]) == (
        3,
        [("optics", 1, 53.66)],
    )
    assert world.client("city_admin").get("/api/v1/energy/chains?year=2025&month=13").status_code == 422
