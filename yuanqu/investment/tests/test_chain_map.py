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
    assert inv.world.client("enterprise").get(f"/api/v1/investment/chains/{inv.node.chain.code}/map").status_code == 403


def test_a_chain_leaders_purchases_are_drawn_from_the_supplier_node(inv: InvestWorld) -> None:
    import datetime as dt

    from yuanqu.investment.models import SupplyLink
    from yuanqu.registry.models import EnterpriseLabel

    inv.node.industry_classes.add(IndustryClass.objects.get(pk="C3976"))
    supplier = inv.node.chain.nodes.exclude(pk=inv.node.pk).exclude(industry_classes="C3976").first()
    assert supplier is not None
    e1 = inv.world.enterprises["E1"]
    SupplyLink.objects.create(leader=e1, node=supplier, source="走访记录")
    # Not yet a 链主: no purchase is drawn.
    assert selectors.chain_map(inv.user("district_jiangxia"), inv.node.chain).supply == []
    EnterpriseLabel.objects.create(enterprise=e1, kind="chain_leader", level="", valid_from=dt.date(2025, 1, 1))
    result = selectors.chain_map(inv.user("district_jiangxia"), inv.node.chain)
    targets = {edge.target for edge in result.supply}
    assert {(edge.leader, edge.source) for edge in result.supply} == {("武汉甲光电科技有限公司", supplier.pk)}
    assert inv.node.pk in targets
    body = inv.world.client("district_jiangxia").get(f"/api/v1/investment/chains/{inv.node.chain.code}/map").json()
    assert {(s["leader_uscc"], s["source"]) for s in body["supply"]} == {(e1.uscc, supplier.pk)}
    page = inv.world.client("district_jiangxia").get(f"/investment/chains/{inv.node.chain.code}/").content.decode()
    table = page.split('data-testid="supply-table"')[1].split("</table>")[0]
    assert f"<td>武汉甲光电科技有限公司</td><td>{inv.node.name}</td><td>{supplier.name}</td>" in table
    assert '"lineStyle": {"type": "dashed"' in page
    # Another district does not see the 链主, nor its purchases.
    assert selectors.chain_map(inv.user("district_caidian"), inv.node.chain).supply == []


def test_the_demo_gives_each_chain_leader_upstream_suppliers(inv: InvestWorld) -> None:
    import datetime as dt

    from yuanqu.demo.investment import supply_links_demo_generate
    from yuanqu.investment.models import SupplyLink
    from yuanqu.registry.models import EnterpriseLabel

    node = inv.node.chain.nodes.order_by("-position").first()
    assert node is not None and node.position > 1
    node.industry_classes.add(IndustryClass.objects.get(pk="C3976"))
    e1 = inv.world.enterprises["E1"]
    EnterpriseLabel.objects.create(enterprise=e1, kind="chain_leader", level="", valid_from=dt.date(2025, 1, 1))
    assert supply_links_demo_generate(seed=7) >= 2
    links = SupplyLink.objects.filter(leader=e1, node__chain=node.chain)
    assert links.count() >= 2 and all(link.node.position < node.position for link in links)


def test_a_node_shows_its_value_added_and_opens_its_candidate_targets(inv: InvestWorld) -> None:
    from yuanqu.investment import services

    inv.node.industry_classes.add(IndustryClass.objects.get(pk="C3976"))
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.ANNUAL, status=ImportBatch.Status.APPLIED)
    for key, added in (("E1", Decimal("250000")), ("E2", None)):
        AnnualStat.objects.create(
            enterprise=inv.world.enterprises[key], year=2025, revenue=Decimal("900000"), value_added=added, batch=batch
        )
    services.candidate_create(actor=inv.user("city_admin"), name="星河光电股份有限公司", nodes=[inv.node])
    services.candidate_create(actor=inv.user("city_admin"), name="长江存储控股有限公司", nodes=[inv.node])
    result = selectors.chain_map(inv.user("district_jiangxia"), inv.node.chain)
    node = next(n for n in result.nodes if n.id == inv.node.pk)
    assert (node.value_added, node.candidates) == (25.0, 2)
    assert {f.name: f.value_added for f in node.firms}["武汉甲光电科技有限公司"] == 25.0
    client = inv.world.client("district_jiangxia")
    body = client.get(f"/api/v1/investment/chains/{inv.node.chain.code}/map").json()
    out = next(n for n in body["nodes"] if n["id"] == inv.node.pk)
    assert (out["value_added"], out["candidates"]) == (25.0, 2)
    page = client.get(f"/investment/chains/{inv.node.chain.code}/").content.decode()
    assert f'id="node-{inv.node.pk}"' in page
    link = f'href="/investment/candidates/?node={inv.node.pk}" data-testid="node-candidates-{inv.node.pk}">2 家</a>'
    assert link in page
