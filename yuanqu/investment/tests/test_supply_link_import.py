"""The 链主 supply links through the intake pipeline, with real spreadsheets: each row a local 链主
and a chain node it buys from, written through `services.supply_link_upsert` (scope, audit), the
same rows again changing nothing, broken rows named by row, column and rule with nothing written,
the export importing back to no change, and the unsafe-file corpus refused before any batch."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from yuanqu.core.models import AuditLog
from yuanqu.intake.kinds import KINDS
from yuanqu.intake.reading import FileRefused
from yuanqu.intake.services import kind_export
from yuanqu.intake.tests.conftest import import_file, media_root, texts, xlsx
from yuanqu.intake.tests.test_corpus import REFUSED
from yuanqu.investment.models import SupplyLink
from yuanqu.investment.tests.conftest import InvestWorld
from yuanqu.registry.models import ChainNode, EnterpriseLabel
from yuanqu.stats.models import ImportBatch

pytestmark = pytest.mark.django_db
__all__ = ["media_root"]
KIND = "supply_links"
HEADER = ["链主统一社会信用代码", "链主名称", "采购环节", "来源"]


def _nodes(inv: InvestWorld) -> list[str]:
    return [f"{n.chain.name}/{n.name}" for n in ChainNode.objects.filter(chain=inv.node.chain).order_by("position")]


def _leader(inv: InvestWorld, key: str = "E1") -> str:
    firm = inv.world.enterprises[key]
    EnterpriseLabel.objects.create(enterprise=firm, kind="chain_leader", valid_from=dt.date(2025, 1, 1))
    return firm.uscc


def test_a_districts_links_are_written_and_again_change_nothing(inv: InvestWorld) -> None:
    uscc, nodes = _leader(inv), _nodes(inv)
    rows: list[list[Any]] = [
        HEADER,
        [uscc, "武汉甲光电科技有限公司", nodes[0], "2026年链主走访"],
        [uscc, None, nodes[1], None],
    ]
    outcome = import_file(inv.world, "district_jiangxia", KIND, xlsx(rows))
    assert outcome.status == "applied", texts(outcome)
    assert outcome.counts["created"] == 2 and not texts(outcome)
    links = SupplyLink.objects.order_by("node__position")
    assert [(link.leader.uscc, link.node.name, link.source) for link in links] == [
        (uscc, nodes[0].split("/")[1], "2026年链主走访"),
        (uscc, nodes[1].split("/")[1], ""),
    ]
    assert AuditLog.objects.filter(object_type="investment.SupplyLink", action="create").count() == 2
    again = import_file(inv.world, "district_jiangxia", KIND, xlsx(rows, sheet="采购"))
    assert again.status == "applied" and again.counts["unchanged"] == 2 and SupplyLink.objects.count() == 2
    exported = kind_export(actor=inv.user("city_admin"), spec=KINDS[KIND])
    back = import_file(inv.world, "city_admin", KIND, exported)
    assert back.status == "applied" and back.counts["unchanged"] == 2, texts(back)
    # Another district sees none of them in its export.
    assert kind_export(actor=inv.user("district_caidian"), spec=KINDS[KIND]) != exported


def test_every_broken_row_is_named_and_nothing_is_written(inv: InvestWorld) -> None:
    uscc, nodes = _leader(inv), _nodes(inv)
    other = _leader(inv, "E3")  # a 链主 of 蔡甸区
    rows: list[list[Any]] = [
        HEADER,
        [other, None, nodes[0], None],  # row 2: another district's firm
        [uscc, None, "没有的环节", None],  # row 3
        [uscc, None, nodes[0], None],  # row 4
        [uscc, None, nodes[0], None],  # row 5: the same link again
    ]
    outcome = import_file(inv.world, "district_jiangxia", KIND, xlsx(rows))
    assert outcome.status == "rejected"
    found = "\n".join(texts(outcome))
    for expected in (
        f"第2行 A列“链主统一社会信用代码”：企业“{other}”不在企业名录中或不在您的权限范围内",
        "第3行 C列“采购环节”：产业链环节“没有的环节”不存在",
        "第5行 C列“采购环节”：与第4行重复（链主企业和采购环节相同）",
    ):
        assert expected in found, found
    assert not SupplyLink.objects.exists() and outcome.batch.status == ImportBatch.Status.REJECTED


def test_a_firm_without_a_current_leader_label_is_warned_and_written(inv: InvestWorld) -> None:
    firm = inv.world.enterprises["E1"]
    rows: list[list[Any]] = [HEADER, [firm.uscc, None, _nodes(inv)[0], None]]
    outcome = import_file(inv.world, "district_jiangxia", KIND, xlsx(rows))
    assert outcome.status == "applied"
    assert f"企业“{firm.name}”目前没有有效的链主企业认定" in "\n".join(texts(outcome))
    assert SupplyLink.objects.count() == 1


@pytest.mark.parametrize(("case", "make", "name", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_an_unsafe_file_is_refused_before_any_batch(
    inv: InvestWorld, case: str, make: Callable[[Any], bytes], name: str, message: str, media_root: Path
) -> None:
    with pytest.raises(FileRefused, match=re.escape(message)):
        import_file(inv.world, "district_jiangxia", KIND, make(inv.world), name=name)
    assert not ImportBatch.objects.exists() and not SupplyLink.objects.exists()
