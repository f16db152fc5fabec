"""The target-company library through the intake pipeline, with real spreadsheets: new firms written
with their nodes, listing and 三类500强 years (audited); a credit code or a normalised name already in
the library never makes a second entry; a close name is shown as a warning for the importer to
confirm; broken rows named by row, column and rule with nothing written; the export re-importing to
no change; and the unsafe-file corpus refused before any batch is made."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from yuanqu.core.models import AuditLog
from yuanqu.core.uscc import make as make_uscc
from yuanqu.intake.kinds import KINDS
from yuanqu.intake.reading import FileRefused
from yuanqu.intake.services import kind_export
from yuanqu.intake.tests.conftest import import_file, media_root, texts, xlsx
from yuanqu.intake.tests.test_corpus import REFUSED
from yuanqu.investment import services
from yuanqu.investment.models import Candidate
from yuanqu.investment.tests.conftest import InvestWorld
from yuanqu.stats.models import ImportBatch

pytestmark = pytest.mark.django_db
__all__ = ["media_root"]  # the intake tests' fixture: the corpus test checks that no file is kept
KIND = "target_firms"
USCC = make_uscc("91440300MA5F00077")
HEADER = [
    "统一社会信用代码",
    "企业名称",
    "行业代码",
    "产业链环节",
    "规模",
    "上市情况",
    "世界500强（年度）",
    "总部所在地",
]


def _node(inv: InvestWorld) -> str:
    return f"{inv.node.chain.name}/{inv.node.name}"


def test_new_firms_are_written_with_their_nodes_listing_and_lists(inv: InvestWorld) -> None:
    industry = inv.world.enterprises["E1"].industry_id
    rows: list[list[Any]] = [
        HEADER,
        [USCC, "深圳星河光电股份有限公司", industry, _node(inv), "大型", "A股", 2025, "广东省深圳市"],
        [None, "苏州华芯微电子有限公司", None, None, "中型", None, None, None],
    ]
    outcome = import_file(inv.world, "district_jiangxia", KIND, xlsx(rows))
    assert outcome.status == "applied", texts(outcome)
    assert outcome.counts["created"] == 2
    firm = Candidate.objects.get(uscc=USCC)
    assert (firm.size_band, firm.listing, firm.top500, firm.industry_id, firm.hq_region) == (
        "large",
        "a",
        [{"list": "世界500强", "year": 2025}],
        industry,
        "广东省深圳市",
    )
    assert list(firm.nodes.all()) == [inv.node]
    assert AuditLog.objects.filter(object_type="investment.Candidate", action="create").count() == 2
    # The export imports back to no change: by credit code, or by the same normalised name.
    content = kind_export(actor=inv.user("city_admin"), spec=KINDS[KIND])
    again = import_file(inv.world, "city_admin", KIND, content)
    assert again.status == "applied" and again.counts["unchanged"] == 2 and Candidate.objects.count() == 2


def test_the_library_is_never_doubled_and_close_names_are_shown(inv: InvestWorld) -> None:
    admin = inv.user("city_admin")
    services.candidate_create(actor=admin, name="深圳市光谷科技有限公司")
    services.candidate_create(actor=admin, name="星河光电半导体材料研究院有限公司", uscc=USCC)
    rows: list[list[Any]] = [
        HEADER,
        [None, "武汉光谷科技有限公司", None, None, "中型", None, None, None],  # same normalised name: 光谷科技
        [USCC, "星河光电（集团）", None, None, "大型", None, None, None],  # same credit code
        [None, "星河光电半导体材料研究所有限公司", None, None, "中型", None, None, None],  # close: 92 %
    ]
    outcome = import_file(inv.world, "district_jiangxia", KIND, xlsx(rows))
    assert outcome.status == "applied", texts(outcome)
    found = "\n".join(texts(outcome))
    same_name = "目标企业库已有同名企业：深圳市光谷科技有限公司（名称归一后相同，且至少一方未填统一社会信用代码）"
    assert f"第2行 B列“企业名称”：{same_name}，该行不再登记" in found
    assert f"第3行 A列“统一社会信用代码”：目标企业库已有统一社会信用代码为“{USCC}”的企业" in found
    assert (
        "第4行 B列“企业名称”：目标企业库已有名称相近的企业：星河光电半导体材料研究院有限公司；写入即确认不是同一企业"
        in found
    )
    assert (outcome.counts["created"], outcome.counts["unchanged"]) == (1, 2)
    assert Candidate.objects.count() == 3


def test_every_broken_row_is_named_and_nothing_is_written(inv: InvestWorld) -> None:
    rows: list[list[Any]] = [
        HEADER,
        [None, "甲公司", "C9999", None, "大型", None, None, None],  # row 2
        [None, "乙公司", None, "没有的环节", "大型", None, None, None],  # row 3
        [None, "丙公司", None, None, "巨型", None, None, None],  # row 4
        ["91440300MA5F0007X0", "丁公司", None, None, "大型", None, None, None],  # row 5
        [USCC, "戊公司", None, None, "大型", None, None, None],  # row 6
        [USCC, "己公司", None, None, "大型", None, None, None],  # row 7
        [None, "深圳市庚辰材料有限公司", None, None, "大型", None, None, None],  # row 8
        [None, "武汉庚辰材料有限公司", None, None, "大型", None, None, None],  # row 9
        [None, None, None, None, "大型", None, None, None],  # row 10
    ]
    outcome = import_file(inv.world, "park_operator", KIND, xlsx(rows))
    assert outcome.status == "rejected"
    found = "\n".join(texts(outcome))
    for expected in (
        "第2行 C列“行业代码”：行业代码“C9999”不是《国民经济行业分类》(GB/T 4754-2017)的小类",
        "第3行 D列“产业链环节”：产业链环节“没有的环节”不存在",
        "第4行 E列“规模”：“巨型”不是可选值",
        "第5行 A列“统一社会信用代码”：",
        "第7行 A列“统一社会信用代码”：与第6行重复（统一社会信用代码相同）",
        "第9行 B列“企业名称”：与第8行的企业名称归一后相同（庚辰材料），且至少一行未填统一社会信用代码",
        "第10行 B列“企业名称”：必填，不能为空",
    ):
        assert expected in found, found
    assert not Candidate.objects.exists()
    assert outcome.batch.status == ImportBatch.Status.REJECTED


@pytest.mark.parametrize(("case", "make", "name", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_an_unsafe_file_is_refused_before_any_batch(
    inv: InvestWorld, case: str, make: Callable[[Any], bytes], name: str, message: str, media_root: Path
) -> None:
    with pytest.raises(FileRefused, match=re.escape(message)):
        import_file(inv.world, "district_jiangxia", KIND, make(inv.world), name=name)
    assert not ImportBatch.objects.exists() and not Candidate.objects.exists()
