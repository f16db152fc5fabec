"""Chain maps and gap status on a fixture with known answers: the world's four firms are all in class
C3976, which the test puts on one node; the Wuhan pack's thresholds are 3 firms present, 10 firms or
100 亿元 strong."""

from __future__ import annotations

from decimal import Decimal

from yuanqu.investment import selectors
from yuanqu.investment.tests.conftest import InvestWorld
from yuanqu.registry.models import IndustryClass
from yuanqu.stats.models import AnnualStat, ImportBatch


def _statuses(inv: InvestWorld, persona: str) -> dict[str, tuple[int, str]]:
    chain = inv.node.chain
    result = selectors.chain_map(inv.user(persona), chain, park=inv.user(persona).park)
    return {node.name: (len(node.firms), node.status) for node in result.nodes}


def test_gap_status_per_scope(inv: InvestWorld) -> None:
    inv.node.industry_classes.add(IndustryClass.objects.get(pk="C3976"))
    city = _statuses(inv, "city_viewer")
    assert city[inv.node.name] == (4, "present")
    holding = set(inv.node.chain.nodes.filter(industry_classes="C3976").values_list("name", flat=True))
    assert {name: value for name, value in city.items() if name not in holding} == {
        name: (0, "absent") for name in city if name not in holding
    }
    assert all(city[name] == (4, "present") for name in holding)
    assert _statuses(inv, "district_jiangxia")[inv.node.name] == (3, "present")
    assert _statuses(inv, "district_caidian")[inv.node.name] == (1, "weak")
    assert _statuses(inv, "park_operator")[inv.node.name] == (1, "weak")


def test_revenue_makes_a_node_strong_and_labels_show(inv: InvestWorld) -> None:
    inv.node.industry_classes.add(IndustryClass.objects.get(pk="C3976"))
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.ANNUAL, status=ImportBatch.Status.APPLIED)
    AnnualStat.objects.create(
        enterprise=inv.world.enterprises["E1"], year=2025, revenue=Decimal("1000000"), employees=800, batch=batch
    )
    assert _statuses(inv, "park_operator")[inv.node.name] == (1, "strong")
    result = selectors.chain_map(inv.user("park_operator"), inv.node.chain, park=inv.user("park_operator").park)
    [firm] = next(node for node in result.nodes if node.id == inv.node.pk).firms
    assert (firm.name, firm.revenue, firm.employees) == ("武汉甲光电科技有限公司", 100.0, 800)
    assert firm.labels == ["high_tech"]
    assert result.year == 2025


def test_the_map_api_and_page(inv: InvestWorld) -> None:
    inv.node.industry_classes.add(IndustryClass.objects.get(pk="C3976"))
    client = inv.world.client("district_caidian")
    body = client.get(f"/api/v1/investment/chains/{inv.node.chain.code}/map").json()
    node = next(n for n in body["nodes"] if n["id"] == inv.node.pk)
    assert (len(node["firms"]), node["status"], node["status_label"]) == (1, "weak", "薄弱")
    page = client.get(f"/investment/chains/{inv.node.chain.code}/").content.decode()
    assert "chain-data" in page and "薄弱" in page
    listing = inv.world.client("park_operator").get("/investment/chains/").content.decode()
    assert inv.node.chain.name in listing
    assert inv.world.client("enterprise").get(f"/api/v1/investment/chains/{inv.node.chain.code}/map").status_code == 404
