"""The 链主 supply links and the 招商 figures in the documents: a park's .docx 招商方案 lists its 链主's
purchases with the supplier node's strength in the park and the park's own 招商 figures; the
quarterly report lists, per chain, the nodes the reader's 链主 buy from (a district sees its own)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from docx import Document

from yuanqu.investment.models import SupplyLink
from yuanqu.investment.tests.conftest import DAY, InvestWorld, pdf
from yuanqu.registry.models import ChainNode, EnterpriseLabel, IndustryClass


def _cells(content: bytes) -> tuple[str, list[str]]:
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    return text, [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def _leader_buys(inv: InvestWorld) -> ChainNode:
    inv.node.industry_classes.add(IndustryClass.objects.get(pk="C3976"))
    supplier = inv.node.chain.nodes.exclude(pk=inv.node.pk).exclude(industry_classes="C3976").first()
    assert supplier is not None
    e1 = inv.world.enterprises["E1"]  # in park PA, district 江夏区
    EnterpriseLabel.objects.create(enterprise=e1, kind="chain_leader", valid_from=dt.date(2025, 1, 1))
    SupplyLink.objects.create(leader=e1, node=supplier, source="走访记录")
    return supplier


def test_the_parks_plan_lists_its_leaders_purchases_and_its_figures(inv: InvestWorld) -> None:
    supplier = _leader_buys(inv)
    project = inv.to_negotiating(inv.project(planned_investment=Decimal("8")))
    inv.move(project, "district_jiangxia", "signed", DAY + dt.timedelta(days=30), files=[pdf()])
    content = inv.world.client("district_jiangxia").get("/investment/parks/PA/path/?format=docx").content
    text, cells = _cells(content)
    assert "链主采购环节" in text
    row = cells[cells.index("武汉甲光电科技有限公司") - 1 : cells.index("武汉甲光电科技有限公司") + 4]
    assert row == [inv.node.chain.name, "武汉甲光电科技有限公司", inv.node.name, supplier.name, "缺失"]
    assert "五、招商成效" in text
    signed = cells.index("2026年签约")
    assert cells[signed : signed + 8] == ["2026年签约", "1", "1", "8.00", "0.0%", "0.0%", "0.0%", "—"]


def test_the_quarterly_report_lists_the_nodes_the_leaders_buy_from(inv: InvestWorld) -> None:
    from docx import Document as NewDocument

    from yuanqu.reports.documents import _investment_section

    supplier = _leader_buys(inv)

    def section(persona: str) -> tuple[str, list[str]]:
        document = NewDocument()
        _investment_section(document, inv.user(persona), dt.date(2026, 9, 30))
        buffer = io.BytesIO()
        document.save(buffer)
        return _cells(buffer.getvalue())

    text, cells = section("city_admin")
    assert "链主企业的采购环节" in text
    at = cells.index(inv.node.chain.name)
    assert cells[at : at + 4] == [inv.node.chain.name, "1", "1", supplier.name]
    assert "链主企业的采购环节" not in section("district_caidian")[0]
