"""A district's Excel project register through the intake pipeline, with real spreadsheets: projects
registered at 线索 through the service (audited, 首谈/首报 checked), the same rows again changing
nothing, broken rows named by row, column and rule with nothing written, the export re-importing to
no change, and the unsafe-file corpus refused before any batch is made."""

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
from yuanqu.investment.models import ClaimConflict, Project
from yuanqu.investment.tests.conftest import InvestWorld
from yuanqu.stats.models import ImportBatch

pytestmark = pytest.mark.django_db
__all__ = ["media_root"]  # the intake tests' fixture: the corpus test checks that no file is kept
KIND = "investment_projects"
USCC = make_uscc("91440300MA5F00099")
HEADER = [
    "项目名称",
    "投资方",
    "投资方统一社会信用代码",
    "所属区",
    "所在园区",
    "产业链环节",
    "招商方式",
    "计划总投资（亿元）",
    "登记日期",
]


def _rows(inv: InvestWorld) -> list[list[Any]]:
    node = f"{inv.node.chain.name}/{inv.node.name}"
    return [
        HEADER,
        ["光模块生产基地", "深圳星河光电股份有限公司", USCC, "江夏区", "PA", node, "资本招商", 12.5, "2026-03-02"],
        ["智能终端总部", "苏州华芯微电子有限公司", None, "江夏区", None, None, "科技招商", None, None],
    ]


def test_a_district_register_becomes_projects_at_lead_and_again_changes_nothing(inv: InvestWorld) -> None:
    outcome = import_file(inv.world, "district_jiangxia", KIND, xlsx(_rows(inv)))
    assert outcome.status == "applied", texts(outcome)
    assert outcome.counts["created"] == 2
    project = Project.objects.get(investor_uscc=USCC)
    assert (project.stage, project.park, project.chain_node, project.source, str(project.planned_investment)) == (
        "lead",
        inv.world.parks["PA"],
        inv.node,
        "capital",
        "12.50",
    )
    assert project.owner == inv.user("district_jiangxia")
    assert AuditLog.objects.filter(object_type="investment.Project", action="create").count() == 2
    again = import_file(inv.world, "district_jiangxia", KIND, xlsx(_rows(inv), sheet="项目"))
    assert again.status == "applied" and again.counts["unchanged"] == 2 and Project.objects.count() == 2
    assert "本区已登记同一投资方的同名项目" in "\n".join(texts(again))
    exported = kind_export(actor=inv.user("city_admin"), spec=KINDS[KIND])
    assert import_file(inv.world, "city_admin", KIND, exported).counts["unchanged"] == 2


def test_an_investor_another_district_registered_raises_a_conflict(inv: InvestWorld) -> None:
    inv.project("district_caidian", uscc=USCC, district="caidian", park="PC")
    outcome = import_file(inv.world, "district_jiangxia", KIND, xlsx(_rows(inv)[:2]))
    assert outcome.status == "applied", texts(outcome)
    assert ClaimConflict.objects.filter(status=ClaimConflict.Status.OPEN).count() == 1


def test_every_broken_row_is_named_and_nothing_is_written(inv: InvestWorld) -> None:
    rows: list[list[Any]] = [
        HEADER,
        ["甲项目", "甲公司", None, "江夏区", None, None, "外星招商", None, None],  # row 2
        ["乙项目", "乙公司", None, "蔡甸区", None, None, "资本招商", None, None],  # row 3
        ["丙项目", "丙公司", None, "江夏区", None, None, "资本招商", None, "2099-01-01"],  # row 4
        ["丁项目", "丁公司", None, "江夏区", None, "没有的环节", "资本招商", None, None],  # row 5
        ["戊项目", "深圳市戊辰材料有限公司", None, "江夏区", None, None, "资本招商", -3, None],  # row 6
        ["己项目", "深圳市庚辰材料有限公司", None, "江夏区", None, None, "资本招商", None, None],  # row 7
        ["己项目", "武汉庚辰材料有限公司", None, "江夏区", None, None, "资本招商", None, None],  # row 8
    ]
    outcome = import_file(inv.world, "district_jiangxia", KIND, xlsx(rows))
    assert outcome.status == "rejected"
    found = "\n".join(texts(outcome))
    for expected in (
        "第2行 G列“招商方式”：招商方式“外星招商”不在政策包的项目来源中（可填：资本招商、",
        "第3行 D列“所属区”：不能登记其他区的数据",
        "第4行 I列“登记日期”：",
        "第5行 F列“产业链环节”：产业链环节“没有的环节”不存在",
        "第6行 H列“计划总投资（亿元）”：不能为负数",
        "第8行 A列“项目名称”：与第7行重复（区、投资方和项目名称相同）",
    ):
        assert expected in found, found
    assert not Project.objects.exists() and outcome.batch.status == ImportBatch.Status.REJECTED


@pytest.mark.parametrize(("case", "make", "name", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_an_unsafe_file_is_refused_before_any_batch(
    inv: InvestWorld, case: str, make: Callable[[Any], bytes], name: str, message: str, media_root: Path
) -> None:
    with pytest.raises(FileRefused, match=re.escape(message)):
        import_file(inv.world, "district_jiangxia", KIND, make(inv.world), name=name)
    assert not ImportBatch.objects.exists() and not Project.objects.exists()
